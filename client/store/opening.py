"""Opening the file: SQLite settings, the schema, the store's identity and device check."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from pathlib import Path

from sqlite_utils import Database

from shared import crypto
from shared.error_codes import ErrorCode

from .errors import CannotOpen
from .schema import MIGRATIONS

STORE_ID = "store.id"
DEVICE_CHECK = "store.device_check"
LOCAL_DEVICE_ID = "store.local_device_id"
RESERVED_META = "store."  # meta keys the store itself owns


def open_database(path: Path, device_secret: bytes) -> Database:
    """The migrated database at ``path``; :class:`CannotOpen` for another device's secret."""
    conn = _connect(path)
    try:
        db = Database(conn)
        MIGRATIONS.apply(db)
        _check_device(db, device_secret)
    except BaseException:
        conn.close()
        raise
    return db


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # created by us, readable by the owner only; SQLite's -wal and -shm copy this mode
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    # the app runs blocking work on worker threads: the store's own lock serialises use
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")  # an acknowledged save survives a power cut
    conn.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left readable
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_device(db: Database, device_secret: bytes) -> None:
    """Make the store's identity on first open; refuse a device secret it was not made with."""
    meta = dict(db.conn.execute("SELECT key, value FROM meta"))
    store_id = meta.get(STORE_ID)
    with db.atomic():
        if store_id is None:
            store_id = str(uuid.uuid4())
            db.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [STORE_ID, store_id])
        if LOCAL_DEVICE_ID not in meta:
            db.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)", [LOCAL_DEVICE_ID, str(uuid.uuid4())]
            )
        expected = crypto.device_check(device_secret, store_id)
        stored = meta.get(DEVICE_CHECK)
        if stored is None:
            db.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [DEVICE_CHECK, expected])
        elif not crypto.same_tag(stored, expected):
            raise CannotOpen(
                "This store cannot be opened with this device's secret: it was created with "
                "another one.",
                code=ErrorCode.NOT_THIS_DEVICE,
            )
