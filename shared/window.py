"""The window of day records that judging a range of days needs.

A day's judgement depends on more than its own record: the other days of its ISO week
(the weekly maximum) and an absence run reaching into that week (sickness counts).
:func:`window_bounds` names that range once, for every caller that fetches records
to judge: validation itself, the allowance, the app's screens, the device store and
the nightly forward.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta

from shared.calendar import week_bounds
from shared.records import DayRecord, Status

__all__ = ["LOOKBACK", "RUN_GAP_DAYS", "run_into", "run_reach", "window_bounds"]

# Absence days in one run may be this many calendar days apart (Friday → Monday)
# without the run breaking: days without a record are days the person was not due.
RUN_GAP_DAYS = 3
# How far before the first Monday records can still matter: five weeks hold far more
# than the longest run a finding counts to (a child's sickness is flagged on its 5th
# day, at most 4 × RUN_GAP_DAYS = 12 days back), so a sickness flag never depends on
# where a caller's window starts.
LOOKBACK = timedelta(days=35)


def window_bounds(first: date, last: date) -> tuple[date, date, date]:
    """(earliest day, first Monday, last Sunday) of what can change days in [first, last].

    Every version of the ISO weeks from the first Monday to the last Sunday counts;
    from the earliest day up to the first Monday only an absence run reaching that
    Monday does (:func:`run_into`). A store can fetch just this range.
    """
    lo, hi = week_bounds(first)[0], week_bounds(last)[1]
    return lo - LOOKBACK, lo, hi


def run_into(heads: Mapping[date, DayRecord], monday: date) -> set[date]:
    """The days before ``monday`` whose current records form an absence run reaching it.

    ``heads`` maps days before ``monday`` to their current record. The walk goes back
    from ``monday`` and stops at the first day that breaks the run, and reads only the
    records of the days it reaches, so a store may parse them on demand.
    """
    keep: set[date] = set()
    reach = monday
    for day in sorted(heads, reverse=True):
        if (reach - day).days > RUN_GAP_DAYS or heads[day].status is not Status.ABSENT:
            break
        keep.add(day)
        reach = day
    return keep


def run_reach(kept: Collection[date], monday: date) -> date:
    """How far back an absence run could go on, given the days :func:`run_into` kept.

    A store that has every version from this day up to ``monday`` has all that
    :func:`run_into` reads: a day further back is too far from the run to join it.
    """
    return min(kept, default=monday) - timedelta(days=RUN_GAP_DAYS)
