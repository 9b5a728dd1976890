"""Turning packed participant blocks into batch documents with ids and sequence numbers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from . import contract
from .builder import Block, flagged_count
from .config import ForwardConfig
from .outbox import PreparedBatch


def idempotency_key(config: ForwardConfig, sequence: int) -> str:
    """Stable per batch: a resend of the same batch always carries the same key."""
    return f"lasna:{config.sender_id}:{config.county_id}:{sequence:010d}"


def prepare(
    groups: list[list[Block]],
    *,
    config: ForwardConfig,
    first_sequence: int,
    run_id: str,
    now: datetime,
    today: date,
    cursor: int,
    new_id: Callable[[], str],
) -> list[PreparedBatch]:
    prepared: list[PreparedBatch] = []
    for part, blocks in enumerate(groups, start=1):
        sequence = first_sequence + part - 1
        batch_id = new_id()
        key = idempotency_key(config, sequence)
        document = document_for(
            blocks,
            config=config,
            batch_id=batch_id,
            key=key,
            sequence=sequence,
            run_id=run_id,
            part=part,
            parts=len(groups),
            now=now,
            today=today,
            cursor=cursor,
        )
        body = contract.encode(document)
        summary = document["summary"]
        prepared.append(
            PreparedBatch(
                batch_id=batch_id,
                sequence=sequence,
                idempotency_key=key,
                run_id=run_id,
                part=part,
                parts=len(groups),
                body=body,
                body_sha256=contract.digest(body),
                blocks=tuple(blocks),
                days=summary["days"],
                adjustments=summary["adjustments"],
                flagged=summary["flagged"],
                total_cents=summary["totals_cents"],
            )
        )
    return prepared


def document_for(
    blocks: list[Block],
    *,
    config: ForwardConfig,
    batch_id: str,
    key: str,
    sequence: int,
    run_id: str,
    part: int,
    parts: int,
    now: datetime,
    today: date,
    cursor: int,
) -> dict[str, Any]:
    days = [d for b in blocks for d in b.days]
    adjustments = [a for b in blocks for a in b.adjustments]
    totals = [t for b in blocks for t in b.totals]
    absences = [r for b in blocks for r in b.absence_reports]
    return {
        "format": contract.FORMAT,
        "batch_id": batch_id,
        "idempotency_key": key,
        "sequence": sequence,
        "run_id": run_id,
        "part": part,
        "parts": parts,
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
        "days": days,
        "adjustments": adjustments,
        "totals": totals,
        "absence_reports": absences,
        "summary": {
            "participants": len(blocks),
            "days": len(days),
            "adjustments": len(adjustments),
            "flagged": flagged_count(blocks),
            "totals_cents": sum(t["total_cents"] for t in totals),
        },
    }
