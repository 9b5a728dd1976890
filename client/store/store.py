"""The device's encrypted offline store: one SQLite file, sealed values, one lock.

Every method that reads or writes sealed data needs an unlocked session and raises
:class:`StoreLocked` otherwise. Methods that take ``now`` also apply the idle
timeout and count as activity. The store may be used from any thread; one lock
serialises all use of the connection.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlite_utils import Database

from shared import (
    DayRecord,
    Plan,
    RuleSets,
    Severity,
    check_new_version,
    crypto,
    helsinki_today,
    window_bounds,
)
from shared.protocol import AuditLine, RecordAnswer, Reference, SiteInfo

from . import audit, keyring, opening, outbox, pin_rules, reference, rotation, versions
from .errors import (
    RecordNotAllowed,
    StoreClosed,
    StoreError,
    StoreLocked,
    StoreProblem,
    SupervisorError,
)
from .models import Attention, AuditEntry, Participant, SaveResult, SupervisorInfo
from .session import Session

# The last audit entry the server acknowledged (a store key: sync cannot move it back).
META_AUDIT_SENT = opening.RESERVED_META + "audit_sent_seq"
P = ParamSpec("P")
R = TypeVar("R")


def _synchronised(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    def wrapper(self: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._lock:
            if self._closed:
                raise StoreClosed()
            return method(self, *args, **kwargs)

    functools.update_wrapper(wrapper, method)
    return wrapper


class Store:
    """The encrypted store of one device. Make one with :meth:`open`."""

    def __init__(
        self,
        db: Database,
        device_secret: bytes,
        *,
        idle_timeout: timedelta,
        max_pin_attempts: int,
        kdf_params: crypto.KdfParams,
    ) -> None:
        self._db = db
        self._secret = device_secret
        self._idle_timeout = idle_timeout
        self._kdf = kdf_params
        self._attempts = keyring.Attempts(db, max_pin_attempts)
        self._lock = threading.RLock()
        self._session: Session | None = None
        self._closed = False
        self._rule_sets: RuleSets | None = None

    # -- opening, closing, identity -------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        device_secret: bytes,
        *,
        idle_timeout: timedelta = timedelta(minutes=5),
        max_pin_attempts: int = 8,
        kdf_params: crypto.KdfParams = crypto.DEFAULT_KDF,
    ) -> Store:
        """Open (creating if needed) the store at ``path``, locked.

        ``device_secret`` must be the secret this store was created with: any other
        raises :class:`CannotOpen`. ``kdf_params`` exists for tests and for raising the
        cost later (slots are re-wrapped with the current parameters at unlock).
        """
        if len(device_secret) < crypto.DEVICE_SECRET_BYTES:
            raise StoreError("The device secret must have at least 32 bytes.")
        if max_pin_attempts < 1:
            raise StoreError("The number of PIN attempts must be at least 1.")
        db = opening.open_database(Path(path), device_secret)
        return cls(
            db,
            device_secret,
            idle_timeout=idle_timeout,
            max_pin_attempts=max_pin_attempts,
            kdf_params=kdf_params,
        )

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._forget()
            self._db.close()
            self._closed = True

    @property
    @_synchronised
    def device_id(self) -> str:
        """The enrolled device id, or the random one made when the store was created."""
        return self._meta("device_id") or self._meta(opening.LOCAL_DEVICE_ID) or ""

    @_synchronised
    def get_meta(self, key: str) -> str | None:
        return self._meta(key)

    @_synchronised
    def set_meta(self, key: str, value: str) -> None:
        """Clear bookkeeping only (cursors, ids): never personal data, never secrets."""
        if key.startswith(opening.RESERVED_META):
            raise StoreError(
                f"Meta keys starting with {opening.RESERVED_META!r} belong to the store."
            )
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    def _meta(self, key: str) -> str | None:
        row = self._db.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    # -- supervisors and the session ------------------------------------------------

    @_synchronised
    def is_initialised(self) -> bool:
        return self._db.conn.execute("SELECT 1 FROM supervisors LIMIT 1").fetchone() is not None

    @_synchronised
    def supervisors(self) -> list[SupervisorInfo]:
        rows = self._db.conn.execute(
            "SELECT id, display_name, locked_out, retry_after FROM supervisors"
        ).fetchall()
        infos = [
            SupervisorInfo(
                id=sid,
                display_name=name,
                locked_out=bool(locked),
                retry_after=datetime.fromisoformat(retry) if retry else None,
            )
            for sid, name, locked, retry in rows
        ]
        return sorted(infos, key=lambda s: (reference.name_order(s.display_name), s.id))

    @property
    def current_supervisor(self) -> str | None:
        with self._lock:
            return self._session.supervisor_id if self._session else None

    @_synchronised
    def create_first_supervisor(
        self, supervisor_id: str, display_name: str, pin: str, *, now: datetime
    ) -> None:
        """Make the data key and the first supervisor; leaves the store unlocked as them."""
        _check_names(supervisor_id, display_name)
        keyring.check_new_pin(pin)
        if self.is_initialised():
            raise SupervisorError(
                "This device already has supervisors: an unlocked supervisor adds new ones.",
                code=StoreProblem.ALREADY_SET_UP,
            )
        data_key = crypto.new_data_key()
        private, public = crypto.new_key_pair()
        session = Session(supervisor_id, private, {1: data_key}, now=now)
        slot = keyring.pin_slot(supervisor_id, pin, private, self._secret, self._kdf)
        row = keyring.supervisor_row(session, supervisor_id, display_name, slot, public, now=now)
        slots = keyring.key_slot_rows(supervisor_id, public, {1: data_key})
        with self._db.atomic():
            self._db.conn.execute(
                "INSERT INTO data_keys (version, state, created_at) VALUES (1, 'active', ?)",
                [now.isoformat()],
            )
            keyring.insert_supervisor(self._db, row, slots)
        self._forget()
        self._session = session

    @_synchronised
    def add_supervisor(
        self, supervisor_id: str, display_name: str, pin: str, *, now: datetime
    ) -> None:
        """Add a supervisor with their own PIN (needs an unlocked session)."""
        session = self._unlocked(now)
        _check_names(supervisor_id, display_name)
        keyring.check_new_pin(pin)
        if keyring.supervisor_by_id(self._db, supervisor_id, missing_ok=True) is not None:
            raise SupervisorError(
                f"A supervisor with the id {supervisor_id!r} already exists.",
                code=StoreProblem.SUPERVISOR_EXISTS,
            )
        row, slots = keyring.new_supervisor(
            session, self._secret, self._kdf, supervisor_id, display_name, pin, now=now
        )
        with self._db.atomic():
            keyring.insert_supervisor(self._db, row, slots)

    @_synchronised
    def unlock(self, supervisor_id: str, pin: str, *, now: datetime) -> None:
        """Open the data keys with this supervisor's PIN.

        Raises :class:`WrongPin` (try again), :class:`TooEarly` (wait),
        :class:`PinLockedOut` (also at the attempt that uses up the last try).
        """
        row = keyring.supervisor_by_id(self._db, supervisor_id)
        failures = self._attempts.admit(row, now=now)
        try:
            private = keyring.open_pin_slot(row, pin, self._secret)
        except crypto.CannotOpen:
            raise self._attempts.failed(row, failures, now=now) from None
        self._attempts.succeeded(supervisor_id)
        keys = keyring.open_data_keys(self._db, supervisor_id, private)
        self._forget()
        self._session = Session(supervisor_id, private, keys, now=now)
        # A PIN chosen before today's rules still opens, but must be replaced before use.
        self._session.pin_must_change = pin_rules.pin_fault(pin) is not None
        if keyring.slot_params(row) != self._kdf:  # cost raised since: re-wrap now
            keyring.rewrap(self._db, self._secret, self._kdf, supervisor_id, pin, private)

    @_synchronised
    def pin_change_required(self) -> bool:
        """True while the signed-in supervisor unlocked with a PIN that today's rules
        refuse (shorter than six digits, or trivial): ask for a new one first. Not
        activity: screens may ask it as often as they redraw."""
        return self._session is not None and self._session.pin_must_change

    @_synchronised
    def replace_refused_pin(self, new_pin: str, *, now: datetime) -> None:
        """Re-wrap the signed-in supervisor's key under ``new_pin`` without asking for
        the old one again: only right after an unlock whose PIN the rules refuse (the
        old PIN was just proven; the app need not keep it in memory meanwhile)."""
        session = self._unlocked(now)
        if not session.pin_must_change:
            raise SupervisorError(
                "Change your PIN with your current PIN instead.", code=StoreProblem.OWN_PIN
            )
        keyring.check_new_pin(new_pin)
        keyring.rewrap(
            self._db, self._secret, self._kdf, session.supervisor_id, new_pin, session.private_key
        )
        session.pin_must_change = False

    @_synchronised
    def lock(self) -> None:
        self._forget()

    @_synchronised
    def is_unlocked(self, *, now: datetime) -> bool:
        if self._session is None:
            return False
        if self._session.expired(now, self._idle_timeout):
            self._forget()
            return False
        return True

    @_synchronised
    def touch(self, *, now: datetime) -> None:
        """User activity: restart the idle timer (a store already idle too long locks)."""
        if self._session is not None:
            if self._session.expired(now, self._idle_timeout):
                self._forget()
            else:
                self._session.touch(now)

    @_synchronised
    def change_pin(self, old_pin: str, new_pin: str, *, now: datetime) -> None:
        """Re-wrap the signed-in supervisor's key under a new PIN; no data is re-encrypted.

        A wrong ``old_pin`` counts as a wrong PIN; the attempt that locks the PIN
        also locks the store.
        """
        session = self._unlocked(now)
        keyring.check_new_pin(new_pin)
        row = keyring.supervisor_by_id(self._db, session.supervisor_id)
        failures = self._attempts.admit(row, now=now)
        try:
            keyring.open_pin_slot(row, old_pin, self._secret)
        except crypto.CannotOpen:
            error = self._attempts.failed(row, failures, now=now)
            if failures >= self._attempts.max_attempts:
                self._forget()
            raise error from None
        self._attempts.succeeded(session.supervisor_id)
        keyring.rewrap(
            self._db, self._secret, self._kdf, session.supervisor_id, new_pin, session.private_key
        )
        session.pin_must_change = False

    @_synchronised
    def reset_supervisor(self, supervisor_id: str, new_pin: str, *, now: datetime) -> None:
        """Give another supervisor a new PIN and clear their lockout (needs a session)."""
        session = self._unlocked(now)
        keyring.check_new_pin(new_pin)
        if supervisor_id == session.supervisor_id:
            raise SupervisorError(
                "Change your own PIN with your current PIN instead.", code=StoreProblem.OWN_PIN
            )
        old = keyring.supervisor_by_id(self._db, supervisor_id)
        row, slots = keyring.new_supervisor(
            session, self._secret, self._kdf, supervisor_id, old["display_name"], new_pin, now=now
        )
        row["created_at"] = old["created_at"]
        with self._db.atomic():
            self._db.conn.execute("DELETE FROM key_slots WHERE supervisor_id = ?", [supervisor_id])
            self._db.conn.execute("DELETE FROM supervisors WHERE id = ?", [supervisor_id])
            keyring.insert_supervisor(self._db, row, slots)

    @_synchronised
    def remove_supervisor(self, supervisor_id: str, *, now: datetime) -> None:
        """Delete another supervisor's key slots (needs a session). Rotate the data key
        afterwards if they may have copied the device's files."""
        session = self._unlocked(now)
        if supervisor_id == session.supervisor_id:
            raise SupervisorError(
                "A supervisor cannot remove themselves while signed in.",
                code=StoreProblem.REMOVE_SELF,
            )
        keyring.supervisor_by_id(self._db, supervisor_id)
        with self._db.atomic():
            self._db.conn.execute("DELETE FROM key_slots WHERE supervisor_id = ?", [supervisor_id])
            self._db.conn.execute("DELETE FROM supervisors WHERE id = ?", [supervisor_id])

    @_synchronised
    def rotate_data_key(
        self, *, now: datetime, batch_size: int = 1000, max_batches: int | None = None
    ) -> bool:
        """Re-encrypt everything under a new data key; True when the rotation is complete.

        Each batch of ``batch_size`` rows is one transaction and the store stays
        readable throughout; an interrupted rotation (or one stopped after
        ``max_batches``) resumes at the next call, by any supervisor.
        """
        session = self._unlocked(now)
        if not rotation.in_progress(self._db):
            rotation.start(self._db, session, now=now)
        done_batches = 0
        while True:
            if max_batches is not None and done_batches >= max_batches:
                return False
            moved = rotation.step(self._db, session, batch_size)
            done_batches += 1
            if moved < batch_size:
                break
        rotation.finish(self._db, session)
        return True

    @_synchronised
    def rotation_in_progress(self) -> bool:
        return rotation.in_progress(self._db)

    def _unlocked(self, now: datetime | None) -> Session:
        session = self._session
        if session is None:
            raise StoreLocked()
        if now is not None:
            if session.expired(now, self._idle_timeout):
                self._forget()
                raise StoreLocked(
                    "The store locked itself after a time without use: unlock it with a PIN.",
                    code=StoreProblem.LOCKED_IDLE,
                )
            session.touch(now)
        return session

    def _forget(self) -> None:
        if self._session is not None:
            self._session.forget()
        self._session = None

    def _actor(self, session: Session, now: datetime) -> audit.Actor:
        return audit.Actor(session.supervisor_id, self._meta("device_id") or self._local_id(), now)

    def _local_id(self) -> str:
        return self._meta(opening.LOCAL_DEVICE_ID) or ""

    # -- reference data -------------------------------------------------------------

    @_synchronised
    def replace_reference_data(self, site: SiteInfo, data: Reference) -> None:
        """Replace the site, its participants, their plans and the received rule sets."""
        session = self._unlocked(None)
        with self._db.atomic():
            reference.replace(self._db, session, site, data)
        self._rule_sets = None

    @_synchronised
    def site(self) -> tuple[str, str] | None:
        return reference.site(self._db)

    @_synchronised
    def participants(self, *, now: datetime) -> list[Participant]:
        """The site's participants by name (audited as a "list" of each)."""
        session = self._unlocked(now)
        plans = reference.plans(self._db, session)
        people = [
            Participant(pid, name, ref, plans.get(pid))
            for pid, name, ref in reference.participants(self._db, session)
        ]
        people.sort(key=lambda p: (reference.name_order(p.display_name), p.id))
        with self._db.atomic():
            audit.write(
                self._db, self._actor(session, now), audit.LIST, ((p.id, "") for p in people)
            )
        return people

    @_synchronised
    def plan(self, participant_id: str) -> Plan | None:
        session = self._unlocked(None)
        return reference.plans(self._db, session, participant_id).get(participant_id)

    @_synchronised
    def rule_sets(self) -> RuleSets:
        if self._rule_sets is None:
            self._rule_sets = reference.rule_sets(self._db)
        return self._rule_sets

    # -- day records ----------------------------------------------------------------

    @_synchronised
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
                code=StoreProblem.RECORD_OTHER_AUTHOR,
            )
        if versions.known_ids(self._db, [record.id]):
            raise RecordNotAllowed(
                "A version with this id is already saved: make a new version.",
                code=StoreProblem.RECORD_ID_TAKEN,
            )
        plan = reference.plans(self._db, session, record.participant_id).get(record.participant_id)
        earliest, _monday, sunday = window_bounds(record.day, record.day)
        context = versions.of_participant(
            self._db, session, record.participant_id, earliest, sunday
        )
        findings = check_new_version(
            plan,
            context,
            record,
            self.rule_sets(),
            today=helsinki_today(now),
            closed_months=self.closed_months(),
        )
        if any(f.severity is Severity.ERROR for f in findings):
            return SaveResult(False, findings)
        row = versions.version_row(session, record, "pending")
        with self._db.atomic():
            versions.insert(self._db, [row])
            outbox.enqueue(self._db, record.id, now=now)
            audit.write(
                self._db,
                self._actor(session, now),
                audit.CHANGE,
                [(record.participant_id, record.id)],
            )
        session.records[record.id] = record
        return SaveResult(True, findings)

    @_synchronised
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

    @_synchronised
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

    @_synchronised
    def apply_remote_records(self, records: list[DayRecord]) -> None:
        """Versions from the server: stored once each (by id), never queued to send back."""
        session = self._unlocked(None)
        known = versions.known_ids(self._db, [r.id for r in records])
        rows = []
        for record in records:
            if record.id not in known:
                known.add(record.id)
                rows.append(versions.version_row(session, record, "remote"))
        with self._db.atomic():
            versions.insert(self._db, rows)

    # -- the outbox -----------------------------------------------------------------

    @_synchronised
    def outbox_pending(self, limit: int) -> list[DayRecord]:
        """Up to ``limit`` queued versions, oldest first."""
        return outbox.pending(self._db, self._unlocked(None), limit)

    @_synchronised
    def outbox_count(self) -> int:
        return outbox.count(self._db)

    @_synchronised
    def outbox_answer(self, answers: Iterable[RecordAnswer]) -> None:
        """The server's answer per version: accepted/duplicate leave the outbox;
        conflict/rejected move to the attention list; unknown ids are ignored."""
        session = self._unlocked(None)
        with self._db.atomic():
            outbox.answer(self._db, session, answers)

    @_synchronised
    def attention(self) -> list[Attention]:
        return outbox.attention(self._db, self._unlocked(None))

    @_synchronised
    def resolve_attention(self, record_id: str) -> None:
        self._unlocked(None)
        with self._db.atomic():
            outbox.resolve(self._db, record_id)

    # -- secrets, months, audit -----------------------------------------------------

    @_synchronised
    def put_secret(self, name: str, value: bytes) -> None:
        session = self._unlocked(None)
        row: dict[str, Any] = {"name": name}
        row["payload"], row["key_version"] = session.seal("secrets", row, bytes(value))
        self._db.execute(
            "INSERT OR REPLACE INTO secrets (name, key_version, payload) "
            "VALUES (:name, :key_version, :payload)",
            row,
        )

    @_synchronised
    def get_secret(self, name: str) -> bytes | None:
        session = self._unlocked(None)
        rows = list(
            self._db.query(
                "SELECT name, key_version, CAST(payload AS BLOB) AS payload FROM secrets "
                "WHERE name = ?",
                [name],
            )
        )
        return session.open("secrets", rows[0]) if rows else None

    @_synchronised
    def close_month(self, year: int, month: int, *, now: datetime) -> None:
        """Close a month for the site: later changes to it are flagged to the coordinator."""
        session = self._unlocked(now)
        if not 1 <= month <= 12:
            raise StoreError(
                f"There is no month {month}: months are 1–12.",
                code=StoreProblem.MONTH_INVALID,
                params={"month": month},
            )
        versions.check_year(year)
        with self._db.atomic():
            self._db.conn.execute(
                "INSERT OR IGNORE INTO closed_months (year, month, closed_at, closed_by) "
                "VALUES (?, ?, ?, ?)",
                [year, month, now.isoformat(), session.supervisor_id],
            )
            audit.write(
                self._db,
                self._actor(session, now),
                audit.CLOSE_MONTH,
                [(None, f"{year}-{month:02d}")],
            )

    @_synchronised
    def follow_closed_months(
        self,
        closed: Sequence[tuple[int, int, str, datetime]],
        reopened: Iterable[tuple[int, int]],
    ) -> None:
        """The site's closes from the server: (year, month, closed_by, closed_at) to add,
        and (year, month) an administrator opened again, to remove."""
        with self._db.atomic():
            self._db.conn.executemany(
                "INSERT OR IGNORE INTO closed_months (year, month, closed_at, closed_by) "
                "VALUES (?, ?, ?, ?)",
                [(y, m, at.isoformat(), by) for y, m, by, at in closed],
            )
            self._db.conn.executemany(
                "DELETE FROM closed_months WHERE year = ? AND month = ?", list(reopened)
            )

    @_synchronised
    def closed_months(self) -> set[tuple[int, int]]:
        return {(y, m) for y, m in self._db.conn.execute("SELECT year, month FROM closed_months")}

    @_synchronised
    def audit_unsent(self, limit: int) -> list[AuditLine]:
        """Audit entries the server has not acknowledged yet, oldest first (for sync)."""
        self._unlocked(None)
        after = int(self._meta(META_AUDIT_SENT) or 0)
        return audit.unsent(self._db, after, limit)

    @_synchronised
    def audit_sent(self, last_seq: int) -> None:
        """The server keeps every entry up to ``last_seq``: do not send them again."""
        after = int(self._meta(META_AUDIT_SENT) or 0)
        self._db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [META_AUDIT_SENT, str(max(after, last_seq))],
        )

    @_synchronised
    def audit_entries(self, participant_id: str | None = None) -> list[AuditEntry]:
        """The audit log, oldest first (needs an unlocked session)."""
        self._unlocked(None)
        return audit.read(self._db, participant_id)


def _check_names(supervisor_id: str, display_name: str) -> None:
    if not supervisor_id.strip() or not display_name.strip():
        raise SupervisorError(
            "A supervisor needs a non-empty id and display name.", code=StoreProblem.NAME_MISSING
        )
