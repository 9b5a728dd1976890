"""Closing the month for the site: a summary of what is still open, then a confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from client.app.state.device import Device
from client.app.state.errors import InputProblem
from client.app.state.observable import StateObservable
from client.app.texts.dates import fmt_date
from shared import evaluate, expected_on, window_bounds
from shared.calendar import month_bounds, month_is_over
from shared.findings import Finding, Severity
from shared.records import current_records

OPEN_SEVERITIES = (Severity.ERROR, Severity.NOT_ELIGIBLE, Severity.FLAGGED, Severity.NOTICE)


@dataclass(frozen=True)
class OpenItem:
    participant_id: str
    name: str
    finding: Finding


@dataclass(frozen=True)
class Unmarked:
    participant_id: str
    name: str
    day: date


class MonthState(StateObservable):
    def __init__(self, device: Device) -> None:
        self.device = device
        today = device.today()
        self.month: tuple[int, int] = (today.year, today.month)
        self.closed = False
        self.findings: list[OpenItem] = []
        self.unmarked: list[Unmarked] = []
        self.records = 0
        self.confirming = False
        self.over = False  # the month's last day has passed in Helsinki: it may be closed

    def load(self, month: tuple[int, int] | None = None) -> None:
        if month is not None:
            self.month = month
        self.confirming = False
        store = self.device.store
        now = self.device.now()
        today = self.device.today()
        first, last = month_bounds(*self.month)
        lo, _monday, hi = window_bounds(first, last)
        versions = store.site_versions(lo, hi, now=now)
        current = current_records(versions)
        rule_sets = store.rule_sets()
        self.closed = self.month in store.closed_months()
        self.over = month_is_over(*self.month, today)
        findings: list[OpenItem] = []
        unmarked: list[Unmarked] = []
        records = 0
        for p in sorted(store.participants(now=now), key=lambda p: p.display_name.casefold()):
            if p.plan is None:
                continue
            evaluation = evaluate(p.plan, versions, rule_sets, today=today, start=first, end=last)
            for result in sorted(evaluation.days.values(), key=lambda r: r.day):
                records += 1
                findings.extend(
                    OpenItem(p.id, p.display_name, f)
                    for f in result.findings
                    if f.severity in OPEN_SEVERITIES
                )
            for week in sorted(evaluation.weeks):
                findings.extend(OpenItem(p.id, p.display_name, f) for f in evaluation.weeks[week])
            day = first
            while day <= min(last, today):
                if expected_on(p.plan, day) and (p.id, day) not in current:
                    unmarked.append(Unmarked(p.id, p.display_name, day))
                day += timedelta(days=1)
        self.findings, self.unmarked, self.records = findings, unmarked, records

    @property
    def first_closing_day(self) -> date:
        """The day after the month's last day: the first day it may be closed."""
        return month_bounds(*self.month)[1] + timedelta(days=1)

    def by_severity(self) -> dict[Severity, int]:
        """How many open findings of each severity, most serious first."""
        counts = {severity: 0 for severity in OPEN_SEVERITIES}
        for item in self.findings:
            counts[item.finding.severity] += 1
        return counts

    def shift(self, delta: int) -> None:
        index = self.month[0] * 12 + self.month[1] - 1 + delta
        self.load((index // 12, index % 12 + 1))

    def ask_to_close(self) -> None:
        """First step: the summary is on screen; now ask for the confirmation."""
        self.confirming = True

    def cancel(self) -> None:
        self.confirming = False

    def close(self, *, acknowledged: bool = False) -> bool:
        """Second step, after the confirmation: the month is closed for the site.

        Without the first step it only asks (returns False): closing never happens
        on one tap. Only a month whose last day has passed (the server refuses others
        too), and with expected days unmarked only when ``acknowledged`` (the
        supervisor saw the list and said so)."""
        if not self.over:
            raise InputProblem("month.not_over", day=fmt_date(self.first_closing_day))
        if not self.confirming:
            self.ask_to_close()
            return False
        if self.unmarked and not acknowledged:
            raise InputProblem("month.unmarked_not_acknowledged", count=len(self.unmarked))
        self.device.store.close_month(*self.month, now=self.device.now())
        self.load()
        return True
