"""Versions waiting for the server, and what the server answered about them."""

from __future__ import annotations

from collections.abc import Iterable

from shared import DayRecord
from shared.protocol import RecordAnswer

from .. import outbox
from ..models import Attention
from .base import StoreBase, synchronised


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
    def attention(self) -> list[Attention]:
        return outbox.attention(self._db, self._unlocked(None))

    @synchronised
    def resolve_attention(self, record_id: str) -> None:
        self._unlocked(None)
        with self._db.atomic():
            outbox.resolve(self._db, record_id)
