"""The stand-in's SQLite file: batches by id and key, and the county's view of each day."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

from county_standin.recompute import DAY_ROW_COLUMNS, DayRow, recompute_lines
from shared import RuleSets, builtin_rule_sets
from sync_server.storage.private import private_database

migrations = Migrations("county-standin")
# Periods whose day rows one query fetches (four parameters each).
_CHECK_CHUNK = 250


@migrations()
def m001_initial(db: Database) -> None:
    # One statement at a time: executescript() would commit the migration's transaction.
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


_SCHEMA = """
        CREATE TABLE batches (
            batch_id TEXT PRIMARY KEY,
            idempotency_key TEXT NOT NULL UNIQUE,
            sequence INTEGER NOT NULL,
            body_sha256 TEXT NOT NULL,
            body BLOB NOT NULL,
            received_at TEXT NOT NULL,
            receipt TEXT NOT NULL
        );
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            batch_id TEXT,
            idempotency_key TEXT,
            outcome TEXT NOT NULL
        );
        CREATE TABLE days (
            participant_ref TEXT NOT NULL,
            day TEXT NOT NULL,
            participant_id TEXT NOT NULL,
            site_id TEXT NOT NULL,
            rule_set TEXT NOT NULL,
            record_id TEXT NOT NULL,
            status TEXT NOT NULL,
            eligible INTEGER NOT NULL,
            allowance_type TEXT,
            payer TEXT,
            rate_cents INTEGER NOT NULL,
            amount_cents INTEGER NOT NULL,
            sequence INTEGER NOT NULL,
            batch_id TEXT NOT NULL,
            PRIMARY KEY (participant_ref, day)
        );
        CREATE TABLE adjustments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            batch_id TEXT NOT NULL,
            participant_ref TEXT NOT NULL,
            day TEXT NOT NULL,
            cause TEXT NOT NULL,
            replaces_record_id TEXT,
            record_id TEXT NOT NULL,
            correction_reason TEXT,
            amount_delta_cents INTEGER NOT NULL,
            flag_for_coordinator INTEGER NOT NULL,
            body TEXT NOT NULL
        );
        CREATE TABLE totals (
            participant_ref TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            revision INTEGER NOT NULL,
            lines TEXT NOT NULL,
            total_cents INTEGER NOT NULL,
            flag_for_coordinator INTEGER NOT NULL,
            batch_id TEXT NOT NULL,
            PRIMARY KEY (participant_ref, period_start)
        );
        CREATE TABLE absences (
            participant_ref TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            revision INTEGER NOT NULL,
            absences TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            PRIMARY KEY (participant_ref, period_start)
        );
        """


class Conflict(Exception):
    """The idempotency key or batch id was used before for different content."""


class CountyStore:
    def __init__(self, path: Path, rule_sets: RuleSets | None = None) -> None:
        # The county's copy of the batches: client references and amounts, owner-only.
        private_database(path)
        # One connection shared by the request threads, used under one lock.
        self.db = Database(sqlite3.connect(str(path), check_same_thread=False))
        self.db.execute("PRAGMA journal_mode=WAL")
        # WAL with NORMAL survives the process being killed, which is what the tests and
        # the demo do to it; only a power cut could lose the last batches (a stand-in).
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.lock = threading.Lock()
        self.rule_sets = rule_sets or builtin_rule_sets()
        migrations.apply(self.db)

    @contextmanager
    def _locked(self) -> Iterator[Database]:
        with self.lock:
            yield self.db

    def log_delivery(self, outcome: str, batch_id: str | None, key: str | None) -> None:
        with self._locked() as db, db.atomic():
            db.table("deliveries").insert(
                {"at": _now(), "batch_id": batch_id, "idempotency_key": key, "outcome": outcome}
            )

    def receive(self, body: bytes, document: dict[str, Any]) -> dict[str, Any]:
        """Store a batch once; a repeat gets the first receipt back marked "duplicate"."""
        digest = hashlib.sha256(body).hexdigest()
        batch_id = document["batch_id"]
        key = document["idempotency_key"]
        with self._locked() as db:
            known = list(
                db.query(
                    "SELECT batch_id, idempotency_key, body_sha256, receipt FROM batches"
                    " WHERE batch_id = ? OR idempotency_key = ?",
                    [batch_id, key],
                )
            )
            if known:
                row = known[0]
                if row["body_sha256"] != digest or row["batch_id"] != batch_id:
                    raise Conflict(
                        "This batch id or idempotency key was received before with other "
                        "content; the sender must not reuse it."
                    )
                receipt = json.loads(row["receipt"])
                receipt["status"] = "duplicate"
                return dict(receipt)
            with db.atomic():
                checks = self._apply(db, document)
                receipt = {
                    "status": "accepted",
                    "batch_id": batch_id,
                    "idempotency_key": key,
                    "receipt_id": str(uuid.uuid4()),
                    "received_at": _now(),
                    "days": len(document["days"]),
                    "adjustments": len(document["adjustments"]),
                    "totals_checked": len(checks),
                    "totals_matching": sum(1 for c in checks if c["match"]),
                    "recomputed_total_cents": sum(c["recomputed_total_cents"] for c in checks),
                    "mismatches": [c for c in checks if not c["match"]],
                }
                db.table("batches").insert(
                    {
                        "batch_id": batch_id,
                        "idempotency_key": key,
                        "sequence": document["sequence"],
                        "body_sha256": digest,
                        "body": body,
                        "received_at": receipt["received_at"],
                        "receipt": json.dumps(receipt, sort_keys=True),
                    }
                )
        return receipt

    def _apply(self, db: Database, document: dict[str, Any]) -> list[dict[str, Any]]:
        batch_id, sequence = document["batch_id"], document["sequence"]
        # A batch that arrives late never overwrites what a later batch said.
        db.conn.executemany(
            "INSERT INTO days VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (participant_ref, day) DO UPDATE SET"
            " participant_id = excluded.participant_id, site_id = excluded.site_id,"
            " rule_set = excluded.rule_set, record_id = excluded.record_id,"
            " status = excluded.status, eligible = excluded.eligible,"
            " allowance_type = excluded.allowance_type, payer = excluded.payer,"
            " rate_cents = excluded.rate_cents, amount_cents = excluded.amount_cents,"
            " sequence = excluded.sequence, batch_id = excluded.batch_id"
            " WHERE excluded.sequence >= days.sequence",
            [
                (
                    entry["participant_ref"],
                    entry["day"],
                    entry["participant_id"],
                    entry["site_id"],
                    entry["rule_set"],
                    entry["record"]["id"],
                    entry["record"]["status"],
                    int(entry["eligible"]),
                    entry["allowance_type"],
                    entry["payer"],
                    entry["rate_cents"],
                    entry["amount_cents"],
                    sequence,
                    batch_id,
                )
                for entry in [*document["days"], *document["adjustments"]]
            ],
        )
        db.conn.executemany(
            "INSERT INTO adjustments (batch_id, participant_ref, day, cause, replaces_record_id,"
            " record_id, correction_reason, amount_delta_cents, flag_for_coordinator, body)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    batch_id,
                    a["participant_ref"],
                    a["day"],
                    a["cause"],
                    (a["replaces"] or {}).get("record_id"),
                    a["record"]["id"],
                    a["correction_reason"],
                    a["amount_delta_cents"],
                    int(a["flag_for_coordinator"]),
                    json.dumps(a, sort_keys=True, ensure_ascii=False),
                )
                for a in document["adjustments"]
            ],
        )
        db.conn.executemany(
            "INSERT INTO totals VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (participant_ref, period_start) DO UPDATE SET"
            " period_end = excluded.period_end, revision = excluded.revision,"
            " lines = excluded.lines, total_cents = excluded.total_cents,"
            " flag_for_coordinator = excluded.flag_for_coordinator,"
            " batch_id = excluded.batch_id WHERE excluded.revision >= totals.revision",
            [
                (
                    t["participant_ref"],
                    t["period_start"],
                    t["period_end"],
                    t["revision"],
                    json.dumps(t["lines"], sort_keys=True),
                    t["total_cents"],
                    int(t["flag_for_coordinator"]),
                    batch_id,
                )
                for t in document["totals"]
            ],
        )
        db.conn.executemany(
            "INSERT INTO absences VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (participant_ref, period_start) DO UPDATE SET"
            " period_end = excluded.period_end, revision = excluded.revision,"
            " absences = excluded.absences, batch_id = excluded.batch_id"
            " WHERE excluded.revision >= absences.revision",
            [
                (
                    r["participant_ref"],
                    r["period_start"],
                    r["period_end"],
                    r["revision"],
                    json.dumps(r["absences"], sort_keys=True),
                    batch_id,
                )
                for r in document["absence_reports"]
            ],
        )
        return self._checks(
            db,
            [
                (
                    t["participant_ref"],
                    t["period_start"],
                    t["period_end"],
                    t["lines"],
                    t["total_cents"],
                )
                for t in document["totals"]
            ],
        )

    def _checks(
        self, db: Database, periods: list[tuple[str, str, str, list[dict[str, Any]], int]]
    ) -> list[dict[str, Any]]:
        """Each period's totals recomputed from the days held, beside what was sent.

        Periods are (participant ref, start, end, sent lines, sent total). The day rows
        of all of them come in one query per few hundred periods.
        """
        found: list[list[DayRow]] = [[] for _ in periods]
        columns = ", ".join(f"d.{c.strip()}" for c in DAY_ROW_COLUMNS.split(","))
        for first in range(0, len(periods), _CHECK_CHUNK):
            chunk = periods[first : first + _CHECK_CHUNK]
            params: list[Any] = []
            for index, (ref, start, end, _lines, _total) in enumerate(chunk, start=first):
                params += [index, ref, start, end]
            rows = db.conn.execute(
                "WITH p (i, ref, start, end) AS (VALUES "
                + ", ".join(["(?, ?, ?, ?)"] * len(chunk))
                + f") SELECT p.i, {columns} FROM p CROSS JOIN days d"
                " ON d.participant_ref = p.ref AND d.day BETWEEN p.start AND p.end",
                params,
            ).fetchall()
            for index, *values in rows:
                found[index].append(DayRow(*values))
        rates: dict[tuple[str, str | None, str], int | None] = {}
        return [
            self._check(ref, start, end, lines, total, found[i], rates)
            for i, (ref, start, end, lines, total) in enumerate(periods)
        ]

    def _check(
        self,
        ref: str,
        start: str,
        end: str,
        sent_lines: list[dict[str, Any]],
        sent_total: int,
        rows: list[DayRow],
        rates: dict[tuple[str, str | None, str], int | None],
    ) -> dict[str, Any]:
        lines, problems = recompute_lines(rows, self.rule_sets, rates)
        recomputed = sum(line["amount_cents"] for line in lines)
        ordered = sorted(
            sent_lines, key=lambda x: (x["allowance_type"], x["payer"], x["rate_cents"])
        )
        return {
            "participant_ref": ref,
            "period_start": start,
            "period_end": end,
            "sent_total_cents": sent_total,
            "recomputed_total_cents": recomputed,
            "sent_lines": ordered,
            "recomputed_lines": lines,
            "problems": problems,
            "match": not problems and lines == ordered and recomputed == sent_total,
        }

    # -- reads for tests, the demo and a curious coordinator --------------------------

    def totals_report(self) -> list[dict[str, Any]]:
        with self._locked() as db:
            rows = list(db.query("SELECT * FROM totals ORDER BY participant_ref, period_start"))
            checks = self._checks(
                db,
                [
                    (
                        t["participant_ref"],
                        t["period_start"],
                        t["period_end"],
                        json.loads(t["lines"]),
                        t["total_cents"],
                    )
                    for t in rows
                ],
            )
            for t, check in zip(rows, checks, strict=True):
                check["revision"] = t["revision"]
                check["flag_for_coordinator"] = bool(t["flag_for_coordinator"])
            return checks

    def batches(self) -> list[dict[str, Any]]:
        with self._locked() as db:
            return [
                {**r, "receipt": json.loads(r["receipt"])}
                for r in db.query(
                    "SELECT batch_id, idempotency_key, sequence, body_sha256, received_at,"
                    " receipt FROM batches ORDER BY sequence"
                )
            ]

    def receipt_by_key(self, key: str) -> dict[str, Any] | None:
        """The receipt first given for the batch under ``key``, or None."""
        with self._locked() as db:
            row = db.execute(
                "SELECT receipt FROM batches WHERE idempotency_key = ?", [key]
            ).fetchone()
        return dict(json.loads(row[0])) if row else None

    def batch_body(self, batch_id: str) -> bytes | None:
        with self._locked() as db:
            row = db.execute("SELECT body FROM batches WHERE batch_id = ?", [batch_id]).fetchone()
            return bytes(row[0]) if row else None

    def rows(self, table: str) -> list[dict[str, Any]]:
        if table not in {"days", "adjustments", "absences", "deliveries"}:
            raise ValueError(f"No table {table!r}.")
        with self._locked() as db:
            return list(db.query(f"SELECT * FROM {table} ORDER BY rowid"))


def _now() -> str:
    return datetime.now(UTC).isoformat()
