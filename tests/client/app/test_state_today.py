"""Today's commands on a real store file: one tap, the whole group, corrections."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from client.app.state import Device, InputProblem, NeedsCorrectionReason, TodayState
from client.app.state.times import parse_times
from shared.findings import Severity
from shared.protocol import AnswerStatus, RecordAnswer
from shared.records import AbsenceReason, Status, current_records
from tests.client.app.conftest import FakeClock

WEDNESDAY = date(2026, 3, 11)


def loaded(device: Device) -> TodayState:
    today = TodayState(device)
    today.load()
    return today


def test_expected_follow_the_agreed_weekdays(device: Device) -> None:
    today = loaded(device)
    assert today.day == WEDNESDAY
    assert [r.participant_id for r in today.rows] == [
        "p-aino",
        "p-bertil",
        "p-cecilia",
        "p-daniel",
        "p-eero",
    ]
    today.shift(1)  # Thursday: Eero's plan names Monday to Wednesday only
    assert "p-eero" not in [r.participant_id for r in today.rows]
    assert ("p-eero", "Eero Nieminen") in today.others
    today.show_participant("p-eero")  # anyone else on request
    row = today.row("p-eero")
    assert not row.expected
    assert today.others == []


def test_one_tap_marks_present_with_the_plans_usual_hours(device: Device) -> None:
    today = loaded(device)
    outcome = today.mark_present("p-bertil")
    assert outcome.saved
    row = today.row("p-bertil")
    assert row.record is not None
    assert (row.record.status, row.record.minutes) == (Status.PRESENT, 2 * 60)
    assert row.result is not None and row.result.eligible
    assert (row.week_count, row.week_max) == (1, 5)
    assert device.store.outbox_count() == 1


def test_start_and_end_times_and_absence_and_not_held(device: Device) -> None:
    today = loaded(device)
    today.mark_present("p-aino", start=time(8, 0), end=time(13, 30))
    today.mark_absent("p-bertil", AbsenceReason.SICK)
    today.mark_not_held("p-cecilia")
    aino, bertil, cecilia = (today.row(p).record for p in ("p-aino", "p-bertil", "p-cecilia"))
    assert aino is not None and (aino.start, aino.end, aino.present_minutes) == (
        time(8, 0),
        time(13, 30),
        330,
    )
    assert bertil is not None and (bertil.status, bertil.reason) == (
        Status.ABSENT,
        AbsenceReason.SICK,
    )
    assert cecilia is not None and cecilia.status is Status.NOT_HELD
    assert device.store.outbox_count() == 3


def test_whole_group_present_in_one_command(device: Device) -> None:
    today = loaded(device)
    today.mark_absent("p-daniel", AbsenceReason.CHILD_SICK)
    outcomes = today.mark_all_present()
    assert sorted(o.participant_id for o in outcomes) == [
        "p-aino",
        "p-bertil",
        "p-cecilia",
        "p-eero",
    ]
    assert all(o.saved for o in outcomes)
    assert today.unmarked_expected == []
    daniel = today.row("p-daniel").record
    assert daniel is not None and daniel.status is Status.ABSENT  # not overwritten


def test_a_correction_asks_for_a_reason_and_supersedes(device: Device, clock: FakeClock) -> None:
    today = loaded(device)
    today.mark_present("p-aino")
    first = today.row("p-aino").record
    assert first is not None
    # issue 11: a record that has left the device asks for a reason (before, none)
    device.store.outbox_answer([RecordAnswer(first.id, AnswerStatus.ACCEPTED)])
    today.load()
    assert today.needs_reason("p-aino")
    with pytest.raises(NeedsCorrectionReason):
        today.mark_absent("p-aino", AbsenceReason.SICK)
    assert today.row("p-aino").record == first  # nothing written
    clock.advance(minutes=5)
    outcome = today.mark_absent("p-aino", AbsenceReason.SICK, correction_reason="Väärä henkilö")
    assert outcome.saved
    second = today.row("p-aino").record
    assert second is not None
    assert (second.supersedes, second.correction_reason, second.status) == (
        first.id,
        "Väärä henkilö",
        Status.ABSENT,
    )
    versions = device.store.versions("p-aino", WEDNESDAY, WEDNESDAY, now=clock())
    assert len(versions) == 2 and current_records(versions)[("p-aino", WEDNESDAY)] == second


def test_the_same_mark_twice_changes_nothing(device: Device) -> None:
    today = loaded(device)
    today.mark_present("p-cecilia")
    again = today.mark_present("p-cecilia")  # no reason asked: nothing would change
    assert again.saved and device.store.outbox_count() == 1


def test_fifth_day_of_a_four_day_week_is_not_eligible(device: Device, clock: FakeClock) -> None:
    today = loaded(device)
    monday = WEDNESDAY - timedelta(days=9)  # Monday of the previous week
    for offset in range(4):
        today.load(monday + timedelta(days=offset))
        assert today.mark_present("p-aino").saved
    today.load(monday + timedelta(days=4))  # Friday
    outcome = today.mark_present("p-aino")
    assert outcome.saved  # saved, but earns nothing
    row = today.row("p-aino")
    assert row.result is not None and not row.result.eligible
    codes = {(f.code, f.severity) for f in row.findings}
    assert ("over_weekly_max", Severity.NOT_ELIGIBLE) in codes
    assert (row.week_count, row.week_max) == (4, 4)
    message = next(f for f in row.findings if f.code == "over_weekly_max")
    assert "ei oikeuta korvaukseen" in message.message("fi")
    assert "ger ingen ersättning" in message.message("sv")


def test_a_future_day_is_refused_with_the_finding(device: Device) -> None:
    today = loaded(device)
    today.shift(1)
    assert today.future
    outcome = today.mark_present("p-aino")
    assert not outcome.saved
    assert [f.code for f in outcome.errors] == ["future_date"]
    assert device.store.outbox_count() == 0


def test_a_closed_month_needs_a_reason_even_for_a_new_record(
    device: Device, clock: FakeClock
) -> None:
    device.store.close_month(2026, 3, now=clock())
    today = loaded(device)
    assert today.row("p-aino").closed and today.needs_reason("p-aino")
    with pytest.raises(NeedsCorrectionReason):
        today.mark_present("p-aino")
    outcome = today.mark_present("p-aino", correction_reason="Unohtui merkitä")
    assert outcome.saved
    assert "closed_month_change" in {f.code for f in outcome.findings}


def test_times_as_typed() -> None:
    assert parse_times("8.00", "14.30", "") == (time(8, 0), time(14, 30), None)
    assert parse_times("8:15", "12", "") == (time(8, 15), time(12, 0), None)
    assert parse_times("", "", "4,5") == (None, None, 270)
    for bad in (("", "", ""), ("8.00", "", ""), ("x", "12", ""), ("", "", "25"), ("", "", "z")):
        with pytest.raises(InputProblem):
            parse_times(*bad)
