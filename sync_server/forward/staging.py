"""A run's batches while they are built: kept in TEMP tables, not in memory.

A county's year is hundreds of megabytes as Python objects; held until the run is
recorded, the forward's memory would grow with the work. Instead each batch, once
full, goes to the build connection's TEMP tables: the encoded sections of its body
(its ``days``, ``adjustments``, ``totals`` and ``absence_reports`` arrays) and the
sent-state and per-batch rows it leaves behind. Recording the run then moves them
into the outbox in one transaction (:meth:`Staging.move_rows`).

TEMP tables belong to one connection and vanish with it: a run that dies half-way
leaves nothing behind, and building takes no write lock on the database, so pushes
go on while the forward builds. On PostgreSQL the same SQL runs (the dialect makes
``BLOB`` a ``BYTEA``); there the run holds one pooled connection from the start of the
build to the end of its recording (``storage.session()``, see the runner), so its TEMP
tables stay with it and the recording transaction sees them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from sync_server.jsonio import dumps

from .builder import Block

# Of a sent record, what an adjustment needs later: its id and the fields it compares.
_KEPT = ("id", "status", "start", "end", "minutes", "reason")  # stored as compact JSON
SECTIONS = ("days", "adjustments", "totals", "absence_reports")

# (outbox table, its columns, whether a row replaces the one with the same key)
_TABLES = (
    (
        "forward_sent_days",
        "participant_id, day, site_id, batch_id, fingerprint, record, eligible, amount_cents,"
        " allowance_type, payer, rate_cents",
        True,
    ),
    (
        "forward_batch_days",
        "batch_id, sequence, participant_id, site_id, day, record_id, eligible, amount_cents",
        False,
    ),
    (
        "forward_sent_totals",
        "participant_id, period_start, period_end, site_id, batch_id, revision, total_cents,"
        " fingerprint",
        True,
    ),
    (
        "forward_batch_totals",
        "participant_id, period_start, period_end, site_id, batch_id, revision, total_cents,"
        " sequence",
        False,
    ),
    (
        "forward_sent_absences",
        "participant_id, period_start, period_end, site_id, batch_id, fingerprint, revision",
        True,
    ),
)


def _staged(table: str) -> str:
    # Unqualified names (no "temp." or "main."): the staged tables' own names tell
    # them apart, and the SQL stays plain enough for another engine.
    return table.replace("forward_", "forward_staged_", 1)


class Staging:
    """The TEMP tables of one run on the calling thread's connection (on PostgreSQL,
    inside the storage's ``session()``)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.drop()  # an earlier run on this connection that failed half-way
        db.execute(
            "CREATE TEMP TABLE forward_staged_sections (batch_id TEXT, section TEXT, content BLOB)"
        )
        for table, _columns, _replaces in _TABLES:
            # The outbox table's columns, without its keys: one run never repeats a row.
            db.execute(f"CREATE TEMP TABLE {_staged(table)} AS SELECT * FROM {table} WHERE 1 = 0")

    def drop(self) -> None:
        self.db.execute("DROP TABLE IF EXISTS forward_staged_sections")
        for table, _columns, _replaces in _TABLES:
            self.db.execute(f"DROP TABLE IF EXISTS {_staged(table)}")

    def add_batch(
        self, batch_id: str, sequence: int, sections: dict[str, bytes], blocks: list[Block]
    ) -> None:
        """A full batch: its body's sections and the rows its blocks leave behind."""
        conn = self.db.conn
        # Python's sqlite3 opens a transaction before an INSERT; left open, it would hold
        # a read snapshot of the database and swallow the run's write transaction.
        # (PostgreSQL's connection commits each statement as it runs.)
        outside = not conn.in_transaction
        # A few large values: as parameters they travel as bytes (COPY's text would not).
        conn.executemany(
            "INSERT INTO forward_staged_sections (batch_id, section, content) VALUES (?, ?, ?)",
            [(batch_id, name, content) for name, content in sections.items()],
        )
        for (table, columns, _replaces), rows in zip(
            _TABLES, _rows(batch_id, sequence, blocks), strict=True
        ):
            if not rows:
                continue
            if isinstance(self.db, Database):
                marks = ", ".join("?" * len(columns.split(",")))
                conn.executemany(f"INSERT INTO {_staged(table)} ({columns}) VALUES ({marks})", rows)
            else:  # PostgreSQL: one COPY costs a tenth of a row insert each
                self.db.copy_rows(_staged(table), columns, rows)
        if outside and isinstance(self.db, Database):
            conn.commit()

    def sections(self, batch_id: str) -> dict[str, bytes]:
        return {
            str(section): bytes(content)
            for section, content in self.db.execute(
                "SELECT section, content FROM forward_staged_sections WHERE batch_id = ?",
                [batch_id],
            )
        }

    def move_rows(self) -> None:
        """Into the outbox's tables (inside the caller's write transaction)."""
        for table, columns, replaces in _TABLES:
            verb = "INSERT OR REPLACE" if replaces else "INSERT"
            self.db.execute(
                f"{verb} INTO {table} ({columns}) SELECT {columns} FROM {_staged(table)}"
            )


def _rows(batch_id: str, sequence: int, blocks: list[Block]) -> Iterator[list[tuple[Any, ...]]]:
    sent_days: list[tuple[Any, ...]] = []
    batch_days: list[tuple[Any, ...]] = []
    sent_totals: list[tuple[Any, ...]] = []
    batch_totals: list[tuple[Any, ...]] = []
    sent_absences: list[tuple[Any, ...]] = []
    for block in blocks:
        pid, site = block.participant_id, block.site_id
        for day, fp, record, eligible, amount, kind, payer, rate in block.sent_days:
            iso_day = day.isoformat()
            kept = dumps({name: record[name] for name in _KEPT})
            sent_days.append(
                (pid, iso_day, site, batch_id, fp, kept, int(eligible), amount, kind, payer, rate)
            )
            batch_days.append(
                (batch_id, sequence, pid, site, iso_day, record["id"], int(eligible), amount)
            )
        for start, end, fp, revision, total in block.sent_totals:
            first, last = start.isoformat(), end.isoformat()
            sent_totals.append((pid, first, last, site, batch_id, revision, total, fp))
            batch_totals.append((pid, first, last, site, batch_id, revision, total, sequence))
        for start, end, fp, revision in block.sent_absences:
            sent_absences.append(
                (pid, start.isoformat(), end.isoformat(), site, batch_id, fp, revision)
            )
    yield from (sent_days, batch_days, sent_totals, batch_totals, sent_absences)
