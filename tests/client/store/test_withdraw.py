"""Issue 11, item 6: a version that has not left the device is undone or changed in one
step; the server never sees it, and a late answer or a pull that shows the server had
it after all puts it back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from client.store import RecordNotAllowed, Store
from shared import AbsenceReason, current_records
from shared.protocol import AnswerStatus, RecordAnswer

from .builders import NOW, absent, present

MARCH = (date(2025, 3, 1), date(2025, 3, 31))
MONDAY = date(2025, 3, 10)


def _current(store: Store) -> dict[tuple[str, date], str]:
    return {k: v.id for k, v in current_records(store.site_versions(*MARCH, now=NOW)).items()}


def test_an_unsent_version_is_undone_and_never_sent(store: Store) -> None:
    first = present(MONDAY)
    assert store.save_record(first, now=NOW).saved
    assert store.unsent_ids([first.id]) == {first.id}
    assert store.withdraw_unsent(first.id, None, now=NOW).saved
    assert _current(store) == {}
    assert store.outbox_count() == 0 and store.outbox_pending(10) == []
    assert store.sealed_pending(10) == []
    assert store.versions("p-1", *MARCH, now=NOW) == []  # not part of the record
    # the day is free again: a new first version is no duplicate
    again = absent(MONDAY, AbsenceReason.SICK)
    assert store.save_record(again, now=NOW).saved
    assert store.outbox_pending(10) == [again]
    changes = [e.detail for e in store.audit_entries("p-1") if e.action == "change"]
    assert changes == [first.id, first.id, again.id]


def test_an_unsent_version_is_changed_in_one_step(store: Store) -> None:
    first = present(MONDAY)
    store.save_record(first, now=NOW)
    instead = absent(MONDAY, AbsenceReason.SICK)  # a first version again: no reason
    result = store.withdraw_unsent(first.id, instead, now=NOW)
    assert result.saved and "duplicate_day" not in {f.code for f in result.findings}
    assert _current(store) == {("p-1", MONDAY): instead.id}
    assert store.outbox_pending(10) == [instead]


def test_a_changed_correction_keeps_superseding_what_was_sent(store: Store) -> None:
    first = present(MONDAY)
    store.save_record(first, now=NOW)
    store.outbox_answer([RecordAnswer(first.id, AnswerStatus.ACCEPTED)])
    assert store.unsent_ids([first.id]) == set()
    fix = first.correct(
        correction_reason="väärä päivä",
        recorded_by="sup-1",
        device_id="dev-1",
        recorded_at=NOW,
        minutes=300,
        start=None,
        end=None,
    )
    store.save_record(fix, now=NOW)
    second = replace(fix, id="00000000-0000-4000-8000-000000000002", minutes=330)
    assert store.withdraw_unsent(fix.id, second, now=NOW).saved
    assert _current(store) == {("p-1", MONDAY): second.id}
    assert store.outbox_pending(10) == [second]
    # undo of the change: the sent version is the record again, nothing waits
    assert store.withdraw_unsent(second.id, None, now=NOW).saved
    assert _current(store) == {("p-1", MONDAY): first.id}
    assert store.outbox_count() == 0


def test_a_sent_version_is_not_withdrawn(store: Store) -> None:
    first = present(MONDAY)
    store.save_record(first, now=NOW)
    store.outbox_answer([RecordAnswer(first.id, AnswerStatus.ACCEPTED)])
    with pytest.raises(RecordNotAllowed):
        store.withdraw_unsent(first.id, None, now=NOW)
    assert _current(store) == {("p-1", MONDAY): first.id}


def test_a_change_with_an_error_withdraws_nothing(store: Store) -> None:
    first = present(MONDAY)
    store.save_record(first, now=NOW)
    wrong = present(MONDAY, start="14:00", end="08:00")
    assert not store.withdraw_unsent(first.id, wrong, now=NOW).saved
    assert _current(store) == {("p-1", MONDAY): first.id}
    assert store.outbox_pending(10) == [first]


def test_a_late_answer_or_a_pull_brings_a_withdrawn_version_back(store: Store) -> None:
    # a push carried it while the supervisor undid it: the server has it after all
    first = present(MONDAY)
    store.save_record(first, now=NOW)
    store.withdraw_unsent(first.id, None, now=NOW)
    store.outbox_answer([RecordAnswer(first.id, AnswerStatus.ACCEPTED)])
    assert _current(store) == {("p-1", MONDAY): first.id}
    assert store.outbox_count() == 0
    # the same through a pull
    other = present(MONDAY - timedelta(days=1))
    store.save_record(other, now=NOW)
    store.withdraw_unsent(other.id, None, now=NOW)
    store.apply_remote_records([other])
    assert _current(store)[("p-1", other.day)] == other.id
