"""What a plan expects of a participant's days, and the window of records judging needs."""

from __future__ import annotations

from datetime import date, timedelta

from shared import LOOKBACK, expected_on, planned_days, usual_minutes, window_bounds
from tests.support.factory import plan, version

MON = date(2026, 9, 14)


def test_expected_on_agreed_weekdays_else_monday_to_friday_and_only_with_a_version() -> None:
    p = plan(version(valid_from=MON))  # period from 3.8.2026, first version from 14.9.
    assert [expected_on(p, MON + timedelta(days=i)) for i in range(7)] == [True] * 5 + [False] * 2
    assert not expected_on(p, date(2026, 9, 1))  # inside the period, before any version
    assert not expected_on(p, date(2027, 8, 2))  # after the period
    agreed = plan(version(weekdays={2, 4}))
    assert [expected_on(agreed, MON + timedelta(days=i)) for i in range(5)] == [
        False,
        True,
        False,
        True,
        False,
    ]
    assert not expected_on(None, MON)


def test_usual_minutes_is_the_minimum_of_the_day_s_version() -> None:
    p = plan(version(hours=(4, 8)), version(valid_from=MON, hours=(5, 8)))
    assert usual_minutes(p, MON - timedelta(days=1)) == 240
    assert usual_minutes(p, MON) == 300
    assert usual_minutes(None, MON) is None


def test_planned_days_per_week_at_most_the_maximum_or_the_expected_days() -> None:
    p = plan(version(days=(1, 4)))
    assert planned_days(p, MON, MON + timedelta(days=6)) == 4
    assert planned_days(p, MON, MON + timedelta(days=1)) == 2  # only two days in range
    assert planned_days(p, date(2026, 9, 1), date(2026, 9, 30)) == 4 * 4 + 3  # Tue 1.9.–Wed 30.9.
    assert planned_days(None, MON, MON) == 0


def test_window_bounds_whole_iso_weeks_and_the_look_back_before_them() -> None:
    wednesday, next_tuesday = MON + timedelta(days=2), MON + timedelta(days=8)
    assert window_bounds(wednesday, next_tuesday) == (
        MON - LOOKBACK,
        MON,
        MON + timedelta(days=13),
    )
