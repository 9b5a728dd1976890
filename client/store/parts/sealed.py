"""Sending while locked: the outbox's boxes for the server, and the device credential.

Nothing here opens personal data: a locked store hands out boxes only the server
opens, marks versions sent from the answers' ids and statuses, and keeps refusals
sealed until the next unlock (:mod:`client.store.sealed`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from shared import crypto
from shared.protocol import RecordAnswer, SealedEntry

from .. import opening, outbox, sealed, versions
from ..errors import CannotOpen
from .base import StoreBase, synchronised

CREDENTIAL = "device_credential"


class SealedPart(StoreBase):
    """What the background sync uses when no supervisor is signed in."""

    @synchronised
    def is_locked(self) -> bool:
        """No session (not activity, and no idle check: the sync's question, not the UI's)."""
        return self._session is None

    @synchronised
    def set_server_key(self, key: bytes) -> int:
        """Keep the server's public key and seal to it every queued version that has no
        box for today's device id and key; the number sealed (needs a session)."""
        session = self._unlocked(None)
        if sealed.server_key(self._db) == key and not sealed.unsealed_ids(self._db):
            return 0
        with self._db.atomic():
            sealed.set_server_key(self._db, session, key)
            ids = sealed.unsealed_ids(self._db)
            found = versions.by_ids(self._db, session, ids)
            sealed.store_boxes(self._db, (found[i] for i in ids))
        return len(ids)

    @synchronised
    def sealed_pending(self, limit: int) -> list[SealedEntry]:
        """Up to ``limit`` boxes for the server, oldest first (no session needed)."""
        return sealed.pending(self._db, limit)

    @synchronised
    def unsealed_count(self) -> int:
        """Queued versions without a box: they wait for an unlocked round."""
        return len(sealed.unsealed_ids(self._db))

    @synchronised
    def answer_sealed(self, answers: Iterable[RecordAnswer]) -> None:
        """The server's answers to a sealed push, applied with or without a session."""
        with self._db.atomic():
            outbox.answer_sealed(self._db, self._session, answers)

    @synchronised
    def drop_sealed(self, record_ids: Iterable[str]) -> None:
        """Boxes the server could not open: send those versions unsealed after unlock."""
        with self._db.atomic():
            sealed.drop_boxes(self._db, record_ids)

    @synchronised
    def oldest_unsent(self) -> datetime | None:
        """When the oldest version still waiting for the server was saved (no session)."""
        return outbox.oldest_queued(self._db)

    @synchronised
    def put_device_credential(self, value: bytes) -> None:
        """Keep the sync credential under the device secret alone (see docs/security.md)."""
        key = crypto.device_wrap_key(self._secret, self._store_id())
        payload = crypto.seal(key, bytes(value), sealed.device_aad(self._store_id(), CREDENTIAL))
        self._db.execute(
            "INSERT OR REPLACE INTO device_wrapped (name, payload) VALUES (?, ?)",
            [CREDENTIAL, payload],
        )

    @synchronised
    def device_credential(self) -> bytes | None:
        """The sync credential, without a session; None when none is kept."""
        row = self._db.conn.execute(
            "SELECT CAST(payload AS BLOB) FROM device_wrapped WHERE name = ?", [CREDENTIAL]
        ).fetchone()
        if row is None:
            return None
        key = crypto.device_wrap_key(self._secret, self._store_id())
        try:
            return crypto.open_sealed(
                key, bytes(row[0]), sealed.device_aad(self._store_id(), CREDENTIAL)
            )
        except crypto.CannotOpen:
            raise CannotOpen() from None

    def _store_id(self) -> str:
        return self._meta(opening.STORE_ID) or ""
