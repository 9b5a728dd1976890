"""The server-side outbox: every batch is recorded here before it is sent.

The forward's own tables (``forward_*``) live in the server's database and change
only through the ``lasna-forward`` migrations. Recording a run is one transaction:
the batches, what they tell the county, and the new cursor, so a crash leaves either
the whole run or none of it. Delivery state moves per batch and target.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlite_utils import Database, Migrations

from sync_server.jsonio import dumps, loads

from .builder import SentDay, SentPeriod, SentState
from .errors import BatchNotFound, ForwardBusy
from .source import ForwardDatabase
from .staging import Staging

migrations = Migrations("lasna-forward")


@migrations()
def m001_outbox(db: Database) -> None:
    # One statement at a time: executescript() would commit the migration's transaction.
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


_SCHEMA = """
        CREATE TABLE forward_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO forward_state VALUES ('cursor', '0'), ('sequence', '0'), ('lease', '{}');
        CREATE TABLE forward_batches (
            batch_id TEXT PRIMARY KEY,
            sequence INTEGER NOT NULL UNIQUE,
            idempotency_key TEXT NOT NULL UNIQUE,
            run_id TEXT NOT NULL,
            part INTEGER NOT NULL,
            parts INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            deadline_at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'acknowledged', 'failed')),
            targets TEXT NOT NULL,
            body BLOB NOT NULL,
            body_sha256 TEXT NOT NULL,
            cursor INTEGER NOT NULL,
            days INTEGER NOT NULL,
            adjustments INTEGER NOT NULL,
            flagged INTEGER NOT NULL,
            total_cents INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            acknowledged_at TEXT,
            failed_at TEXT
        );
        CREATE INDEX forward_batches_status ON forward_batches (status, sequence);
        CREATE TABLE forward_deliveries (
            batch_id TEXT NOT NULL REFERENCES forward_batches (batch_id),
            target TEXT NOT NULL,
            done_at TEXT,
            receipt TEXT,
            PRIMARY KEY (batch_id, target)
        );
        CREATE TABLE forward_sent_days (
            participant_id TEXT NOT NULL,
            day TEXT NOT NULL,
            site_id TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            record TEXT NOT NULL,
            eligible INTEGER NOT NULL,
            amount_cents INTEGER NOT NULL,
            allowance_type TEXT,
            payer TEXT,
            rate_cents INTEGER NOT NULL,
            PRIMARY KEY (participant_id, day)
        );
        CREATE TABLE forward_sent_totals (
            participant_id TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            site_id TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            revision INTEGER NOT NULL,
            total_cents INTEGER NOT NULL,
            PRIMARY KEY (participant_id, period_start)
        );
        CREATE TABLE forward_sent_absences (
            participant_id TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            site_id TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            revision INTEGER NOT NULL,
            PRIMARY KEY (participant_id, period_start)
        );
        -- Per batch, what it said about each day and period (the reconciliation reads it).
        CREATE TABLE forward_batch_days (
            batch_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            participant_id TEXT NOT NULL,
            site_id TEXT NOT NULL,
            day TEXT NOT NULL,
            record_id TEXT NOT NULL,
            eligible INTEGER NOT NULL,
            amount_cents INTEGER NOT NULL,
            PRIMARY KEY (batch_id, participant_id, day)
        );
        CREATE INDEX forward_batch_days_site ON forward_batch_days (site_id, day);
        CREATE TABLE forward_batch_totals (
            batch_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            participant_id TEXT NOT NULL,
            site_id TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            revision INTEGER NOT NULL,
            total_cents INTEGER NOT NULL,
            PRIMARY KEY (batch_id, participant_id, period_start)
        );
        CREATE INDEX forward_batch_totals_site ON forward_batch_totals (site_id, period_start);
        -- Changed days that could not be judged yet (no plan): looked at again next run.
        CREATE TABLE forward_deferred (
            participant_id TEXT NOT NULL,
            day TEXT NOT NULL,
            PRIMARY KEY (participant_id, day)
        );
        CREATE TABLE forward_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            level TEXT NOT NULL,
            event TEXT NOT NULL,
            batch_id TEXT,
            detail TEXT NOT NULL
        );
        """


@dataclass(frozen=True, slots=True)
class PreparedBatch:
    """A batch as built, ready to be recorded: its final body and what it counts."""

    batch_id: str
    sequence: int
    idempotency_key: str
    run_id: str
    part: int
    parts: int
    body: bytes
    body_sha256: str
    days: int
    adjustments: int
    flagged: int
    total_cents: int


@dataclass(frozen=True, slots=True)
class StoredBatch:
    batch_id: str
    sequence: int
    idempotency_key: str
    created_at: datetime
    deadline_at: datetime
    status: str
    targets: tuple[str, ...]
    done_targets: frozenset[str]
    body: bytes
    attempts: int
    last_error: str | None

    def summary(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "sequence": self.sequence,
            "idempotency_key": self.idempotency_key,
            "created_at": self.created_at.isoformat(),
            "deadline_at": self.deadline_at.isoformat(),
            "status": self.status,
            "targets": list(self.targets),
            "delivered_to": sorted(self.done_targets),
            "attempts": self.attempts,
            "last_error": self.last_error,
        }


class Outbox:
    """The forward's tables, reached through the server storage's connections.

    ``store`` gives each thread its own connection (``db``) and serialises writers
    (``write()``); the scheduler thread and request threads can share one outbox.
    """

    def __init__(self, store: ForwardDatabase) -> None:
        self.store = store
        migrations.apply(store.db)

    @property
    def db(self) -> Database:
        return self.store.db

    # -- the lease: one forward run at a time, across processes -------------------

    def acquire(
        self, owner: str, now: datetime, ttl: timedelta, alive: Callable[[str], bool]
    ) -> None:
        """Take the lease, or raise :class:`ForwardBusy` if a live run holds it.

        A lease is free when it has expired, or when ``alive(owner)`` says the process
        that holds it is gone (a run killed mid-way must not block its own restart).
        """
        held = self._state("lease")
        current = loads(held)
        holder = current.get("owner")
        free = (
            holder is None
            or holder == owner
            or current.get("until", "") < _iso(now)
            or not alive(str(holder))
        )
        if not free:
            raise ForwardBusy(
                "Another forward run is in progress; wait for it to finish and try again."
            )
        value = dumps({"owner": owner, "until": _iso(now + ttl)})
        with self.store.write():
            # Compare-and-set: two processes racing for a free lease, only one wins.
            cur = self.db.execute(
                "UPDATE forward_state SET value = ? WHERE key = 'lease' AND value = ?",
                [value, held],
            )
            taken = cur.rowcount == 1
        if not taken:
            raise ForwardBusy(
                "Another forward run took the lease just now; try again when it has finished."
            )

    def renew(self, owner: str, now: datetime, ttl: timedelta) -> None:
        value = dumps({"owner": owner, "until": _iso(now + ttl)})
        with self.store.write():
            self.db.execute(
                "UPDATE forward_state SET value = ? WHERE key = 'lease'"
                " AND json_extract(value, '$.owner') = ?",
                [value, owner],
            )

    def release(self, owner: str) -> None:
        with self.store.write():
            self.db.execute(
                "UPDATE forward_state SET value = '{}' WHERE key = 'lease'"
                " AND json_extract(value, '$.owner') = ?",
                [owner],
            )

    # -- reading the state -------------------------------------------------------

    def cursor(self) -> int:
        return int(self._state("cursor"))

    def last_sequence(self) -> int:
        return int(self._state("sequence"))

    def sent_state(self, participant_ids: Iterable[str]) -> SentState:
        ids = sorted(set(participant_ids))
        state = SentState()
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for row in self.db.query(
                f"SELECT * FROM forward_sent_days WHERE participant_id IN ({marks})", chunk
            ):
                state.days[(row["participant_id"], date.fromisoformat(row["day"]))] = SentDay(
                    batch_id=row["batch_id"],
                    fingerprint=row["fingerprint"],
                    record=loads(row["record"]),
                    eligible=bool(row["eligible"]),
                    amount_cents=row["amount_cents"],
                    allowance_type=row["allowance_type"],
                    payer=row["payer"],
                    rate_cents=row["rate_cents"],
                )
            for table, target in (
                ("forward_sent_totals", state.totals),
                ("forward_sent_absences", state.absences),
            ):
                for row in self.db.query(
                    f"SELECT * FROM {table} WHERE participant_id IN ({marks})", chunk
                ):
                    target[(row["participant_id"], date.fromisoformat(row["period_start"]))] = (
                        SentPeriod(
                            batch_id=row["batch_id"],
                            fingerprint=row["fingerprint"],
                            revision=row["revision"],
                            total_cents=row.get("total_cents", 0),
                        )
                    )
        return state

    def deferred(self) -> dict[str, set[date]]:
        out: dict[str, set[date]] = {}
        for row in self.db.query("SELECT participant_id, day FROM forward_deferred"):
            out.setdefault(row["participant_id"], set()).add(date.fromisoformat(row["day"]))
        return out

    def get(self, batch_id: str) -> StoredBatch:
        rows = list(self.db.query("SELECT * FROM forward_batches WHERE batch_id = ?", [batch_id]))
        if not rows:
            raise BatchNotFound(f"There is no batch {batch_id!r} in the outbox.")
        return self._stored(rows[0])

    def pending_ids(self) -> list[str]:
        """The pending batches' ids, oldest first (without their bodies)."""
        rows = self.db.query(
            "SELECT batch_id FROM forward_batches WHERE status = 'pending' ORDER BY sequence"
        )
        return [str(r["batch_id"]) for r in rows]

    def pending(self) -> list[StoredBatch]:
        rows = self.db.query(
            "SELECT * FROM forward_batches WHERE status = 'pending' ORDER BY sequence"
        )
        return [self._stored(r) for r in rows]

    def batches(self, limit: int = 50) -> list[StoredBatch]:
        rows = self.db.query(
            "SELECT * FROM forward_batches ORDER BY sequence DESC LIMIT ?", [limit]
        )
        return [self._stored(r) for r in rows]

    def receipt(self, batch_id: str, target: str) -> dict[str, Any] | None:
        rows = list(
            self.db.query(
                "SELECT receipt FROM forward_deliveries WHERE batch_id = ? AND target = ?",
                [batch_id, target],
            )
        )
        if not rows or rows[0]["receipt"] is None:
            return None
        loaded = loads(rows[0]["receipt"])
        return loaded if isinstance(loaded, dict) else None

    def events(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM forward_events ORDER BY id DESC LIMIT ?", [limit]))

    # -- writing -----------------------------------------------------------------

    def record_run(
        self,
        batches: Iterable[PreparedBatch],
        *,
        cursor: int,
        targets: list[str],
        now: datetime,
        deadline: timedelta,
        deferred: dict[str, set[date]] | None = None,
        staging: Staging | None = None,
    ) -> None:
        """Record a run's batches, the sent state they leave, and the new cursor.

        ``batches`` is consumed one at a time (their bodies are made as they are
        asked for); the sent state and per-batch rows come from ``staging``.
        """
        with self.store.write():
            self.db.execute("DELETE FROM forward_deferred")
            self.db.table("forward_deferred").insert_all(
                {"participant_id": pid, "day": day.isoformat()}
                for pid, days in (deferred or {}).items()
                for day in days
            )
            last = None
            for b in batches:
                self._record_batch(b, targets, now, deadline, cursor)
                last = b.sequence if last is None else max(last, b.sequence)
                del b  # its body goes before the next one is made
            if staging is not None:
                staging.move_rows()
            if last is not None:
                self._set_state("sequence", str(last))
            self._set_state("cursor", str(cursor))

    def _record_batch(
        self, b: PreparedBatch, targets: list[str], now: datetime, deadline: timedelta, cursor: int
    ) -> None:
        self.db.table("forward_batches").insert(
            {
                "batch_id": b.batch_id,
                "sequence": b.sequence,
                "idempotency_key": b.idempotency_key,
                "run_id": b.run_id,
                "part": b.part,
                "parts": b.parts,
                "created_at": _iso(now),
                "deadline_at": _iso(now + deadline),
                "status": "pending",
                "targets": dumps(targets),
                "body": b.body,
                "body_sha256": b.body_sha256,
                "cursor": cursor,
                "days": b.days,
                "adjustments": b.adjustments,
                "flagged": b.flagged,
                "total_cents": b.total_cents,
            }
        )
        self.db.table("forward_deliveries").insert_all(
            {"batch_id": b.batch_id, "target": t} for t in targets
        )

    def target_done(
        self, batch_id: str, target: str, receipt: dict[str, Any], now: datetime
    ) -> bool:
        """Record a target's acknowledgement; True when every target has acknowledged."""
        with self.store.write():
            self.db.execute(
                "UPDATE forward_deliveries SET done_at = ?, receipt = ?"
                " WHERE batch_id = ? AND target = ?",
                [_iso(now), dumps(receipt, sort_keys=True), batch_id, target],
            )
            left = self.db.execute(
                "SELECT count(*) FROM forward_deliveries WHERE batch_id = ? AND done_at IS NULL",
                [batch_id],
            ).fetchone()[0]
            if left == 0:
                self.db.execute(
                    "UPDATE forward_batches SET status = 'acknowledged', acknowledged_at = ?,"
                    " last_error = NULL WHERE batch_id = ?",
                    [_iso(now), batch_id],
                )
        return bool(left == 0)

    def attempt_failed(self, batch_id: str, error: str) -> None:
        with self.store.write():
            self.db.execute(
                "UPDATE forward_batches SET attempts = attempts + 1, last_error = ?"
                " WHERE batch_id = ?",
                [error, batch_id],
            )

    def mark_failed(self, batch_id: str, error: str, now: datetime) -> None:
        with self.store.write():
            self.db.execute(
                "UPDATE forward_batches SET status = 'failed', failed_at = ?, last_error = ?"
                " WHERE batch_id = ?",
                [_iso(now), error, batch_id],
            )

    def reopen(self, batch_id: str, now: datetime, deadline: timedelta) -> None:
        """Give a batch a new deadline and make it pending again (a resend)."""
        with self.store.write():
            self.db.execute(
                "UPDATE forward_batches SET status = 'pending', deadline_at = ?, failed_at = NULL"
                " WHERE batch_id = ?",
                [_iso(now + deadline), batch_id],
            )
            self.db.execute(
                "UPDATE forward_deliveries SET done_at = NULL WHERE batch_id = ?", [batch_id]
            )

    def event(
        self, level: str, event: str, detail: str, now: datetime, batch_id: str | None = None
    ) -> None:
        with self.store.write():
            self.db.table("forward_events").insert(
                {
                    "at": _iso(now),
                    "level": level,
                    "event": event,
                    "batch_id": batch_id,
                    "detail": detail,
                }
            )

    # -- internals ---------------------------------------------------------------

    def _state(self, key: str) -> str:
        row = self.db.execute("SELECT value FROM forward_state WHERE key = ?", [key]).fetchone()
        return str(row[0])

    def _set_state(self, key: str, value: str) -> None:
        self.db.execute("UPDATE forward_state SET value = ? WHERE key = ?", [value, key])

    def _stored(self, row: dict[str, Any]) -> StoredBatch:
        done = {
            r["target"]
            for r in self.db.query(
                "SELECT target FROM forward_deliveries WHERE batch_id = ? AND done_at IS NOT NULL",
                [row["batch_id"]],
            )
        }
        return StoredBatch(
            batch_id=row["batch_id"],
            sequence=row["sequence"],
            idempotency_key=row["idempotency_key"],
            created_at=datetime.fromisoformat(row["created_at"]),
            deadline_at=datetime.fromisoformat(row["deadline_at"]),
            status=row["status"],
            targets=tuple(loads(row["targets"])),
            done_targets=frozenset(done),
            body=bytes(row["body"]),
            attempts=row["attempts"],
            last_error=row["last_error"],
        )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
