"""Plans: what the county agreed with one participant, as versions valid from a date.

A plan is made by the county, never on a device. It may be stricter than its rule
set, never looser: :func:`check_plan` refuses a looser plan with an error that names
the limit it breaks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.errors import PlanError, RuleSetError
from shared.i18n import N_, NN_, Text
from shared.messages import format_hours, term
from shared.rulesets import RuleSet, RuleSets


@dataclass(frozen=True, slots=True)
class PlanVersion:
    """The plan as it reads from ``valid_from`` until the next version."""

    valid_from: date
    start: date
    end: date
    days_min: int
    days_max: int
    minutes_min: int
    minutes_max: int
    allowance_type: str
    payer: str | None = None  # None: the allowance type's default payer
    weekdays: frozenset[int] | None = None  # ISO weekdays 1=Mon … 7=Sun; None: any

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    participant_id: str
    site_id: str
    rule_set_id: str
    versions: tuple[PlanVersion, ...]  # sorted by valid_from

    def version_on(self, day: date) -> PlanVersion | None:
        """The version valid on ``day`` (the latest one whose ``valid_from`` ≤ day)."""
        found: PlanVersion | None = None
        for v in self.versions:
            if v.valid_from <= day:
                found = v
            else:
                break
        return found

    @property
    def latest(self) -> PlanVersion:
        return self.versions[-1]


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def plan_for_day(plans: Sequence[Plan], day: date) -> Plan | None:
    """The plan that judges ``day``: the one covering it, else the latest begun before it."""
    if len(plans) < 2:  # the usual one plan judges every day, whatever the rules below say
        return plans[0] if plans else None
    covering = [p for p in plans if (v := p.version_on(day)) is not None and v.covers(day)]
    if covering:
        return max(covering, key=lambda p: p.versions[0].start)
    begun = [p for p in plans if p.versions[0].valid_from <= day]
    if begun:
        return max(begun, key=lambda p: p.versions[0].start)
    return min(plans, key=lambda p: p.versions[0].start)


def check_plan(plan: Plan, rule_sets: RuleSets) -> RuleSet:
    """Refuse a plan that breaks its rule set; return the rule set when it fits."""
    rs = rule_sets.get(plan.rule_set_id)
    if not plan.versions:
        raise PlanError(f"Plan '{plan.id}' has no versions.")
    froms = [v.valid_from for v in plan.versions]
    if froms != sorted(froms) or len(set(froms)) != len(froms):
        raise PlanError(f"Plan '{plan.id}': versions must have distinct, increasing 'valid_from'.")
    for v in plan.versions:
        check_version(plan.id, v, rs)
    return rs


# What check_plan says to a person at a plan form, by problem; the English str() of the
# error stays the longer sentence with the plan's id, for logs and import reports.
PLAN_PROBLEMS: Mapping[str, Text] = {
    "end_before_start": N_("The end date {end} is before the start date {start}."),
    "rule_set_not_in_force": N_("The rule set is not in force on the start date {start}."),
    "period_too_long": NN_(
        "The period is longer than the rule set allows: at most {months} month, so it must "
        "end by {last}.",
        "The period is longer than the rule set allows: at most {months} months, so it must "
        "end by {last}.",
        "months",
    ),
    "period_too_short": NN_(
        "The period is shorter than the rule set allows: at least {months} month, so it must "
        "run to {last} or later.",
        "The period is shorter than the rule set allows: at least {months} months, so it must "
        "run to {last} or later.",
        "months",
    ),
    "days_min_above_max": N_("The minimum days a week ({low}) is above the maximum ({high})."),
    "days_below_rule_set": N_(
        "The minimum days a week ({low}) is below the rule set's minimum of {limit}."
    ),
    "days_above_rule_set": N_(
        "The maximum days a week ({high}) is above the rule set's maximum of {limit}."
    ),
    "hours_min_above_max": N_("The minimum hours a day ({low} h) is above the maximum ({high} h)."),
    "hours_below_rule_set": N_(
        "The minimum hours a day ({low} h) is below the rule set's minimum of {limit} h."
    ),
    "hours_above_rule_set": N_(
        "The maximum hours a day ({high} h) is above the rule set's maximum of {limit} h."
    ),
    "weekdays_invalid": N_("Agreed weekdays must be days from Monday to Sunday."),
    "weekdays_too_few": NN_(
        "{count} agreed weekday cannot hold the minimum of {low} days a week.",
        "{count} agreed weekdays cannot hold the minimum of {low} days a week.",
        "count",
    ),
    "allowance_type_unknown": N_("The rule set has no such allowance type."),
    "payer_not_allowed": N_("{payer} cannot pay this allowance type; it is paid by {payers}."),
}


def _day(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"  # d.M.yyyy in every language, as in Finland


def _hours(minutes: int) -> Callable[[str], str]:
    # the reader's decimal mark: 4,5 in Finnish and Swedish, 4.5 in English
    return lambda language: format_hours(minutes, language)


def _refuse(english: str, problem: str, field: str, **params: Any) -> PlanError:
    return PlanError(english, text=PLAN_PROBLEMS[problem], field=field, params=params)


def check_version(plan_id: str, v: PlanVersion, rs: RuleSet) -> None:
    where = f"Plan '{plan_id}' (version from {v.valid_from.isoformat()})"
    if v.end < v.start:
        raise _refuse(
            f"{where}: the end date {v.end} is before the start date {v.start}.",
            "end_before_start",
            "end",
            end=_day(v.end),
            start=_day(v.start),
        )
    if not rs.in_force(v.start):
        raise _refuse(
            f"{where}: rule set '{rs.id}' is not in force on {v.start}.",
            "rule_set_not_in_force",
            "rule_set",
            start=_day(v.start),
        )
    longest = add_months(v.start, rs.period_months.max) - timedelta(days=1)
    if v.end > longest:
        raise _refuse(
            f"{where}: the period {v.start}–{v.end} is longer than rule set '{rs.id}' allows "
            f"(at most {rs.period_months.max} months, so it must end by {longest}).",
            "period_too_long",
            "end",
            months=rs.period_months.max,
            last=_day(longest),
        )
    shortest = add_months(v.start, rs.period_months.min) - timedelta(days=1)
    if v.end < shortest:
        raise _refuse(
            f"{where}: the period {v.start}–{v.end} is shorter than rule set '{rs.id}' allows "
            f"(at least {rs.period_months.min} months, so it must run to {shortest} or later).",
            "period_too_short",
            "end",
            months=rs.period_months.min,
            last=_day(shortest),
        )
    _within(
        where,
        "days",
        v.days_min,
        v.days_max,
        rs.days_per_week.min,
        rs.days_per_week.max,
        rs.id,
    )
    _within(
        where,
        "hours",
        v.minutes_min,
        v.minutes_max,
        rs.minutes_per_day.min,
        rs.minutes_per_day.max,
        rs.id,
    )
    if v.weekdays is not None:
        if not v.weekdays or not v.weekdays <= set(range(1, 8)):
            raise _refuse(
                f"{where}: agreed weekdays must be ISO weekday numbers 1–7.",
                "weekdays_invalid",
                "weekdays",
            )
        if len(v.weekdays) < v.days_min:
            raise _refuse(
                f"{where}: {len(v.weekdays)} agreed weekdays cannot hold the minimum of "
                f"{v.days_min} days per week.",
                "weekdays_too_few",
                "weekdays",
                count=len(v.weekdays),
                low=v.days_min,
            )
    try:
        allowance = rs.allowance_type(v.allowance_type)
    except RuleSetError as exc:
        raise PlanError(
            str(exc), text=PLAN_PROBLEMS["allowance_type_unknown"], field="allowance_type"
        ) from None
    if v.payer is not None and v.payer not in allowance.payers:
        names = allowance.payers
        raise _refuse(
            f"{where}: payer '{v.payer}' cannot pay '{allowance.id}'; "
            f"allowed payers: {', '.join(names)}.",
            "payer_not_allowed",
            "payer",
            payer=_payer(v.payer),
            payers=lambda language: ", ".join(_payer(p)(language) for p in names),
        )


def _payer(code: str) -> Callable[[str], str]:
    def name(language: str) -> str:
        try:
            return term(f"payer.{code}", language)
        except KeyError:  # a payer the texts do not know is shown as its code
            return code

    return name


def _within(
    where: str,
    what: str,
    lo: int,
    hi: int,
    rs_lo: int,
    rs_hi: int,
    rs_id: str,
) -> None:
    # days are counted as they are; hours are kept in minutes and shown as hours
    hours = what == "hours"
    words = "hours per day" if hours else "days per week"
    field = "hours" if hours else "days"

    def fmt(x: int) -> str:
        return f"{x / 60:g}h" if hours else f"{x:g}"

    def say(x: int) -> Any:
        return _hours(x) if hours else x

    if lo > hi:
        raise _refuse(
            f"{where}: the minimum {words} ({fmt(lo)}) is above the maximum ({fmt(hi)}).",
            f"{what}_min_above_max",
            f"{field}_min",
            low=say(lo),
            high=say(hi),
        )
    if lo < rs_lo:
        raise _refuse(
            f"{where}: the minimum {words} ({fmt(lo)}) is below rule set '{rs_id}''s "
            f"minimum of {fmt(rs_lo)}.",
            f"{what}_below_rule_set",
            f"{field}_min",
            low=say(lo),
            limit=say(rs_lo),
        )
    if hi > rs_hi:
        raise _refuse(
            f"{where}: the maximum {words} ({fmt(hi)}) is above rule set '{rs_id}''s "
            f"maximum of {fmt(rs_hi)}.",
            f"{what}_above_rule_set",
            f"{field}_max",
            high=say(hi),
            limit=say(rs_hi),
        )


def plan_from_dict(data: Mapping[str, Any]) -> Plan:
    """Parse a plan's wire/import form. Hours are given as numbers (4 or 4.5)."""
    try:
        versions_raw: Sequence[Mapping[str, Any]] = data["versions"]
        versions = tuple(
            sorted((_version_from_dict(v) for v in versions_raw), key=lambda v: v.valid_from)
        )
        return Plan(
            id=str(data["id"]),
            participant_id=str(data["participant_id"]),
            site_id=str(data["site_id"]),
            rule_set_id=str(data["rule_set"]),
            versions=versions,
        )
    except KeyError as exc:
        raise PlanError(f"A plan is missing the field {exc.args[0]!r}.") from None
    except (TypeError, ValueError) as exc:
        raise PlanError(f"A plan has a malformed field: {exc}.") from None


