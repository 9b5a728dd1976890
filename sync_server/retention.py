"""Retention: personal data past its keeping time leaves the server (``lasna-server purge``).

Counted from the end of a participant's last service (the latest end of their plans,
or an earlier end of service the console carried out):

- after ``retention_access_log_years`` their lines in the access log are deleted;
- after ``retention_records_years`` they are **pseudonymised**: their name and the
  county's client reference are removed, the free text of their day records (notes,
  correction reasons) is blanked, versions the server refused are deleted, and the
  client reference is replaced by the participant's opaque id in the county batches
  the forward keeps. What stays — the opaque id, the site, the plans, every version's
  status, times and absence reason, and the forward's per-day and per-period rows —
  is what the forward's adjustments and the county's totals are computed from, so
  they come out the same from what remains. The county links the opaque id to the
  person in its own system for as long as it keeps its own records.

SQLite keeps deleted bytes in free pages and in the write-ahead log; an applied purge
therefore writes with ``secure_delete``, rebuilds the file (``VACUUM``) and empties
the WAL (``wal_checkpoint(TRUNCATE)``), so the bytes are gone from the files too.
PostgreSQL keeps the old row versions in the tables' files until a vacuum: there the
purge rewrites the tables it changed (``VACUUM FULL``). PostgreSQL's own write-ahead
log (and its archive, where the county keeps one) still holds them until it is
recycled, as backups do.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sync_server.jsonio import dumps, loads
from sync_server.storage.connection import StorageBase, iso

PURGED_TEXT = ""  # what a removed name or free text becomes
# The tables a purge changes: rewritten afterwards on PostgreSQL (forward_batches when
# the forward has made it).
PURGED_TABLES = (
    "participants",
    "record_versions",
    "refused_versions",
    "console_access_log",
    "forward_batches",
)


@dataclass(slots=True)
class PurgeReport:
    applied: bool
    records_before: date  # services that ended before this day are pseudonymised
    log_before: date  # and their access-log lines deleted before this one
    participants: list[tuple[str, date]] = field(default_factory=list)
    record_versions: int = 0
    refused_versions: int = 0
    access_log_lines: int = 0
    forward_batches: int = 0
    wal_emptied: bool = False
    engine: str = "sqlite"

    def lines(self) -> list[str]:
        verb = "Removed" if self.applied else "Would remove"
        out = [
            f"{verb} personal data of {len(self.participants)} participant(s) whose last "
            f"service ended before {self.records_before.isoformat()}:",
            *(f"  {pid} (service ended {end.isoformat()})" for pid, end in self.participants),
            f"  {self.record_versions} day-record version(s) with their notes and correction "
            "reasons blanked",
            f"  {self.refused_versions} refused version(s) deleted",
            f"  {self.forward_batches} county batch(es) with the client reference replaced "
            "by the opaque id",
            f"{verb} {self.access_log_lines} access-log line(s) of participants whose last "
            f"service ended before {self.log_before.isoformat()}.",
        ]
        if not self.applied:
            out.append("Nothing was changed (dry run). Run with --apply to remove it.")
        elif self.engine == "postgres" and not self.wal_emptied:
            out.append(
                "Another session kept a view of the database from before the purge, so "
                "the rewritten tables may still hold the removed rows: run the purge again "
                "when the server is quiet to finish."
            )
        elif self.engine == "postgres":
            out.append(
                "The changed tables were rewritten (VACUUM FULL). PostgreSQL's write-ahead "
                "log and any WAL archive keep the removed rows until they are recycled: "
                "keep archives no longer than the same times."
            )
        elif self.wal_emptied:
            out.append("The database file was rebuilt and its write-ahead log emptied.")
        else:
            out.append(
                "The write-ahead log could not be emptied while another process reads the "
                "database: stop the server and run the purge again to finish."
            )
        return out


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def service_ends(storage: StorageBase) -> dict[str, date]:
    """The last day of each participant's last service."""
    ends: dict[str, date] = {}
    for pid, plan_end, updated in storage.db.execute(
        "SELECT p.id, MAX(pl.plan_end), p.updated_at FROM participants p "
        "LEFT JOIN plans pl ON pl.participant_id = p.id GROUP BY p.id"
    ).fetchall():
        ends[pid] = date.fromisoformat(plan_end) if plan_end else date.fromisoformat(updated[:10])
    for pid, on_day in storage.db.execute(
        "SELECT participant_id, MIN(on_day) FROM console_participant_changes "
        "WHERE kind = 'end' AND applied_at IS NOT NULL GROUP BY participant_id"
    ).fetchall():
        if pid in ends:
            ends[pid] = min(ends[pid], date.fromisoformat(on_day))
    return ends


