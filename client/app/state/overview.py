"""The site's week or month: who came when, warnings highlighted, attended against plan.

The month is one grid of participants × days; a phone shows it a week at a time
(:attr:`OverviewState.page`, moved by :meth:`OverviewState.shift_page`)."""

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
    attended: int  # present days in the span that earn the allowance
    planned: int  # at most this many by the plan
    warnings: int  # days with a not-eligible, flagged or error finding
    present: int = 0  # present days in the span, whether they earn the allowance or not


class OverviewState(StateObservable):
    def __init__(self, device: Device) -> None:
        self.device = device
        self.span = Span.WEEK
        self.anchor = device.today()
        self.start, self.end = week_bounds(self.anchor)
        self.rows: list[OverviewRow] = []
        self.closed: set[tuple[int, int]] = set()
        self.page = self.start  # the Monday of the week a phone shows of the month

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    @property
    def page_days(self) -> list[date | None]:
        """The page's week, Monday to Sunday; a day outside the span is None (the first
        and last week of a month), so each weekday keeps its column."""
        week = [self.page + timedelta(days=i) for i in range(7)]
        return [d if self.start <= d <= self.end else None for d in week]

    def shift_page(self, delta: int) -> None:
        """A week back or on (``delta`` is -1 or 1); from a month's first or last week
        into the month before or after, to the week that holds its last or first day."""
        if self.span is Span.WEEK:
            self.shift(delta)
            return
        monday = self.page + timedelta(days=7 * delta)
        if monday > self.end:
            self.load(self.end + timedelta(days=1))
        elif monday + timedelta(days=6) < self.start:
            self.load(self.start - timedelta(days=1))
        else:
            self.page = monday

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
        # a phone's page: the week of the day asked for, when that is in the span
        self.page = week_bounds(min(max(self.anchor, self.start), self.end))[0]
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
            present = sum(1 for c in cells.values() if c.status is Status.PRESENT)
            rows.append(
                OverviewRow(
                    p.id,
                    p.display_name,
                    cells,
                    attended,
                    planned_days(p.plan, self.start, self.end),
                    warnings,
                    present,
                )
            )
        self.rows = rows
