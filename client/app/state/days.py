"""Facts about a participant's days that the screens share: who is expected, usual hours,
and the evaluation window that gives weekly limits and sickness runs their context."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from shared.calendar import week_bounds
from shared.plans import Plan
from shared.records import DayRecord
from shared.rulesets import RuleSets
from shared.validation import Evaluation, evaluate

# validation needs the weeks before a day to see sickness runs; see shared.allowance
LOOKBACK = timedelta(days=35)
WORKDAYS = frozenset(range(1, 6))


def expected_on(plan: Plan | None, day: date) -> bool:
    """Whether the plan expects the participant on ``day``.

    The plan's agreed weekdays when it names them, otherwise Monday to Friday; never
    outside the plan's period.
    """
    if plan is None:
        return False
    version = plan.version_on(day)
    if version is None or not version.covers(day):
        return False
    weekdays = version.weekdays if version.weekdays is not None else WORKDAYS
    return day.isoweekday() in weekdays


def usual_minutes(plan: Plan | None, day: date) -> int | None:
    """The hours a one-tap "present" records: the plan's agreed minimum for the day."""
    if plan is None:
        return None
    version = plan.version_on(day)
    return version.minutes_min if version is not None else None


def window(start: date, end: date) -> tuple[date, date]:
    """The versions to load to judge [start, end]: whole ISO weeks plus the lookback."""
    monday, _ = week_bounds(start)
    _, sunday = week_bounds(end)
    return monday - LOOKBACK, sunday


def judge(
    plan: Plan,
    versions: Iterable[DayRecord],
    rule_sets: RuleSets,
    *,
    today: date,
    start: date,
    end: date,
) -> Evaluation:
    mine = [v for v in versions if v.participant_id == plan.participant_id]
    return evaluate(plan, mine, rule_sets, today=today, start=start, end=end)


def planned_days(plan: Plan | None, start: date, end: date) -> int:
    """At most how many present days the plan allows in [start, end] (per ISO week:
    the weekly maximum, or fewer when the range holds fewer expected days)."""
    if plan is None:
        return 0
    total = 0
    monday, _ = week_bounds(start)
    while monday <= end:
        days = [monday + timedelta(days=i) for i in range(7)]
        inside = [d for d in days if start <= d <= end and expected_on(plan, d)]
        version = plan.version_on(max(monday, start))
        if inside and version is not None:
            total += min(version.days_max, len(inside))
        monday += timedelta(days=7)
    return total
