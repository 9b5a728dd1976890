"""Issue 11, items 9 and 10 and the search, without a browser: the month a week at a
time, present and eligible days apart, finding a participant by name."""

from __future__ import annotations

from datetime import date, timedelta

from client.app.state import AppState, Device, OverviewState, Span, TodayState
from client.app.state.search import SearchState, name_matches
from client.app.texts.i18n import t
from tests.client.app.conftest import FakeClock
from tests.client.app.test_state_screens import LAST_MONDAY, WEDNESDAY, five_days_last_week

LAST_FRIDAY = LAST_MONDAY + timedelta(days=4)


def test_the_week_count_says_present_and_eligible_days_apart(device: Device) -> None:
    """Aino came five days on a four-day plan: five present, four earning the allowance
    (the count said "4/4", as if she had come four times)."""
    five_days_last_week(device)
    today = TodayState(device)
    today.load(LAST_FRIDAY)
    aino = today.row("p-aino")
    assert (aino.week_present, aino.week_count, aino.week_max) == (5, 4, 4)
    said = t("today.week_count", "fi", present=aino.week_present, count=aino.week_count, max=4)
    assert said == "Läsnä 5 pv, korvattavia 4/4 pv tällä viikolla"
    overview = OverviewState(device)
    overview.load(LAST_MONDAY)
    row = next(r for r in overview.rows if r.participant_id == "p-aino")
    assert (row.present, row.attended, row.planned) == (5, 4, 4)
    overview.set_span(Span.MONTH)
    row = next(r for r in overview.rows if r.participant_id == "p-aino")
    assert (row.present, row.attended) == (6, 5)  # and Wednesday's, 8–12
    bertil = next(r for r in overview.rows if r.participant_id == "p-bertil")
    assert (bertil.present, bertil.attended) == (0, 0)  # off sick is not present


def test_a_phone_pages_the_month_a_week_at_a_time(device: Device) -> None:
    overview = OverviewState(device)
    overview.set_span(Span.MONTH)
    # March 2026 opens on the week of today (Wednesday 11.3.)
    assert (overview.start, overview.end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert overview.page_days == [date(2026, 3, 9) + timedelta(days=i) for i in range(7)]
    overview.shift_page(-1)
    overview.shift_page(-1)
    # the month's first week: Sunday 1.3. under Sunday, the February days left empty
    assert overview.page_days == [None] * 6 + [date(2026, 3, 1)]
    assert overview.start == date(2026, 3, 1)
    overview.shift_page(-1)
    # on into February, at the week that holds its last day
    assert (overview.start, overview.end) == (date(2026, 2, 1), date(2026, 2, 28))
    assert overview.page_days == [date(2026, 2, 23) + timedelta(days=i) for i in range(6)] + [None]
    assert len(overview.rows[0].cells) == 28
    overview.shift_page(1)
    assert overview.start == date(2026, 3, 1)
    assert overview.page_days[-1] == date(2026, 3, 1)
    # the last week of March holds 30.3. and 31.3.; a week on is April's first
    for _ in range(5):
        overview.shift_page(1)
    assert overview.page_days == [date(2026, 3, 30), date(2026, 3, 31)] + [None] * 5
    overview.shift_page(1)
    assert overview.start == date(2026, 4, 1)
    assert overview.page_days == [None, None] + [date(2026, 4, i) for i in range(1, 6)]
    # a month chosen with the arrows opens on its first week
    overview.shift(1)
    assert overview.page_days[-1] == date(2026, 5, 3) and overview.page_days[4] == date(2026, 5, 1)


def test_search_finds_a_name_in_any_case_and_without_accents() -> None:
    assert name_matches("Cecilia Mäkinen", "mak")
    assert name_matches("Cecilia Mäkinen", "MÄKI")
    assert name_matches("Cecilia Mäkinen", "  cec  mäk ")
    assert name_matches("Cecilia Mäkinen", "")
    assert not name_matches("Cecilia Mäkinen", "cec virt")
    assert not name_matches("Aino Virtanen", "eero")
    search = SearchState()
    names = ["Aino Virtanen", "Bertil Lindqvist", "Eero Nieminen"]
    assert search.filter("today", names, str) == names
    search.set_query("today", "NE")
    assert search.filter("today", names, str) == ["Aino Virtanen", "Eero Nieminen"]
    assert search.active("today") and not search.active("overview")
    search.clear("today")
    assert not search.active("today")


def test_each_screen_keeps_its_own_search_and_a_lock_forgets_them(
    device: Device, clock: FakeClock
) -> None:
    app = AppState(device)
    app.start()
    assert app.today.day == WEDNESDAY
    app.search.set_query("overview", "eero")
    app.go(app.screen.OVERVIEW)
    shown = app.search.filter("overview", app.overview.rows, lambda r: r.name)
    assert [r.participant_id for r in shown] == ["p-eero"]
    # Today is not filtered by what was typed in the overview
    everyone = app.search.filter("today", app.today.rows, lambda r: r.name)
    assert len(everyone) == len(app.today.rows) == 5
    app.search.set_query("today", "bertil")
    rows = app.search.filter("today", app.today.rows, lambda r: r.name)
    assert [r.participant_id for r in rows] == ["p-bertil"]
    app.lock()
    assert app.search.queries == {}
    del clock
