"""The audit log (asiakastietolaki 703/2023): who viewed or changed whose data.

Entries hold ids, times and an action only: the log itself reveals no participant's
name or record, so it needs no sealing; it is append-only (triggers refuse changes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from shared.protocol import AuditLine

from . import codec
from .models import AuditEntry

LIST = "list"
VIEW = "view"
CHANGE = "change"
CLOSE_MONTH = "close_month"


@dataclass(frozen=True, slots=True)
class Actor:
    supervisor_id: str
    device_id: str
    at: datetime


def write(db: Database, actor: Actor, action: str, items: Iterable[tuple[str | None, str]]) -> None:
    """One entry per (participant_id, detail) in ``items``."""
    at = codec.sort_key(actor.at)
    db.conn.executemany(
        "INSERT INTO audit (at, supervisor_id, device_id, participant_id, action, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (at, actor.supervisor_id, actor.device_id, participant_id, action, detail)
            for participant_id, detail in items
        ],
    )


def read(db: Database, participant_id: str | None = None) -> list[AuditEntry]:
    if participant_id is None:
        cursor = db.conn.execute(
            "SELECT at, supervisor_id, device_id, participant_id, action, detail "
            "FROM audit ORDER BY seq"
        )
    else:
        cursor = db.conn.execute(
            "SELECT at, supervisor_id, device_id, participant_id, action, detail "
            "FROM audit WHERE participant_id = ? ORDER BY seq",
            [participant_id],
        )
    return [
        AuditEntry(
            at=datetime.fromisoformat(at),
            supervisor_id=supervisor_id,
            device_id=device_id,
            participant_id=pid,
            action=action,
            detail=detail,
        )
        for at, supervisor_id, device_id, pid, action, detail in cursor
    ]


def unsent(db: Database, after_seq: int, limit: int) -> list[AuditLine]:
    """Entries after ``after_seq`` in the log's order, with the supervisor's display name
    (the server keeps no supervisor accounts, so the name is how it says who it was)."""
    rows = db.conn.execute(
        "SELECT a.seq, a.at, a.supervisor_id, COALESCE(s.display_name, ''), a.participant_id, "
        "a.action, a.detail FROM audit a LEFT JOIN supervisors s ON s.id = a.supervisor_id "
        "WHERE a.seq > ? ORDER BY a.seq LIMIT ?",
        [after_seq, limit],
    ).fetchall()
    return [
        AuditLine(seq, datetime.fromisoformat(at), sid, name, pid, action, detail)
        for seq, at, sid, name, pid, action, detail in rows
    ]
