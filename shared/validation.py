"""Validation of day records against a participant's plan and its rule set.

Two entry points:

* :func:`evaluate` judges every current record of one participant (the server, the
  nightly forward, the app's week view): findings and allowance eligibility per day.
* :func:`check_new_version` answers "may this version be saved?" when a supervisor
  types it and again when the server receives it.

Everything is a pure function of its arguments; "today" is a parameter.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from shared.calendar import finnish_holiday, iso_week, week_bounds
from shared.findings import Finding, Severity, finding
from shared.plans import Plan, PlanVersion
from shared.records import (
    MINUTES_PER_DAY,
    QUARTER_HOUR,
    AbsenceReason,
    DayRecord,
    Status,
    current_versions,
)
from shared.rulesets import RuleSet, RuleSets
from shared.schedule import expected_on
from shared.window import RUN_GAP_DAYS, run_into, run_reach, window_bounds

# run_into, run_reach and window_bounds live in shared.window; named here too because
# the server's storage imports them from this module.
__all__ = [
    "CLOCK_SKEW_LIMIT",
    "DayResult",
    "Evaluation",
    "Finding",
    "Severity",
    "check_new_version",
    "check_new_versions",
    "evaluate",
    "run_into",
    "run_reach",
    "structural_findings",
    "window_bounds",
]

CLOCK_SKEW_LIMIT = timedelta(minutes=5)
SICK_CERTIFICATE_AFTER_DAYS = 3  # a certificate is due when own sickness runs longer
CHILD_SICK_MAX_DAYS = 4  # per occasion
PLAN_ENDING_NOTICE_DAYS = 14
_BLOCKING = (Severity.ERROR, Severity.NOT_ELIGIBLE)
# Errors that leave a present day without a true number of hours to judge.
_BROKEN_HOURS = frozenset({"end_before_start", "missing_hours", "over_24_hours"})
_DAYS = tuple(timedelta(days=n) for n in range(7))
_SIX_DAYS, _ONE_WEEK = timedelta(days=6), timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DayResult:
    """One participant's day as judged against the plan version valid on it."""

    participant_id: str
    day: date
    record: DayRecord | None
    findings: tuple[Finding, ...]
    eligible: bool
    reason: str | None  # code of the first error / not-eligible finding, when not eligible
    counted_minutes: int
    allowance_type: str | None
    payer: str | None
    rate_cents: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "participant_id": self.participant_id,
            "day": self.day.isoformat(),
            "record": self.record.to_dict() if self.record else None,
            "findings": [f.to_dict() for f in self.findings],
            "eligible": self.eligible,
            "reason": self.reason,
            "counted_minutes": self.counted_minutes,
            "allowance_type": self.allowance_type,
            "payer": self.payer,
            "rate_cents": self.rate_cents,
        }


@dataclass(frozen=True, slots=True)
class Evaluation:
    days: dict[date, DayResult]
    weeks: dict[tuple[int, int], tuple[Finding, ...]] = field(default_factory=dict)

    def week_count(self, day: date) -> int:
        """Eligible present days in ``day``'s ISO week (among the evaluated days)."""
        week = iso_week(day)
        return sum(1 for d, r in self.days.items() if r.eligible and iso_week(d) == week)

    def week_present(self, day: date) -> int:
        """Present days in ``day``'s ISO week, whether they earn the allowance or not."""
        week = iso_week(day)
        return sum(
            1
            for d, r in self.days.items()
            if r.record is not None and r.record.status is Status.PRESENT and iso_week(d) == week
        )


