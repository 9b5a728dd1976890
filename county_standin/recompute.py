"""The county's own arithmetic: a period's allowance from the day records it holds.

Independent of the sender's totals: for every eligible day, the rate is looked up in
the county's rate tables (the published rule sets) by rule set, allowance type and
date; days are counted per (type, payer, rate) and multiplied out in whole cents.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from shared import RuleSets, UnknownRuleSet
from shared.errors import RuleSetError


def county_rate(
    rule_sets: RuleSets, rule_set: str, allowance_type: str | None, day: date
) -> int | None:
    if allowance_type is None:
        return None
    try:
        kind = rule_sets.get(rule_set).allowance_type(allowance_type)
    except (UnknownRuleSet, RuleSetError):
        return None
    rate = kind.rate_on(day)
    return rate.cents if rate else None


class DayRow(NamedTuple):
    """What the county's arithmetic reads of a stored day."""

    day: str
    eligible: int
    rule_set: str
    allowance_type: str | None
    payer: str | None
    rate_cents: int


# The columns of table ``days`` a DayRow is made of, in its order.
DAY_ROW_COLUMNS = "day, eligible, rule_set, allowance_type, payer, rate_cents"


def recompute_lines(
    days: Iterable[DayRow],
    rule_sets: RuleSets,
    rates: dict[tuple[str, str | None, str], int | None] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Allowance lines from stored day rows, and any problems found on the way.

    ``rates`` remembers the county rates looked up so far, by (rule set, allowance
    type, day); a caller checking many periods at once passes one dict to all.
    """
    counts: dict[tuple[str | None, str | None, int], int] = {}
    problems: list[str] = []
    known = {} if rates is None else rates
    for day, eligible, rule_set, allowance_type, payer, sent_rate in days:
        if not eligible:
            continue
        key = (rule_set, allowance_type, day)
        if key in known:
            rate = known[key]
        else:
            rate = county_rate(rule_sets, rule_set, allowance_type, date.fromisoformat(day))
            known[key] = rate
        if rate is None:
            problems.append(f"{day}: no county rate for {allowance_type}")
            continue
        if rate != sent_rate:
            problems.append(f"{day}: sent rate {sent_rate} ≠ county rate {rate}")
        line = (allowance_type, payer, rate)
        counts[line] = counts.get(line, 0) + 1
    lines = [
        {"allowance_type": t, "payer": p, "rate_cents": r, "days": n, "amount_cents": r * n}
        for (t, p, r), n in sorted(counts.items())
    ]
    return lines, problems
