"""The values Today is made of: a participant's row on the shown day, what a command
wants the day to say, and what a save came to. Apart from ``TodayState`` so that the
modules its commands use (``all_present``, ``unsent``, ``site_day``) need not import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from shared.findings import Finding, Severity
from shared.records import AbsenceReason, DayRecord, Status
from shared.validation import DayResult


@dataclass(frozen=True)
class TodayRow:
    participant_id: str
    name: str
    expected: bool
    record: DayRecord | None  # the current record of the day
    result: DayResult | None  # its findings and eligibility
    week_count: int  # eligible present days in the day's ISO week
    week_max: int | None
    usual_minutes: int | None
    closed: bool  # the day's month is closed: changes need a reason
    unsent: bool = False  # the record has not left the device: undo, change without reason
    week_present: int = 0  # present days in the day's ISO week, eligible or not

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings if self.result else ()

    @property
    def asks_reason(self) -> bool:
        """A change asks why, unless it only replaces what has not left the device."""
        if self.record is not None:
            return not self.unsent
        return self.closed


@dataclass(frozen=True)
class SaveOutcome:
    participant_id: str
    name: str
    saved: bool
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)


@dataclass(frozen=True)
class Change:
    """What a command wants the day to say (the fields of a record besides who/when)."""

    status: Status
    start: time | None = None
    end: time | None = None
    minutes: int | None = None
    reason: AbsenceReason | None = None
    note: str | None = None  # None keeps the day's note; "" clears it

    def same_as(self, record: DayRecord) -> bool:
        return (record.status, record.start, record.end, record.minutes, record.reason) == (
            self.status,
            self.start,
            self.end,
            self.minutes,
            self.reason,
        ) and note_of(self, record) == record.note


def note_of(change: Change, record: DayRecord | None) -> str | None:
    """The note the saved version carries: the day's own unless the change gives one."""
    if change.note is None:
        return record.note if record is not None else None
    return change.note.strip() or None
