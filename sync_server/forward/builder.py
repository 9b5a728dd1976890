"""Building batch content: pure functions over the server's records and what was sent.

For each participant with a changed day, the affected payment periods are judged
again with :func:`shared.evaluate` and :func:`shared.allowance_for_period` (the only
source of eligibility and money), then compared with what the county already has:

* a day never sent goes out as a ``days`` entry;
* a sent day whose record, eligibility or amount changed goes out as an
  ``adjustments`` entry naming what it replaces and why;
* a period whose totals changed goes out again with its revision number raised;
* an absence period whose absences changed goes out again likewise.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shared import (
    AllowanceSummary,
    DayRecord,
    DayResult,
    Evaluation,
    Plan,
    RuleSets,
    evaluate,
    summarise,
    window_bounds,
)
from shared.plans import plan_for_day

from . import contract
from .periods import PeriodScheme
from .source import ForwardSource

# A changed day can change later days of its ISO week (the weekly maximum) and the
# flagged length of an absence run: re-judge one more week after it.
RIPPLE = timedelta(days=7)
# From each weekday (Monday 0) to the Sunday of the week after: the end of its ripple.
_TO_NEXT_SUNDAY = tuple(RIPPLE + timedelta(days=6 - weekday) for weekday in range(7))


@dataclass(frozen=True, slots=True)
class Participant:
    participant_id: str
    site_id: str
    client_ref: str
    plans: tuple[Plan, ...]
    closed_months: frozenset[tuple[int, int]] = frozenset()
    approved_months: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True, slots=True)
class SentDay:
    batch_id: str
    fingerprint: str
    record: dict[str, Any]
    eligible: bool
    amount_cents: int
    allowance_type: str | None
    payer: str | None
    rate_cents: int


@dataclass(frozen=True, slots=True)
class SentPeriod:
    batch_id: str
    fingerprint: str
    revision: int
    total_cents: int


@dataclass(slots=True)
class SentState:
    """What the county has been sent, per (participant, day) and per period start."""

    days: dict[tuple[str, date], SentDay] = field(default_factory=dict)
    totals: dict[tuple[str, date], SentPeriod] = field(default_factory=dict)
    absences: dict[tuple[str, date], SentPeriod] = field(default_factory=dict)


@dataclass(slots=True)
class Block:
    """One participant's share of a batch, with the sent state it will leave behind."""

    participant_id: str
    site_id: str
    days: list[dict[str, Any]] = field(default_factory=list)
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    totals: list[dict[str, Any]] = field(default_factory=list)
    absence_reports: list[dict[str, Any]] = field(default_factory=list)
    # Rows for the sent state, without the batch id (known only when packed).
    sent_days: list[tuple[date, str, dict[str, Any], bool, int, str | None, str | None, int]] = (
        field(default_factory=list)
    )
    sent_totals: list[tuple[date, date, str, int, int]] = field(default_factory=list)
    sent_absences: list[tuple[date, date, str, int]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.days) + len(self.adjustments)

    @property
    def empty(self) -> bool:
        return not (self.days or self.adjustments or self.totals or self.absence_reports)


@dataclass(frozen=True, slots=True)
class Judgement:
    """The periods to look at for one participant and the window of records they need."""

    payment_periods: tuple[tuple[date, date], ...]
    summary_periods: tuple[tuple[date, date], ...]
    absence_periods: tuple[tuple[date, date], ...]
    fetch_start: date
    fetch_end: date


