"""The county's own arithmetic: a period's allowance from the day records it holds.

Independent of the sender's totals: for every eligible day, the rate is looked up in
the county's rate tables (the published rule sets) by rule set, allowance type and
date; days are counted per (type, payer, rate) and multiplied out in whole cents.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from shared import RuleSets, UnknownRuleSet
from shared.errors import RuleSetError


def county_rate(rule_sets: RuleSets, rule_set: str, allowance_type: str, day: date) -> int | None:
    try:
        kind = rule_sets.get(rule_set).allowance_type(allowance_type)
    except (UnknownRuleSet, RuleSetError):
        return None
    rate = kind.rate_on(day)
    return rate.cents if rate else None


class DayRow(Protocol):
    """A stored day row, read by column name (a dict or an ``sqlite3.Row``)."""

    def __getitem__(self, name: str, /) -> Any: ...


def recompute_lines(
    days: Iterable[DayRow],
    rule_sets: RuleSets,
    rates: dict[tuple[str, str, str], int | None] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Allowance lines from stored day rows, and any problems found on the way.

    ``rates`` remembers the county rates looked up so far, by (rule set, allowance
    type, day); a caller checking many periods at once passes one dict to all.
    """
    counts: dict[tuple[str, str, int], int] = {}
    problems: list[str] = []
    known = {} if rates is None else rates
    for row in days:
        if not row["eligible"]:
            continue
        key = (row["rule_set"], row["allowance_type"], row["day"])
        if key in known:
            rate = known[key]
        else:
            rate = county_rate(rule_sets, key[0], key[1], date.fromisoformat(key[2]))
            known[key] = rate
        if rate is None:
            problems.append(f"{row['day']}: no county rate for {row['allowance_type']}")
            continue
        if rate != row["rate_cents"]:
            problems.append(f"{row['day']}: sent rate {row['rate_cents']} ≠ county rate {rate}")
        key = (row["allowance_type"], row["payer"], rate)
        counts[key] = counts.get(key, 0) + 1
    lines = [
        {"allowance_type": t, "payer": p, "rate_cents": r, "days": n, "amount_cents": r * n}
        for (t, p, r), n in sorted(counts.items())
    ]
    return lines, problems
