"""Worked examples drawn from the seeds (Kempele, Laukaa, a disability decision) and
the Finnish calendar. Each row states the situation, the day judged, and what must
come out: eligibility, the reason, and the finding codes."""

from __future__ import annotations

from datetime import date

import pytest

from shared import Severity, allowance_for_period, builtin_rule_sets, evaluate
from tests.support.factory import (
    TODAY,
    absent,
    days_from,
    minutes,
    not_held,
    plan,
    present,
    version,
)

RS = builtin_rule_sets()
KEMPELE = plan(version(days=(1, 4), hours=(4, 8)))  # seed 000: 1–4 days a week, at least 4 h
LAUKAA = plan(
    version(
        start=date(2026, 9, 1),
        end=date(2026, 11, 30),
        days=(1, 5),
        hours=(2, 6),
        allowance_type="paivakorvaus",
    ),
    rule_set="osallistava",
)  # seed 001: 1–5 days, 2–6 h, at most 3 months
MON = date(2026, 9, 14)  # an ordinary ISO week 38/2026, no holidays
WEEK = days_from(MON, 7)


def judge(p, records, day):
    return evaluate(p, records, RS, today=TODAY).days[day]


def codes(result) -> set[str]:
    return {f.code for f in result.findings}


CASES = [
    # (id, plan, records, judged day, eligible, reason, codes that must appear)
    ("kempele-4th-day-ok", KEMPELE, [present(d) for d in WEEK[:4]], WEEK[3], True, None, set()),
    (
        "kempele-5th-day-over-max",
        KEMPELE,
        [present(d) for d in WEEK[:5]],
        WEEK[4],
        False,
        "over_weekly_max",
        {"over_weekly_max"},
    ),
    (
        "kempele-short-day-not-eligible",
        KEMPELE,
        [present(MON, 3)],
        MON,
        False,
        "under_min_hours",
        {"under_min_hours"},
    ),
    # a 3-hour day earns nothing and does not use up one of the week's four days
    (
        "kempele-short-day-frees-slot",
        KEMPELE,
        [present(MON, 3)] + [present(d) for d in WEEK[1:5]],
        WEEK[4],
        True,
        None,
        set(),
    ),
    ("kempele-9h-only-8-count", KEMPELE, [present(MON, 9)], MON, True, None, {"over_max_hours"}),
    ("kempele-exactly-4h-ok", KEMPELE, [minutes(MON, 240)], MON, True, None, set()),
    (
        "kempele-before-plan",
        KEMPELE,
        [present(date(2026, 7, 31))],
        date(2026, 7, 31),
        False,
        "outside_plan_period",
        {"outside_plan_period"},
    ),
    (
        "kempele-plan-ends-soon",
        plan(version(end=date(2027, 7, 10))),
        [present(date(2027, 6, 29))],
        date(2027, 6, 29),
        True,
        None,
        {"plan_ends_soon"},
    ),
    ("laukaa-5th-day-ok", LAUKAA, [present(d, 2) for d in WEEK[:5]], WEEK[4], True, None, set()),
    (
        "laukaa-6th-day-over",
        LAUKAA,
        [present(d, 2) for d in WEEK[:6]],
        WEEK[5],
        False,
        "over_weekly_max",
        {"over_weekly_max"},
    ),
    (
        "laukaa-1.5h-under",
        LAUKAA,
        [present(MON, 1.5)],
        MON,
        False,
        "under_min_hours",
        {"under_min_hours"},
    ),
    ("laukaa-7h-flagged-6-count", LAUKAA, [present(MON, 7)], MON, True, None, {"over_max_hours"}),
    (
        "laukaa-after-decision",
        LAUKAA,
        [present(date(2026, 12, 1), 3)],
        date(2026, 12, 1),
        False,
        "outside_plan_period",
        {"outside_plan_period"},
    ),
    (
        "independence-day",
        KEMPELE,
        [present(date(2026, 12, 6))],
        date(2026, 12, 6),
        True,
        None,
        {"public_holiday"},
    ),
    (
        "good-friday",
        KEMPELE,
        [present(date(2027, 3, 26))],
        date(2027, 3, 26),
        True,
        None,
        {"public_holiday"},
    ),
    (
        "midsummer-eve",
        KEMPELE,
        [present(date(2027, 6, 25))],
        date(2027, 6, 25),
        True,
        None,
        {"public_holiday"},
    ),
    ("not-held-is-no-absence", KEMPELE, [not_held(MON)], MON, False, "status_not_held", set()),
    ("sick-day-earns-nothing", KEMPELE, [absent(MON, "sick")], MON, False, "status_absent", set()),
    (
        "sick-4th-day-certificate",
        KEMPELE,
        [absent(d, "sick") for d in WEEK[:4]],
        WEEK[3],
        False,
        "status_absent",
        {"sick_certificate_due"},
    ),
    (
        "sick-3rd-day-no-certificate",
        KEMPELE,
        [absent(d, "sick") for d in WEEK[:3]],
        WEEK[2],
        False,
        "status_absent",
        set(),
    ),
    # Thursday, Friday, (weekend without records), Monday, Tuesday: one run of four days
    (
        "sick-run-over-weekend",
        KEMPELE,
        [
            absent(d, "sick")
            for d in (WEEK[3], WEEK[4], WEEK[0].replace(day=21), WEEK[0].replace(day=22))
        ],
        date(2026, 9, 22),
        False,
        "status_absent",
        {"sick_certificate_due"},
    ),
    (
        "child-sick-5th-day-flagged",
        KEMPELE,
        [absent(d, "child_sick") for d in WEEK[:5]],
        WEEK[4],
        False,
        "status_absent",
        {"child_sick_over_limit"},
    ),
    (
        "child-sick-4th-day-ok",
        KEMPELE,
        [absent(d, "child_sick") for d in WEEK[:4]],
        WEEK[3],
        False,
        "status_absent",
        set(),
    ),
    (
        "future-date",
        KEMPELE,
        [present(date(2027, 7, 1))],
        date(2027, 7, 1),
        False,
        "future_date",
        {"future_date"},
    ),
    (
        "end-before-start",
        KEMPELE,
        [present(MON, start="14:00", end="08:00")],
        MON,
        False,
        "end_before_start",
        {"end_before_start"},
    ),
    # The decision's period starts 3.8.2026, but its first version is valid only from
    # 14.9.2026: a day in between has no limits and no allowance type to pay.
    (
        "day-before-first-version",
        plan(version(valid_from=MON)),
        [present(date(2026, 9, 1))],
        date(2026, 9, 1),
        False,
        "no_plan_on_day",
        {"no_plan_on_day"},
    ),
    (
        "not-on-quarter-hour",
        KEMPELE,
        [present(MON, start="08:10", end="14:10")],
        MON,
        False,
        "not_quarter_hour",
        {"not_quarter_hour"},
    ),
    (
        "over-24-hours",
        KEMPELE,
        [minutes(MON, 25 * 60)],
        MON,
        False,
        "over_24_hours",
        {"over_24_hours"},
    ),
]