def structural_findings(record: DayRecord, *, today: date) -> list[Finding]:
    """Errors that make a record impossible whatever the plan says."""
    out: list[Finding] = []
    day = record.day
    if day > today:
        out.append(finding("future_date", day, day=day.isoformat()))
    if record.status is Status.PRESENT:
        start, end = record.start, record.end
        if record.reason is not None:
            out.append(finding("inconsistent_fields", day, status="present", fields="reason"))
        has_times = start is not None and end is not None
        if record.minutes is None and not has_times:
            out.append(finding("missing_hours", day))
            return out
        if (
            (start is not None and start.minute % QUARTER_HOUR)
            or (end is not None and end.minute % QUARTER_HOUR)
            or (record.minutes is not None and record.minutes % QUARTER_HOUR)
        ):
            out.append(finding("not_quarter_hour", day))
        if record.start is not None and record.end is not None and record.end < record.start:
            out.append(
                finding("end_before_start", day, start=_hhmm(record.start), end=_hhmm(record.end))
            )
        if record.minutes is not None:
            if record.minutes < 0:
                out.append(finding("missing_hours", day))
            elif record.minutes > MINUTES_PER_DAY:
                out.append(finding("over_24_hours", day, minutes=record.minutes))
            elif has_times and record.end is not None and record.start is not None:
                span = (record.end.hour - record.start.hour) * 60 + (
                    record.end.minute - record.start.minute
                )
                if span != record.minutes:
                    out.append(
                        finding("inconsistent_fields", day, status="present", fields="minutes")
                    )
    else:
        stray = [
            name
            for name, value in (
                ("start", record.start),
                ("end", record.end),
                ("minutes", record.minutes),
            )
            if value is not None
        ]
        if record.status is Status.NOT_HELD and record.reason is not None:
            stray.append("reason")
        if stray:
            out.append(
                finding(
                    "inconsistent_fields", day, status=record.status.value, fields=", ".join(stray)
                )
            )
        if record.status is Status.ABSENT and record.reason is None:
            out.append(finding("missing_reason", day))
    return out


def evaluate(
    plan: Plan,
    versions: Iterable[DayRecord],
    rule_sets: RuleSets,
    *,
    today: date,
    start: date | None = None,
    end: date | None = None,
    week_notices: bool = True,
) -> Evaluation:
    """Judge every current record of ``plan``'s participant.

    ``versions`` may hold every version ever made (superseded ones never count) in
    any order. Give it the whole ISO weeks and a few weeks before ``start`` so that
    weekly limits and sickness runs see their context; only days in
    [``start``, ``end``] are returned. ``week_notices=False`` leaves
    :attr:`Evaluation.weeks` empty, for a caller that only sums days (the forward).
    """
    rs = rule_sets.get(plan.rule_set_id)
    heads = current_versions(v for v in versions if v.participant_id == plan.participant_id)
    records = {day: hs[0] for (_pid, day), hs in heads.items()}
    duplicated = {day for (_pid, day), hs in heads.items() if len(hs) > 1}
    ordered = sorted(records)

    per_day: dict[date, list[Finding]] = {}
    counted: dict[date, int] = {}
    valid_on: dict[date, PlanVersion | None] = {}
    first_version = plan.versions[0] if plan.versions else None
    for day in ordered:
        record = records[day]
        found = structural_findings(record, today=today)
        if day in duplicated:
            found.append(finding("duplicate_day", day, day=day.isoformat()))
        valid_on[day] = version = plan.version_on(day)
        if version is None and (first_version is None or not first_version.covers(day)):
            # before the period: the first version still tells the period it misses
            version = first_version
        # Otherwise a day with no version (inside the period, before the first version
        # is valid) has no limits and no allowance type: "no plan on this day".
        hours_broken = any(f.code in _BROKEN_HOURS for f in found)
        counted[day] = _plan_findings(record, version, rs, found, hours_broken=hours_broken)
        per_day[day] = found
    _absence_runs(ordered, records, per_day)
    _weekly_maximum(ordered, records, valid_on, per_day)

    lo = start or (ordered[0] if ordered else today)
    hi = end or (ordered[-1] if ordered else today)
    judged = {
        day: _result(plan, rs, records[day], per_day[day], counted[day], valid_on[day])
        for day in ordered
    }
    days = {day: r for day, r in judged.items() if lo <= day <= hi}
    weeks = _week_notices(plan, judged, lo, hi, today) if week_notices else {}
    return Evaluation(days, weeks)


