""" "Kaikki paikalla" asks first (issue 11, item 5): on any day but today, and whenever a
mark would break a limit, the group is marked only after the supervisor saw who would
be marked and what each mark would break."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from client.app.state.day_rows import TodayRow
from client.app.state.device import Device
from client.app.state.errors import AppError
from shared import window_bounds
from shared.findings import Finding, Severity
from shared.records import DayRecord, Status
from shared.validation import check_new_version

# What "breaks a limit": the mark would not be saved, would earn nothing (over the
# weekly maximum, outside the plan) or goes to the coordinator for review. Notices (a
# week under its minimum so far) are not limits.
BREAKS = frozenset({Severity.ERROR, Severity.NOT_ELIGIBLE, Severity.FLAGGED})
# Said once for the group (``AllPresentPreview.closed``, with the one reason it asks),
# not under every person.
CLOSED_MONTH = "closed_month_change"


@dataclass(frozen=True)
class PlannedMark:
    participant_id: str
    name: str
    minutes: int
    breaks: tuple[Finding, ...]  # the findings of BREAKS severity this mark would have


@dataclass(frozen=True)
class AllPresentPreview:
    """Who "all present" would mark on the day, and whether to ask before marking."""

    marks: tuple[PlannedMark, ...]
    other_day: bool  # the day shown is not today
    closed: bool = False  # the day's month is closed: the marks need one reason

    @property
    def breaking(self) -> tuple[PlannedMark, ...]:
        return tuple(m for m in self.marks if m.breaks)

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.marks) and (self.other_day or bool(self.breaking))


class NeedsConfirmation(AppError):
    """ "All present" on another day or over a limit: show the preview, then repeat the
    command with ``confirmed=True``."""

    def __init__(self, preview: AllPresentPreview) -> None:
        self.preview = preview
        super().__init__("all_present.not_confirmed")


def preview_all_present(
    device: Device, day: date, unmarked: Sequence[TodayRow]
) -> AllPresentPreview:
    """Each expected participant not yet marked on ``day`` (Today's ``unmarked``), with
    the findings a present mark of the plan's usual hours would have (each judged with
    the day's other records)."""
    store = device.store
    now = device.now()
    rows = [r for r in unmarked if r.usual_minutes is not None]
    plans = {p.id: p.plan for p in store.participants(now=now)}
    lo, _monday, hi = window_bounds(day, day)
    versions = store.site_versions(lo, hi, now=now) if rows else []
    rule_sets = store.rule_sets()
    closed = store.closed_months()
    who = store.current_supervisor or ""
    marks: list[PlannedMark] = []
    for r in rows:
        assert r.usual_minutes is not None
        record = DayRecord(
            participant_id=r.participant_id,
            day=day,
            status=Status.PRESENT,
            recorded_by=who,
            device_id=device.device_id(),
            recorded_at=now,
            minutes=r.usual_minutes,
        )
        findings = check_new_version(
            plans.get(r.participant_id),
            [v for v in versions if v.participant_id == r.participant_id],
            record,
            rule_sets,
            today=device.today(),
            closed_months=closed,
        )
        breaks = tuple(f for f in findings if f.severity in BREAKS and f.code != CLOSED_MONTH)
        marks.append(PlannedMark(r.participant_id, r.name, r.usual_minutes, breaks))
    return AllPresentPreview(
        tuple(marks), other_day=day != device.today(), closed=(day.year, day.month) in closed
    )
