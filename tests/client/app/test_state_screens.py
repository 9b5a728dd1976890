"""Participant, week/month, closing the month and the plain words they are shown in."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from client.app.state import (
    AppState,
    Device,
    MonthState,
    OverviewState,
    ParticipantState,
    Screen,
    Span,
    TodayState,
)
from client.app.texts.words import plan_lines, record_summary
from shared.findings import Severity
from shared.records import AbsenceReason, Status
from tests.client.app.conftest import FakeClock
from tests.client.app.harness import PIN

WEDNESDAY = date(2026, 3, 11)
LAST_MONDAY = WEDNESDAY - timedelta(days=9)


def five_days_last_week(device: Device) -> None:
    today = TodayState(device)
    for offset in range(5):
        today.load(LAST_MONDAY + timedelta(days=offset))
        assert today.mark_present("p-aino").saved
    today.load(WEDNESDAY)
    today.mark_absent("p-bertil", AbsenceReason.SICK)
    today.mark_present("p-aino", start=time(8), end=time(12))


def test_participant_plan_in_plain_words_and_counts(device: Device) -> None:
    five_days_last_week(device)
    state = ParticipantState(device)
    state.open("p-aino", WEDNESDAY)
    lines = plan_lines(state.version, state.rule_set, "fi")
    assert lines == [
        "Kuntouttava työtoiminta",
        "Jakso 10.1.2026–6.12.2026",
        "1–4 päivää viikossa",
        "4–8 h päivässä",
        "Sovitut päivät: ma, ti, ke, to, pe, la, su",
        "Korvaus: Kulukorvaus, maksaja Kela",
    ]
    assert plan_lines(state.version, state.rule_set, "sv")[2] == "1–4 dagar i veckan"
    assert (state.week.present, state.week.eligible, state.week.limit) == (1, 1, 4)
    assert (state.month_count.present, state.month_count.eligible) == (6, 5)
    friday = next(r for r in state.days if r.day == LAST_MONDAY + timedelta(days=4))
    assert not friday.eligible
    assert [f.code for f in friday.findings] == ["over_weekly_max"]
    assert state.days[0].day == WEDNESDAY  # newest first
    state.shift_month(-1)
    assert state.month == (2026, 2) and state.days == []
    assert any(f.code == "under_weekly_min" for f in state.week_findings)


def test_week_and_month_overview_with_warnings(device: Device) -> None:
    five_days_last_week(device)
    overview = OverviewState(device)
    overview.load(LAST_MONDAY)
    assert (overview.start, overview.end) == (LAST_MONDAY, LAST_MONDAY + timedelta(days=6))
    aino = next(r for r in overview.rows if r.participant_id == "p-aino")
    assert (aino.attended, aino.planned, aino.warnings) == (4, 4, 1)
    friday = aino.cells[LAST_MONDAY + timedelta(days=4)]
    assert (friday.status, friday.eligible, friday.worst) == (
        Status.PRESENT,
        False,
        Severity.NOT_ELIGIBLE,
    )
    overview.shift(1)
    bertil = next(r for r in overview.rows if r.participant_id == "p-bertil")
    assert bertil.cells[WEDNESDAY].status is Status.ABSENT
    overview.set_span(Span.MONTH)
    assert (overview.start, overview.end) == (date(2026, 3, 1), date(2026, 3, 31))
    aino = next(r for r in overview.rows if r.participant_id == "p-aino")
    assert aino.attended == 5 and len(aino.cells) == 31
    eero = next(r for r in overview.rows if r.participant_id == "p-eero")
    # Mon–Wed agreed, at most 3 a week: four full weeks, then Mon 30.3. and Tue 31.3.
    assert eero.planned == 4 * 3 + 2


def test_closing_the_month_summary_first_then_confirm(device: Device, clock: FakeClock) -> None:
    five_days_last_week(device)
    month = MonthState(device)
    month.load()
    assert month.month == (2026, 3) and not month.closed
    assert month.records == 7
    counts = month.by_severity()
    assert counts[Severity.NOT_ELIGIBLE] == 1
    assert any(u.participant_id == "p-cecilia" for u in month.unmarked)
    # issue 11: only once the month is over, and with its unmarked days acknowledged
    clock.now = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
    device.store.unlock("sup-1", PIN, now=clock())
    month.load()
    assert not month.close()  # the first tap only asks
    assert month.confirming and not month.closed
    month.cancel()
    assert not month.confirming
    month.ask_to_close()
    assert month.close(acknowledged=True)
    assert month.closed and (2026, 3) in device.store.closed_months()
    today = TodayState(device)
    today.load(WEDNESDAY)
    assert all(r.closed for r in today.rows)  # closed days show a lock


def test_app_navigation_opens_a_participant_and_goes_back(device: Device) -> None:
    app = AppState(device)
    app.start()
    app.go(Screen.OVERVIEW)
    app.go(Screen.PARTICIPANT, "p-cecilia")
    assert app.participant.participant is not None
    assert app.participant.participant.display_name == "Cecilia Mäkinen"
    app.back()
    assert app.screen is Screen.OVERVIEW
    app.go(Screen.MORE)
    assert app.site_name == "Kierrätyspaja (Kempele)"


def test_records_in_plain_words() -> None:
    from datetime import UTC, datetime

    from shared.records import DayRecord

    base = {
        "participant_id": "p",
        "day": WEDNESDAY,
        "recorded_by": "s",
        "device_id": "d",
        "recorded_at": datetime(2026, 3, 11, tzinfo=UTC),
    }
    present = DayRecord(status=Status.PRESENT, minutes=270, **base)  # type: ignore[arg-type]
    timed = DayRecord(status=Status.PRESENT, start=time(8), end=time(12, 30), **base)  # type: ignore[arg-type]
    sick = DayRecord(status=Status.ABSENT, reason=AbsenceReason.SICK, **base)  # type: ignore[arg-type]
    closed = DayRecord(status=Status.NOT_HELD, **base)  # type: ignore[arg-type]
    assert record_summary(present, "fi") == "Läsnä 4,5 h"
    assert record_summary(present, "en") == "Present 4.5 h"
    assert record_summary(timed, "sv") == "Närvarande 8.00–12.30"
    assert record_summary(sick, "fi") == "Poissa: Oma sairaus"
    assert record_summary(closed, "sv") == "Ingen verksamhet"
    assert record_summary(None, "en") == "Not recorded"


def test_moving_about_and_reading_again(device: Device, clock: FakeClock) -> None:
    app = AppState(device)
    app.start()
    app.today.shift(-3)
    assert app.today.day == WEDNESDAY - timedelta(days=3)
    app.today.go_today()
    assert app.today.day == WEDNESDAY
    app.month.load()
    app.month.shift(-1)
    assert app.month.month == (2026, 2)
    app.month.shift(11)
    assert app.month.month == (2027, 1)
    app.go(Screen.PARTICIPANT, "p-daniel")
    assert app.participant.days == []
    # another command (or a background sync) wrote a day: reload shows it on the screen
    other = TodayState(device)
    other.load()
    other.mark_absent("p-daniel", AbsenceReason.PUBLIC_OFFICE)
    app.reload()
    assert app.screen is Screen.PARTICIPANT
    assert [r.record.reason for r in app.participant.days if r.record] == [
        AbsenceReason.PUBLIC_OFFICE
    ]


def test_record_day_from_a_participant_opens_today_with_their_card(device: Device) -> None:
    app = AppState(device)
    app.start()
    app.today.load(WEDNESDAY + timedelta(days=1))  # a Thursday: not one of Eero's days
    assert "p-eero" not in {r.participant_id for r in app.today.rows}
    app.go(Screen.PARTICIPANT, "p-eero")
    app.record_day("p-eero")
    assert app.screen is Screen.TODAY
    assert "p-eero" in {r.participant_id for r in app.today.rows}
