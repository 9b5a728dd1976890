"""Day record versions at rest: append-only rows, a sealed payload each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlite_utils import Database

from shared import DayRecord
from shared.bounds import (
    CORRECTION_REASON_MAX_CHARS,
    NOTE_MAX_CHARS,
    day_problem,
    instant_problem,
    text_problem,
    year_problem,
)

from . import codec
from .errors import RecordOutOfRange, RecordTextTooLong
from .session import Session

_COLUMNS = (
    "id, participant_id, day, recorded_at, supersedes, sync, key_version, "
    "CAST(payload AS BLOB) AS payload"
)
# 'refused' versions (the server answered conflict or rejected) are not part of the record,
# nor those withdrawn before they were sent (undone or changed at once: outbox.withdraw).
_PART_OF_RECORD = "sync != 'refused' AND id NOT IN (SELECT record_id FROM withdrawn)"


def check_in_range(record: DayRecord) -> None:
    """Refuse a record the protocol would refuse: its week and its UTC time must exist,
    and its free texts must fit the server's limits."""
    for name, problem in (
        ("day", day_problem(record.day, "day")),
        ("recorded_at", instant_problem(record.recorded_at, "recorded_at")),
    ):
        if problem:
            raise RecordOutOfRange(problem, name)
    for name, value, limit in (
        ("note", record.note, NOTE_MAX_CHARS),
        ("correction_reason", record.correction_reason, CORRECTION_REASON_MAX_CHARS),
    ):
        problem = text_problem(value, name, limit)
        if problem:
            raise RecordTextTooLong(problem, name, limit)


def check_year(year: int) -> None:
    """Refuse a month close of a year the protocol would refuse."""
    problem = year_problem(year, "year")
    if problem:
        raise RecordOutOfRange(problem, "year")


def version_row(session: Session, record: DayRecord, sync: str) -> dict[str, Any]:
    row: dict[str, Any] = {**codec.record_clear(record), "sync": sync}
    row["payload"], row["key_version"] = session.seal("versions", row, codec.record_payload(record))
    return row


def insert(db: Database, rows: list[dict[str, Any]]) -> None:
    db.conn.executemany(
        "INSERT INTO versions (id, participant_id, day, recorded_at, supersedes, sync, "
        "key_version, payload) VALUES (:id, :participant_id, :day, :recorded_at, :supersedes, "
        ":sync, :key_version, :payload)",
        rows,
    )


def decode(session: Session, rows: Iterable[dict[str, Any]]) -> list[DayRecord]:
    cache = session.records
    out: list[DayRecord] = []
    for row in rows:
        record = cache.get(row["id"])
        if record is None:
            record = codec.record_from(row, session.open("versions", row))
            cache[row["id"]] = record
        out.append(record)
    return out


def _rows(db: Database, where: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = db.conn.execute(f"SELECT {_COLUMNS} FROM versions WHERE {where} ORDER BY seq", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def of_participant(
    db: Database, session: Session, participant_id: str, start: date, end: date
) -> list[DayRecord]:
    rows = _rows(
        db,
        f"participant_id = ? AND day BETWEEN ? AND ? AND {_PART_OF_RECORD}",
        [participant_id, start.isoformat(), end.isoformat()],
    )
    return decode(session, rows)


def of_site(db: Database, session: Session, start: date, end: date) -> list[DayRecord]:
    rows = _rows(
        db, f"day BETWEEN ? AND ? AND {_PART_OF_RECORD}", [start.isoformat(), end.isoformat()]
    )
    return decode(session, rows)


def by_ids(db: Database, session: Session, ids: list[str]) -> dict[str, DayRecord]:
    out: dict[str, DayRecord] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for record in decode(session, _rows(db, f"id IN ({marks})", chunk)):
            out[record.id] = record
    return out


def known_ids(db: Database, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            r[0] for r in db.conn.execute(f"SELECT id FROM versions WHERE id IN ({marks})", chunk)
        )
    return found


def sync_states(db: Database, ids: list[str]) -> dict[str, str]:
    """Each known version's place in sync: 'pending', 'acknowledged', 'remote', 'refused'."""
    found: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(db.conn.execute(f"SELECT id, sync FROM versions WHERE id IN ({marks})", chunk))
    return found


def order(records: list[DayRecord]) -> list[DayRecord]:
    return sorted(records, key=lambda r: (r.day, r.participant_id, r.recorded_at, r.id))
