"""The push reads only part of a participant's history from SQLite; it must be the part
validation itself keeps of the whole history, so findings cannot differ."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared import DayRecord, builtin_rule_sets
from shared.protocol import PushRequest
from shared.validation import _evaluation_window, check_new_versions
from sync_server.push import push
from sync_server.storage import Device, ParticipantRow, SiteRow, SqliteStorage
from tests.support.factory import Records
from tests.support.sites import plan_for

NOW = datetime(2026, 5, 29, 12, tzinfo=UTC)
TODAY = date(2026, 5, 29)
FIRST = date(2026, 4, 6)  # a Monday, 7.5 weeks before TODAY
RS = builtin_rule_sets()
_people = itertools.count(1)

KINDS = ["present", "sick", "sick", "sick", "child_sick", "other", "not_held"]


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStorage]:
    store = SqliteStorage(tmp_path_factory.mktemp("window") / "server.db")
    store.import_sites([SiteRow("w", "Window site")], now=NOW)
    yield store
    store.close()


RECORDS = Records(recorded_by="s", device_id="d", hours=5)


def _version(pid: str, day: date, kind: str, at: datetime, n: int) -> DayRecord:
    same = {"participant": pid, "recorded_at": at, "id": f"00000000-0000-4000-8000-{n:012d}"}
    if kind == "present":
        return RECORDS.present(day, **same)
    if kind == "not_held":
        return RECORDS.not_held(day, **same)
    return RECORDS.absent(day, kind, **same)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[tuple[int, str, int]], list[int]]:
    """Stored (day offset, kind, minutes before NOW) and the days of a new batch."""
    stored = draw(
        st.lists(
            st.tuples(st.integers(0, 41), st.sampled_from(KINDS), st.integers(0, 3)),
            min_size=5,
            max_size=60,
        )
    )
    batch = draw(st.lists(st.integers(14, 41), min_size=1, max_size=4))
    return stored, batch


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=histories())
def test_the_stored_window_is_the_one_validation_keeps(
    storage: SqliteStorage, case: tuple[list[tuple[int, str, int]], list[int]]
) -> None:
    stored_spec, batch_days = case
    n = next(_people)
    pid = f"w-{n}"
    storage.import_participants([ParticipantRow(pid, "w", pid, pid)], now=NOW)
    plan = plan_for(pid, "w", TODAY)
    storage.import_plans([plan], now=NOW)
    device = Device("d", "w", "tablet", NOW)
    counter = itertools.count(n * 1000)
    heads: dict[date, DayRecord] = {}
    for offset, kind, minutes in stored_spec:
        day = FIRST + timedelta(days=offset)
        at = NOW - timedelta(minutes=minutes)
        version = _version(pid, day, kind, at, next(counter))
        previous = heads.get(day)
        if previous is not None:  # a correction of the day's current version
            version = replace(version, supersedes=previous.id, correction_reason="korjaus")
        answer = push(storage, device, PushRequest((version,)), now=NOW).answers[0]
        assert answer.status.value == "accepted", answer
        heads[day] = version
    history = storage.versions_for(pid, date.min, date.max)
    days = [FIRST + timedelta(days=d) for d in batch_days]

    window = storage.versions_around({pid: days})[pid]

    expected = _evaluation_window(history, min(days), max(days))
    assert sorted(v.id for v in window) == sorted(v.id for v in expected)
    new = [_version(pid, d, "sick", NOW, next(counter)) for d in sorted(set(days))]
    assert check_new_versions(plan, window, new, RS, today=TODAY) == check_new_versions(
        plan, history, new, RS, today=TODAY
    )


def test_a_long_sickness_run_is_followed_back_across_weekends(tmp_path: Path) -> None:
    """Five weeks of sickness, Monday to Friday: the window reaches all of it."""
    store = SqliteStorage(tmp_path / "server.db")
    store.import_sites([SiteRow("w", "Window site")], now=NOW)
    store.import_participants([ParticipantRow("w-1", "w", "w", "w")], now=NOW)
    store.import_plans([plan_for("w-1", "w", TODAY)], now=NOW)
    device = Device("d", "w", "tablet", NOW)
    sick = [
        _version("w-1", FIRST + timedelta(days=7 * week + d), "sick", NOW, 10 * week + d)
        for week in range(6)
        for d in range(5)
    ]
    push(store, device, PushRequest(tuple(sick)), now=NOW)
    monday = FIRST + timedelta(days=42)

    window = store.versions_around({"w-1": [monday]})["w-1"]

    # Back to the 35-day limit before the Monday: five weeks, weekends bridged.
    assert min(v.day for v in window) == monday - timedelta(days=35)
    assert len(window) == len([v for v in sick if v.day >= monday - timedelta(days=35)])
    store.close()
