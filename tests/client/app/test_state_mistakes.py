"""Issue 11, items 5–7 ("kind to mistakes") on a real store file: "all present" asks
first on another day or over a limit, what has not left the device is undone or
changed in one tap, and a month is closed only after its last day, with the unmarked
days acknowledged."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from client.app.state import Device, InputProblem, MonthState, NeedsCorrectionReason, TodayState
from client.app.state.all_present import NeedsConfirmation
from shared.protocol import AnswerStatus, RecordAnswer
from shared.records import AbsenceReason, Status, current_records
from tests.client.app.conftest import FakeClock
from tests.client.app.harness import PIN

WEDNESDAY = date(2026, 3, 11)
TUESDAY = WEDNESDAY - timedelta(days=1)


def at(device: Device, clock: FakeClock, when: datetime) -> None:
    """Move the clock further than the idle lock allows, and unlock again."""
    clock.now = when
    device.store.unlock("sup-1", PIN, now=when)


def loaded(device: Device, day: date | None = None) -> TodayState:
    today = TodayState(device)
    today.load(day)
    return today


# -- 5. "all present" asks first ------------------------------------------------------


def test_all_present_on_a_past_day_marks_nothing_until_confirmed(device: Device) -> None:
    today = loaded(device, TUESDAY)
    with pytest.raises(NeedsConfirmation) as asked:
        today.mark_all_present()
    preview = asked.value.preview
    assert preview.other_day and preview.needs_confirmation
    assert [m.participant_id for m in preview.marks] == [
        "p-aino",
        "p-bertil",
        "p-cecilia",
        "p-daniel",
        "p-eero",
    ]
    assert device.store.outbox_count() == 0  # nothing was marked
    assert "Kaikki paikalla" not in asked.value.text("fi")  # says what to do instead
    outcomes = today.mark_all_present(confirmed=True)
    assert len(outcomes) == 5 and all(o.saved for o in outcomes)
    assert today.unmarked_expected == []


def test_all_present_in_a_closed_month_asks_one_reason_before_marking_anyone(
    device: Device,
) -> None:
    """Found by the accessibility walk: the dialog listed the closed month for each mark
    but had no place for a reason, so the confirmation marked nobody."""
    last_of_february = date(2026, 2, 27)  # a Friday: everyone is expected
    device.store.close_month(2026, 2, now=device.now())
    today = loaded(device, last_of_february)
    with pytest.raises(NeedsConfirmation) as asked:
        today.mark_all_present()
    preview = asked.value.preview
    assert preview.closed
    assert preview.breaking == ()  # the closed month is said once, not under each person
    with pytest.raises(NeedsCorrectionReason) as refused:
        today.mark_all_present(confirmed=True)
    assert refused.value.key == "month.closed_reason_missing"
    assert device.store.outbox_count() == 0  # nobody was marked
    outcomes = today.mark_all_present(confirmed=True, correction_reason="Paperilista")
    assert outcomes and all(o.saved for o in outcomes)
    assert {r.record.correction_reason for r in today.rows if r.record} == {"Paperilista"}
    assert today.unmarked_expected == []
    assert not loaded(device, TUESDAY).rows[0].closed  # March stays open


def test_all_present_over_the_weekly_maximum_names_who_and_what(
    device: Device, clock: FakeClock
) -> None:
    at(device, clock, datetime(2026, 3, 14, 9, 0, tzinfo=UTC))  # Saturday of the week
    today = loaded(device)
    monday = WEDNESDAY - timedelta(days=2)
    for offset in range(4):  # Aino: at most 4 days a week
        today.load(monday + timedelta(days=offset))
        today.mark_present("p-aino")
    today.load(date(2026, 3, 14))
    preview = today.all_present_preview()
    assert not preview.other_day and preview.needs_confirmation
    (aino,) = preview.breaking
    assert aino.participant_id == "p-aino"
    assert [f.code for f in aino.breaks] == ["over_weekly_max"]
    waiting = device.store.outbox_count()
    with pytest.raises(NeedsConfirmation):
        today.mark_all_present()
    assert device.store.outbox_count() == waiting
    today.mark_all_present(confirmed=True)
    assert device.store.outbox_count() == waiting + len(preview.marks)


def test_all_present_today_within_the_limits_asks_nothing(device: Device) -> None:
    today = loaded(device)
    assert not today.all_present_preview().needs_confirmation
    assert len(today.mark_all_present()) == 5


# -- 6. undo and one-tap changes before sending -----------------------------------------


def test_an_unsent_mark_is_undone_in_one_tap_and_never_sent(device: Device) -> None:
    today = loaded(device)
    today.mark_present("p-aino")
    row = today.row("p-aino")
    assert row.unsent and not today.needs_reason("p-aino")
    today.undo("p-aino")
    assert today.row("p-aino").record is None
    assert device.store.outbox_count() == 0 and device.store.outbox_pending(10) == []


def test_an_unsent_mark_is_changed_without_a_reason(device: Device, clock: FakeClock) -> None:
    today = loaded(device)
    today.mark_present("p-bertil")
    first = today.row("p-bertil").record
    assert first is not None
    clock.advance(minutes=2)
    outcome = today.mark_absent("p-bertil", AbsenceReason.SICK)  # no reason asked
    assert outcome.saved
    second = today.row("p-bertil").record
    assert second is not None and second.status is Status.ABSENT
    assert (second.supersedes, second.correction_reason) == (None, None)
    assert device.store.outbox_pending(10) == [second]  # only what stands goes
    versions = device.store.versions("p-bertil", WEDNESDAY, WEDNESDAY, now=clock())
    assert current_records(versions)[("p-bertil", WEDNESDAY)] == second


def test_after_sending_a_correction_asks_for_a_reason(device: Device) -> None:
    today = loaded(device)
    today.mark_present("p-cecilia")
    record = today.row("p-cecilia").record
    assert record is not None
    device.store.outbox_answer([RecordAnswer(record.id, AnswerStatus.ACCEPTED)])
    today.load()
    assert not today.row("p-cecilia").unsent and today.needs_reason("p-cecilia")
    with pytest.raises(NeedsCorrectionReason):
        today.mark_absent("p-cecilia", AbsenceReason.SICK)
    with pytest.raises(NeedsCorrectionReason):
        today.undo("p-cecilia")
    assert today.row("p-cecilia").record == record
    assert today.mark_absent("p-cecilia", AbsenceReason.SICK, correction_reason="Väärä").saved


# -- 7. a month is closed after its last day, its unmarked days acknowledged -------------


def test_the_current_month_cannot_be_closed_before_it_ends(
    device: Device, clock: FakeClock
) -> None:
    month = MonthState(device)
    month.load()
    assert month.month == (2026, 3) and not month.over
    month.ask_to_close()
    with pytest.raises(InputProblem) as refused:
        month.close(acknowledged=True)
    assert "1.4.2026 alkaen" in refused.value.text("fi")
    assert "från och med 1.4.2026" in refused.value.text("sv")
    assert (2026, 3) not in device.store.closed_months()
    # 31.3. 23.30 in Helsinki: still March there
    at(device, clock, datetime(2026, 3, 31, 20, 30, tzinfo=UTC))
    month.load()
    assert not month.over
    at(device, clock, datetime(2026, 3, 31, 21, 30, tzinfo=UTC))  # 1.4. 0.30 in Helsinki
    month.load()
    assert month.over


def test_closing_with_unmarked_days_needs_their_acknowledgement(
    device: Device, clock: FakeClock
) -> None:
    at(device, clock, datetime(2026, 4, 2, 9, 0, tzinfo=UTC))
    month = MonthState(device)
    month.load((2026, 3))
    assert month.over and month.unmarked
    month.ask_to_close()
    with pytest.raises(InputProblem):
        month.close()  # a plain confirmation is not enough
    assert (2026, 3) not in device.store.closed_months()
    month.ask_to_close()
    assert month.close(acknowledged=True)
    assert (2026, 3) in device.store.closed_months()
