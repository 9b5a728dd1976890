"""The outbox (versions waiting for the server) and the attention list (what it refused)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from shared import DayRecord, Finding, RecordError
from shared.protocol import AnswerStatus, RecordAnswer

from . import codec, versions
from .models import Attention
from .session import Session

ACKNOWLEDGED = frozenset({AnswerStatus.ACCEPTED, AnswerStatus.DUPLICATE})
REFUSED = frozenset({AnswerStatus.CONFLICT, AnswerStatus.REJECTED})


def enqueue(db: Database, record_id: str, *, now: datetime) -> None:
    db.conn.execute(
        "INSERT INTO outbox (record_id, queued_at) VALUES (?, ?)", [record_id, codec.sort_key(now)]
    )


def count(db: Database) -> int:
    return int(db.conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


def pending(db: Database, session: Session, limit: int) -> list[DayRecord]:
    ids = [
        r[0]
        for r in db.conn.execute(
            "SELECT record_id FROM outbox ORDER BY seq LIMIT ?", [max(0, limit)]
        )
    ]
    found = versions.by_ids(db, session, ids)
    return [found[i] for i in ids]


def answer(db: Database, session: Session, answers: Iterable[RecordAnswer]) -> None:
    """Apply the server's per-record answers (call inside one ``db.atomic()``)."""
    waiting = {r[0]: r[1] for r in db.conn.execute("SELECT record_id, seq FROM outbox")}
    for item in answers:
        if item.id not in waiting:
            continue  # unknown or already answered: answering twice changes nothing
        if item.status in ACKNOWLEDGED:
            _leave_outbox(db, item.id, "acknowledged")
        elif item.status in REFUSED:
            if item.current is not None:
                _keep_server_current(db, session, item.current)
            _leave_outbox(db, item.id, "refused")
            row: dict[str, Any] = {
                "record_id": item.id,
                "outcome": item.status.value,
                "answered_seq": waiting[item.id],
            }
            # Sealed in the wire form, so that an attention list outlives a change of types.
            kept = {
                "findings": [f.to_dict() for f in item.findings],
                "current": item.current.to_dict() if item.current is not None else None,
            }
            payload = codec.encode(kept, minimum=256)
            row["payload"], row["key_version"] = session.seal("attention", row, payload)
            db.conn.execute(
                "INSERT INTO attention (record_id, outcome, answered_seq, key_version, payload) "
                "VALUES (:record_id, :outcome, :answered_seq, :key_version, :payload)",
                row,
            )


def _leave_outbox(db: Database, record_id: str, sync: str) -> None:
    db.conn.execute("DELETE FROM outbox WHERE record_id = ?", [record_id])
    db.conn.execute("UPDATE versions SET sync = ? WHERE id = ?", [sync, record_id])


def _keep_server_current(db: Database, session: Session, record: DayRecord) -> None:
    """The server's current version of the day becomes part of the local record."""
    if not versions.known_ids(db, [record.id]):
        versions.insert(db, [versions.version_row(session, record, "remote")])


def attention(db: Database, session: Session) -> list[Attention]:
    cursor = db.conn.execute(
        "SELECT record_id, outcome, key_version, CAST(payload AS BLOB) AS payload "
        "FROM attention ORDER BY answered_seq"
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    records = versions.by_ids(db, session, [r["record_id"] for r in rows])
    out: list[Attention] = []
    for row in rows:
        body = codec.decode(session.open("attention", row))
        out.append(
            Attention(
                record=records[row["record_id"]],
                status=row["outcome"],
                findings=_findings(body.get("findings", [])),
                current=_record_or_none(body.get("current")),
            )
        )
    return out


def resolve(db: Database, record_id: str) -> None:
    db.conn.execute("DELETE FROM attention WHERE record_id = ?", [record_id])


def _findings(raw: list[Any]) -> list[Finding]:
    out: list[Finding] = []
    for item in raw:
        try:
            out.append(Finding.from_dict(item))
        except (KeyError, TypeError, ValueError):
            continue  # a code this version does not know: the raw form stays stored
    return out


def _record_or_none(wire: Any) -> DayRecord | None:
    if not isinstance(wire, dict):
        return None
    try:
        return DayRecord.from_dict(wire)
    except RecordError:
        return None
