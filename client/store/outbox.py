"""The outbox (versions waiting for the server) and the attention list (what it refused)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from shared import DayRecord, Finding, RecordError
from shared.protocol import AnswerStatus, RecordAnswer

from . import codec, sealed, versions
from .models import Attention
from .session import Session

ACKNOWLEDGED = frozenset({AnswerStatus.ACCEPTED, AnswerStatus.DUPLICATE})
REFUSED = frozenset({AnswerStatus.CONFLICT, AnswerStatus.REJECTED})


# Entries the server already answered during a locked round are not waiting any more.
_WAITING = "record_id NOT IN (SELECT record_id FROM locked_answers)"


def enqueue(db: Database, record: DayRecord, *, now: datetime) -> None:
    """Queue ``record``, with its box for the server when the server's key is known."""
    box, tag = sealed.box_for(db, record)
    db.conn.execute(
        "INSERT INTO outbox (record_id, queued_at, sealed, sealed_for) VALUES (?, ?, ?, ?)",
        [record.id, codec.sort_key(now), box, tag],
    )


def requeue_acknowledged(db: Database, *, now: datetime) -> int:
    """Every version the server acknowledged back into the outbox (call inside ``atomic``).

    For a server restored from a backup (it answers ``duplicate`` for what it has). They
    go ahead of what waits already, in the order they were saved: a waiting version may
    supersede one of them. Every box is dropped, so that no locked round sends a newer
    version sealed before the older ones go; the next unlocked round sends all in order.
    """
    ids = [
        r[0]
        for r in db.conn.execute("SELECT id FROM versions WHERE sync = 'acknowledged' ORDER BY seq")
    ]
    first = db.conn.execute("SELECT min(seq) FROM outbox").fetchone()[0]
    start = (first if first is not None else 1) - len(ids)
    queued = codec.sort_key(now)
    db.conn.executemany(
        "INSERT INTO outbox (seq, record_id, queued_at) VALUES (?, ?, ?)",
        [(start + i, record_id, queued) for i, record_id in enumerate(ids)],
    )
    db.conn.execute("UPDATE versions SET sync = 'pending' WHERE sync = 'acknowledged'")
    db.conn.execute("UPDATE outbox SET sealed = NULL, sealed_for = NULL")
    return len(ids)


def count(db: Database) -> int:
    return int(db.conn.execute(f"SELECT count(*) FROM outbox WHERE {_WAITING}").fetchone()[0])


def oldest_queued(db: Database) -> datetime | None:
    """When the oldest unsent version was saved (clear bookkeeping: no key needed)."""
    row = db.conn.execute(f"SELECT min(queued_at) FROM outbox WHERE {_WAITING}").fetchone()
    return codec.from_sort_key(row[0]) if row and row[0] else None


def unsent(db: Database, ids: list[str]) -> set[str]:
    """Those of ``ids`` that have not left the device: still waiting in the outbox, and
    not answered by the server during a locked round."""
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            r[0]
            for r in db.conn.execute(
                f"SELECT record_id FROM outbox WHERE record_id IN ({marks}) AND {_WAITING}", chunk
            )
        )
    return found


def withdraw(db: Database, record_id: str, *, now: datetime, replaced_by: str | None) -> None:
    """Take an unsent version back (call inside ``db.atomic()``): it leaves the outbox
    unsent and stops being part of the record; the version itself stays."""
    db.conn.execute("DELETE FROM outbox WHERE record_id = ?", [record_id])
    db.conn.execute(
        "INSERT INTO withdrawn (record_id, withdrawn_at, replaced_by) VALUES (?, ?, ?)",
        [record_id, codec.sort_key(now), replaced_by],
    )


def came_back(db: Database, record_ids: Iterable[str], sync: str) -> None:
    """The server holds versions this device withdrew (a push was on its way when the
    supervisor undid it, and its answer came late, or a pull brought it): they are part
    of the record again, as the server's are. A change made instead still waits and
    will meet the server's version as a conflict, for a person to settle."""
    ids = list(record_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        back = [
            r[0]
            for r in db.conn.execute(
                f"SELECT record_id FROM withdrawn WHERE record_id IN ({marks})", chunk
            )
        ]
        for record_id in back:
            db.conn.execute("DELETE FROM withdrawn WHERE record_id = ?", [record_id])
            db.conn.execute("UPDATE versions SET sync = ? WHERE id = ?", [sync, record_id])


def pending(db: Database, session: Session, limit: int) -> list[DayRecord]:
    ids = [
        r[0]
        for r in db.conn.execute(
            f"SELECT record_id FROM outbox WHERE {_WAITING} ORDER BY seq LIMIT ?", [max(0, limit)]
        )
    ]
    found = versions.by_ids(db, session, ids)
    return [found[i] for i in ids]


def answer(db: Database, session: Session, answers: Iterable[RecordAnswer]) -> None:
    """Apply the server's per-record answers (call inside one ``db.atomic()``)."""
    waiting = {r[0]: r[1] for r in db.conn.execute("SELECT record_id, seq FROM outbox")}
    answers = list(answers)
    came_back(db, [a.id for a in answers if a.status in ACKNOWLEDGED], "acknowledged")
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


def answer_sealed(db: Database, session: Session | None, answers: Iterable[RecordAnswer]) -> None:
    """Apply the answers to a sealed push, with or without a session (inside ``atomic``).

    Acknowledged versions leave the outbox on their clear ids alone. A refusal needs
    the data key to reach the attention list: without a session it is sealed to the
    inbox key instead and moved there at the next unlock (:func:`settle_locked`).
    """
    waiting = {r[0] for r in db.conn.execute(f"SELECT record_id FROM outbox WHERE {_WAITING}")}
    answers = list(answers)
    came_back(db, [a.id for a in answers if a.status in ACKNOWLEDGED], "acknowledged")
    for item in answers:
        if item.id not in waiting:
            continue
        if item.status in ACKNOWLEDGED:
            _leave_outbox(db, item.id, "acknowledged")
        elif session is not None:
            answer(db, session, [item])
        else:
            sealed.keep_locked_answer(db, item)  # no inbox key: the next unlocked round asks


def settle_locked(db: Database, session: Session) -> None:
    """Move the refusals received while locked to the attention list (inside ``atomic``)."""
    answers = sealed.open_locked_answers(db, session)
    sealed.forget_locked_answers(db)
    answer(db, session, answers)


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
