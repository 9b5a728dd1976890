"""The storage's engines: what every engine offers (:class:`StorageBase`), and SQLite's.

SQLite connections for the server: one per thread, WAL mode, serialised writers.

Requests run on a thread pool, the nightly forward on a scheduler thread, and an
admin command may write from another process while the server runs. Each thread
gets its own connection (WAL lets readers proceed beside one writer); writes take
``BEGIN IMMEDIATE`` so that two writers wait for each other instead of failing
halfway, and a read that must be consistent takes a snapshot transaction.
"""

from __future__ import annotations

import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from sync_server.storage.private import private_database
from sync_server.storage.schema import migrations

BUSY_TIMEOUT_MS = 15_000


class StorageBase(ABC):
    """What the storage mixins need of an engine; SQLite's and PostgreSQL's provide it.

    The mixins' SQL is SQLite's spelling; the PostgreSQL engine translates it
    (:mod:`sync_server.storage.dialect`), so both engines run the same queries. An engine
    that lacks one of the methods below cannot be made (ABC).
    """

    engine: str = ""

    @property
    @abstractmethod
    def db(self) -> Any:
        raise NotImplementedError

    @abstractmethod
    def write(self) -> AbstractContextManager[Any]:
        """One write transaction, serialised with every other writer, committed on success."""
        raise NotImplementedError

    @abstractmethod
    def snapshot(self) -> AbstractContextManager[Any]:
        """Reads that must agree with each other (a pull page and its cursor)."""
        raise NotImplementedError

    def session(self) -> AbstractContextManager[None]:
        """The calling thread keeps one connection until the block ends (TEMP tables
        made in it live as long). SQLite's threads always keep theirs; PostgreSQL's
        borrow from a pool per statement otherwise."""
        return nullcontext()

    @abstractmethod
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    @abstractmethod
    def _next_seqs(self, db: Any, count: int) -> int:
        """Reserve ``count`` change numbers; return the first. Call inside :meth:`write`."""
        raise NotImplementedError

    @abstractmethod
    def head(self) -> int:
        raise NotImplementedError

    @abstractmethod
    def close(self) -> None:
        raise NotImplementedError


class SqliteBase(StorageBase):
    """Connection handling and the change counter shared by the storage mixins."""

    engine = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # Names, client references and notes: readable by the server's user only.
        private_database(self.path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self._write_lock = threading.RLock()
        db = self.db
        db.execute("PRAGMA journal_mode=WAL")
        migrations.apply(self)

    @property
    def db(self) -> Database:
        """This thread's connection as a sqlite-utils ``Database``.

        Other packages (the county forward) may add their own tables through their
        own ``Migrations`` on it; write through :meth:`write` to stay serialised.
        """
        found: Database | None = getattr(self._local, "db", None)
        if found is None:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous=FULL")  # an acknowledged push survives power loss
            conn.execute("PRAGMA foreign_keys=ON")
            found = Database(conn, execute_plugins=False)
            self._local.db = found
            with self._all_lock:
                self._all.append(conn)
        return found

    @contextmanager
    def write(self) -> Iterator[Database]:
        """One write transaction (``BEGIN IMMEDIATE``), committed on success."""
        with self._write_lock:
            db = self.db
            conn = db.conn
            if conn.in_transaction:  # nested: ride the outer transaction
                yield db
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                conn.rollback()
                raise
            conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[Database]:
        """Reads that must agree with each other (a pull page and its cursor)."""
        db = self.db
        conn = db.conn
        if conn.in_transaction:
            yield db
            return
        conn.execute("BEGIN")
        try:
            yield db
        finally:
            conn.execute("COMMIT")

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.db.conn.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def _next_seqs(self, db: Database, count: int) -> int:
        """Reserve ``count`` change numbers; return the first. Call inside :meth:`write`."""
        first = int(db.execute("SELECT value FROM sequence WHERE id = 1").fetchone()[0]) + 1
        db.execute("UPDATE sequence SET value = ? WHERE id = 1", [first + count - 1])
        return first

    def head(self) -> int:
        return int(self.db.execute("SELECT value FROM sequence WHERE id = 1").fetchone()[0])

    def close(self) -> None:
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


def iso(moment: datetime) -> str:
    """The one text form of an instant in this database (UTC, microseconds)."""
    if moment.tzinfo is None:
        raise ValueError("Storage needs aware datetimes (with a time zone).")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
