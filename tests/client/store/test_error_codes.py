"""Each refusal a person can meet has a stable code beside its English sentence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from client.store import (
    ErrorCode,
    RecordNotAllowed,
    RecordOutOfRange,
    Store,
    StoreError,
    StoreLocked,
    SupervisorError,
    TooEarly,
    WeakPin,
    WrongPin,
)

from .builders import NOW, PIN, SUPERVISOR, present
from .conftest import OpenStore


def _refused(action: Callable[[], object]) -> StoreError:
    with pytest.raises(StoreError) as caught:
        action()
    return caught.value


def test_supervisor_refusals(store: Store) -> None:
    weak = _refused(lambda: store.add_supervisor("sup-2", "Ville", "12", now=NOW))
    assert isinstance(weak, WeakPin)
    assert (weak.code, weak.params) == (
        ErrorCode.WEAK_PIN,
        {"min_length": 6, "fault": "format"},
    )
    assert "6 to 12 digits" in str(weak)
    for action, code in (
        (lambda: store.add_supervisor(SUPERVISOR, "Maija", "987613", now=NOW), "supervisor_exists"),
        (lambda: store.add_supervisor("sup-3", "  ", "987613", now=NOW), "name_missing"),
        (lambda: store.reset_supervisor(SUPERVISOR, "987613", now=NOW), "own_pin"),
        (lambda: store.remove_supervisor(SUPERVISOR, now=NOW), "remove_self"),
        (lambda: store.reset_supervisor("nobody", "987613", now=NOW), "supervisor_unknown"),
        (lambda: store.create_first_supervisor("x", "X", "987613", now=NOW), "already_set_up"),
    ):
        error = _refused(action)
        assert isinstance(error, SupervisorError)
        assert error.code == code, str(error)


def test_records_and_months(store: Store) -> None:
    other = present(date(2025, 3, 13), recorded_by="someone-else")
    error = _refused(lambda: store.save_record(other, now=NOW))
    assert isinstance(error, RecordNotAllowed) and error.code == "record_other_author"
    record = present(date(2025, 3, 13))
    assert store.save_record(record, now=NOW).saved
    again = _refused(lambda: store.save_record(record, now=NOW))
    assert again.code == ErrorCode.RECORD_ID_TAKEN
    month = _refused(lambda: store.close_month(2025, 13, now=NOW))
    assert (month.code, month.params) == (ErrorCode.MONTH_INVALID, {"month": 13})


def test_locks_and_pins(store: Store, open_store: OpenStore, db_path: Path) -> None:
    later = NOW + timedelta(hours=1)
    idle = _refused(lambda: store.participants(now=later))
    assert isinstance(idle, StoreLocked) and idle.code == ErrorCode.LOCKED_IDLE
    assert _refused(lambda: store.participants(now=later)).code == ErrorCode.LOCKED
    wrong = _refused(lambda: store.unlock(SUPERVISOR, "0000", now=later))
    assert isinstance(wrong, WrongPin)
    assert wrong.code == ErrorCode.WRONG_PIN
    assert wrong.params == {"remaining": wrong.remaining, "retry_after": None}
    for _ in range(3):
        error = _refused(lambda: store.unlock(SUPERVISOR, "0000", now=later))
    assert isinstance(error, WrongPin) and error.params["retry_after"] is not None
    early = _refused(lambda: store.unlock(SUPERVISOR, PIN, now=later))
    assert isinstance(early, TooEarly) and early.code == ErrorCode.TOO_EARLY
    assert early.params == {"retry_after": early.retry_after}
    elsewhere = _refused(lambda: open_store(path=db_path, secret=b"x" * 32))
    assert elsewhere.code == ErrorCode.NOT_THIS_DEVICE


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"day": date(1, 1, 1)}, "day"),
        ({"day": date(9999, 12, 31)}, "day"),
        ({"day": date(1999, 12, 31)}, "day"),
        ({"recorded_at": datetime.fromisoformat("0001-01-01T00:00+14:00")}, "recorded_at"),
        ({"recorded_at": datetime.fromisoformat("9999-12-31T23:59-12:00")}, "recorded_at"),
        ({"recorded_at": datetime.fromisoformat("2101-01-01T00:00+00:00")}, "recorded_at"),
    ],
)
def test_a_record_outside_the_protocols_dates_is_refused_with_a_code(
    store: Store, changes: dict[str, object], field: str
) -> None:
    record = replace(present(date(2025, 3, 13)), **changes)  # type: ignore[arg-type]
    error = _refused(lambda: store.save_record(record, now=NOW))
    assert isinstance(error, RecordOutOfRange)
    assert error.code == ErrorCode.DATE_OUT_OF_RANGE
    assert error.params == {"field": field, "earliest": "2000-01-01", "latest": "2100-12-31"}
    assert field in str(error) and "2000-01-01" in str(error)
    assert store.versions("p-1", date(2000, 1, 1), date(2100, 12, 31), now=NOW) == []


def test_a_month_outside_the_protocols_years_is_refused_with_a_code(store: Store) -> None:
    for year in (1, 1999, 2101, 9999):
        error = _refused(lambda year=year: store.close_month(year, 1, now=NOW))  # type: ignore[misc]
        assert error.code == ErrorCode.DATE_OUT_OF_RANGE
        assert error.params["field"] == "year"
