"""What the reports say, cut from the nightly forward's own judgement of the records.

Every figure here comes from :func:`sync_server.forward.builder.participant_block`
(which uses :mod:`shared.allowance`): the days, their eligibility and amounts, the
period totals by allowance type and payer, and the absence list for Kela's TT3. A
report never recomputes money or certificates itself, so it cannot disagree with what
the county was sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shared import window_bounds
from shared.allowance import Absence
from shared.calendar import month_bounds
from shared.records import AbsenceReason
from shared.rulesets import RuleSets
from sync_server.forward.builder import Block, Judgement, Participant, SentState, participant_block
from sync_server.forward.periods import PeriodScheme
from sync_server.storage import SqliteStorage


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    site_id: str
    display_name: str
    client_ref: str


@dataclass(frozen=True, slots=True)
class PayLine:
    allowance_type: str
    payer: str
    rate_cents: int
    days: int
    amount_cents: int


@dataclass(frozen=True, slots=True)
class Judged:
    """One participant over one span of days, as the forward judges it."""

    person: Person
    start: date
    end: date
    days: tuple[dict[str, Any], ...]  # the forward's day entries, in date order
    lines: tuple[PayLine, ...]  # the forward's period totals, by allowance type and payer
    absences: tuple[Absence, ...]  # the forward's absence list (TT3)

    @property
    def present_days(self) -> int:
        return sum(1 for d in self.days if d["record"]["status"] == "present")

    @property
    def present_minutes(self) -> int:
        return sum(
            int(d["counted_minutes"] or 0) for d in self.days if d["record"]["status"] == "present"
        )

    @property
    def eligible_days(self) -> int:
        return sum(1 for d in self.days if d["eligible"])

    @property
    def ineligible(self) -> list[dict[str, Any]]:
        return [d for d in self.days if d["record"]["status"] == "present" and not d["eligible"]]

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    def cents_by_payer(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for line in self.lines:
            out[line.payer] = out.get(line.payer, 0) + line.amount_cents
        return out


DEFAULT_MAX_DAYS = 5
DEFAULT_OTHER_RUN = 3


@dataclass(frozen=True, slots=True)
class InterruptRule:
    """When absences may interrupt the service (the TE office's TEM6.91 notice).

    Flagged when a fortnight has more than ``max_days`` absence days, or a run of at
    least ``other_run`` "other" absences with no other record between them (days
    without any record, such as weekends, do not break a run).
    """

    max_days: int = DEFAULT_MAX_DAYS
    other_run: int = DEFAULT_OTHER_RUN

    @classmethod
    def from_settings(cls, section: Mapping[str, Any]) -> InterruptRule:
        try:
            rule = cls(
                int(section.get("interrupt_absence_days", DEFAULT_MAX_DAYS)),
                int(section.get("interrupt_other_run", DEFAULT_OTHER_RUN)),
            )
        except (TypeError, ValueError):
            raise ValueError(
                "[reports] interrupt_absence_days and interrupt_other_run must be whole numbers."
            ) from None
        if rule.max_days < 0 or rule.other_run < 1:
            raise ValueError(
                "[reports] interrupt_absence_days must be 0 or more and interrupt_other_run "
                "at least 1."
            )
        return rule

    def reasons(self, judged: Judged) -> tuple[str, ...]:
        """The rule's parts that the fortnight meets: "days", "other_run", or none."""
        found: list[str] = []
        if len(judged.absences) > self.max_days:
            found.append("days")
        run = longest = 0
        for d in judged.days:
            record = d["record"]
            if record["status"] == "absent" and record.get("reason") == AbsenceReason.OTHER.value:
                run += 1
                longest = max(longest, run)
            else:
                run = 0
        if longest >= self.other_run:
            found.append("other_run")
        return tuple(found)


@dataclass(frozen=True, slots=True)
class Tt3Form:
    judged: Judged
    interrupt: tuple[str, ...] = field(default=())

    @property
    def person(self) -> Person:
        return self.judged.person


@dataclass(frozen=True, slots=True)
class SiteMonth:
    site_id: str
    site_name: str
    start: date
    end: date
    people: tuple[Judged, ...]

    @property
    def payers(self) -> list[str]:
        return sorted({line.payer for j in self.people for line in j.lines})

    def total_cents(self) -> int:
        return sum(j.total_cents for j in self.people)


class ReportData:
    """Reads the server's storage and judges participants through the forward's builder."""

    def __init__(self, storage: SqliteStorage, *, today: date) -> None:
        self.storage = storage
        self.today = today
        self._rule_sets: RuleSets | None = None

    @property
    def rule_sets(self) -> RuleSets:
        if self._rule_sets is None:
            self._rule_sets = self.storage.rule_sets()
        return self._rule_sets

    def people(self, site_id: str) -> list[Person]:
        return [
            Person(str(p["id"]), site_id, str(p["display_name"]), str(p["client_ref"] or p["id"]))
            for p in self.storage.participants(site_id)
        ]

    def judge_site(self, site_id: str, start: date, end: date) -> list[Judged]:
        plans: dict[str, list[Any]] = {}
        for plan in self.storage.plans(site_id):
            plans.setdefault(plan.participant_id, []).append(plan)
        closed = frozenset(self.storage.closed_months(site_id))
        return [
            self._judge(person, tuple(plans.get(person.id, ())), closed, start, end)
            for person in self.people(site_id)
            if plans.get(person.id)
        ]

    def judge_one(self, person: Person, start: date, end: date) -> Judged:
        plans = tuple(
            p for p in self.storage.plans(person.site_id) if p.participant_id == person.id
        )
        closed = frozenset(self.storage.closed_months(person.site_id))
        return self._judge(person, plans, closed, start, end)

    def _judge(
        self,
        person: Person,
        plans: tuple[Any, ...],
        closed: frozenset[tuple[int, int]],
        start: date,
        end: date,
    ) -> Judged:
        if not plans:
            return Judged(person, start, end, (), (), ())
        # The span is one payment period and one absence period: a day's eligibility
        # and amount do not depend on where periods are cut (whole ISO weeks are judged).
        fetch_start, _monday, fetch_end = window_bounds(start, end)
        judgement = Judgement(
            payment_periods=((start, end),),
            summary_periods=((start, end),),
            absence_periods=((start, end),),
            fetch_start=fetch_start,
            fetch_end=fetch_end,
        )
        versions = self.storage.versions_for(person.id, fetch_start, fetch_end)
        block: Block = participant_block(
            Participant(person.id, person.site_id, person.client_ref, plans, closed),
            versions,
            judgement,
            SentState(),  # as if nothing had been sent: the whole span is reported
            self.rule_sets,
            today=self.today,
        )
        lines = tuple(
            PayLine(
                str(line["allowance_type"]),
                str(line["payer"]),
                int(line["rate_cents"]),
                int(line["days"]),
                int(line["amount_cents"]),
            )
            for total in block.totals
            for line in total["lines"]
        )
        absences = tuple(
            Absence(date.fromisoformat(a["day"]), AbsenceReason(a["reason"]), a["certificate_due"])
            for report in block.absence_reports
            for a in report["absences"]
        )
        days = tuple(sorted(block.days, key=lambda d: str(d["day"])))
        return Judged(person, start, end, days, lines, absences)


def fortnight(scheme: PeriodScheme, day: date) -> tuple[date, date]:
    """The absence period (two weeks by default) that holds ``day``."""
    return scheme.period_of(day)


def due_fortnight(scheme: PeriodScheme, today: date) -> tuple[date, date]:
    """The last absence period that has ended: its TT3 forms are due now."""
    start, _end = scheme.period_of(today)
    return scheme.period_of(start - timedelta(days=1))


def month_span(text: str) -> tuple[date, date]:
    """``YYYY-MM`` → its first and last day, or ValueError."""
    year, month = (int(part) for part in text.split("-"))
    return month_bounds(year, month)


def tt3_forms(
    data: ReportData, site_id: str, start: date, end: date, rule: InterruptRule
) -> list[Tt3Form]:
    """One form per participant with absences in the period, in name order."""
    forms = [
        Tt3Form(j, rule.reasons(j)) for j in data.judge_site(site_id, start, end) if j.absences
    ]
    return sorted(forms, key=lambda f: (f.person.display_name.casefold(), f.person.id))


def county_lines(judged: Judged) -> list[PayLine]:
    """What the county pays itself (toimintaraha and the other county-paid allowances)."""
    return [line for line in judged.lines if line.payer == "county"]
