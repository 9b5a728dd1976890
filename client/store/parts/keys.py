"""Supervisors, their PINs, the session's lifetime, data-key rotation and sealed secrets."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shared import crypto
from shared.error_codes import ErrorCode
from shared.protocol import SiteRequest

from .. import keyring, outbox, pin_rules, reference, rotation
from ..errors import SupervisorError
from ..models import SupervisorInfo
from ..session import Session
from .base import StoreBase, synchronised


class KeysPart(StoreBase):
    """Who may unlock the store, and the keys their PINs open."""

    @synchronised
    def is_initialised(self) -> bool:
        return self._db.conn.execute("SELECT 1 FROM supervisors LIMIT 1").fetchone() is not None

    @synchronised
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

    @synchronised
    def create_first_supervisor(
        self, supervisor_id: str, display_name: str, pin: str, *, now: datetime
    ) -> None:
        """Make the data key and the first supervisor; leaves the store unlocked as them."""
        _check_names(supervisor_id, display_name)
        keyring.check_new_pin(pin)
        if self.is_initialised():
            raise SupervisorError(
                "This device already has supervisors: an unlocked supervisor adds new ones.",
                code=ErrorCode.ALREADY_SET_UP,
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

    @synchronised
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
                code=ErrorCode.SUPERVISOR_EXISTS,
            )
        row, slots = keyring.new_supervisor(
            session, self._secret, self._kdf, supervisor_id, display_name, pin, now=now
        )
        with self._db.atomic():
            keyring.insert_supervisor(self._db, row, slots)

    @synchronised
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
        with self._db.atomic():  # what the server refused while the device was locked
            outbox.settle_locked(self._db, self._session)

    @synchronised
    def pin_change_required(self) -> bool:
        """True while the signed-in supervisor unlocked with a PIN that today's rules
        refuse (shorter than six digits, or trivial): ask for a new one first. Not
        activity: screens may ask it as often as they redraw."""
        return self._session is not None and self._session.pin_must_change

    @synchronised
    def replace_refused_pin(self, new_pin: str, *, now: datetime) -> None:
        """Re-wrap the signed-in supervisor's key under ``new_pin`` without asking for
        the old one again: only right after an unlock whose PIN the rules refuse (the
        old PIN was just proven; the app need not keep it in memory meanwhile)."""
        session = self._unlocked(now)
        if not session.pin_must_change:
            raise SupervisorError(
                "Change your PIN with your current PIN instead.", code=ErrorCode.OWN_PIN
            )
        keyring.check_new_pin(new_pin)
        keyring.rewrap(
            self._db, self._secret, self._kdf, session.supervisor_id, new_pin, session.private_key
        )
        session.pin_must_change = False

    @synchronised
    def lock(self) -> None:
        self._forget()

    @synchronised
    def is_unlocked(self, *, now: datetime) -> bool:
        if self._session is None:
            return False
        if self._session.expired(now, self._idle_timeout):
            self._forget()
            return False
        return True

    @synchronised
    def touch(self, *, now: datetime) -> None:
        """User activity: restart the idle timer (a store already idle too long locks)."""
        if self._session is not None:
            if self._session.expired(now, self._idle_timeout):
                self._forget()
            else:
                self._session.touch(now)

    @synchronised
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

    @synchronised
    def reset_supervisor(self, supervisor_id: str, new_pin: str, *, now: datetime) -> None:
        """Give another supervisor a new PIN and clear their lockout (needs a session)."""
        session = self._unlocked(now)
        keyring.check_new_pin(new_pin)
        if supervisor_id == session.supervisor_id:
            raise SupervisorError(
                "Change your own PIN with your current PIN instead.", code=ErrorCode.OWN_PIN
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

    @synchronised
    def remove_supervisor(self, supervisor_id: str, *, now: datetime) -> None:
        """Delete another supervisor's key slots (needs a session). Rotate the data key
        afterwards if they may have copied the device's files."""
        session = self._unlocked(now)
        if supervisor_id == session.supervisor_id:
            raise SupervisorError(
                "A supervisor cannot remove themselves while signed in.",
                code=ErrorCode.REMOVE_SELF,
            )
        keyring.supervisor_by_id(self._db, supervisor_id)
        with self._db.atomic():
            self._db.conn.execute("DELETE FROM key_slots WHERE supervisor_id = ?", [supervisor_id])
            self._db.conn.execute("DELETE FROM supervisors WHERE id = ?", [supervisor_id])

    @synchronised
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

    @synchronised
    def rotation_in_progress(self) -> bool:
        return rotation.in_progress(self._db)

    @synchronised
    def put_secret(self, name: str, value: bytes) -> None:
        session = self._unlocked(None)
        row: dict[str, Any] = {"name": name}
        row["payload"], row["key_version"] = session.seal("secrets", row, bytes(value))
        self._db.execute(
            "INSERT OR REPLACE INTO secrets (name, key_version, payload) "
            "VALUES (:name, :key_version, :payload)",
            row,
        )

    @synchronised
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

    @synchronised
    def keep_site_requests(self, requests: Sequence[SiteRequest]) -> None:
        """The days the county returned to the site, as the last pull listed them (sealed:
        they name participants and may carry the coordinator's words)."""
        body = json.dumps([r.to_dict() for r in requests]).encode()
        self.put_secret(_SITE_REQUESTS, body)

    @synchronised
    def site_requests(self) -> list[SiteRequest]:
        raw = self.get_secret(_SITE_REQUESTS)
        return [SiteRequest.from_dict(r) for r in json.loads(raw)] if raw else []


_SITE_REQUESTS = "site_requests"  # the secrets row holding the returned days


def _check_names(supervisor_id: str, display_name: str) -> None:
    if not supervisor_id.strip() or not display_name.strip():
        raise SupervisorError(
            "A supervisor needs a non-empty id and display name.", code=ErrorCode.NAME_MISSING
        )
