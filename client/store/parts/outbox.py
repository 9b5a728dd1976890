"""Versions waiting for the server, and what the server answered about them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from shared import DayRecord
from shared.protocol import RecordAnswer

from .. import outbox
from ..models import Attention
from .base import StoreBase, synchronised
from .records import META_AUDIT_SENT


class OutboxPart(StoreBase):
    """The outbox: queued by a save, emptied by the server's answers."""

    @synchronised
    def outbox_pending(self, limit: int) -> list[DayRecord]:
        """Up to ``limit`` queued versions, oldest first."""
        return outbox.pending(self._db, self._unlocked(None), limit)

    @synchronised
    def outbox_count(self) -> int:
        return outbox.count(self._db)

    @synchronised
    def outbox_answer(self, answers: Iterable[RecordAnswer]) -> None:
        """The server's answer per version: accepted/duplicate leave the outbox;
        conflict/rejected move to the attention list; unknown ids are ignored."""
        session = self._unlocked(None)
        with self._db.atomic():
            outbox.answer(self._db, session, answers)

    @synchronised
    def server_restored(self, *, now: datetime) -> int:
        """The server was restored from a backup and lacks some of what it acknowledged:
        queue every acknowledged version again and send every audit entry again (the
        server keeps each once). Works locked too; the number of versions queued."""
        with self._db.atomic():
            queued = outbox.requeue_acknowledged(self._db, now=now)
            self._db.execute("DELETE FROM meta WHERE key = ?", [META_AUDIT_SENT])
        return queued

    @synchronised
    def attention(self) -> list[Attention]:
        return outbox.attention(self._db, self._unlocked(None))

    @synchronised
    def resolve_attention(self, record_id: str) -> None:
        self._unlocked(None)
        with self._db.atomic():
            outbox.resolve(self._db, record_id)