@pytest.mark.parametrize(
    ("p", "records", "day", "eligible", "reason", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_worked_example(p, records, day, eligible, reason, expected) -> None:
    result = judge(p, records, day)
    assert result.eligible is eligible
    assert result.reason == reason
    assert expected <= codes(result), codes(result)
    if eligible:
        assert result.rate_cents > 0


def test_over_max_hours_counts_only_the_maximum() -> None:
    assert judge(KEMPELE, [present(MON, 9)], MON).counted_minutes == 8 * 60
    assert judge(LAUKAA, [present(MON, 7)], MON).counted_minutes == 6 * 60
    assert judge(KEMPELE, [minutes(MON, 270)], MON).counted_minutes == 270


def test_weekday_not_agreed_is_flagged_but_counted() -> None:
    p = plan(version(weekdays={1, 2, 3, 4}))
    friday = WEEK[4]
    result = judge(p, [present(friday)], friday)
    assert result.eligible
    finding = next(f for f in result.findings if f.code == "weekday_not_agreed")
    assert finding.severity is Severity.FLAGGED
    assert "perjantai" in finding.message("fi") and "fredag" in finding.message("sv")
    assert "weekday_not_agreed" not in codes(judge(p, [present(MON)], MON))


def test_week_across_new_year_is_one_week() -> None:
    # Mon 28.12.2026 – Sun 3.1.2027 is ISO week 53/2026: the fifth day is over the maximum.
    days = [
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 2),
    ]
    ev = evaluate(KEMPELE, [present(d) for d in days], RS, today=TODAY)
    assert [ev.days[d].eligible for d in days] == [True, True, True, True, False]
    over = next(f for f in ev.days[date(2027, 1, 2)].findings if f.code == "over_weekly_max")
    assert over.params["week"] == "53/2026"
    # the next Monday starts a new week
    ev2 = evaluate(KEMPELE, [present(d) for d in [*days, date(2027, 1, 4)]], RS, today=TODAY)
    assert ev2.days[date(2027, 1, 4)].eligible


def test_week_across_month_end_is_one_week() -> None:
    days = days_from(date(2026, 9, 28), 5)  # Mon 28.9. – Fri 2.10.2026
    ev = evaluate(KEMPELE, [present(d) for d in days], RS, today=TODAY)
    assert [ev.days[d].eligible for d in days] == [True, True, True, True, False]


def test_later_days_in_date_order_are_the_ineligible_ones_whatever_the_input_order() -> None:
    records = [present(d) for d in reversed(WEEK[:6])]
    ev = evaluate(KEMPELE, records, RS, today=TODAY)
    assert [d for d in WEEK[:6] if not ev.days[d].eligible] == WEEK[4:6]


def test_plan_change_mid_week_judges_each_day_by_its_version() -> None:
    # Up to Wednesday the plan allows 2 days a week; from Thursday 4 days.
    p = plan(
        version(days=(1, 2)),
        version(valid_from=WEEK[3], days=(1, 4)),
    )
    ev = evaluate(p, [present(d) for d in WEEK[:5]], RS, today=TODAY)
    assert [ev.days[d].eligible for d in WEEK[:5]] == [True, True, False, True, True]


def test_hours_raised_mid_period() -> None:
    p = plan(version(hours=(4, 5)), version(valid_from=WEEK[2], hours=(4, 8)))
    ev = evaluate(p, [present(WEEK[0], 7), present(WEEK[2], 7)], RS, today=TODAY)
    assert "over_max_hours" in codes(ev.days[WEEK[0]])
    assert ev.days[WEEK[0]].counted_minutes == 300
    assert "over_max_hours" not in codes(ev.days[WEEK[2]])
    assert ev.days[WEEK[2]].counted_minutes == 420


def test_two_current_records_for_one_day_is_an_error() -> None:
    ev = evaluate(KEMPELE, [present(MON), absent(MON, "sick")], RS, today=TODAY)
    assert ev.days[MON].reason == "duplicate_day"
    assert not ev.days[MON].eligible


def test_under_weekly_minimum_is_a_week_notice() -> None:
    p = plan(version(days=(2, 4)))
    ev = evaluate(p, [present(MON)], RS, today=TODAY, start=MON, end=WEEK[6])
    (notice,) = ev.weeks[(2026, 38)]
    assert notice.code == "under_weekly_min" and notice.severity is Severity.NOTICE
    assert notice.params == {"count": 1, "min": 2, "week": "38/2026", "week_start": "2026-09-14"}
    ev2 = evaluate(p, [present(MON), present(WEEK[1])], RS, today=TODAY, start=MON, end=WEEK[6])
    assert (2026, 38) not in ev2.weeks


def test_the_weekly_minimum_notice_waits_for_the_weeks_last_agreed_day() -> None:
    """Issue 11: a notice on Tuesday is too early; it belongs after the last agreed day."""
    agreed = plan(version(days=(3, 4), weekdays={1, 2, 3}))  # Monday to Wednesday
    records = [present(MON)]
    for today in (MON, WEEK[1], WEEK[2]):  # Monday, Tuesday, Wednesday: may still come
        ev = evaluate(agreed, records, RS, today=today, start=MON, end=WEEK[6])
        assert (2026, 38) not in ev.weeks, today
    for today in (WEEK[3], WEEK[6], TODAY):  # Thursday on: the week's agreed days are over
        ev = evaluate(agreed, records, RS, today=today, start=MON, end=WEEK[6])
        assert [f.code for f in ev.weeks[(2026, 38)]] == ["under_weekly_min"], today
    workdays = plan(version(days=(3, 4)))  # no agreed weekdays: Monday to Friday
    ev = evaluate(workdays, records, RS, today=WEEK[4], start=MON, end=WEEK[6])
    assert (2026, 38) not in ev.weeks
    ev = evaluate(workdays, records, RS, today=WEEK[5], start=MON, end=WEEK[6])
    assert (2026, 38) in ev.weeks


def test_vammaisten_decision_with_its_own_daily_rate() -> None:
    p = plan(
        version(
            start=date(2027, 1, 4),
            end=date(2027, 12, 31),
            days=(2, 3),
            hours=(3, 5),
            allowance_type="tyollistymista_tukeva_2",
        ),
        rule_set="vammaisten",
    )
    day = date(2027, 1, 5)
    result = judge(p, [present(day, 4)], day)
    assert result.eligible
    assert (result.allowance_type, result.payer, result.rate_cents) == (
        "tyollistymista_tukeva_2",
        "county",
        950,
    )


def test_messages_in_three_languages_for_a_not_eligible_day() -> None:
    result = judge(KEMPELE, [present(d) for d in WEEK[:5]], WEEK[4])
    over = next(f for f in result.findings if f.code == "over_weekly_max")
    assert over.severity is Severity.NOT_ELIGIBLE
    assert over.message("fi").startswith("Viikolla 38/2026 on jo 4 läsnäolopäivää")
    assert over.message("sv").startswith("Vecka 38/2026 har redan 4 närvarodagar")
    assert over.message("en").startswith("Week 38/2026 already has 4 present days")
    short = judge(KEMPELE, [present(MON, 3.5)], MON).findings[0]
    assert short.message("fi").startswith("3,5 h on alle")
    assert short.message("en").startswith("3.5 h is below the plan's minimum of 4 h")


def test_a_day_before_the_first_version_earns_nothing_in_evaluate_and_the_allowance() -> None:
    # Issue 10: such a day was eligible with its minutes counted, yet paid nothing.
    p = plan(version(valid_from=MON))
    gap = date(2026, 9, 1)
    records = [present(gap), present(MON), absent(date(2026, 9, 2), "sick")]
    result = judge(p, records, gap)
    assert (result.eligible, result.reason) == (False, "no_plan_on_day")
    assert (result.counted_minutes, result.rate_cents, result.allowance_type) == (0, 0, None)
    (found,) = result.findings
    assert found.severity is Severity.NOT_ELIGIBLE
    assert found.message("en") == "No plan is in force on 1.9.2026."
    assert judge(p, records, date(2026, 9, 2)).reason == "status_absent"
    assert judge(p, records, MON).eligible
    summary = allowance_for_period(
        p, records, RS, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30), today=TODAY
    )
    assert summary.eligible_days == (MON,)
    assert summary.ineligible_days == ((gap, "no_plan_on_day"),)
    assert summary.total_cents == 900
    assert [a.day for a in summary.absences] == [date(2026, 9, 2)]
    # before the period itself the first version still names the period that was missed
    before = judge(p, [present(date(2026, 7, 31))], date(2026, 7, 31))
    assert before.reason == "outside_plan_period"


