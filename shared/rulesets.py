"""Rule sets: the statutory limits of one kind of work activity, as data.

The law changes (kuntouttava työtoiminta is to be replaced in 2027), so a rule set is
never code: it is a record with an effective date range that the validation engine
reads. The built-in ones live in ``shared/data/rulesets.json``; an organiser or the
server can load more with :func:`rule_set_from_dict` without touching any code.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from shared.errors import RuleSetError, UnknownRuleSet

LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True, slots=True)
class Rate:
    """A daily amount in euro cents, in force from ``valid_from`` to ``valid_to`` (inclusive)."""

    valid_from: date
    valid_to: date | None
    cents: int

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class AllowanceType:
    id: str
    name: Mapping[str, str]
    payer: str  # the default payer; a plan may name another one from ``payers``
    payers: tuple[str, ...]
    rates: tuple[Rate, ...]

    def rate_on(self, day: date) -> Rate | None:
        return next((r for r in self.rates if r.covers(day)), None)


@dataclass(frozen=True, slots=True)
class Range:
    min: int
    max: int


@dataclass(frozen=True, slots=True)
class RuleSet:
    id: str
    name: Mapping[str, str]
    legal_basis: str
    effective_from: date
    effective_to: date | None
    period_months: Range
    days_per_week: Range
    minutes_per_day: Range  # hours per day, kept in minutes (quarter hours are common)
    counted_minutes_cap: int
    allowance_types: tuple[AllowanceType, ...]

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def allowance_type(self, type_id: str) -> AllowanceType:
        for t in self.allowance_types:
            if t.id == type_id:
                return t
        known = ", ".join(t.id for t in self.allowance_types)
        raise RuleSetError(
            f"Rule set '{self.id}' has no allowance type '{type_id}'; known types: {known}."
        )


class RuleSets:
    """A registry of rule sets by id (the built-in ones plus any added as data)."""

    def __init__(self, rule_sets: Iterable[RuleSet] = ()) -> None:
        self._by_id: dict[str, RuleSet] = {}
        for rs in rule_sets:
            self.add(rs)

    def add(self, rule_set: RuleSet) -> None:
        if rule_set.id in self._by_id:
            raise RuleSetError(f"Rule set '{rule_set.id}' is defined twice.")
        self._by_id[rule_set.id] = rule_set

    def get(self, rule_set_id: str) -> RuleSet:
        try:
            return self._by_id[rule_set_id]
        except KeyError:
            known = ", ".join(sorted(self._by_id))
            raise UnknownRuleSet(
                f"Unknown rule set '{rule_set_id}'; known rule sets: {known}."
            ) from None

    def __iter__(self) -> Any:
        return iter(self._by_id.values())

    def __contains__(self, rule_set_id: object) -> bool:
        return rule_set_id in self._by_id

    def with_added(self, *rule_sets: RuleSet) -> RuleSets:
        return RuleSets([*self._by_id.values(), *rule_sets])


@cache
def builtin_rule_sets() -> RuleSets:
    """The rule sets shipped with Läsnä (figures from domain.md)."""
    text = resources.files("shared").joinpath("data/rulesets.json").read_text("utf-8")
    return rule_sets_from_json(text)


def rule_sets_from_json(text: str) -> RuleSets:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleSetError(f"Rule set file is not valid JSON: {exc}.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("rule_sets"), list):
        raise RuleSetError("Rule set file must be an object with a list 'rule_sets'.")
    return RuleSets(rule_set_from_dict(item) for item in doc["rule_sets"])


def rule_set_from_dict(data: Mapping[str, Any]) -> RuleSet:
    """Build a rule set from its data form; raise :class:`RuleSetError` naming the field."""
    rs_id = _req(data, "id", str, "rule set")
    where = f"rule set '{rs_id}'"
    name = _names(data, where)
    effective_from = _date(_req(data, "effective_from", str, where), "effective_from", where)
    to_raw = data.get("effective_to")
    effective_to = _date(to_raw, "effective_to", where) if to_raw is not None else None
    if effective_to is not None and effective_to < effective_from:
        raise RuleSetError(f"In {where}, 'effective_to' is before 'effective_from'.")
    period = _range(data, "period_months", where, scale=1)
    days = _range(data, "days_per_week", where, scale=1)
    if days.max > 7:
        raise RuleSetError(f"In {where}, 'days_per_week.max' cannot exceed 7.")
    minutes = _range(data, "hours_per_day", where, scale=60)
    if minutes.max > 24 * 60:
        raise RuleSetError(f"In {where}, 'hours_per_day.max' cannot exceed 24.")
    cap = round(float(data.get("counted_hours_cap", minutes.max / 60)) * 60)
    types_raw = data.get("allowance_types")
    if not isinstance(types_raw, list) or not types_raw:
        raise RuleSetError(f"In {where}, 'allowance_types' must be a non-empty list.")
    types = tuple(_allowance_type(t, where) for t in types_raw)
    return RuleSet(
        id=rs_id,
        name=name,
        legal_basis=_req(data, "legal_basis", str, where),
        effective_from=effective_from,
        effective_to=effective_to,
        period_months=period,
        days_per_week=days,
        minutes_per_day=minutes,
        counted_minutes_cap=cap,
        allowance_types=types,
    )


def rule_set_to_dict(rs: RuleSet) -> dict[str, Any]:
    """The data form (inverse of :func:`rule_set_from_dict`), used on the wire."""
    return {
        "id": rs.id,
        "name": dict(rs.name),
        "legal_basis": rs.legal_basis,
        "effective_from": rs.effective_from.isoformat(),
        "effective_to": rs.effective_to.isoformat() if rs.effective_to else None,
        "period_months": {"min": rs.period_months.min, "max": rs.period_months.max},
        "days_per_week": {"min": rs.days_per_week.min, "max": rs.days_per_week.max},
        "hours_per_day": {"min": rs.minutes_per_day.min / 60, "max": rs.minutes_per_day.max / 60},
        "counted_hours_cap": rs.counted_minutes_cap / 60,
        "allowance_types": [
            {
                "id": t.id,
                "name": dict(t.name),
                "payer": t.payer,
                "payers": list(t.payers),
                "rates": [
                    {
                        "from": r.valid_from.isoformat(),
                        "to": r.valid_to.isoformat() if r.valid_to else None,
                        "cents": r.cents,
                    }
                    for r in t.rates
                ],
            }
            for t in rs.allowance_types
        ],
    }


def _allowance_type(data: Any, where: str) -> AllowanceType:
    if not isinstance(data, Mapping):
        raise RuleSetError(f"In {where}, each allowance type must be an object.")
    type_id = _req(data, "id", str, where)
    here = f"{where}, allowance type '{type_id}'"
    payer = _req(data, "payer", str, here)
    payers_raw = data.get("payers", [payer])
    if not isinstance(payers_raw, list) or not all(isinstance(p, str) for p in payers_raw):
        raise RuleSetError(f"In {here}, 'payers' must be a list of payer codes.")
    payers = tuple(payers_raw) if payer in payers_raw else (payer, *payers_raw)
    rates_raw = data.get("rates")
    if not isinstance(rates_raw, list) or not rates_raw:
        raise RuleSetError(f"In {here}, 'rates' must be a non-empty list.")
    rates: list[Rate] = []
    for r in rates_raw:
        if not isinstance(r, Mapping):
            raise RuleSetError(f"In {here}, each rate must be an object.")
        cents = r.get("cents")
        if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
            raise RuleSetError(f"In {here}, a rate's 'cents' must be a whole number ≥ 0.")
        start = _date(_req(r, "from", str, here), "from", here)
        end = _date(r["to"], "to", here) if r.get("to") is not None else None
        rates.append(Rate(start, end, cents))
    rates.sort(key=lambda r: r.valid_from)
    for a, b in itertools.pairwise(rates):
        if a.valid_to is None or a.valid_to >= b.valid_from:
            raise RuleSetError(f"In {here}, rates overlap: each must end before the next starts.")
    return AllowanceType(type_id, _names(data, here), payer, payers, tuple(rates))


def _names(data: Mapping[str, Any], where: str) -> Mapping[str, str]:
    name = data.get("name")
    if not isinstance(name, Mapping) or any(
        not isinstance(name.get(lang), str) for lang in LANGUAGES
    ):
        raise RuleSetError(f"In {where}, 'name' must give a text for each of fi, sv and en.")
    return {lang: name[lang] for lang in LANGUAGES}


def _req(data: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise RuleSetError(f"In {where}, '{key}' is required.")
    return value


def _date(value: Any, key: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RuleSetError(f"In {where}, '{key}' must be a date as YYYY-MM-DD.") from None


def _range(data: Mapping[str, Any], key: str, where: str, *, scale: int) -> Range:
    raw = data.get(key)
    if not isinstance(raw, Mapping):
        raise RuleSetError(f"In {where}, '{key}' must be an object with 'min' and 'max'.")
    try:
        lo, hi = round(float(raw["min"]) * scale), round(float(raw["max"]) * scale)
    except (KeyError, TypeError, ValueError):
        raise RuleSetError(f"In {where}, '{key}' must have numeric 'min' and 'max'.") from None
    if lo < 0 or hi < lo:
        raise RuleSetError(f"In {where}, '{key}' must have 0 ≤ min ≤ max.")
    return Range(lo, hi)
