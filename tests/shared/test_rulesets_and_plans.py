"""Rule sets are data; plans may be stricter than their rule set, never looser."""

from __future__ import annotations

import json
from datetime import date

import pytest

from shared import (
    PlanError,
    RuleSetError,
    UnknownRuleSet,
    allowance_for_period,
    builtin_rule_sets,
    check_plan,
    evaluate,
    plan_from_dict,
    plan_to_dict,
    rule_set_from_dict,
    rule_set_to_dict,
)
from tests.support.factory import TODAY, days_from, plan, present, version

RS = builtin_rule_sets()

NEW_2027 = {
    "id": "tyollisyyspalvelu_2027",
    "name": {
        "fi": "Uusi työllisyyspalvelu",
        "sv": "Ny sysselsättningstjänst",
        "en": "New employment service",
    },
    "legal_basis": "Hypothetical successor act, 2027",
    "effective_from": "2027-01-01",
    "effective_to": None,
    "period_months": {"min": 2, "max": 12},
    "days_per_week": {"min": 2, "max": 3},
    "hours_per_day": {"min": 3, "max": 6.5},
    "counted_hours_cap": 6.5,
    "allowance_types": [
        {
            "id": "osallistumisraha",
            "payer": "county",
            "name": {
                "fi": "Osallistumisraha",
                "sv": "Deltagarpenning",
                "en": "Participation money",
            },
            "rates": [
                {"from": "2027-01-01", "to": "2027-03-31", "cents": 1000},
                {"from": "2027-04-01", "to": None, "cents": 1050},
            ],
        },
    ],
}


def test_builtin_rule_sets_carry_domain_figures() -> None:
    k = RS.get("kuntouttava")
    assert (k.period_months.min, k.period_months.max) == (3, 24)
    assert (k.days_per_week.min, k.days_per_week.max) == (1, 4)
    assert (k.minutes_per_day.min, k.minutes_per_day.max) == (240, 480)
    assert {t.id: (t.payer, t.rates[0].cents) for t in k.allowance_types} == {
        "kulukorvaus": ("kela", 900),
        "toimintaraha": ("county", 900),
    }
    o = RS.get("osallistava")
    assert (
        o.period_months.max,
        o.days_per_week.max,
        o.minutes_per_day.min,
        o.minutes_per_day.max,
    ) == (3, 5, 120, 360)
    assert "vammaisten" in RS


def test_rule_set_round_trips_through_its_data_form() -> None:
    for rs in RS:
        assert rule_set_from_dict(json.loads(json.dumps(rule_set_to_dict(rs)))) == rs


