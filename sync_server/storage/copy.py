"""Copy an SQLite server database into an empty PostgreSQL one, and prove the copy.

Every table is copied row for row, change numbers included: the ``sequence`` row, each
version's ``seq`` and each site's ``ref_seq`` keep their values, so every device's pull
cursor means the same on the new database and the devices notice nothing (their
credentials are the same hashes too). The copy reads one snapshot of the source; stop
the server first so that no push arrives after it (docs/admin.md).

The proof: per table, the row count and a SHA-256 over the rows in primary-key order,
computed on each side from what the database gives back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync_server.errors import AdminError
from sync_server.jsonio import dumps
from sync_server.storage.migrate import MIGRATIONS_TABLE
from sync_server.storage.postgres import PostgresStorage
from sync_server.storage.sqlite import SqliteStorage

BATCH = 2000
# Tables that a new database already fills with their starting rows.
# The generation is copied too: devices go on as if nothing happened.
_SEEDED = {"sequence", "forward_state", "database_generation"}


@dataclass(frozen=True, slots=True)
class TableCheck:
    table: str
    rows: int
    sha256: str


def _tables(source: SqliteStorage) -> list[str]:
    """The source's tables in creation order (referenced tables before their referrers)."""
    return [
        r["name"]
        for r in source.rows(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid"
        )
        if r["name"] != MIGRATIONS_TABLE
    ]


def _columns(source: SqliteStorage, table: str) -> tuple[list[str], list[str]]:
    """(all columns, primary-key columns in key order; rowid-less tables: all columns)."""
    info = source.rows(f"PRAGMA table_info({table})")
    names = [c["name"] for c in info]
    key = [c["name"] for c in sorted(info, key=lambda c: c["pk"]) if c["pk"]]
    return names, key or names


def checksum(db: Any, table: str, columns: list[str], key: list[str]) -> TableCheck:
    """Count and SHA-256 of ``table``'s rows in key order, on either engine."""
    digest = hashlib.sha256()
    rows = 0
    for row in db.execute(
        f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(key)}"
    ).fetchall():
        digest.update(dumps([_plain(v) for v in row]).encode())
        digest.update(b"\n")
        rows += 1
    return TableCheck(table, rows, digest.hexdigest())


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"bytes": bytes(value).hex()}
    return value


def copy_to_postgres(source_path: Path, target_url: str) -> list[TableCheck]:
    """Copy ``source_path`` into the empty database at ``target_url``; return the checks.

    Raises :class:`AdminError` when the target holds data already or a check differs
    (then the target's transaction is rolled back and it stays empty).
    """
    from sync_server.forward import Outbox  # its tables are copied too

    if not Path(source_path).is_file():
        raise AdminError(f"There is no SQLite database at {source_path}.")
    source = SqliteStorage(Path(source_path))
    target = PostgresStorage(target_url)
    try:
        Outbox(source)
        Outbox(target)
        tables = _tables(source)
        checks: list[TableCheck] = []
        with source.snapshot() as src, target.write() as dst:
            for table in tables:
                found = dst.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
                if table not in _SEEDED and found and found[0]:
                    raise AdminError(
                        f"The PostgreSQL database already holds data (table {table}). "
                        "Copy into a new, empty database."
                    )
            for table in tables:
                columns, key = _columns(source, table)
                if table in _SEEDED:
                    dst.execute(f"DELETE FROM {table}")
                insert = (
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})"
                )
                cursor = src.execute(f"SELECT {', '.join(columns)} FROM {table}")
                while batch := cursor.fetchmany(BATCH):
                    dst.executemany(insert, batch)
                _continue_identity(dst, table, columns)
            for table in tables:
                columns, key = _columns(source, table)
                mine = checksum(src, table, columns, key)
                theirs = checksum(dst, table, columns, key)
                if mine != theirs:
                    raise AdminError(
                        f"The copy of table {table} differs ({mine.rows} rows in SQLite, "
                        f"{theirs.rows} in PostgreSQL, or different contents); nothing "
                        "was kept. Report this with the server's log."
                    )
                checks.append(mine)
        return checks
    finally:
        source.close()
        target.close()


def _continue_identity(db: Any, table: str, columns: list[str]) -> None:
    """Identity columns go on after the copied ids (a console account made next)."""
    if "id" not in columns:
        return
    found = db.execute("SELECT pg_get_serial_sequence(?, 'id')", [table]).fetchone()
    if found and found[0]:
        db.execute(
            f"SELECT setval(?, COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)",
            [found[0]],
        )
