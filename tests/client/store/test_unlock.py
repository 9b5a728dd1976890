"""PINs, supervisors, throttling, lockout, the idle lock and PIN changes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from client.store import (
    KdfParams,
    PinLockedOut,
    Store,
    StoreClosed,
    StoreLocked,
    SupervisorError,
    TooEarly,
    WeakPin,
    WrongPin,
)
from shared.protocol import Reference, SiteInfo

from .builders import NOW, PIN, SUPERVISOR, present
from .conftest import OpenStore

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def _raw_one(db_path: Path, sql: str, params: tuple[object, ...] = ()) -> Any:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchone()
    finally:
        conn.close()


def test_a_new_store_is_locked_and_uninitialised(open_store: OpenStore) -> None:
    store = open_store()
    assert not store.is_initialised()
    assert not store.is_unlocked(now=NOW)
    assert store.current_supervisor is None
    assert store.supervisors() == []


def test_the_first_supervisor_is_signed_in_and_listed(store: Store) -> None:
    assert store.is_initialised()
    assert store.current_supervisor == SUPERVISOR
    assert store.is_unlocked(now=NOW)
    [info] = store.supervisors()
    assert (info.id, info.display_name, info.locked_out, info.retry_after) == (
        SUPERVISOR,
        "Maija Ohjaaja",
        False,
        None,
    )


def test_only_one_first_supervisor(store: Store) -> None:
    with pytest.raises(SupervisorError, match="already has supervisors"):
        store.create_first_supervisor("sup-9", "Toinen", "938271", now=NOW)


@pytest.mark.parametrize("pin", ["", "123", " 1234", "1234 "])
def test_short_or_padded_pins_are_refused(open_store: OpenStore, pin: str) -> None:
    with pytest.raises(WeakPin, match="6 to 12 digits"):
        open_store().create_first_supervisor(SUPERVISOR, "Maija", pin, now=NOW)


def test_the_right_pin_unlocks_after_a_lock(store: Store) -> None:
    store.save_record(present(date(2025, 3, 10)), now=NOW)
    store.lock()
    assert not store.is_unlocked(now=NOW)
    store.unlock(SUPERVISOR, PIN, now=NOW)
    assert store.current_supervisor == SUPERVISOR
    assert len(store.versions("p-1", *MARCH, now=NOW)) == 1


def test_a_wrong_pin_says_so_and_counts_down(store: Store) -> None:
    store.lock()
    with pytest.raises(WrongPin) as caught:
        store.unlock(SUPERVISOR, "0000", now=NOW)
    assert caught.value.remaining == 7
    assert caught.value.retry_after is None
    assert "PIN is wrong" in str(caught.value)
    assert not store.is_unlocked(now=NOW)


def test_wrong_pins_bring_growing_waits_then_a_lockout(open_store: OpenStore) -> None:
    store = open_store(max_pin_attempts=6)
    store.create_first_supervisor(SUPERVISOR, "Maija", PIN, now=NOW)
    store.lock()
    t = NOW
    waits: list[timedelta | None] = []
    for expected_remaining in (5, 4, 3, 2, 1):
        with pytest.raises(WrongPin) as caught:
            store.unlock(SUPERVISOR, "0000", now=t)
        assert caught.value.remaining == expected_remaining
        retry = caught.value.retry_after
        waits.append(retry - t if retry else None)
        if retry is not None:
            # too early: refused without even checking the PIN, and not counted
            with pytest.raises(TooEarly) as early:
                store.unlock(SUPERVISOR, PIN, now=retry - timedelta(seconds=1))
            assert early.value.retry_after == retry
            [info] = store.supervisors()
            assert info.retry_after == retry
            t = retry
    assert waits == [
        None,
        None,
        None,
        timedelta(seconds=30),
        timedelta(seconds=60),
    ]
    with pytest.raises(PinLockedOut):
        store.unlock(SUPERVISOR, "0000", now=t + timedelta(hours=1))
    with pytest.raises(PinLockedOut):  # even the right PIN, even much later
        store.unlock(SUPERVISOR, PIN, now=t + timedelta(days=30))
    assert store.supervisors()[0].locked_out


def test_the_right_pin_clears_the_count(store: Store) -> None:
    store.lock()
    for _ in range(3):
        with pytest.raises(WrongPin):
            store.unlock(SUPERVISOR, "0000", now=NOW)
    store.unlock(SUPERVISOR, PIN, now=NOW)
    store.lock()
    with pytest.raises(WrongPin) as caught:
        store.unlock(SUPERVISOR, "0000", now=NOW)
    assert caught.value.remaining == 7


def test_the_count_survives_reopening_the_store(store: Store, open_store: OpenStore) -> None:
    store.lock()
    for _ in range(2):
        with pytest.raises(WrongPin):
            store.unlock(SUPERVISOR, "0000", now=NOW)
    store.close()
    with pytest.raises(WrongPin) as caught:
        open_store().unlock(SUPERVISOR, "0000", now=NOW)
    assert caught.value.remaining == 5


def test_several_supervisors_each_with_their_own_pin(store: Store) -> None:
    record = present(date(2025, 3, 10))
    store.save_record(record, now=NOW)
    store.add_supervisor("sup-2", "Ville Valmentaja", "864297", now=NOW)
    store.lock()
    with pytest.raises(WrongPin):
        store.unlock("sup-2", PIN, now=NOW)
    store.unlock("sup-2", "864297", now=NOW)
    assert store.current_supervisor == "sup-2"
    assert store.versions("p-1", *MARCH, now=NOW) == [record]
    assert [s.id for s in store.supervisors()] == [SUPERVISOR, "sup-2"]


def test_adding_a_supervisor_needs_an_unlocked_session(store: Store) -> None:
    store.lock()
    with pytest.raises(StoreLocked):
        store.add_supervisor("sup-2", "Ville", "864297", now=NOW)
    store.unlock(SUPERVISOR, PIN, now=NOW)
    store.add_supervisor("sup-2", "Ville", "864297", now=NOW)
    with pytest.raises(SupervisorError, match="already exists"):
        store.add_supervisor("sup-2", "Ville", "864297", now=NOW)


def test_an_unknown_supervisor_cannot_unlock(store: Store) -> None:
    with pytest.raises(SupervisorError, match="no supervisor"):
        store.unlock("nobody", PIN, now=NOW)


def test_a_locked_out_supervisor_is_reset_by_another(open_store: OpenStore) -> None:
    store = open_store(max_pin_attempts=2)
    store.create_first_supervisor(SUPERVISOR, "Maija", PIN, now=NOW)
    store.add_supervisor("sup-2", "Ville", "864297", now=NOW)
    store.lock()
    with pytest.raises(WrongPin):
        store.unlock("sup-2", "0000", now=NOW)
    with pytest.raises(PinLockedOut):
        store.unlock("sup-2", "0001", now=NOW)
    store.unlock(SUPERVISOR, PIN, now=NOW)
    with pytest.raises(SupervisorError, match="your own PIN"):
        store.reset_supervisor(SUPERVISOR, "582914", now=NOW)
    store.reset_supervisor("sup-2", "135792", now=NOW)
    info = {s.id: s for s in store.supervisors()}["sup-2"]
    assert not info.locked_out and info.retry_after is None
    store.lock()
    with pytest.raises(WrongPin):
        store.unlock("sup-2", "864297", now=NOW)
    store.unlock("sup-2", "135792", now=NOW)
    assert store.current_supervisor == "sup-2"


def test_a_removed_supervisor_can_no_longer_unlock(store: Store) -> None:
    store.add_supervisor("sup-2", "Ville", "864297", now=NOW)
    store.remove_supervisor("sup-2", now=NOW)
    store.lock()
    with pytest.raises(SupervisorError):
        store.unlock("sup-2", "864297", now=NOW)


def test_the_store_locks_itself_when_idle(store: Store) -> None:
    assert store.is_unlocked(now=NOW + timedelta(minutes=4))
    store.touch(now=NOW + timedelta(minutes=4))
    assert store.is_unlocked(now=NOW + timedelta(minutes=9))  # 5 minutes after the touch
    assert not store.is_unlocked(now=NOW + timedelta(minutes=9, seconds=1))
    assert store.current_supervisor is None  # the keys are forgotten, not just hidden
    with pytest.raises(StoreLocked):
        store.versions("p-1", *MARCH, now=NOW + timedelta(minutes=9))


def test_using_the_store_counts_as_activity_and_idleness_is_configurable(
    open_store: OpenStore,
) -> None:
    store = open_store(idle_timeout=timedelta(minutes=1))
    store.create_first_supervisor(SUPERVISOR, "Maija", PIN, now=NOW)
    store.put_secret("x", b"1")
    t = NOW
    for _ in range(5):
        t += timedelta(seconds=50)
        store.versions("p-1", *MARCH, now=t)
    with pytest.raises(StoreLocked, match="locked itself"):
        store.versions("p-1", *MARCH, now=t + timedelta(seconds=61))
    with pytest.raises(StoreLocked):
        store.get_secret("x")


def _calls_needing_a_key() -> list[tuple[str, Callable[[Store], object]]]:
    day = date(2025, 3, 10)
    return [
        ("participants", lambda s: s.participants(now=NOW)),
        ("plan", lambda s: s.plan("p-1")),
        ("save_record", lambda s: s.save_record(present(day), now=NOW)),
        ("versions", lambda s: s.versions("p-1", day, day, now=NOW)),
        ("site_versions", lambda s: s.site_versions(day, day, now=NOW)),
        ("apply_remote_records", lambda s: s.apply_remote_records([present(day)])),
        ("outbox_pending", lambda s: s.outbox_pending(10)),
        ("outbox_answer", lambda s: s.outbox_answer([])),
        ("attention", lambda s: s.attention()),
        ("resolve_attention", lambda s: s.resolve_attention("x")),
        ("put_secret", lambda s: s.put_secret("x", b"1")),
        ("get_secret", lambda s: s.get_secret("x")),
        ("close_month", lambda s: s.close_month(2025, 2, now=NOW)),
        ("audit_entries", lambda s: s.audit_entries()),
        ("change_pin", lambda s: s.change_pin(PIN, "222813", now=NOW)),
        ("rotate_data_key", lambda s: s.rotate_data_key(now=NOW)),
        (
            "replace_reference_data",
            lambda s: s.replace_reference_data(SiteInfo("s", "n"), Reference((), (), ())),
        ),
    ]


@pytest.mark.parametrize(
    "name,call", _calls_needing_a_key(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_everything_sealed_needs_an_unlocked_store(
    store: Store, name: str, call: Callable[[Store], object]
) -> None:
    store.lock()
    with pytest.raises(StoreLocked):
        call(store)


def test_clear_bookkeeping_works_while_locked(store: Store) -> None:
    store.save_record(present(date(2025, 3, 10)), now=NOW)
    store.set_meta("sync.cursor", "41")
    store.lock()
    assert store.outbox_count() == 1
    assert store.get_meta("sync.cursor") == "41"
    store.set_meta("sync.cursor", "42")
    assert store.get_meta("sync.cursor") == "42"
    assert store.site() == ("site-1", "Kierrätyskeskus Mikkeli")
    assert "kuntouttava" in store.rule_sets()
    assert store.closed_months() == set()


def test_a_pin_change_rewraps_without_touching_the_data(store: Store, db_path: Path) -> None:
    record = present(date(2025, 3, 10))
    store.save_record(record, now=NOW)
    sealed_before = _raw_one(db_path, "SELECT payload FROM versions")
    slot_before = _raw_one(db_path, "SELECT wrapped_private, kdf_salt FROM supervisors")
    store.change_pin(PIN, "246897", now=NOW)
    assert _raw_one(db_path, "SELECT payload FROM versions") == sealed_before
    slot_after = _raw_one(db_path, "SELECT wrapped_private, kdf_salt FROM supervisors")
    assert slot_after[0] != slot_before[0] and slot_after[1] != slot_before[1]
    store.lock()
    with pytest.raises(WrongPin):
        store.unlock(SUPERVISOR, PIN, now=NOW)
    store.unlock(SUPERVISOR, "246897", now=NOW)
    assert store.versions("p-1", *MARCH, now=NOW) == [record]


def test_a_pin_change_with_a_wrong_old_pin_is_refused_and_counted(open_store: OpenStore) -> None:
    store = open_store(max_pin_attempts=2)
    store.create_first_supervisor(SUPERVISOR, "Maija", PIN, now=NOW)
    with pytest.raises(WrongPin):
        store.change_pin("0000", "246897", now=NOW)
    assert store.is_unlocked(now=NOW)
    with pytest.raises(PinLockedOut):
        store.change_pin("0001", "246897", now=NOW)
    assert not store.is_unlocked(now=NOW)  # the lockout also locks the store


def test_a_raised_scrypt_cost_rewraps_the_slot_at_unlock(
    store: Store, open_store: OpenStore, db_path: Path
) -> None:
    store.close()
    heavier = KdfParams(n=2**9, r=2, p=1)
    reopened = open_store(kdf_params=heavier)
    reopened.unlock(SUPERVISOR, PIN, now=NOW)
    assert _raw_one(db_path, "SELECT kdf_n, kdf_r, kdf_p FROM supervisors") == (2**9, 2, 1)
    reopened.lock()
    reopened.unlock(SUPERVISOR, PIN, now=NOW)
    assert reopened.current_supervisor == SUPERVISOR


def test_a_closed_store_says_so(store: Store) -> None:
    store.close()
    with pytest.raises(StoreClosed):
        store.outbox_count()
