"""The plan form: reading it into a plan version, and what a change does to recorded days.

The limits are checked by ``shared.check_plan`` (the same rules and messages as
everywhere else); the preview judges the stored records with ``shared.evaluate``
under the old plan and the new one, and lists the days whose outcome changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.plans import Plan, PlanVersion
from shared.records import DayRecord
from shared.rulesets import RuleSets
from shared.validation import DayResult, evaluate
from sync_server.console.county import PLAN_TYPES

# Weekly limits and sickness runs need the weeks before the first changed day.
CONTEXT_BEFORE = timedelta(days=42)
FIELDS = (
    "plan_type",
    "rule_set",
    "valid_from",
    "start",
    "end",
    "days_min",
    "days_max",
    "hours_min",
    "hours_max",
    "allowance_type",
    "payer",
)


@dataclass(frozen=True, slots=True)
class PlanInput:
    plan_type: str
    rule_set_id: str
    version: PlanVersion


@dataclass(frozen=True, slots=True)
class DayChange:
    day: date
    before: DayResult
    after: DayResult

    @property
    def lost(self) -> bool:
        return self.before.eligible and not self.after.eligible

    @property
    def gained(self) -> bool:
        return self.after.eligible and not self.before.eligible


@dataclass(frozen=True, slots=True)
class Preview:
    recorded: int  # recorded days from the change's first day on
    changes: tuple[DayChange, ...]

    @property
    def lost(self) -> list[DayChange]:
        return [c for c in self.changes if c.lost]

    @property
    def gained(self) -> list[DayChange]:
        return [c for c in self.changes if c.gained]

    @property
    def other(self) -> list[DayChange]:
        return [c for c in self.changes if not c.lost and not c.gained]


def form_values(form: Mapping[str, Any], weekdays: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in FIELDS}
    values["weekdays"] = [w for w in weekdays if w in {"1", "2", "3", "4", "5", "6", "7"}]
    return values


def values_of(plan: Plan, plan_type: str | None, version: PlanVersion) -> dict[str, Any]:
    """A stored version as form values (to start a new version from)."""
    return {
        "plan_type": plan_type or "",
        "rule_set": plan.rule_set_id,
        "valid_from": version.valid_from.isoformat(),
        "start": version.start.isoformat(),
        "end": version.end.isoformat(),
        "days_min": str(version.days_min),
        "days_max": str(version.days_max),
        "hours_min": _hours(version.minutes_min),
        "hours_max": _hours(version.minutes_max),
        "allowance_type": version.allowance_type,
        "payer": version.payer or "",
        "weekdays": [str(d) for d in sorted(version.weekdays or ())],
    }


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def read_plan(
    values: Mapping[str, Any], rule_sets: RuleSets, _: Callable[[str], str]
) -> tuple[PlanInput | None, dict[str, str]]:
    """The form as a plan version, or the problems by field (in the reader's language)."""
    errors: dict[str, str] = {}
    if values["plan_type"] not in PLAN_TYPES:
        errors["plan_type"] = _("Choose the plan's type.")
    if values["rule_set"] not in rule_sets:
        errors["rule_set"] = _("Choose the rule set.")
    days: dict[str, date] = {}
    for name in ("valid_from", "start", "end"):
        try:
            days[name] = date.fromisoformat(values[name])
        except ValueError:
            errors[name] = _("Give a date (day, month and year).")
    numbers: dict[str, float] = {}
    for name in ("days_min", "days_max"):
        try:
            numbers[name] = int(values[name])
        except ValueError:
            errors[name] = _("Give a whole number of days.")
    for name in ("hours_min", "hours_max"):
        try:
            hours = float(values[name].replace(",", "."))
            if hours * 4 != int(hours * 4):
                raise ValueError(name)
            numbers[name] = hours
        except ValueError:
            errors[name] = _("Give hours to the quarter hour, e.g. 4 or 4,5.")
    if not values["allowance_type"]:
        errors["allowance_type"] = _("Choose the allowance type.")
    if errors:
        return None, errors
    weekdays = frozenset(int(w) for w in values["weekdays"]) if values["weekdays"] else None
    version = PlanVersion(
        valid_from=days["valid_from"],
        start=days["start"],
        end=days["end"],
        days_min=int(numbers["days_min"]),
        days_max=int(numbers["days_max"]),
        minutes_min=round(numbers["hours_min"] * 60),
        minutes_max=round(numbers["hours_max"] * 60),
        allowance_type=values["allowance_type"],
        payer=values["payer"] or None,
        weekdays=weekdays,
    )
    return PlanInput(values["plan_type"], values["rule_set"], version), {}


def preview(
    old: Plan | None,
    new: Plan,
    records: list[DayRecord],
    rule_sets: RuleSets,
    *,
    since: date,
    today: date,
) -> Preview:
    """What ``new`` does to the days recorded from ``since`` on, compared with ``old``."""
    recorded = sorted({r.day for r in records if r.day >= since})
    if not recorded:
        return Preview(0, ())
    after = evaluate(new, records, rule_sets, today=today, start=since, week_notices=False)
    if old is None:
        return Preview(len(recorded), ())
    before = evaluate(old, records, rule_sets, today=today, start=since, week_notices=False)
    changes = []
    for day in recorded:
        b, a = before.days.get(day), after.days.get(day)
        if b is None or a is None:
            continue
        if b.eligible != a.eligible or {f.code for f in b.findings} != {f.code for f in a.findings}:
            changes.append(DayChange(day, b, a))
    return Preview(len(recorded), tuple(changes))
