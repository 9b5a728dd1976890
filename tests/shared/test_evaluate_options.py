"""``evaluate(..., week_notices=False)`` judges every day the same and only skips the weeks."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared import DayRecord, builtin_rule_sets, evaluate
from tests.support.factory import TODAY, absent, minutes, plan, version

RS = builtin_rule_sets()
FIRST = date(2027, 5, 3)  # a Monday, eight weeks before TODAY


@st.composite
def records(draw: st.DrawFn) -> list[DayRecord]:
    offsets = draw(st.sets(st.integers(0, 55), max_size=40))
    out: list[DayRecord] = []
    for off in sorted(offsets):
        day = FIRST + timedelta(days=off)
        if draw(st.booleans()):
            out.append(minutes(day, draw(st.sampled_from([180, 240, 360, 540]))))
        else:
            out.append(absent(day, draw(st.sampled_from(["sick", "child_sick"]))))
    return out


@given(records())
def test_without_week_notices_the_days_are_judged_alike(versions: list[DayRecord]) -> None:
    p = plan(version(days=(2, 3), hours=(4, 8)))
    end = FIRST + timedelta(days=55)

    full = evaluate(p, versions, RS, today=TODAY, start=FIRST, end=end)
    days_only = evaluate(p, versions, RS, today=TODAY, start=FIRST, end=end, week_notices=False)

    assert days_only.days == full.days
    assert days_only.weeks == {}
    # the full evaluation does have notices for these weeks (at least the empty ones)
    assert full.weeks or len({d.isocalendar()[1] for d in full.days}) == 8