def test_a_new_rule_set_is_added_as_data_alone_and_validated_against() -> None:
    registry = RS.with_added(rule_set_from_dict(NEW_2027))
    p = plan(
        version(
            start=date(2027, 3, 1),
            end=date(2027, 8, 31),
            days=(2, 3),
            hours=(3, 6.5),
            allowance_type="osallistumisraha",
        ),
        rule_set="tyollisyyspalvelu_2027",
    )
    check_plan(p, registry)
    week = days_from(date(2027, 3, 29), 5)  # Mon 29.3. – Fri 2.4.2027 (Good Friday 2.4.)
    records = [present(d, 4) for d in week[:4]] + [present(date(2027, 4, 5), 2.5)]
    ev = evaluate(p, records, registry, today=TODAY)
    assert [ev.days[d].eligible for d in week[:4]] == [True, True, True, False]
    assert ev.days[week[3]].reason == "over_weekly_max"
    assert ev.days[date(2027, 4, 5)].reason == "under_min_hours"
    money = allowance_for_period(
        p,
        records,
        registry,
        period_start=date(2027, 3, 1),
        period_end=date(2027, 4, 30),
        today=TODAY,
    )
    # the rate changes on 1.4.: 29.3., 30.3., 31.3. at 10 €; none eligible after it
    assert [(line.rate_cents, line.days) for line in money.lines] == [(1000, 3)]
    with pytest.raises(UnknownRuleSet, match="tyollisyyspalvelu_2027"):
        check_plan(p, RS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"days_per_week": {"min": 3, "max": 2}}, "'days_per_week' must have 0 ≤ min ≤ max"),
        ({"hours_per_day": {"min": 1}}, "'hours_per_day' must have numeric 'min' and 'max'"),
        ({"name": {"fi": "x"}}, "'name' must give a text for each of fi, sv and en"),
        ({"effective_from": "1.1.2027"}, "'effective_from' must be a date as YYYY-MM-DD"),
        ({"allowance_types": []}, "'allowance_types' must be a non-empty list"),
    ],
)
def test_bad_rule_set_data_is_refused_with_the_field_named(change, message) -> None:
    with pytest.raises(RuleSetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rule_set_from_dict({**NEW_2027, **change})


@pytest.mark.parametrize(
    ("kwargs", "rule_set", "message"),
    [
        (
            {"days": (1, 5)},
            "kuntouttava",
            r"maximum days per week \(5\) is above rule set "
            r"'kuntouttava''s maximum of 4",
        ),
        ({"hours": (3, 8)}, "kuntouttava", r"minimum hours per day \(3h\) is below"),
        (
            {
                "hours": (2, 7),
                "allowance_type": "paivakorvaus",
                "start": date(2026, 9, 1),
                "end": date(2026, 11, 30),
            },
            "osallistava",
            r"maximum hours per day \(7h\) is above",
        ),
        (
            {
                "start": date(2026, 9, 1),
                "end": date(2026, 12, 31),
                "allowance_type": "paivakorvaus",
                "hours": (2, 6),
            },
            "osallistava",
            r"at most 3 months, so it must end by 2026-11-30",
        ),
        (
            {"start": date(2026, 9, 1), "end": date(2026, 10, 31)},
            "kuntouttava",
            r"at least 3 months",
        ),
        ({"weekdays": {1}, "days": (2, 4)}, "kuntouttava", r"1 agreed weekdays cannot hold"),
        (
            {"allowance_type": "paivakorvaus"},
            "kuntouttava",
            r"has no allowance type 'paivakorvaus'",
        ),
        ({"payer": "organiser"}, "kuntouttava", r"payer 'organiser' cannot pay 'kulukorvaus'"),
    ],
)
def test_a_plan_looser_than_its_rule_set_is_refused_naming_the_limit(
    kwargs, rule_set, message
) -> None:
    with pytest.raises((PlanError, RuleSetError), match=message):
        check_plan(plan(version(**kwargs), rule_set=rule_set), RS)


def test_a_stricter_plan_is_accepted_and_round_trips() -> None:
    p = plan(
        version(days=(2, 3), hours=(5, 6), weekdays={1, 3, 5}, payer="unemployment_fund"),
        version(valid_from=date(2026, 10, 1), hours=(5, 7)),
    )
    assert check_plan(p, RS).id == "kuntouttava"
    assert plan_from_dict(json.loads(json.dumps(plan_to_dict(p)))) == p
    assert p.version_on(date(2026, 9, 30)).minutes_max == 360
    assert p.version_on(date(2026, 10, 1)).minutes_max == 420
    assert p.version_on(date(2026, 8, 2)) is None


def test_malformed_plan_data_is_refused_clearly() -> None:
    with pytest.raises(PlanError, match="missing the field 'versions'"):
        plan_from_dict({"id": "x", "participant_id": "p", "site_id": "s", "rule_set": "k"})


@pytest.mark.parametrize(
    ("kwargs", "rule_set", "field", "said"),
    [
        (
            {"days": (1, 5)},
            "kuntouttava",
            "days_max",
            {
                "fi": "Päiviä viikossa enintään (5) on enemmän kuin sääntökokoelman "
                "enimmäismäärä 4.",
                "sv": "Högsta antalet dagar i veckan (5) är större än regeluppsättningens "
                "maximum 4.",
                "en": "The maximum days a week (5) is above the rule set's maximum of 4.",
            },
        ),
        (
            {"hours": (3.5, 8)},
            "kuntouttava",
            "hours_min",
            {
                "fi": "Tunteja päivässä vähintään (3,5 h) on vähemmän kuin sääntökokoelman "
                "vähimmäismäärä 4 h.",
                "en": "The minimum hours a day (3.5 h) is below the rule set's minimum of 4 h.",
            },
        ),
        (
            {"start": date(2026, 9, 1), "end": date(2026, 10, 31)},
            "kuntouttava",
            "end",
            {
                "fi": "Jakso on lyhyempi kuin sääntökokoelma sallii: vähintään 3 kuukautta, "
                "joten sen on jatkuttava 30.11.2026 asti tai pidempään.",
            },
        ),
        (
            {"weekdays": {1}, "days": (2, 4)},
            "kuntouttava",
            "weekdays",
            {"sv": "1 avtalad veckodag räcker inte till minimum 2 dagar i veckan."},
        ),
        (
            {"payer": "organiser"},
            "kuntouttava",
            "payer",
            {"fi": "Maksaja Järjestäjä ei voi maksaa tätä korvauslajia; sen maksaa "},
        ),
    ],
)
def test_a_refused_plan_is_said_in_the_readers_language_beside_its_field(
    kwargs, rule_set, field, said
) -> None:
    with pytest.raises(PlanError) as refused:
        check_plan(plan(version(**kwargs), rule_set=rule_set), RS)
    assert refused.value.field == field
    for language, text in said.items():
        assert refused.value.message(language).startswith(text)
