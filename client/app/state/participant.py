"""One participant: the plan in plain words, this week and month against the limits,
and every day's findings and eligibility where the record is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from client.app.state.device import Device
from client.app.state.errors import NotReady
from client.app.state.history import supervisor_names
from client.app.state.observable import StateObservable
from client.store import Participant
from shared import evaluate, window_bounds
from shared.calendar import iso_week, month_bounds, week_bounds
from shared.findings import Finding
from shared.plans import PlanVersion
from shared.protocol import SiteRequest
from shared.records import DayRecord, Status
from shared.rulesets import RuleSet
from shared.validation import DayResult


@dataclass(frozen=True)
class PeriodCount:
    label: tuple[int, int]  # (ISO year, week) or (year, month)
    present: int  # present days recorded
    eligible: int  # of which earn the allowance
    limit: int | None  # the plan's weekly maximum (weeks only)


class ParticipantState(StateObservable):
    def __init__(self, device: Device) -> None:
        self.device = device
        self.participant: Participant | None = None
        self.day: date = device.today()  # the day the screen was opened for
        self.month: tuple[int, int] = (self.day.year, self.day.month)
        self.version: PlanVersion | None = None
        self.rule_set: RuleSet | None = None
        self.week = PeriodCount(iso_week(self.day), 0, 0, None)
        self.month_count = PeriodCount(self.month, 0, 0, None)
        self.days: list[DayResult] = []  # the month's days with a record, newest first
        self.week_findings: list[Finding] = []  # week-level notices in the month
        self.closed = False
        # Days the county returned, until a version of the day is saved after the return.
        self.requests: dict[date, SiteRequest] = {}
        self.names: dict[str, str] = {}  # supervisors of this device, by id (who recorded)

    def open(self, participant_id: str, day: date | None = None) -> None:
        self.day = day or self.device.today()
        self.month = (self.day.year, self.day.month)
        self._load(participant_id)

    def reload(self) -> None:
        if self.participant is not None:
            self._load(self.participant.id)

    def shift_month(self, delta: int) -> None:
        if self.participant is None:
            raise NotReady("participant.no_plan")
        index = self.month[0] * 12 + self.month[1] - 1 + delta
        self.month = (index // 12, index % 12 + 1)
        self._load(self.participant.id)

    def _load(self, participant_id: str) -> None:
        store = self.device.store
        now = self.device.now()
        today = self.device.today()
        found = next((p for p in store.participants(now=now) if p.id == participant_id), None)
        if found is None:
            raise NotReady("participant.no_plan")
        self.participant = found
        self.names = supervisor_names(store)
        plan = found.plan
        first, last = month_bounds(*self.month)
        self.closed = self.month in store.closed_months()
        self.version = plan.version_on(self.day) if plan else None
        self.rule_set = store.rule_sets().get(plan.rule_set_id) if plan else None
        self.days, self.week_findings = [], []
        monday, sunday = week_bounds(self.day)
        if plan is None:
            self.week = PeriodCount(iso_week(self.day), 0, 0, None)
            self.month_count = PeriodCount(self.month, 0, 0, None)
            return
        lo, _monday, hi = window_bounds(min(first, monday), max(last, sunday))
        versions = store.versions(participant_id, lo, hi, now=now)
        month_eval = evaluate(plan, versions, store.rule_sets(), today=today, start=first, end=last)
        week_eval = evaluate(
            plan, versions, store.rule_sets(), today=today, start=monday, end=sunday
        )
        self.week = _count(
            iso_week(self.day),
            week_eval.days.values(),
            self.version.days_max if self.version else None,
        )
        self.month_count = _count(self.month, month_eval.days.values(), None)
        self.days = sorted(month_eval.days.values(), key=lambda r: r.day, reverse=True)
        self.week_findings = [
            f for week in sorted(month_eval.weeks) for f in month_eval.weeks[week]
        ]
        self.requests = open_requests(store.site_requests(), participant_id, versions)


def open_requests(
    requests: Iterable[SiteRequest], participant_id: str, versions: Iterable[DayRecord]
) -> dict[date, SiteRequest]:
    """The participant's returned days that no version saved since has answered."""
    saved = list(versions)
    return {
        r.day: r
        for r in requests
        if r.participant_id == participant_id
        and not any(v.day == r.day and v.recorded_at > r.made_at for v in saved)
    }


def _count(label: tuple[int, int], results: Iterable[DayResult], limit: int | None) -> PeriodCount:
    rows = list(results)
    present = sum(1 for r in rows if r.record is not None and r.record.status is Status.PRESENT)
    eligible = sum(1 for r in rows if r.eligible)
    return PeriodCount(label, present, eligible, limit)
