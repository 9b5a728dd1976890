"""Daily allowance for a participant and a payment period, reproducible from records.

Money is paid only for eligible present days; the amount per day is the allowance
type's rate in force on that day. Absences are listed for the county's report to
Kela (form TT3). Everything here is derived from :func:`shared.validation.evaluate`,
so the device, the server and the county compute the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.plans import Plan
from shared.records import AbsenceReason, DayRecord, Status
from shared.rulesets import RuleSets
from shared.validation import Evaluation, evaluate
from shared.window import window_bounds


@dataclass(frozen=True, slots=True)
class AllowanceLine:
    allowance_type: str
    payer: str
    rate_cents: int
    days: int
    amount_cents: int


@dataclass(frozen=True, slots=True)
class Absence:
    day: date
    reason: AbsenceReason
    certificate_due: bool


@dataclass(frozen=True, slots=True)
class AllowanceSummary:
    participant_id: str
    period_start: date
    period_end: date
    lines: tuple[AllowanceLine, ...]
    eligible_days: tuple[date, ...]
    ineligible_days: tuple[tuple[date, str], ...]  # present days that earn nothing, and why
    absences: tuple[Absence, ...]
    total_cents: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "participant_id": self.participant_id,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "lines": [
                {
                    "allowance_type": line.allowance_type,
                    "payer": line.payer,
                    "rate_cents": line.rate_cents,
                    "days": line.days,
                    "amount_cents": line.amount_cents,
                }
                for line in self.lines
            ],
            "eligible_days": [d.isoformat() for d in self.eligible_days],
            "ineligible_days": [
                {"day": d.isoformat(), "reason": r} for d, r in self.ineligible_days
            ],
            "absences": [
                {
                    "day": a.day.isoformat(),
                    "reason": a.reason.value,
                    "certificate_due": a.certificate_due,
                }
                for a in self.absences
            ],
            "total_cents": self.total_cents,
        }


def allowance_for_period(
    plan: Plan,
    versions: Iterable[DayRecord],
    rule_sets: RuleSets,
    *,
    period_start: date,
    period_end: date,
    today: date,
) -> AllowanceSummary:
    """The allowance for ``plan``'s participant between the two dates (inclusive).

    ``versions`` should reach back a few weeks before ``period_start`` and to the end
    of the ISO week containing ``period_end``: a week that spans two periods is
    judged as one week, so the same day is eligible whichever period asks.
    """
    if period_end < period_start:
        raise ValueError("The payment period ends before it starts.")
    first, _monday, last = window_bounds(period_start, period_end)
    window = [v for v in versions if first <= v.day <= last]
    result = evaluate(plan, window, rule_sets, today=today, start=period_start, end=period_end)
    return summarise(plan.participant_id, result, period_start=period_start, period_end=period_end)


def summarise(
    participant_id: str, evaluation: Evaluation, *, period_start: date, period_end: date
) -> AllowanceSummary:
    """The allowance of the evaluated days between the two dates (inclusive).

    Lets a caller that judges a long range once (the nightly forward) sum many
    periods without judging each again; ``evaluation`` must cover the period.
    """
    if period_end < period_start:
        raise ValueError("The payment period ends before it starts.")
    totals: dict[tuple[str, str, int], int] = {}
    eligible: list[date] = []
    ineligible: list[tuple[date, str]] = []
    absences: list[Absence] = []
    for day in sorted(d for d in evaluation.days if period_start <= d <= period_end):
        r = evaluation.days[day]
        record = r.record
        if r.eligible and r.allowance_type and r.payer:
            key = (r.allowance_type, r.payer, r.rate_cents)
            totals[key] = totals.get(key, 0) + 1
            eligible.append(day)
        elif record is not None and record.status is Status.PRESENT:
            ineligible.append((day, r.reason or "not_eligible"))
        if record is not None and record.status is Status.ABSENT and record.reason is not None:
            due = any(f.code == "sick_certificate_due" for f in r.findings)
            absences.append(Absence(day, record.reason, due))
    lines = tuple(
        AllowanceLine(kind, payer, rate, days, rate * days)
        for (kind, payer, rate), days in sorted(totals.items())
    )
    return AllowanceSummary(
        participant_id=participant_id,
        period_start=period_start,
        period_end=period_end,
        lines=lines,
        eligible_days=tuple(eligible),
        ineligible_days=tuple(ineligible),
        absences=tuple(absences),
        total_cents=sum(line.amount_cents for line in lines),
    )
