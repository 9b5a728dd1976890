"""What the store hands out: plain, immutable values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared import DayRecord, Finding, Plan


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    display_name: str
    client_ref: str
    plan: Plan | None


@dataclass(frozen=True, slots=True)
class SupervisorInfo:
    id: str
    display_name: str
    locked_out: bool
    retry_after: datetime | None


@dataclass(frozen=True, slots=True)
class SaveResult:
    """``saved`` is False exactly when a finding has severity error."""

    saved: bool
    findings: list[Finding]


@dataclass(frozen=True, slots=True)
class Attention:
    """A version the server did not take (conflict or rejected), for a person to settle."""

    record: DayRecord
    status: str
    findings: list[Finding]
    current: DayRecord | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    supervisor_id: str
    device_id: str
    participant_id: str | None
    action: str  # "list", "view", "change", "close_month"
    detail: str
