"""PostgreSQL storage: several server instances on one database (psycopg 3, a pool).

Writers are serialised across every instance by one transaction-level advisory lock,
taken first in each write transaction: what SQLite's ``BEGIN IMMEDIATE`` gives the
embedded server. It is what keeps the guarantees with many instances: a push decides
against the current versions and stores its own before another push can decide; an
enrollment code is spent once; and change numbers (the pull cursor) are handed out in
commit order, so a pull never skips a version another instance commits later under a
lower number. A pull reads one ``REPEATABLE READ`` snapshot, head and page together.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg_pool import ConnectionPool, PoolTimeout

from sync_server.errors import AdminError, BadRequest
from sync_server.storage.connection import StorageBase
from sync_server.storage.dialect import NOCASE_COLLATION, to_postgres
from sync_server.storage.engine import ServerStorage, redacted
from sync_server.storage.schema import migrations

# pg_advisory_xact_lock key of the writers' lock ("LASN"); another key for the forward.
WRITE_LOCK = 0x4C41534E
CONNECT_TIMEOUT_S = 15.0


class _BoolAsInt(Dumper):
    """Booleans are stored as 0/1 integers, as in SQLite (the columns are INTEGER)."""

    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _Number(Loader):
    """SUM() of integers is NUMERIC in PostgreSQL: give back an int where SQLite would."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def _configure(conn: psycopg.Connection[Any]) -> None:
    conn.adapters.register_dumper(bool, _BoolAsInt)
    conn.adapters.register_loader("numeric", _Number)


class Result:
    """A statement's rows, fetched at once (the connection goes back to the pool)."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self.description = cursor.description
        self.rowcount = cursor.rowcount
        self._rows: list[tuple[Any, ...]] = list(cursor.fetchall()) if cursor.description else []
        self._next = 0

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rest, self._next = self._rows[self._next :], len(self._rows)
        return rest

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.fetchall())


class PgTable:
    """``db.table(name).insert(...)``: the little of sqlite-utils' Table the forward uses."""

    def __init__(self, db: PgDatabase, name: str) -> None:
        self.db = db
        self.name = name

    def insert(self, record: Mapping[str, Any]) -> None:
        self.insert_all([record])

    def insert_all(self, records: Iterable[Mapping[str, Any]]) -> None:
        by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        for record in records:
            by_columns.setdefault(tuple(record), []).append(tuple(record.values()))
        for columns, rows in by_columns.items():
            marks = ", ".join("?" * len(columns))
            self.db.executemany(
                f"INSERT INTO {self.name} ({', '.join(columns)}) VALUES ({marks})", rows
            )


