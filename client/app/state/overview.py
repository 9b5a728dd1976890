"""The site's week or month: who came when, warnings highlighted, attended against plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from client.app.state.device import Device
from client.app.state.observable import StateObservable
from shared import evaluate, expected_on, planned_days, window_bounds
from shared.calendar import month_bounds, week_bounds
from shared.findings import Severity
from shared.records import Status, current_records

_RANK = {Severity.ERROR: 0, Severity.NOT_ELIGIBLE: 1, Severity.FLAGGED: 2, Severity.NOTICE: 3}


class Span(StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Cell:
    status: Status | None
    eligible: bool
    worst: Severity | None  # the most serious finding of the day
    expected: bool


@dataclass(frozen=True)
class OverviewRow:
    participant_id: str
    name: str
    cells: dict[date, Cell]
    attended: int  # eligible present days in the span
    planned: int  # at most this many by the plan
    warnings: int  # days with a not-eligible, flagged or error finding


class OverviewState(StateObservable):
    def __init__(self, device: Device) -> None:
        self.device = device
        self.span = Span.WEEK
        self.anchor = device.today()
        self.start, self.end = week_bounds(self.anchor)
        self.rows: list[OverviewRow] = []
        self.closed: set[tuple[int, int]] = set()

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def set_span(self, span: Span) -> None:
        self.span = span
        self.load()

    def shift(self, delta: int) -> None:
        if self.span is Span.WEEK:
            self.anchor += timedelta(days=7 * delta)
        else:
            index = self.anchor.year * 12 + self.anchor.month - 1 + delta
            self.anchor = date(index // 12, index % 12 + 1, 1)
        self.load()

    def load(self, anchor: date | None = None) -> None:
        if anchor is not None:
            self.anchor = anchor
        if self.span is Span.WEEK:
            self.start, self.end = week_bounds(self.anchor)
        else:
            self.start, self.end = month_bounds(self.anchor.year, self.anchor.month)
        store = self.device.store
        now = self.device.now()
        today = self.device.today()
        lo, _monday, hi = window_bounds(self.start, self.end)
        versions = store.site_versions(lo, hi, now=now)
        current = current_records(versions)
        rule_sets = store.rule_sets()
        self.closed = store.closed_months()
        rows: list[OverviewRow] = []
        for p in sorted(store.participants(now=now), key=lambda p: p.display_name.casefold()):
            results = (
                evaluate(
                    p.plan, versions, rule_sets, today=today, start=self.start, end=self.end
                ).days
                if p.plan is not None
                else {}
            )
            cells: dict[date, Cell] = {}
            warnings = 0
            for day in self.days:
                record = current.get((p.id, day))
                result = results.get(day)
                severities = [f.severity for f in result.findings] if result else []
                worst = min(severities, key=_RANK.__getitem__) if severities else None
                if worst in (Severity.ERROR, Severity.NOT_ELIGIBLE, Severity.FLAGGED):
                    warnings += 1
                cells[day] = Cell(
                    record.status if record else None,
                    bool(result and result.eligible),
                    worst,
                    expected_on(p.plan, day),
                )
            attended = sum(1 for c in cells.values() if c.eligible)
            rows.append(
                OverviewRow(
                    p.id,
                    p.display_name,
                    cells,
                    attended,
                    planned_days(p.plan, self.start, self.end),
                    warnings,
                )
            )
        self.rows = rows