def purge(
    storage: StorageBase,
    *,
    today: date,
    now: datetime,
    records_years: int,
    log_years: int,
    apply: bool,
) -> PurgeReport:
    """What is past retention on ``today``; removed when ``apply``, else only reported."""
    report = PurgeReport(
        apply,
        years_before(today, records_years),
        years_before(today, log_years),
        engine=storage.engine,
    )
    ends = service_ends(storage)
    purged = {
        pid for (pid,) in storage.db.execute("SELECT participant_id FROM purged_participants")
    }
    due = sorted(
        (pid, end) for pid, end in ends.items() if end < report.records_before and pid not in purged
    )
    log_due = sorted(pid for pid, end in ends.items() if end < report.log_before)
    report.participants = due
    with storage.write() as db:
        if apply and storage.engine == "sqlite":
            db.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left as they were
        report.access_log_lines = _count_in(db, "console_access_log", log_due)
        ids = [pid for pid, _ in due]
        report.record_versions = _count_in(db, "record_versions", ids)
        report.refused_versions = _count_in(db, "refused_versions", ids)
        refs = (
            {
                pid: ref
                for pid, ref in db.execute(
                    f"SELECT id, client_ref FROM participants WHERE id IN ({_marks(ids)})", ids
                ).fetchall()
            }
            if ids
            else {}
        )
        batches = _batches_naming(db, refs, storage.engine)
        report.forward_batches = len(batches)
        if not apply:
            return report
        for chunk in _chunks(log_due):
            db.execute(
                f"DELETE FROM console_access_log WHERE participant_id IN ({_marks(chunk)})", chunk
            )
        for pid, end in due:
            _pseudonymise(db, pid, end, now)
        for batch_id, body in batches.items():
            db.execute("UPDATE forward_batches SET body = ? WHERE batch_id = ?", [body, batch_id])
    report.wal_emptied = _shred(storage)
    return report


def _pseudonymise(db: Any, pid: str, end: date, now: datetime) -> None:
    db.execute(
        "UPDATE participants SET display_name = ?, client_ref = ? WHERE id = ?",
        [PURGED_TEXT, PURGED_TEXT, pid],
    )
    for seq, body in db.execute(
        "SELECT seq, body FROM record_versions WHERE participant_id = ?", [pid]
    ).fetchall():
        record = loads(body)
        record["note"] = None
        if record.get("correction_reason"):
            record["correction_reason"] = "-"  # a correction keeps that it had a reason
        # The seq stays: the forward does not see this as a change to send again.
        db.execute("UPDATE record_versions SET body = ? WHERE seq = ?", [dumps(record), seq])
    db.execute("DELETE FROM refused_versions WHERE participant_id = ?", [pid])
    db.execute(
        "INSERT OR REPLACE INTO purged_participants (participant_id, service_end, purged_at) "
        "VALUES (?, ?, ?)",
        [pid, end.isoformat(), iso(now)],
    )


def _batches_naming(db: Any, refs: dict[str, str], engine: str) -> dict[str, bytes]:
    """Kept county batches whose body names a purged client reference, rewritten."""
    if not refs or not _has_table(db, "forward_batches", engine):
        return {}
    out: dict[str, bytes] = {}
    for batch_id, body in db.execute("SELECT batch_id, body FROM forward_batches").fetchall():
        raw = bytes(body)
        if not any(ref and ref.encode() in raw for ref in refs.values()):
            continue
        doc = json.loads(raw)
        _replace_refs(doc, refs)
        out[batch_id] = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    return out


def _replace_refs(node: Any, refs: dict[str, str]) -> None:
    if isinstance(node, dict):
        pid = node.get("participant_id")
        if pid in refs and "participant_ref" in node:
            node["participant_ref"] = pid
        for value in node.values():
            _replace_refs(value, refs)
    elif isinstance(node, list):
        for value in node:
            _replace_refs(value, refs)


def _shred(storage: StorageBase) -> bool:
    """Rebuild the file and empty the WAL; False when a reader kept the WAL in use.

    On PostgreSQL: rewrite the changed tables, so that no old row version stays in
    their files (VACUUM runs outside a transaction, on a pooled connection)."""
    if storage.engine == "postgres":
        # VACUUM FULL keeps a deleted row that a transaction begun before the delete
        # may still see: wait (briefly) until no other session holds such a snapshot.
        quiet = _snapshots_after_purge(storage)
        for table in PURGED_TABLES:
            if _has_table(storage.db, table, storage.engine):
                storage.db.execute(f"VACUUM FULL {table}")
        return quiet
    conn = storage.db.conn
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("VACUUM")
    busy, _log, _moved = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return int(busy) == 0


def _count_in(db: Any, table: str, ids: list[str]) -> int:
    column = "participant_id"
    total = 0
    for chunk in _chunks(ids):
        total += int(
            db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {column} IN ({_marks(chunk)})", chunk
            ).fetchone()[0]
        )
    return total


def _has_table(db: Any, name: str, engine: str) -> bool:
    if engine == "postgres":
        return bool(db.execute("SELECT to_regclass(?) IS NOT NULL", [name]).fetchone()[0])
    return bool(
        db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
        ).fetchone()
    )


def _marks(items: list[str]) -> str:
    return ",".join("?" * len(items))


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _snapshots_after_purge(storage: StorageBase, *, wait_s: float = 30.0) -> bool:
    """True once every other session of the database sees the purge (none holds a
    snapshot older than now); False when one still did after ``wait_s`` seconds."""
    (mark,) = storage.db.execute("SELECT txid_current()").fetchone()
    deadline = time.monotonic() + wait_s
    while True:
        (older,) = storage.db.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL "
            "AND age(backend_xmin) > age((? % 4294967296)::text::xid)",
            [mark],
        ).fetchone()
        if int(older) == 0:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
