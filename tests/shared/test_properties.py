"""Properties that must hold for any records: hypothesis searches for counterexamples."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from shared import (
    DayRecord,
    Status,
    allowance_for_period,
    builtin_rule_sets,
    evaluate,
    iso_week,
)
from tests.support.factory import NOW, TODAY, absent, minutes, not_held, plan, version

RS = builtin_rule_sets()
FIRST = date(2026, 12, 21)  # three weeks around the new year: weeks 52/2026, 53/2026, 1/2027
SPAN = 21

plans = st.sampled_from(
    [
        plan(version(days=(1, 4), hours=(4, 8))),
        plan(version(days=(1, 2), hours=(4, 6), weekdays={1, 2, 3})),
        plan(version(days=(1, 3)), version(valid_from=date(2026, 12, 30), days=(1, 1))),
    ]
)


@st.composite
def day_records(draw: st.DrawFn) -> list[DayRecord]:
    offsets = draw(st.sets(st.integers(0, SPAN - 1), max_size=SPAN))
    out: list[DayRecord] = []
    for off in sorted(offsets):
        day = FIRST + timedelta(days=off)
        kind = draw(st.sampled_from(["present", "present", "present", "absent", "not_held"]))
        if kind == "present":
            out.append(minutes(day, draw(st.sampled_from([120, 180, 240, 300, 480, 540]))))
        elif kind == "absent":
            out.append(absent(day, draw(st.sampled_from(["sick", "child_sick", "other"]))))
        else:
            out.append(not_held(day))
    return out


def money(p, records):
    return allowance_for_period(
        p, records, RS, period_start=FIRST, period_end=FIRST + timedelta(days=SPAN - 1), today=TODAY
    )


@given(plans, day_records())
def test_eligible_days_in_a_week_never_exceed_the_plan_maximum(p, records) -> None:
    ev = evaluate(p, records, RS, today=TODAY)
    per_week: dict[tuple[int, int], list[date]] = {}
    for day, result in ev.days.items():
        if result.eligible:
            per_week.setdefault(iso_week(day), []).append(day)
    for days in per_week.values():
        assert len(days) <= max(v.days_max for v in p.versions if v.valid_from <= max(days))
        for day in days:
            assert len([d for d in days if d <= day]) <= p.version_on(day).days_max


@given(plans, day_records(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_records_are_given_in(p, records, rnd) -> None:
    shuffled = list(records)
    rnd.shuffle(shuffled)
    assert evaluate(p, records, RS, today=TODAY) == evaluate(p, shuffled, RS, today=TODAY)
    assert money(p, records) == money(p, shuffled)


@given(plans, day_records(), st.integers(0, SPAN - 1))
def test_adding_a_not_held_day_never_changes_the_money(p, records, offset) -> None:
    day = FIRST + timedelta(days=offset)
    assume(all(r.day != day for r in records))
    before, after = money(p, records), money(p, [*records, not_held(day)])
    assert (before.lines, before.total_cents, before.eligible_days) == (
        after.lines,
        after.total_cents,
        after.eligible_days,
    )


@given(plans, day_records(), st.data())
def test_a_superseded_version_never_counts(p, records, data) -> None:
    present_days = [r for r in records if r.status is Status.PRESENT]
    assume(present_days)
    target = data.draw(st.sampled_from(present_days))
    fix = target.correct(
        correction_reason="merkitty väärälle päivälle",
        recorded_by="sup-2",
        device_id="dev-2",
        recorded_at=NOW,
        status=Status.NOT_HELD,
        start=None,
        end=None,
        minutes=None,
    )
    versions = [*records, fix]
    random.Random(0).shuffle(versions)
    ev = evaluate(p, versions, RS, today=TODAY)
    assert ev.days[target.day].record == fix
    assert not ev.days[target.day].eligible
    assert target.day not in money(p, versions).eligible_days