def _version_from_dict(v: Mapping[str, Any]) -> PlanVersion:
    weekdays = v.get("weekdays")
    return PlanVersion(
        valid_from=date.fromisoformat(v["valid_from"]),
        start=date.fromisoformat(v["start"]),
        end=date.fromisoformat(v["end"]),
        days_min=int(v["days_per_week"]["min"]),
        days_max=int(v["days_per_week"]["max"]),
        minutes_min=round(float(v["hours_per_day"]["min"]) * 60),
        minutes_max=round(float(v["hours_per_day"]["max"]) * 60),
        allowance_type=str(v["allowance_type"]),
        payer=str(v["payer"]) if v.get("payer") is not None else None,
        weekdays=frozenset(int(d) for d in weekdays) if weekdays is not None else None,
    )


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "participant_id": plan.participant_id,
        "site_id": plan.site_id,
        "rule_set": plan.rule_set_id,
        "versions": [
            {
                "valid_from": v.valid_from.isoformat(),
                "start": v.start.isoformat(),
                "end": v.end.isoformat(),
                "days_per_week": {"min": v.days_min, "max": v.days_max},
                "hours_per_day": {"min": v.minutes_min / 60, "max": v.minutes_max / 60},
                "allowance_type": v.allowance_type,
                "payer": v.payer,
                "weekdays": sorted(v.weekdays) if v.weekdays is not None else None,
            }
            for v in plan.versions
        ],
    }
