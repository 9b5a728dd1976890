"""Day records: every version, sealed, with the audit log of who changed and saw them."""

from __future__ import annotations

from datetime import date, datetime

from shared import (
    DayRecord,
    Finding,
    Severity,
    check_new_version,
    helsinki_today,
    window_bounds,
)
from shared.error_codes import ErrorCode
from shared.protocol import AuditLine

from .. import audit, opening, outbox, reference, versions
from ..errors import RecordNotAllowed
from ..models import AuditEntry, SaveResult
from ..session import Session
from .base import synchronised
from .months import MonthsPart
from .reference import ReferencePart

# The last audit entry the server acknowledged (a store key: sync cannot move it back).
META_AUDIT_SENT = opening.RESERVED_META + "audit_sent_seq"


class RecordsPart(ReferencePart, MonthsPart):
    """Versions of day records; a save checks them against plans, rules and closed months."""

    @synchronised
    def save_record(self, record: DayRecord, *, now: datetime) -> SaveResult:
        """Validate, then seal, insert, queue for the server and audit in one transaction.

        Not saved (``saved`` False) when a finding is an error; every finding is
        returned either way.
        """
        session = self._unlocked(now)
        versions.check_in_range(record)
        if record.recorded_by != session.supervisor_id:
            raise RecordNotAllowed(
                "A record must name the signed-in supervisor as the one who recorded it.",
                code=ErrorCode.RECORD_OTHER_AUTHOR,
            )
        if versions.known_ids(self._db, [record.id]):
            raise RecordNotAllowed(
                "A version with this id is already saved: make a new version.",
                code=ErrorCode.RECORD_ID_TAKEN,
            )
        findings = self._check(session, record, now=now)
        if any(f.severity is Severity.ERROR for f in findings):
            return SaveResult(False, findings)
        row = versions.version_row(session, record, "pending")
        with self._db.atomic():
            versions.insert(self._db, [row])
            outbox.enqueue(self._db, record, now=now)
            audit.write(
                self._db,
                self._actor(session, now),
                audit.CHANGE,
                [(record.participant_id, record.id)],
            )
        session.records[record.id] = record
        return SaveResult(True, findings)

    def _check(
        self, session: Session, record: DayRecord, *, now: datetime, without: str | None = None
    ) -> list[Finding]:
        """The findings of saving ``record`` (``without``: a version not counted, being
        withdrawn in the same step)."""
        plan = reference.plans(self._db, session, record.participant_id).get(record.participant_id)
        earliest, _monday, sunday = window_bounds(record.day, record.day)
        context = versions.of_participant(
            self._db, session, record.participant_id, earliest, sunday
        )
        return check_new_version(
            plan,
            [v for v in context if v.id != without],
            record,
            self.rule_sets(),
            today=helsinki_today(now),
            closed_months=self.closed_months(),
        )

    @synchronised
    def unsent_ids(self, record_ids: list[str]) -> set[str]:
        """Those of ``record_ids`` that have not left the device (waiting in the outbox,
        not answered during a locked round): they may be taken back without a trace on
        the server (:meth:`withdraw_unsent`)."""
        self._unlocked(None)
        return outbox.unsent(self._db, record_ids)

    @synchronised
    def withdraw_unsent(
        self, record_id: str, replacement: DayRecord | None, *, now: datetime
    ) -> SaveResult:
        """Undo (``replacement`` None) or change an unsent version in one step.

        The version stays, marked withdrawn (and replaced by ``replacement``); its
        outbox entry goes, so the server never sees it. A replacement is checked and
        saved as :meth:`save_record` does, counted without the withdrawn version; it is
        not saved (nor anything withdrawn) when a finding is an error. Raises
        :class:`RecordNotAllowed` when the version has already left the device.
        """
        session = self._unlocked(now)
        if not outbox.unsent(self._db, [record_id]):
            raise RecordNotAllowed(
                "This version has already been sent to the server (or is not on this "
                "device): correct it with a reason instead.",
                code=ErrorCode.RECORD_NOT_ALLOWED,
            )
        old = versions.by_ids(self._db, session, [record_id])[record_id]
        findings: list[Finding] = []
        row = None
        if replacement is not None:
            versions.check_in_range(replacement)
            if replacement.recorded_by != session.supervisor_id:
                raise RecordNotAllowed(
                    "A record must name the signed-in supervisor as the one who recorded it.",
                    code=ErrorCode.RECORD_OTHER_AUTHOR,
                )
            if versions.known_ids(self._db, [replacement.id]):
                raise RecordNotAllowed(
                    "A version with this id is already saved: make a new version.",
                    code=ErrorCode.RECORD_ID_TAKEN,
                )
            findings = self._check(session, replacement, now=now, without=record_id)
            if any(f.severity is Severity.ERROR for f in findings):
                return SaveResult(False, findings)
            row = versions.version_row(session, replacement, "pending")
        with self._db.atomic():
            if row is not None and replacement is not None:
                versions.insert(self._db, [row])
                outbox.enqueue(self._db, replacement, now=now)
            outbox.withdraw(
                self._db,
                record_id,
                now=now,
                replaced_by=replacement.id if replacement is not None else None,
            )
            changed = [(old.participant_id, record_id)]
            if replacement is not None:
                changed.append((replacement.participant_id, replacement.id))
            audit.write(self._db, self._actor(session, now), audit.CHANGE, changed)
        if replacement is not None:
            session.records[replacement.id] = replacement
        return SaveResult(True, findings)

    @synchronised
    def versions(
        self, participant_id: str, start: date, end: date, *, now: datetime
    ) -> list[DayRecord]:
        """Every version (the whole correction history) of one participant's days in
        [start, end], by day and time recorded; audited as a "view"."""
        session = self._unlocked(now)
        found = versions.of_participant(self._db, session, participant_id, start, end)
        with self._db.atomic():
            audit.write(
                self._db,
                self._actor(session, now),
                audit.VIEW,
                [(participant_id, f"{start.isoformat()}/{end.isoformat()}")],
            )
        return versions.order(found)

    @synchronised
    def site_versions(self, start: date, end: date, *, now: datetime) -> list[DayRecord]:
        """Every version of every participant in [start, end]; a "view" per participant seen."""
        session = self._unlocked(now)
        found = versions.of_site(self._db, session, start, end)
        seen = sorted({r.participant_id for r in found})
        detail = f"{start.isoformat()}/{end.isoformat()}"
        with self._db.atomic():
            audit.write(
                self._db, self._actor(session, now), audit.VIEW, ((p, detail) for p in seen)
            )
        return versions.order(found)

    @synchronised
    def sync_states(self, ids: list[str]) -> dict[str, str]:
        """Where each version stands with the server: 'pending' (waiting in the outbox),
        'acknowledged' (sent), 'remote' (came from another device), 'refused'."""
        self._unlocked(None)
        return versions.sync_states(self._db, ids)

    @synchronised
    def apply_remote_records(self, records: list[DayRecord]) -> None:
        """Versions from the server: stored once each (by id), never queued to send back."""
        session = self._unlocked(None)
        known = versions.known_ids(self._db, [r.id for r in records])
        back = [r.id for r in records if r.id in known]  # the server has them: never withdrawn
        rows = []
        for record in records:
            if record.id not in known:
                known.add(record.id)
                rows.append(versions.version_row(session, record, "remote"))
        with self._db.atomic():
            versions.insert(self._db, rows)
            outbox.came_back(self._db, back, "acknowledged")

    @synchronised
    def audit_entries(self, participant_id: str | None = None) -> list[AuditEntry]:
        """The audit log, oldest first (needs an unlocked session)."""
        self._unlocked(None)
        return audit.read(self._db, participant_id)

    @synchronised
    def audit_unsent(self, limit: int) -> list[AuditLine]:
        """Audit entries the server has not acknowledged yet, oldest first (for sync)."""
        self._unlocked(None)
        after = int(self._meta(META_AUDIT_SENT) or 0)
        return audit.unsent(self._db, after, limit)

    @synchronised
    def audit_sent(self, last_seq: int) -> None:
        """The server keeps every entry up to ``last_seq``: do not send them again."""
        after = int(self._meta(META_AUDIT_SENT) or 0)
        self._db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [META_AUDIT_SENT, str(max(after, last_seq))],
        )