@pytest.mark.parametrize(
    ("record", "error"),
    [
        (present(MON, start="12:00", end="08:00"), "end_before_start"),
        (minutes(MON, -240), "missing_hours"),
        (minutes(MON, 25 * 60), "over_24_hours"),
    ],
    ids=["end-before-start", "negative-minutes", "over-24-hours"],
)
def test_hours_that_are_an_error_are_not_judged_against_the_plan(record, error) -> None:
    # Issue 10: 12:00–08:00 also gave under_min_hours for −240 minutes.
    result = judge(KEMPELE, [record], MON)
    assert codes(result) == {error}
    assert (result.eligible, result.reason, result.counted_minutes) == (False, error, 0)


def test_weekly_maximum_when_the_plan_changes_mid_week() -> None:
    """The worked example of docs/domain-rules.md, "Weekly maximum".

    Each present day, in date order, is held against the maximum of the version valid
    on that day, counting the week's eligible present days before it under any
    version. A day over the limit earns nothing and does not use up one of the week's
    days, just like a day under the minimum hours.
    """
    raised = plan(version(days=(1, 2)), version(valid_from=WEEK[3], days=(1, 4)))
    ev = evaluate(raised, [present(d) for d in WEEK[:6]], RS, today=TODAY)
    # Mon, Tue: 1st and 2nd of 2. Wed: a 3rd is over 2. Thu, Fri: 3rd and 4th of 4
    # (Wed used none). Sat: a 5th is over 4.
    assert [ev.days[d].eligible for d in WEEK[:6]] == [True, True, False, True, True, False]
    assert [f.params["max"] for f in ev.days[WEEK[2]].findings] == [2]
    assert [f.params["max"] for f in ev.days[WEEK[5]].findings] == [4]
    assert ev.week_count(MON) == 4

    lowered = plan(version(days=(1, 4)), version(valid_from=WEEK[3], days=(1, 2)))
    ev = evaluate(lowered, [present(d) for d in WEEK[:5]], RS, today=TODAY)
    # Mon–Wed: three of 4. Thu, Fri: the week already has 3, more than the new 2.
    assert [ev.days[d].eligible for d in WEEK[:5]] == [True, True, True, False, False]
    assert ev.week_count(MON) == 3

    # A short day under the new version uses up nothing either: Thu is 3 h on a 4 h plan.
    short = [present(WEEK[0]), present(WEEK[1]), present(WEEK[3], 3), present(WEEK[4])]
    ev = evaluate(raised, short, RS, today=TODAY)
    assert [ev.days[d].reason for d in (WEEK[0], WEEK[1], WEEK[3], WEEK[4])] == [
        None,
        None,
        "under_min_hours",
        None,
    ]