class PgDatabase:
    """The surface of sqlite-utils' ``Database`` the storage uses, on PostgreSQL.

    Inside :meth:`PostgresBase.write` or ``snapshot`` every statement runs on that
    transaction's connection; outside, each borrows a pooled connection (autocommit).
    """

    def __init__(self, store: PostgresBase) -> None:
        self._store = store

    @property
    def conn(self) -> PgDatabase:  # records and the outbox call db.conn.executemany
        return self

    @property
    def in_transaction(self) -> bool:
        return self._store._current() is not None

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Result:
        with self._store._connection() as conn:
            return Result(conn.execute(self._store.translate(sql), _params(params)))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if not batch:
            return
        for row in batch:
            _no_nul(row)
        with self._store._connection() as conn, conn.cursor() as cur:
            cur.executemany(self._store.translate(sql), batch)

    def copy_rows(self, table: str, columns: str, rows: Iterable[Sequence[Any]]) -> None:
        """Rows into ``table`` with one ``COPY``: a fraction of one INSERT per row's cost
        (the forward stages a county year's rows this way)."""
        with (
            self._store._connection() as conn,
            conn.cursor() as cur,
            cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(_no_nul(row))

    def query(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        result = self.execute(sql, params)
        names = [d.name for d in result.description or ()]
        for row in result.fetchall():
            yield dict(zip(names, row, strict=True))

    def table(self, name: str) -> PgTable:
        return PgTable(self, name)


def _params(params: Sequence[Any] | Mapping[str, Any] | None) -> Sequence[Any]:
    # Always a sequence: psycopg then reads %% as %, as the translated SQL expects.
    if params is None:
        return ()
    if isinstance(params, Mapping):
        raise TypeError("The storage's SQL uses ? placeholders, not named ones.")
    return _no_nul(list(params))


def _no_nul(values: Sequence[Any]) -> Sequence[Any]:
    # PostgreSQL's text cannot hold U+0000 (SQLite's can): refuse it as the request's
    # fault, not the server's, before psycopg fails on it.
    for value in values:
        if isinstance(value, str) and "\x00" in value:
            raise BadRequest(
                "Text may not contain the NUL character (U+0000); remove it and send again."
            )
    return values


class PostgresBase(StorageBase):
    """Pooled connections to one PostgreSQL database, shared by the storage mixins."""

    engine = "postgres"

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self._local = threading.local()
        self._keys: dict[str, tuple[str, ...]] = {}
        self._translated: dict[str, str] = {}
        self._db = PgDatabase(self)
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True},
            configure=_configure,
            open=False,
            name="lasna-storage",
        )
        try:
            self.pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
        except PoolTimeout:
            self.pool.close()
            raise AdminError(
                f"Cannot connect to the PostgreSQL database {redacted(url)}. Check that the "
                "server runs, that the database exists and that database_url names a user "
                "who may connect."
            ) from None
        with self.write() as db:  # under the writers' lock: instances starting together
            db.execute(NOCASE_COLLATION)
        migrations.apply(self)

    @property
    def db(self) -> PgDatabase:
        return self._db

    def _current(self) -> psycopg.Connection[Any] | None:
        found: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        return found

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        conn = self._current() or getattr(self._local, "session", None)
        if conn is not None:
            yield conn
            return
        with self.pool.connection() as borrowed:
            yield borrowed

    @contextmanager
    def session(self) -> Iterator[None]:
        """The calling thread keeps one pooled connection until the block ends.

        Every statement and transaction of the thread runs on it meanwhile, so TEMP
        tables made in the block live as long and are seen by the block's write
        transactions (the forward stages a run in them). A process that dies takes
        its session, and the TEMP tables with it.
        """
        if getattr(self._local, "session", None) is not None or self._current() is not None:
            yield
            return
        with self.pool.connection() as conn:
            self._local.session = conn
            try:
                yield
            finally:
                self._local.session = None

    @contextmanager
    def _transaction(self, first: str, params: Sequence[Any] = ()) -> Iterator[PgDatabase]:
        if self._current() is not None:  # nested: ride the outer transaction
            yield self._db
            return
        with self._connection() as conn:
            self._local.conn = conn
            try:
                with conn.transaction():
                    conn.execute(first, params)
                    yield self._db
            finally:
                self._local.conn = None

    def write(self) -> Any:
        return self._transaction("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])

    def snapshot(self) -> Any:
        return self._transaction("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    def translate(self, sql: str) -> str:
        found = self._translated.get(sql)
        if found is None:
            found = self._translated[sql] = to_postgres(sql, self._primary_key)
        return found

    def _primary_key(self, table: str) -> tuple[str, ...]:
        if table not in self._keys:
            with self._connection() as conn:
                rows = conn.execute(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                    "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                    "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                    [table],
                ).fetchall()
            self._keys[table] = tuple(r[0] for r in rows)
        return self._keys[table]

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return list(self._db.query(sql, params))

    def _next_seqs(self, db: Any, count: int) -> int:
        # The row lock (and the writers' lock around it) lasts until commit: numbers are
        # handed out in commit order.
        (last,) = db.execute(
            "UPDATE sequence SET value = value + ? WHERE id = 1 RETURNING value", [count]
        ).fetchone()
        return int(last) - count + 1

    def head(self) -> int:
        found = self._db.execute("SELECT value FROM sequence WHERE id = 1").fetchone()
        assert found is not None
        return int(found[0])

    def close(self) -> None:
        self.pool.close()


class PostgresStorage(PostgresBase, ServerStorage):
    """Everything the server keeps, in one PostgreSQL database; see :class:`~.base.Storage`."""

    def __init__(self, url: str, *, pull_history_months: int = 2, pool_size: int = 10) -> None:
        PostgresBase.__init__(self, url, pool_size=pool_size)
        self.pull_history_months = pull_history_months