def judgement_for(
    touched: Iterable[date], payment: PeriodScheme, absence: PeriodScheme
) -> Judgement:
    """Which periods a set of changed days reaches, and which records that needs."""
    pay: set[tuple[date, date]] = set()
    absent: set[tuple[date, date]] = set()
    # Each changed day reaches to the end of the week after it; overlapping reaches are
    # merged first, so the periods are looked up once per stretch, not once per day.
    for first, last in _stretches(touched):
        pay.update(payment.periods_between(first, last))
        absent.update(absence.periods_between(first, last))
    summaries = set(pay)
    for start, end in absent:
        summaries.update(payment.periods_between(start, end))
    first = min(p[0] for p in summaries)
    last = max(p[1] for p in summaries)
    fetch_start, _monday, fetch_end = window_bounds(first, last)
    return Judgement(
        payment_periods=tuple(sorted(pay)),
        summary_periods=tuple(sorted(summaries)),
        absence_periods=tuple(sorted(absent)),
        fetch_start=fetch_start,
        fetch_end=fetch_end,
    )


def _stretches(touched: Iterable[date]) -> list[tuple[date, date]]:
    """The union of [day, Sunday of the week after day] over ``touched``, as ranges."""
    out: list[tuple[date, date]] = []
    for day in sorted(set(touched)):
        reach = day + _TO_NEXT_SUNDAY[day.weekday()]  # week_bounds(day + RIPPLE)[1]
        if out and day <= out[-1][1] + timedelta(days=1):
            if reach > out[-1][1]:
                out[-1] = (out[-1][0], reach)
        else:
            out.append((day, reach))
    return out


def participant_block(
    person: Participant,
    versions: list[DayRecord],
    judgement: Judgement,
    sent: SentState,
    rule_sets: RuleSets,
    *,
    today: date,
) -> Block:
    """Everything the county should hear about one participant after a change."""
    block = Block(person.participant_id, person.site_id)
    # One judgement per plan over every period this block reports: the day entries,
    # the payment totals and the absence lists are all cut from it.
    first = judgement.summary_periods[0][0]
    last = max(end for _start, end in judgement.summary_periods)
    groups = _by_plan(person.plans, versions)
    results: dict[date, tuple[Plan, DayResult]] = {}
    evaluations: list[tuple[Plan, Evaluation]] = []
    for plan, mine in groups:
        evaluation = evaluate(
            plan, mine, rule_sets, today=today, start=first, end=last, week_notices=False
        )
        evaluations.append((plan, evaluation))
        for day, result in evaluation.days.items():
            results[day] = (plan, result)
    base = {
        "participant_ref": person.client_ref,
        "participant_id": person.participant_id,
        "site_id": person.site_id,
    }
    with_rule_set = {plan.id: {**base, "rule_set": plan.rule_set_id} for plan, _ev in evaluations}
    period_of = _period_finder(judgement.payment_periods)
    for day in sorted(results):
        plan, result = results[day]
        period_start = period_of(day)
        if result.record is None or period_start is None:
            continue
        _day_entry(block, person, with_rule_set[plan.id], result, sent, period_start)

    summaries: dict[date, list[tuple[Plan, AllowanceSummary]]] = {}
    for start, end in judgement.summary_periods:
        summaries[start] = [
            (plan, summarise(plan.participant_id, ev, period_start=start, period_end=end))
            for plan, ev in evaluations
        ]
    for start, _end in judgement.payment_periods:
        _totals_entry(block, person, base, summaries[start], sent)
    for start, end in judgement.absence_periods:
        found = {
            a.day: a
            for parts in summaries.values()
            for _plan, s in parts
            for a in s.absences
            if start <= a.day <= end
        }
        forms = [
            {
                "day": a.day.isoformat(),
                "reason": a.reason.value,
                "certificate_due": a.certificate_due,
            }
            for a in sorted(found.values(), key=lambda a: a.day)
        ]
        _absence_entry(block, base, start, end, forms, sent)
    return block


def _by_plan(
    plans: tuple[Plan, ...], versions: list[DayRecord]
) -> list[tuple[Plan, list[DayRecord]]]:
    """Each plan with the versions of the days it judges (the server's own rule)."""
    if len(plans) == 1:
        return [(plans[0], versions)]
    ruled: dict[str, list[DayRecord]] = {p.id: [] for p in plans}
    by_id = {p.id: p for p in plans}
    cache: dict[date, Plan | None] = {}
    for v in versions:
        if v.day not in cache:
            cache[v.day] = plan_for_day(plans, v.day)
        plan = cache[v.day]
        if plan is not None:
            ruled[plan.id].append(v)
    return [(by_id[pid], vs) for pid, vs in ruled.items() if vs]


