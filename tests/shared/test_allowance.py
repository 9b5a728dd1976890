"""Allowance per payment period: eligible days × the rate in force, by type and payer."""

from __future__ import annotations

from datetime import date

from shared import AbsenceReason, allowance_for_period, builtin_rule_sets, month_bounds
from tests.support.factory import TODAY, absent, days_from, not_held, plan, present, version

RS = builtin_rule_sets()


def test_a_month_of_kuntouttava_for_kela_and_for_the_county() -> None:
    first, last = month_bounds(2026, 9)
    mondays = [d for d in days_from(first, 30) if d.isoweekday() == 1]
    records = []
    for monday in mondays:  # Mon–Thu present 6 h, Fri present too (5th day: over the maximum)
        records += [present(d) for d in days_from(monday, 5) if d.month == 9]
    kela = plan(version())
    county = plan(version(allowance_type="toimintaraha"))
    a = allowance_for_period(kela, records, RS, period_start=first, period_end=last, today=TODAY)
    b = allowance_for_period(county, records, RS, period_start=first, period_end=last, today=TODAY)
    # September 2026 has Mondays 7, 14, 21, 28: 4 full weeks in the month (28.9.–1.10. spans
    # into October: 28., 29., 30.9. are in September, and Thu 1.10. is in October).
    expected_days = 4 * 3 + 3
    assert [(x.allowance_type, x.payer, x.rate_cents, x.days, x.amount_cents) for x in a.lines] == [
        ("kulukorvaus", "kela", 900, expected_days, 900 * expected_days)
    ]
    assert [(x.allowance_type, x.payer) for x in b.lines] == [("toimintaraha", "county")]
    assert a.total_cents == b.total_cents == 900 * expected_days
    assert {reason for _d, reason in a.ineligible_days} == {"over_weekly_max"}
    assert len(a.eligible_days) + len(a.ineligible_days) == len(records)


def test_a_week_spanning_two_periods_is_judged_once() -> None:
    # Mon 28.9.–Fri 2.10.2026, five present days: Friday 2.10. is the over-maximum day,
    # whichever month asks.
    records = [present(d) for d in days_from(date(2026, 9, 28), 5)]
    p = plan()
    sept = allowance_for_period(
        p, records, RS, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30), today=TODAY
    )
    octo = allowance_for_period(
        p, records, RS, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31), today=TODAY
    )
    assert len(sept.eligible_days) == 3
    assert octo.eligible_days == (date(2026, 10, 1),)
    assert octo.ineligible_days == ((date(2026, 10, 2), "over_weekly_max"),)


def test_payer_from_the_plan_overrides_the_default() -> None:
    p = plan(version(payer="unemployment_fund"))
    s = allowance_for_period(
        p,
        [present(date(2026, 9, 14))],
        RS,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        today=TODAY,
    )
    assert [(x.payer, x.amount_cents) for x in s.lines] == [("unemployment_fund", 900)]


def test_absences_listed_for_kela_with_certificate_flag() -> None:
    days = days_from(date(2026, 9, 14), 5)
    records = [absent(d, "sick") for d in days[:4]] + [absent(days[4], "job_related")]
    records.append(not_held(date(2026, 9, 21)))
    s = allowance_for_period(
        plan(),
        records,
        RS,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        today=TODAY,
    )
    assert s.total_cents == 0 and s.lines == ()
    assert [(a.day.day, a.reason, a.certificate_due) for a in s.absences] == [
        (14, AbsenceReason.SICK, False),
        (15, AbsenceReason.SICK, False),
        (16, AbsenceReason.SICK, False),
        (17, AbsenceReason.SICK, True),
        (18, AbsenceReason.JOB_RELATED, False),
    ]
    assert s.to_dict()["absences"][3] == {
        "day": "2026-09-17",
        "reason": "sick",
        "certificate_due": True,
    }


def test_disability_work_activity_daily_money() -> None:
    p = plan(
        version(
            start=date(2027, 1, 4),
            end=date(2027, 12, 31),
            days=(1, 3),
            hours=(2, 5),
            allowance_type="tyoosuusraha",
        ),
        rule_set="vammaisten",
    )
    records = [present(d, 4) for d in days_from(date(2027, 2, 1), 3)]
    s = allowance_for_period(
        p, records, RS, period_start=date(2027, 2, 1), period_end=date(2027, 2, 28), today=TODAY
    )
    assert (s.total_cents, len(s.eligible_days)) == (1500, 3)
