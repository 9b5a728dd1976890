"""Packing participant blocks into batches, one batch in memory at a time.

Blocks arrive one participant after another (:class:`BatchWriter`); a batch holds at
most ``max_days`` day entries and a participant's block is never split, so a batch
always carries a day together with the totals it feeds. A full batch is encoded and
handed to the run's :class:`~.staging.Staging` at once. Only when every batch is
built is the number of parts known, which each body names: the bodies are put
together then, one at a time, from their staged sections (:func:`bodies`).

A body is the canonical JSON of the batch document (keys sorted, compact), written
here key by key so that its four arrays can be encoded entry by entry as they come;
the bytes are the ones ``contract.encode`` gives for the whole document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sync_server.jsonio import canonical

from . import contract
from .builder import Block, flagged_count
from .config import ForwardConfig
from .outbox import PreparedBatch
from .staging import SECTIONS, Staging


def idempotency_key(config: ForwardConfig, sequence: int) -> str:
    """Stable per batch: a resend of the same batch always carries the same key."""
    return f"lasna:{config.sender_id}:{config.county_id}:{sequence:010d}"


@dataclass(frozen=True, slots=True)
class StagedBatch:
    """A built batch whose body waits in the staging for the number of parts."""

    batch_id: str
    sequence: int
    part: int
    participants: int
    days: int
    adjustments: int
    flagged: int
    total_cents: int


class BatchWriter:
    def __init__(
        self,
        staging: Staging,
        *,
        max_days: int,
        first_sequence: int,
        new_id: Callable[[], str],
    ) -> None:
        self.staging = staging
        self.max_days = max_days
        self.first_sequence = first_sequence
        self.new_id = new_id
        self.staged: list[StagedBatch] = []
        self.participants = 0
        self._blocks: list[Block] = []
        self._entries: dict[str, list[bytes]] = {name: [] for name in SECTIONS}
        self._size = 0
        self._flagged = 0
        self._total_cents = 0

    def add(self, block: Block) -> None:
        if self._blocks and self._size + block.size > self.max_days:
            self._flush()
        self._blocks.append(block)
        self.participants += 1
        self._size += block.size
        self._flagged += flagged_count([block])
        self._total_cents += sum(t["total_cents"] for t in block.totals)
        for name, entries in (
            ("days", block.days),
            ("adjustments", block.adjustments),
            ("totals", block.totals),
            ("absence_reports", block.absence_reports),
        ):
            self._entries[name].extend(contract.encode(entry) for entry in entries)
        # What the body needs is encoded now: the block keeps only its sent-state rows.
        block.days, block.adjustments, block.totals, block.absence_reports = [], [], [], []

    def finish(self) -> list[StagedBatch]:
        if self._blocks:
            self._flush()
        return self.staged

    def _flush(self) -> None:
        part = len(self.staged) + 1
        sequence = self.first_sequence + part - 1
        batch_id = self.new_id()
        sections = {name: b"[" + b",".join(items) + b"]" for name, items in self._entries.items()}
        self.staging.add_batch(batch_id, sequence, sections, self._blocks)
        self.staged.append(
            StagedBatch(
                batch_id=batch_id,
                sequence=sequence,
                part=part,
                participants=len(self._blocks),
                days=len(self._entries["days"]),
                adjustments=len(self._entries["adjustments"]),
                flagged=self._flagged,
                total_cents=self._total_cents,
            )
        )
        self._blocks = []
        self._entries = {name: [] for name in SECTIONS}
        self._size = self._flagged = self._total_cents = 0


def bodies(
    staging: Staging,
    staged: list[StagedBatch],
    *,
    config: ForwardConfig,
    run_id: str,
    now: datetime,
    today: date,
    cursor: int,
) -> Iterator[PreparedBatch]:
    """Each staged batch with its final body, one at a time (for ``Outbox.record_run``)."""
    for batch in staged:
        key = idempotency_key(config, batch.sequence)
        head = {
            "format": contract.FORMAT,
            "batch_id": batch.batch_id,
            "idempotency_key": key,
            "sequence": batch.sequence,
            "run_id": run_id,
            "part": batch.part,
            "parts": len(staged),
            "sender": config.sender_id,
            "county": config.county_id,
            "created_at": now.astimezone(UTC).isoformat(),
            "cutoff": {
                "server_seq": cursor,
                "local_date": today.isoformat(),
                "timezone": config.timezone,
            },
            "periods": {
                "payment": config.payment_periods.describe(),
                "absence": config.absence_periods.describe(),
            },
            "summary": {
                "participants": batch.participants,
                "days": batch.days,
                "adjustments": batch.adjustments,
                "flagged": batch.flagged,
                "totals_cents": batch.total_cents,
            },
        }
        # Made in a function of its own: a local name here would keep this body alive
        # in the suspended generator while the next one is made.
        yield _prepared(batch, key, run_id, len(staged), body_from(head, staging, batch.batch_id))


def _prepared(batch: StagedBatch, key: str, run_id: str, parts: int, body: bytes) -> PreparedBatch:
    return PreparedBatch(
        batch_id=batch.batch_id,
        sequence=batch.sequence,
        idempotency_key=key,
        run_id=run_id,
        part=batch.part,
        parts=parts,
        body=body,
        body_sha256=contract.digest(body),
        days=batch.days,
        adjustments=batch.adjustments,
        flagged=batch.flagged,
        total_cents=batch.total_cents,
    )


def body_from(head: dict[str, Any], staging: Staging, batch_id: str) -> bytes:
    """``contract.encode({**head, **arrays})`` where the arrays come already encoded
    from the staging: one join, so the body is the only copy of its sections."""
    sections = staging.sections(batch_id)
    parts = [b"{"]
    for key in sorted([*head, *sections]):
        if len(parts) > 1:
            parts.append(b",")
        parts += (canonical(key), b":", sections[key] if key in sections else canonical(head[key]))
    parts.append(b"}")
    return b"".join(parts)