def _day_entry(
    block: Block,
    person: Participant,
    base: Mapping[str, Any],
    result: DayResult,
    sent: SentState,
    period_start: date,
) -> None:
    record = result.record
    assert record is not None
    day = result.day
    fp = contract.fingerprint(result)
    previous = sent.days.get((person.participant_id, day))
    if previous is not None and previous.fingerprint == fp:
        return
    closed = (day.year, day.month) in person.closed_months
    amount = result.rate_cents if result.eligible else 0
    form = contract.record_form(record)
    entry: dict[str, Any] = {
        **base,
        "day": day.isoformat(),
        "record": form,
        "eligible": result.eligible,
        "reason": result.reason,
        "counted_minutes": result.counted_minutes,
        "allowance_type": result.allowance_type,
        "payer": result.payer,
        "rate_cents": result.rate_cents,
        "amount_cents": amount,
        "findings": contract.finding_forms(result),
        "closed_month": closed,
        "approved_month": (day.year, day.month) in person.approved_months,
    }
    # A first record for a closed month whose totals the county already has arrives
    # late: it changes what was sent, so it travels as a flagged adjustment.
    late = previous is None and closed and (person.participant_id, period_start) in sent.totals
    if previous is None and not late:
        block.days.append(entry)
    else:
        if previous is None:
            cause, replaces = "late_record", None
        else:
            cause = "correction" if previous.record.get("id") != record.id else "recomputed"
            replaces = {
                "batch_id": previous.batch_id,
                "record_id": previous.record.get("id"),
                "eligible": previous.eligible,
                "allowance_type": previous.allowance_type,
                "payer": previous.payer,
                "rate_cents": previous.rate_cents,
                "amount_cents": previous.amount_cents,
            }
        entry.update(
            {
                "cause": cause,
                "replaces": replaces,
                "correction_reason": record.correction_reason if cause == "correction" else None,
                "changes": contract.changed_fields(previous.record if previous else None, form),
                "amount_delta_cents": amount - (previous.amount_cents if previous else 0),
                "flag_for_coordinator": closed,
            }
        )
        block.adjustments.append(entry)
    block.sent_days.append(
        (
            day,
            fp,
            form,
            result.eligible,
            amount,
            result.allowance_type,
            result.payer,
            result.rate_cents,
        )
    )


def _totals_entry(
    block: Block,
    person: Participant,
    base: Mapping[str, Any],
    parts: list[tuple[Plan, AllowanceSummary]],
    sent: SentState,
) -> None:
    merged: dict[tuple[str, str, int], int] = {}
    eligible_days = 0
    ineligible_days = 0
    for _plan, summary in parts:
        for line in summary.lines:
            key = (line.allowance_type, line.payer, line.rate_cents)
            merged[key] = merged.get(key, 0) + line.days
        eligible_days += len(summary.eligible_days)
        ineligible_days += len(summary.ineligible_days)
    lines = [
        {
            "allowance_type": kind,
            "payer": payer,
            "rate_cents": rate,
            "days": days,
            "amount_cents": rate * days,
        }
        for (kind, payer, rate), days in sorted(merged.items())
    ]
    # The amounts are shared.allowance's: merging plans only adds whole lines together.
    total = sum(s.total_cents for _p, s in parts)
    period_start, period_end = parts[0][1].period_start, parts[0][1].period_end
    fp = contract.digest(contract.encode({"lines": lines}))[:32]
    previous = sent.totals.get((person.participant_id, period_start))
    if previous is not None and previous.fingerprint == fp:
        return
    if previous is None and not lines and not ineligible_days:
        return  # nothing recorded that earns or fails to earn: nothing to report yet
    closed = _period_closed(period_start, period_end, person.closed_months)
    revision = previous.revision + 1 if previous else 1
    block.totals.append(
        {
            **base,
            "plans": [{"plan_id": p.id, "rule_set": p.rule_set_id} for p, _s in parts],
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
            "revision": revision,
            "lines": lines,
            "eligible_days": eligible_days,
            "total_cents": total,
            "previous_total_cents": previous.total_cents if previous else None,
            "closed_month": closed,
            "approved_month": _period_closed(period_start, period_end, person.approved_months),
            "flag_for_coordinator": closed and previous is not None,
        }
    )
    block.sent_totals.append((period_start, period_end, fp, revision, total))


