"""Data-key rotation: a new key for everything, resumable after any interruption.

Starting a rotation creates the next key version and seals it to every supervisor's
public key (so nobody's PIN is needed) in one transaction. Then each batch of rows
is opened under its old key and sealed under the new one in its own transaction:
every row names the key version it is sealed under, so the store stays readable at
any moment, and an interrupted rotation resumes where it stopped. The old version is
retired (its key slots deleted) only once no row uses it any more.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from shared import crypto

from . import keyring
from .schema import SEALED_TABLES
from .session import Session


def in_progress(db: Database) -> bool:
    return db.conn.execute("SELECT 1 FROM data_keys WHERE state = 'next'").fetchone() is not None


def start(db: Database, session: Session, *, now: datetime) -> None:
    """Make the next data key and give it to every supervisor (one transaction)."""
    version = max(keyring.live_versions(db)) + 1
    key = crypto.new_data_key()
    slot_rows: list[dict[str, Any]] = []
    for row in db.query("SELECT id, key_version, public_key FROM supervisors ORDER BY id"):
        public_key = session.open("supervisors", row)
        slot_rows.extend(keyring.key_slot_rows(row["id"], public_key, {version: key}))
    with db.atomic():
        db.conn.execute(
            "INSERT INTO data_keys (version, state, created_at) VALUES (?, 'next', ?)",
            [version, now.isoformat()],
        )
        db.conn.executemany(
            "INSERT INTO key_slots (supervisor_id, key_version, envelope) "
            "VALUES (:supervisor_id, :key_version, :envelope)",
            slot_rows,
        )
    session.add_key(version, key)


def step(db: Database, session: Session, batch_size: int) -> int:
    """Reseal up to ``batch_size`` rows under the newest key (one transaction); count them."""
    target = session.write_version
    moved = 0
    with db.atomic():
        for table in SEALED_TABLES.values():
            if moved >= batch_size:
                break
            clear = ", ".join(dict.fromkeys([table.key, "key_version", *table.bound]))
            columns = f"{clear}, CAST({table.column} AS BLOB) AS {table.column}"
            cursor = db.conn.execute(
                f"SELECT {columns} FROM {table.name} WHERE key_version < ? LIMIT ?",
                [target, batch_size - moved],
            )
            names = [d[0] for d in cursor.description]
            updates = []
            for values in cursor.fetchall():
                row = dict(zip(names, values, strict=True))
                plaintext = session.open(table.name, row)
                sealed = session.seal_with(target, table.name, row, plaintext)
                updates.append((sealed, target, row[table.key]))
            db.conn.executemany(
                f"UPDATE {table.name} SET {table.column} = ?, key_version = ? "
                f"WHERE {table.key} = ?",
                updates,
            )
            moved += len(updates)
    return moved


def finish(db: Database, session: Session) -> None:
    """Retire every older key version once nothing is sealed under it (one transaction)."""
    target = session.write_version
    with db.atomic():
        db.conn.execute("DELETE FROM key_slots WHERE key_version < ?", [target])
        db.conn.execute("UPDATE data_keys SET state = 'retired' WHERE version < ?", [target])
        db.conn.execute("UPDATE data_keys SET state = 'active' WHERE version = ?", [target])
    for version in session.versions():
        if version < target:
            session.drop_key(version)
    # Old ciphertexts and key slots may linger in WAL frames: fold the WAL into the
    # database (whose freed pages secure_delete has zeroed) and empty it.
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
