"""Data-key rotation: everything re-encrypted, interruptible, resumable, nothing lost."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from client.store import CannotOpen, Store
from shared import AbsenceReason, DayRecord
from shared.protocol import RecordAnswer

from .builders import NOW, PIN, SUPERVISOR, absent, present
from .conftest import OpenStore

WINDOW = (date(2024, 9, 1), date(2025, 3, 31))


def _raw(db_path: Path, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _fill(store: Store) -> list[DayRecord]:
    """About 250 versions over six months for three people, plus a secret and an attention item."""
    records: list[DayRecord] = []
    day = date(2024, 9, 2)
    while day <= date(2025, 3, 7):
        if day.weekday() < 5:
            for pid in ("p-1", "p-2"):
                records.append(present(day, participant=pid, recorded_at=NOW - timedelta(days=1)))
            if day.weekday() == 2:
                records.append(
                    absent(
                        day,
                        AbsenceReason.JOB_RELATED,
                        participant="p-3",
                        recorded_at=NOW - timedelta(days=1),
                    )
                )
        day += timedelta(days=1)
    store.apply_remote_records(records)
    local = present(date(2025, 3, 10), participant="p-3", note="Paikallinen merkintä")
    assert store.save_record(local, now=NOW).saved
    refused = present(date(2025, 3, 11), participant="p-3")
    assert store.save_record(refused, now=NOW).saved
    store.outbox_answer(_answers([{"id": refused.id, "status": "rejected", "findings": []}]))
    store.put_secret("credential", b"sync-token")
    return [*records, local]


def _everything(store: Store) -> tuple[object, ...]:
    return (
        store.site_versions(*WINDOW, now=NOW),
        [(p.id, p.display_name, p.client_ref, p.plan) for p in store.participants(now=NOW)],
        store.get_secret("credential"),
        [(a.record, a.status) for a in store.attention()],
        store.outbox_pending(100),
    )


def _versions_in_use(db_path: Path) -> set[int]:
    found: set[int] = set()
    for table in ("supervisors", "participants", "plans", "versions", "attention", "secrets"):
        found |= {v for (v,) in _raw(db_path, f"SELECT DISTINCT key_version FROM {table}")}
    return found


def test_a_rotation_reseals_everything_under_a_new_key(store: Store, db_path: Path) -> None:
    _fill(store)
    before = _everything(store)
    sealed_before = dict(_raw(db_path, "SELECT id, payload FROM versions"))
    assert store.rotate_data_key(now=NOW)
    assert not store.rotation_in_progress()
    assert _everything(store) == before
    assert _versions_in_use(db_path) == {2}
    sealed_after = dict(_raw(db_path, "SELECT id, payload FROM versions"))
    assert sealed_after.keys() == sealed_before.keys()
    assert all(sealed_after[i] != sealed_before[i] for i in sealed_before)
    assert _raw(db_path, "SELECT version, state FROM data_keys ORDER BY version") == [
        (1, "retired"),
        (2, "active"),
    ]
    assert _raw(db_path, "SELECT DISTINCT key_version FROM key_slots") == [(2,)]
    store.lock()
    store.unlock(SUPERVISOR, PIN, now=NOW)
    assert _everything(store) == before


def test_an_interrupted_rotation_resumes_without_loss(
    store: Store, open_store: OpenStore, db_path: Path
) -> None:
    store.add_supervisor("sup-2", "Ville", "864297", now=NOW)
    _fill(store)
    before = _everything(store)
    assert store.rotate_data_key(now=NOW, batch_size=60, max_batches=2) is False
    assert store.rotation_in_progress()
    assert _versions_in_use(db_path) == {1, 2}  # halfway: both keys in use
    store.close()  # the app stops here (or the battery dies between two batches)

    reopened = open_store()
    reopened.unlock("sup-2", "864297", now=NOW)  # another supervisor got the new key too
    assert reopened.rotation_in_progress()
    assert _everything(reopened) == before  # readable throughout
    later = absent(date(2025, 3, 12), AbsenceReason.OTHER, recorded_by="sup-2")
    assert reopened.save_record(later, now=NOW).saved  # and writable, under the new key
    assert reopened.rotate_data_key(now=NOW, batch_size=60)
    assert _versions_in_use(db_path) == {2}
    reopened.lock()
    reopened.unlock(SUPERVISOR, PIN, now=NOW)
    after = _everything(reopened)
    after_versions = reopened.site_versions(*WINDOW, now=NOW)
    assert later in after_versions
    assert [r for r in after_versions if r != later] == before[0]
    assert after[1:4] == before[1:4]


def test_a_failing_batch_is_rolled_back_whole(store: Store, db_path: Path) -> None:
    records = _fill(store)
    victim = records[-5].id
    _raw(db_path, "DROP TRIGGER versions_reseal_only")
    _raw(
        db_path,
        "UPDATE versions SET payload = CAST(x'00' || substr(payload, 2) AS BLOB) WHERE id = ?",
        (victim,),
    )
    moved_before = len(_raw(db_path, "SELECT id FROM versions WHERE key_version = 2"))
    with pytest.raises(CannotOpen):
        store.rotate_data_key(now=NOW, batch_size=10_000)
    assert len(_raw(db_path, "SELECT id FROM versions WHERE key_version = 2")) == moved_before
    assert store.rotation_in_progress()
    assert _raw(db_path, "SELECT count(*) FROM versions WHERE key_version = 1")[0][0] == len(
        _raw(db_path, "SELECT id FROM versions")
    )


def test_a_supervisor_added_during_a_rotation_can_open_both_keys(store: Store) -> None:
    _fill(store)
    before = _everything(store)
    assert store.rotate_data_key(now=NOW, batch_size=50, max_batches=1) is False
    store.add_supervisor("sup-3", "Sanna", "975342", now=NOW)
    store.lock()
    store.unlock("sup-3", "975342", now=NOW)
    assert _everything(store) == before
    assert store.rotate_data_key(now=NOW)
    store.lock()
    store.unlock("sup-3", "975342", now=NOW)
    assert _everything(store) == before


def test_no_trace_of_the_old_key_slots_or_ciphertexts_remains_in_the_files(
    store: Store, db_path: Path
) -> None:
    _fill(store)
    old_slots = [e for (e,) in _raw(db_path, "SELECT envelope FROM key_slots")]
    old_payloads = [p for (p,) in _raw(db_path, "SELECT payload FROM versions LIMIT 50")]
    assert store.rotate_data_key(now=NOW)
    files = b"".join(
        Path(f"{db_path}{suffix}").read_bytes()
        for suffix in ("", "-wal")
        if Path(f"{db_path}{suffix}").exists()
    )
    assert not any(slot in files for slot in old_slots)
    assert not any(payload[13:60] in files for payload in old_payloads)


def _answers(wire: list[dict[str, Any]]) -> list[RecordAnswer]:
    """The server's answers as the sync client hands them over, from their wire form."""
    return [RecordAnswer.from_dict(a) for a in wire]