def _absence_entry(
    block: Block,
    base: Mapping[str, Any],
    start: date,
    end: date,
    forms: list[dict[str, Any]],
    sent: SentState,
) -> None:
    fp = contract.digest(contract.encode({"absences": forms}))[:32]
    previous = sent.absences.get((block.participant_id, start))
    if previous is not None and previous.fingerprint == fp:
        return
    if previous is None and not forms:
        return
    revision = previous.revision + 1 if previous else 1
    block.absence_reports.append(
        {
            **base,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "revision": revision,
            "absences": forms,
        }
    )
    block.sent_absences.append((start, end, fp, revision))


def _period_finder(periods: tuple[tuple[date, date], ...]) -> Callable[[date], date | None]:
    """The start of the first of ``periods`` (sorted) that holds a day, or None."""
    starts = [start for start, _end in periods]

    def start_of(day: date) -> date | None:
        # Periods do not overlap: only the last one starting on or before ``day`` can hold it.
        i = bisect_right(starts, day) - 1
        if i >= 0 and day <= periods[i][1]:
            return starts[i]
        return None

    return start_of


def _period_closed(start: date, end: date, closed: frozenset[tuple[int, int]]) -> bool:
    return (start.year, start.month) in closed or (end.year, end.month) in closed


def participants_index(source: ForwardSource) -> dict[str, Participant]:
    """Every participant of every site, with the plan and the site's closed months."""
    out: dict[str, Participant] = {}
    for site in source.sites():
        site_id = str(site["id"])
        closed = frozenset(source.closed_months(site_id))
        approved = frozenset(source.approved_months(site_id))
        plans: dict[str, list[Plan]] = {}
        for plan in source.plans(site_id):
            plans.setdefault(plan.participant_id, []).append(plan)
        for person in source.participants(site_id):
            pid = str(person["id"])
            out[pid] = Participant(
                participant_id=pid,
                site_id=site_id,
                client_ref=str(person.get("client_ref") or pid),
                plans=tuple(plans.get(pid, ())),
                closed_months=closed,
                approved_months=approved,
            )
    return out


def touched_days(
    source: ForwardSource, cursor: int, page: int = 5_000
) -> tuple[dict[str, array[int]], int, int]:
    """Days with a version newer than ``cursor``: (per participant, last seq, versions).

    A participant's days are kept as day ordinals in an ``array`` (repeats and all):
    4 bytes a day where a set of dates takes about 90, which a county's year of
    first sends would otherwise hold from the first page to the end of the run.
    """
    touched: dict[str, array[int]] = {}
    last = cursor
    count = 0
    while True:
        rows = source.changed_days_since(last, page)
        for seq, participant_id, day in rows:
            days = touched.get(participant_id)
            if days is None:
                days = touched[participant_id] = array("i")
            days.append(day.toordinal())
            last = max(last, seq)
        count += len(rows)
        if len(rows) < page:
            return touched, last, count


def days_of(ordinals: Iterable[int]) -> set[date]:
    return {date.fromordinal(o) for o in set(ordinals)}


def flagged_count(blocks: Iterable[Block]) -> int:
    return sum(
        sum(1 for a in b.adjustments if a["flag_for_coordinator"])
        + sum(1 for t in b.totals if t["flag_for_coordinator"])
        for b in blocks
    )
