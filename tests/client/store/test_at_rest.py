"""What a stolen database file shows: no names, references, notes, hours or statuses."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from client.store import CannotOpen, Store
from shared import AbsenceReason

from .builders import NOW, PEOPLE, PIN, SUPERVISOR, absent, present
from .conftest import OpenStore

NOTES = [
    "Lajitteli kierrätystekstiilejä, työskenteli itsenäisesti koko päivän",
    "Jäi kotiin lapsen sairauden vuoksi, ilmoitti itse aamulla kello kahdeksan",
]
CORRECTION = "Väärä päivä merkitty: korjattu ohjaajan muistiinpanoista"
SECRET_TOKEN = "laitetunnus-Öljynpuristamo-9f8e7d"
# What no byte sequence in the files may contain: every participant field and note,
# the record's words that tell its status or reason, and its times of day.
SENSITIVE = [
    *(p["display_name"] for p in PEOPLE),
    *(p["client_ref"] for p in PEOPLE),
    *NOTES,
    CORRECTION,
    SECRET_TOKEN,
    "present",
    "child_sick",
    "not_held",
    "08:15",
    "14:45",
]


def _forms(text: str) -> list[bytes]:
    forms = [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]
    # each distinctive word on its own too: a store that split a name would still leak it
    words = [w for w in text.replace(",", " ").split() if len(w) >= 6]
    forms += [w.encode(enc) for w in words for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    return forms


def _files(db_path: Path) -> dict[str, bytes]:
    found = {}
    for suffix in ("", "-wal", "-journal", "-shm"):
        path = Path(f"{db_path}{suffix}")
        if path.exists():
            found[path.name] = path.read_bytes()
    return found


def _write_everything(store: Store) -> None:
    day = date(2025, 3, 10)
    first = present(day, note=NOTES[0])
    assert store.save_record(first, now=NOW).saved
    fixed = first.correct(
        correction_reason=CORRECTION,
        recorded_by=SUPERVISOR,
        device_id="dev-1",
        recorded_at=NOW + timedelta(minutes=5),
        end=time(14, 0),
    )
    assert store.save_record(fixed, now=NOW + timedelta(minutes=5)).saved
    sick = absent(day, AbsenceReason.CHILD_SICK, participant="p-2", note=NOTES[1])
    assert store.save_record(sick, now=NOW).saved
    store.put_secret("device_credential", SECRET_TOKEN.encode("utf-8"))
    store.participants(now=NOW)
    store.versions("p-1", day, day, now=NOW)


def _assert_nothing_readable(files: dict[str, bytes]) -> None:
    assert files, "no database file was written"
    for name, data in files.items():
        for text in SENSITIVE:
            for form in _forms(text):
                assert form not in data, f"{text!r} readable in {name}"


def test_a_closed_store_file_reveals_nothing(store: Store, db_path: Path) -> None:
    _write_everything(store)
    store.close()
    files = _files(db_path)
    assert db_path.name in files
    _assert_nothing_readable(files)


def test_an_open_store_with_its_wal_not_checkpointed_reveals_nothing(
    store: Store, db_path: Path
) -> None:
    _write_everything(store)
    files = _files(db_path)
    assert len(files.get(f"{db_path.name}-wal", b"")) > 0, "the writes should still be in the WAL"
    _assert_nothing_readable(files)


def test_the_scan_would_catch_a_plaintext_name(db_path: Path) -> None:
    # The scan itself must be able to fail: a name written in the clear is found.
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.execute("INSERT INTO t VALUES (?)", [PEOPLE[0]["display_name"]])
    conn.close()
    with pytest.raises(AssertionError, match="readable"):
        _assert_nothing_readable(_files(db_path))


def test_the_store_file_is_readable_by_its_owner_only(store: Store, db_path: Path) -> None:
    mode = stat.S_IMODE(db_path.stat().st_mode)
    assert mode & 0o077 == 0
    assert stat.S_IMODE(db_path.parent.stat().st_mode) & 0o077 == 0


def _raw(db_path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _reopen(open_store: OpenStore) -> Store:
    store = open_store()
    store.unlock(SUPERVISOR, PIN, now=NOW)
    return store


def test_a_flipped_byte_in_a_sealed_record_fails_to_open(
    store: Store, open_store: OpenStore, db_path: Path
) -> None:
    record = present(date(2025, 3, 10))
    store.save_record(record, now=NOW)
    store.close()
    ((payload,),) = _raw(db_path, "SELECT payload FROM versions WHERE id = ?", (record.id,))
    assert isinstance(payload, bytes)
    changed = bytearray(payload)
    changed[len(changed) // 2] ^= 0x20
    _raw(db_path, "DROP TRIGGER versions_reseal_only")  # an attacker ignores our triggers
    _raw(db_path, "UPDATE versions SET payload = ? WHERE id = ?", (bytes(changed), record.id))
    reopened = _reopen(open_store)
    with pytest.raises(CannotOpen) as caught:
        reopened.versions("p-1", date(2025, 3, 1), date(2025, 3, 31), now=NOW)
    assert "cannot be opened" in str(caught.value)


def test_a_sealed_value_copied_to_another_row_fails_to_open(
    store: Store, open_store: OpenStore, db_path: Path
) -> None:
    store.close()
    ((payload,),) = _raw(db_path, "SELECT payload FROM participants WHERE id = 'p-1'")
    _raw(db_path, "UPDATE participants SET payload = ? WHERE id = 'p-2'", (payload,))
    reopened = _reopen(open_store)
    with pytest.raises(CannotOpen):
        reopened.participants(now=NOW)


def test_a_record_moved_to_another_day_or_person_fails_to_open(
    store: Store, open_store: OpenStore, db_path: Path
) -> None:
    record = present(date(2025, 3, 10))
    store.save_record(record, now=NOW)
    store.close()
    _raw(db_path, "DROP TRIGGER versions_no_rewrite")
    _raw(db_path, "UPDATE versions SET day = '2025-03-11' WHERE id = ?", (record.id,))
    reopened = _reopen(open_store)
    with pytest.raises(CannotOpen):
        reopened.versions("p-1", date(2025, 3, 1), date(2025, 3, 31), now=NOW)
    reopened.close()
    _raw(
        db_path,
        "UPDATE versions SET day = '2025-03-10', participant_id = 'p-2' WHERE id = ?",
        (record.id,),
    )
    again = _reopen(open_store)
    with pytest.raises(CannotOpen):
        again.versions("p-2", date(2025, 3, 1), date(2025, 3, 31), now=NOW)


def test_a_sealed_value_copied_to_another_column_fails_to_open(
    store: Store, open_store: OpenStore, db_path: Path
) -> None:
    store.put_secret("token", b"abc")
    store.close()
    ((payload,),) = _raw(db_path, "SELECT payload FROM participants WHERE id = 'p-1'")
    _raw(db_path, "UPDATE secrets SET payload = ? WHERE name = 'token'", (payload,))
    reopened = _reopen(open_store)
    with pytest.raises(CannotOpen):
        reopened.get_secret("token")


def test_the_store_refuses_another_device_secret(store: Store, open_store: OpenStore) -> None:
    store.close()
    with pytest.raises(CannotOpen, match="another one"):
        open_store(secret=bytes(32))


def test_record_versions_cannot_be_deleted_or_rewritten_in_place(
    store: Store, db_path: Path
) -> None:
    record = present(date(2025, 3, 10))
    store.save_record(record, now=NOW)
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        _raw(db_path, "DELETE FROM versions")
    with pytest.raises(sqlite3.DatabaseError, match="never changed"):
        _raw(db_path, "UPDATE versions SET day = '2025-03-11'")
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        _raw(db_path, "DELETE FROM audit")