def check_new_version(
    plan: Plan | None,
    existing: Iterable[DayRecord],
    new: DayRecord,
    rule_sets: RuleSets,
    *,
    today: date,
    received_at: datetime | None = None,
    closed_months: Collection[tuple[int, int]] = (),
) -> list[Finding]:
    """Every finding for saving ``new`` beside the participant's ``existing`` versions.

    ``new`` may be saved if and only if no finding has :attr:`Severity.ERROR`.
    ``received_at`` (the server's clock) flags a device clock running ahead;
    ``closed_months`` flags a change to a month the site has closed.
    """
    if plan is None or plan.participant_id != new.participant_id:
        return [finding("unknown_participant", new.day)]
    mine = [v for v in existing if v.participant_id == new.participant_id and v.id != new.id]
    errors = structural_findings(new, today=today)
    errors.extend(_Versions(mine).chain_errors(new))
    extra = _context_findings(new, received_at, set(closed_months))
    if errors:
        return errors + extra
    window = _evaluation_window(mine, new.day, new.day)
    result = evaluate(plan, [*window, new], rule_sets, today=today, start=new.day, end=new.day)
    day_findings = list(result.days[new.day].findings) if new.day in result.days else []
    week_findings = list(result.weeks.get(iso_week(new.day), ()))
    return day_findings + week_findings + extra


def check_new_versions(
    plan: Plan | None,
    existing: Iterable[DayRecord],
    new: Sequence[DayRecord],
    rule_sets: RuleSets,
    *,
    today: date,
    received_at: datetime | None = None,
    closed_months: Collection[tuple[int, int]] = (),
) -> list[list[Finding]]:
    """:func:`check_new_version` for a batch of one participant's versions, in order.

    Each version is checked against ``existing`` plus the versions before it in the
    batch that had no error (as if saved one by one), but the plan is applied in one
    evaluation of the final state, so the findings of every day are those of the
    batch as a whole: what a county would see. The server's push uses this; one
    evaluation per participant instead of one per version.
    """
    closed = set(closed_months)
    if plan is None:
        return [[finding("unknown_participant", n.day)] for n in new]
    mine = [v for v in existing if v.participant_id == plan.participant_id]
    so_far = _Versions(mine)
    results: list[list[Finding]] = []
    accepted: list[tuple[int, DayRecord]] = []
    for index, n in enumerate(new):
        if n.participant_id != plan.participant_id:
            results.append([finding("unknown_participant", n.day)])
            continue
        errors = structural_findings(n, today=today)
        errors.extend(so_far.chain_errors(n))
        extra = _context_findings(n, received_at, closed)
        results.append(errors + extra)
        if not errors and n.id not in so_far.by_id:
            so_far.add(n)
            accepted.append((index, n))
    if not accepted:
        return results
    days = [n.day for _i, n in accepted]
    window = _evaluation_window(mine, min(days), max(days))
    batch = [n for _i, n in accepted]
    result = evaluate(
        plan, [*window, *batch], rule_sets, today=today, start=min(days), end=max(days)
    )
    for position, (index, n) in enumerate(accepted):
        judged = result.days.get(n.day)
        if judged is not None and judged.record is not None and judged.record.id == n.id:
            found = list(judged.findings) + list(result.weeks.get(iso_week(n.day), ()))
        else:  # corrected again later in the same batch: judge it as it stood when sent
            earlier = [*window, *batch[:position]]
            found = [
                f
                for f in check_new_version(plan, earlier, n, rule_sets, today=today)
                if f.severity is not Severity.ERROR
            ]
        results[index] = found + results[index]
    return results


