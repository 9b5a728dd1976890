"""The narrow interface the HTTP layer and the admin commands use to reach storage.

Storage only stores and reads: what a push's versions become is decided above it
(:mod:`sync_server.push`), inside a :class:`PushTransaction` storage hands out.

SQLite (:class:`~sync_server.storage.sqlite.SqliteStorage`) is the embedded default;
PostgreSQL (:class:`~sync_server.storage.postgres.PostgresStorage`), for a county that
runs several instances, implements this same protocol with the same queries. Time is
always a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from shared.findings import Finding
from shared.plans import Plan
from shared.protocol import AuditLine, EnrollReply, MonthClose, PullReply, RecordAnswer, SiteInfo
from shared.records import DayRecord
from shared.rulesets import RuleSet, RuleSets


@dataclass(frozen=True, slots=True)
class Device:
    id: str
    site_id: str
    name: str
    enrolled_at: datetime
    revoked_at: datetime | None = None
    last_seen_at: datetime | None = None
    clock_skew_seconds: float | None = None
    clock_flagged_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        def iso(t: datetime | None) -> str | None:
            return t.isoformat() if t else None

        return {
            "id": self.id,
            "site_id": self.site_id,
            "name": self.name,
            "enrolled_at": iso(self.enrolled_at),
            "revoked_at": iso(self.revoked_at),
            "last_seen_at": iso(self.last_seen_at),
            "clock_skew_seconds": self.clock_skew_seconds,
            "clock_flagged_at": iso(self.clock_flagged_at),
        }


@dataclass(frozen=True, slots=True)
class SiteRow:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    id: str
    site_id: str
    display_name: str
    client_ref: str


@dataclass(frozen=True, slots=True)
class ImportSummary:
    created: int
    updated: int

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated"


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """A version the server already holds under an id: whose site, what, and its findings."""

    site_id: str
    record: DayRecord
    findings: tuple[Finding, ...]


class PushTransaction(Protocol):
    """One write transaction for a push: the reads its decision needs, then the writes.

    What is read here is what the decision sees; nothing else writes in between.
    """

    def participant_sites(self, participant_ids: Sequence[str]) -> dict[str, str]: ...
    def stored_versions_of(self, ids: Sequence[str]) -> dict[str, StoredVersion]:
        """The stored versions among these ids (ids not stored are left out)."""
        ...

    def plans_of(self, participant_ids: Sequence[str]) -> dict[str, list[Plan]]: ...
    def versions_around(self, days_of: Mapping[str, Sequence[date]]) -> dict[str, list[DayRecord]]:
        """Per participant, the stored versions validation needs around its days."""
        ...

    def closed_months(self, site_id: str) -> set[tuple[int, int]]: ...
    def rule_sets(self) -> RuleSets: ...
    def keep(
        self,
        device: Device,
        answered: Sequence[tuple[DayRecord, RecordAnswer]],
        *,
        now: datetime,
    ) -> None:
        """Store versions seen for the first time: accepted ones as the record, conflicts
        and rejections aside with their answer."""
        ...

    def device_seen(
        self, device_id: str, *, now: datetime, skew: float | None, flagged: bool
    ) -> None: ...

    def log_device_access(
        self,
        device_id: str,
        site_id: str,
        action: str,
        participant_ids: Iterable[str],
        *,
        now: datetime,
        detail: str = "",
    ) -> None:
        """The access log's rows for a device request: one per participant."""
        ...


class Storage(Protocol):
    # reference data from the county
    def import_sites(self, rows: Sequence[SiteRow], *, now: datetime) -> ImportSummary: ...
    def import_participants(
        self, rows: Sequence[ParticipantRow], *, now: datetime
    ) -> ImportSummary: ...
    def import_plans(self, plans: Sequence[Plan], *, now: datetime) -> ImportSummary: ...
    def import_rule_sets(self, rule_sets: Sequence[RuleSet], *, now: datetime) -> ImportSummary: ...
    def site(self, site_id: str) -> SiteInfo | None: ...
    def sites(self) -> list[dict[str, Any]]: ...
    def participants(self, site_id: str) -> list[dict[str, Any]]: ...
    def participant_sites(self, participant_ids: Sequence[str]) -> dict[str, str]: ...
    def plans(self, site_id: str) -> list[Plan]: ...
    def rule_sets(self) -> RuleSets: ...

    # devices
    def create_enrollment_code(
        self, site_id: str, *, now: datetime, valid_for: timedelta
    ) -> tuple[str, datetime]: ...
    def enroll(self, code: str, device_name: str, *, now: datetime) -> EnrollReply: ...
    def authenticate(self, credential: str, *, now: datetime) -> Device | None: ...
    def devices(self, site_id: str | None = None) -> list[Device]: ...
    def revoke(self, device_id: str, *, now: datetime) -> Device: ...

    def generation(self) -> str:
        """Which copy of the data this is (a restore starts a new one: generation.py)."""
        ...

    # records (what a push decides: sync_server.push)
    def push_transaction(self) -> AbstractContextManager[PushTransaction]: ...
    def pull(
        self, device: Device, cursor: str | None, *, now: datetime, limit: int
    ) -> PullReply: ...
    def participant_records(
        self, device: Device, participant_id: str, start: date | None, end: date | None
    ) -> list[DayRecord]: ...
    def close_month(self, device: Device, close: MonthClose, *, now: datetime) -> bool: ...
    def supervisors_of(self, site_id: str) -> set[str]:
        """Who recorded the versions stored for the site (their ``recorded_by``)."""
        ...

    def reopen_month(
        self, site_id: str, year: int, month: int, *, reason: str, by: str, now: datetime
    ) -> MonthClose | None:
        """Open a closed month again (an administrator's act); None when it was not closed."""
        ...

    # reads for the nightly forward
    def versions_since(self, seq: int, limit: int) -> list[tuple[int, DayRecord, datetime]]: ...
    def changed_days_since(self, seq: int, limit: int) -> list[tuple[int, str, date]]: ...
    def versions_for(self, participant_id: str, start: date, end: date) -> list[DayRecord]: ...
    def closed_months(self, site_id: str) -> set[tuple[int, int]]: ...

    # the access log (asiakastietolaki 703/2023)
    def log_device_access(
        self,
        device_id: str,
        site_id: str,
        action: str,
        participant_ids: Iterable[str],
        *,
        now: datetime,
        detail: str = "",
    ) -> None: ...
    def store_audit(self, device_id: str, site_id: str, lines: Sequence[AuditLine]) -> int:
        """A device's own audit entries; the number the server did not have yet."""
        ...

    def close(self) -> None: ...
