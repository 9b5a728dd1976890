"""Payment periods and absence-report periods: which dates belong together.

A day belongs to the period of its ``day`` field, which is already the Finnish local
date; the instant it was recorded or received never moves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from shared import month_bounds

from .errors import ForwardConfigError

# Two-week periods count from a Monday; 1.1.2024 was a Monday (ISO week 1).
DEFAULT_ANCHOR = date(2024, 1, 1)


class PeriodKind(StrEnum):
    MONTH = "month"
    TWO_WEEKS = "two_weeks"


@dataclass(frozen=True, slots=True)
class PeriodScheme:
    kind: PeriodKind
    anchor: date = DEFAULT_ANCHOR  # only used by two-week periods

    def __post_init__(self) -> None:
        if self.kind is PeriodKind.TWO_WEEKS and self.anchor.isoweekday() != 1:
            raise ForwardConfigError(
                f"A two-week period must start on a Monday; {self.anchor.isoformat()} is not one."
            )

    def period_of(self, day: date) -> tuple[date, date]:
        """The first and last day of the period containing ``day``."""
        if self.kind is PeriodKind.MONTH:
            return month_bounds(day.year, day.month)
        offset = (day - self.anchor).days // 14
        start = self.anchor + timedelta(days=14 * offset)
        return start, start + timedelta(days=13)

    def periods_between(self, first: date, last: date) -> list[tuple[date, date]]:
        """Every period overlapping [first, last], in order."""
        out: list[tuple[date, date]] = []
        day = first
        while day <= last:
            period = self.period_of(day)
            out.append(period)
            day = period[1] + timedelta(days=1)
        return out

    def describe(self) -> dict[str, str]:
        if self.kind is PeriodKind.MONTH:
            return {"kind": self.kind.value}
        return {"kind": self.kind.value, "anchor": self.anchor.isoformat()}


def parse_scheme(kind: str, anchor: str | None = None) -> PeriodScheme:
    try:
        parsed = PeriodKind(kind)
    except ValueError:
        raise ForwardConfigError(
            f"Unknown period kind {kind!r}; use one of: {', '.join(k.value for k in PeriodKind)}."
        ) from None
    if anchor is None:
        return PeriodScheme(parsed)
    try:
        return PeriodScheme(parsed, date.fromisoformat(anchor))
    except ValueError:
        raise ForwardConfigError(
            f"The period anchor {anchor!r} is not a date as YYYY-MM-DD."
        ) from None