def _context_findings(
    new: DayRecord, received_at: datetime | None, closed_months: Collection[tuple[int, int]]
) -> list[Finding]:
    """Findings about when and where a version was made, not about the day itself."""
    out: list[Finding] = []
    if received_at is not None and new.recorded_at - received_at > CLOCK_SKEW_LIMIT:
        ahead = int((new.recorded_at - received_at).total_seconds() // 60)
        out.append(finding("device_clock_off", new.day, minutes=ahead))
    if (new.day.year, new.day.month) in closed_months:
        out.append(finding("closed_month_change", new.day, month=f"{new.day.month}/{new.day.year}"))
    return out


class _Versions:
    """A participant's versions, indexed for the correction-chain checks."""

    def __init__(self, versions: Iterable[DayRecord]) -> None:
        self.by_id: dict[str, DayRecord] = {}
        self.by_day: dict[date, list[DayRecord]] = {}
        self.superseded: set[str] = set()
        for v in versions:
            self.add(v)

    def add(self, version: DayRecord) -> None:
        self.by_id[version.id] = version
        self.by_day.setdefault(version.day, []).append(version)
        if version.supersedes:
            self.superseded.add(version.supersedes)

    def chain_errors(self, new: DayRecord) -> list[Finding]:
        """A first record for a taken day, or a correction of a version that is gone."""
        heads = [
            v
            for v in self.by_day.get(new.day, ())
            if v.id not in self.superseded and v.id != new.id
        ]
        if new.supersedes is None:
            return [finding("duplicate_day", new.day, day=new.day.isoformat())] if heads else []
        out: list[Finding] = []
        target = self.by_id.get(new.supersedes)
        if target is None or target.id == new.id or target.day != new.day:
            out.append(finding("supersedes_unknown", new.day))
        elif all(h.id != target.id for h in heads):
            out.append(finding("already_superseded", new.day, supersedes=target.id))
        if not (new.correction_reason or "").strip():
            out.append(finding("correction_reason_missing", new.day))
        return out


def _evaluation_window(versions: Iterable[DayRecord], first: date, last: date) -> list[DayRecord]:
    """The versions that can change the judgement of days in [first, last].

    The ISO weeks of those days (weekly limits), and before them only an absence run
    that reaches into the first week (sickness counts): everything older is
    irrelevant, and leaving it out keeps a save or a push cheap.
    """
    earliest, lo, hi = window_bounds(first, last)
    inside: list[DayRecord] = []
    before: list[DayRecord] = []
    for v in versions:
        if lo <= v.day <= hi:
            inside.append(v)
        elif earliest <= v.day < lo:
            before.append(v)
    if not before:
        return inside
    heads = {day: hs[0] for (_pid, day), hs in current_versions(before).items()}
    keep = run_into(heads, lo)
    return inside + [v for v in before if v.day in keep]


def _plan_findings(
    record: DayRecord,
    version: PlanVersion | None,
    rs: RuleSet,
    found: list[Finding],
    *,
    hours_broken: bool = False,
) -> int:
    """Add the plan's findings for one record; return the minutes that count.

    ``hours_broken``: the record's hours are already an error (say, end before start),
    so comparing them with the plan would only report a figure that means nothing.
    """
    day = record.day
    if record.status is Status.NOT_HELD:
        return 0
    if version is None:
        if record.status is Status.PRESENT:
            found.append(finding("no_plan_on_day", day, day=day.isoformat()))
        return 0
    in_period = version.covers(day)
    if not in_period and record.status is Status.PRESENT:
        found.append(
            finding(
                "outside_plan_period",
                day,
                day=day.isoformat(),
                start=version.start.isoformat(),
                end=version.end.isoformat(),
            )
        )
    if in_period and 0 <= (version.end - day).days <= PLAN_ENDING_NOTICE_DAYS:
        found.append(
            finding(
                "plan_ends_soon", day, end=version.end.isoformat(), days=(version.end - day).days
            )
        )
    if record.status is not Status.PRESENT:
        return 0
    minutes = 0 if hours_broken else record.present_minutes
    if minutes < version.minutes_min and not hours_broken:
        found.append(
            finding("under_min_hours", day, minutes=minutes, min_minutes=version.minutes_min)
        )
    cap = min(version.minutes_max, rs.counted_minutes_cap)
    if minutes > version.minutes_max:
        found.append(
            finding("over_max_hours", day, minutes=minutes, max_minutes=version.minutes_max)
        )
    if version.weekdays is not None and day.isoweekday() not in version.weekdays:
        found.append(finding("weekday_not_agreed", day, weekday=day.isoweekday()))
    holiday = _holiday(day)
    if holiday:
        found.append(finding("public_holiday", day, holiday=holiday))
    return max(0, min(minutes, cap))


# Finland's public holidays are fixed by law and computed, never configured: a day's
# answer cannot change while the process runs. Bounded to some twenty years of days.
_holiday = lru_cache(maxsize=8192)(finnish_holiday)


def _absence_runs(
    ordered: list[date], records: dict[date, DayRecord], per_day: dict[date, list[Finding]]
) -> None:
    """Own sickness over 3 days → certificate notice; a child's over 4 → flagged."""
    run_reason: AbsenceReason | None = None
    run_length = 0
    previous: date | None = None
    for day in ordered:
        record = records[day]
        reason = record.reason if record.status is Status.ABSENT else None
        continues = (
            reason is not None
            and reason == run_reason
            and previous is not None
            and (day - previous).days <= RUN_GAP_DAYS
        )
        run_length = run_length + 1 if continues else 1
        run_reason = reason
        previous = day
        if reason is AbsenceReason.SICK and run_length > SICK_CERTIFICATE_AFTER_DAYS:
            per_day[day].append(finding("sick_certificate_due", day, days=run_length))
        if reason is AbsenceReason.CHILD_SICK and run_length > CHILD_SICK_MAX_DAYS:
            per_day[day].append(finding("child_sick_over_limit", day, days=run_length))


def _weekly_maximum(
    ordered: list[date],
    records: dict[date, DayRecord],
    valid_on: dict[date, PlanVersion | None],
    per_day: dict[date, list[Finding]],
) -> None:
    """Beyond the week's maximum, the later present days in date order earn nothing.

    Only days that are otherwise eligible count toward the maximum: a too-short day
    earns nothing and does not use up one of the week's days. Each day is judged by
    the plan version valid on it.
    """
    seen: dict[tuple[int, int], int] = {}
    for day in ordered:
        if records[day].status is not Status.PRESENT:
            continue
        found = per_day[day]
        if found and any(f.severity in _BLOCKING for f in found):
            continue
        version = valid_on[day]
        if version is None:
            continue
        week = iso_week(day)
        if seen.get(week, 0) >= version.days_max:
            per_day[day].append(
                finding("over_weekly_max", day, max=version.days_max, week=_week_label(week))
            )
        else:
            seen[week] = seen.get(week, 0) + 1


def _week_notices(
    plan: Plan, days: dict[date, DayResult], lo: date, hi: date, today: date
) -> dict[tuple[int, int], tuple[Finding, ...]]:
    """Fewer present days than the plan's minimum, for each week whose last agreed day
    has passed.

    A week is judged only once its last agreed day (the plan's weekdays, else Monday
    to Friday; Sunday when none falls in the period) is before ``today``: until then
    the participant may still come, and a notice on a Tuesday only alarms (issue 11).
    """
    out: dict[tuple[int, int], tuple[Finding, ...]] = {}
    eligible: dict[date, int] = {}  # per Monday, the eligible days of its week
    for d, r in days.items():
        if r.eligible:
            week_start = d - _DAYS[d.weekday()]
            eligible[week_start] = eligible.get(week_start, 0) + 1
    monday, _ = week_bounds(lo)
    last = min(hi, today)
    while monday <= last:
        sunday = monday + _SIX_DAYS
        agreed = [d for d in (monday + timedelta(days=i) for i in range(7)) if expected_on(plan, d)]
        if (agreed[-1] if agreed else sunday) >= today:
            monday += _ONE_WEEK
            continue
        checked_to = min(sunday, today)
        version = plan.version_on(checked_to)
        if version is not None and version.start <= checked_to and monday <= version.end:
            count = eligible.get(monday, 0)
            if count < version.days_min:
                week = iso_week(monday)
                out[week] = (
                    finding(
                        "under_weekly_min",
                        None,
                        count=count,
                        min=version.days_min,
                        week=_week_label(week),
                        week_start=monday.isoformat(),
                    ),
                )
        monday += _ONE_WEEK
    return out


def _result(
    plan: Plan,
    rs: RuleSet,
    record: DayRecord,
    found: list[Finding],
    counted: int,
    version: PlanVersion | None,
) -> DayResult:
    """``version`` is the plan's version valid on the record's day."""
    day = record.day
    allowance_type = payer = None
    rate = 0
    if version is not None and record.status is Status.PRESENT:
        kind = rs.allowance_type(version.allowance_type)
        allowance_type, payer = kind.id, version.payer or kind.payer
        found_rate = kind.rate_on(day)
        if found_rate is None:
            found.append(finding("no_rate", day, allowance_type=kind.id, day=day.isoformat()))
        else:
            rate = found_rate.cents
    blocking = next((f.code for f in found if f.severity in _BLOCKING), None)
    eligible = record.status is Status.PRESENT and blocking is None
    return DayResult(
        participant_id=plan.participant_id,
        day=day,
        record=record,
        findings=tuple(found),
        eligible=eligible,
        reason=None if eligible else (blocking or f"status_{record.status.value}"),
        counted_minutes=counted if eligible else 0,
        allowance_type=allowance_type,
        payer=payer,
        rate_cents=rate if eligible else 0,
    )


def _week_label(week: tuple[int, int]) -> str:
    return f"{week[1]}/{week[0]}"


def _hhmm(t: Any) -> str:
    return f"{t.hour}.{t.minute:02d}"
