"""What a plan expects of a participant's days: which days they are due, for how long,
and at most how many present days a range of dates can earn.

The app's screens ask these questions (who to list today, what a one-tap "present"
records, attended against planned); the answers are the plan's, so they live here.
"""

from __future__ import annotations

from datetime import date, timedelta

from shared.calendar import week_bounds
from shared.plans import Plan

__all__ = ["WORKDAYS", "expected_on", "planned_days", "usual_minutes"]

# Without agreed weekdays a participant is due on working days, Monday to Friday.
WORKDAYS = frozenset(range(1, 6))


def expected_on(plan: Plan | None, day: date) -> bool:
    """Whether the plan expects the participant on ``day``.

    The plan's agreed weekdays when it names them, otherwise Monday to Friday; never
    outside the plan's period, nor before its first version is valid.
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
