"""One migration list per table set, run the same way on SQLite and PostgreSQL.

A migration is a function that executes SQL through the storage's database; the
PostgreSQL connection translates the few SQLite spellings (see :mod:`.dialect`), so
both engines run the same list and a fresh database ends with the same tables as an
upgraded one. What ran is recorded in ``_sqlite_migrations``, the table (and name)
sqlite-utils' ``Migrations`` used before: a database made by an earlier release
upgrades in place.

All pending migrations run in one write transaction. On PostgreSQL the writers' lock
is held meanwhile, so two server instances starting together migrate once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

MIGRATIONS_TABLE = "_sqlite_migrations"

_CREATE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} "
    "(id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT)"
)
_CREATE_INDEX = (
    f"CREATE UNIQUE INDEX IF NOT EXISTS idx_{MIGRATIONS_TABLE}_migration_set_name "
    f"ON {MIGRATIONS_TABLE} (migration_set, name)"
)


class MigratedDatabase(Protocol):
    """A storage: its connection (``db``) and one serialised write transaction."""

    @property
    def db(self) -> Any: ...

    def write(self) -> AbstractContextManager[Any]: ...


@dataclass(frozen=True, slots=True)
class _Step:
    name: str
    fn: Callable[[Any], None]


class Migrations:
    """A named, ordered list of schema changes (decorate each with ``@migrations()``)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._steps: list[_Step] = []

    def __call__(self) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
        def register(fn: Callable[[Any], None]) -> Callable[[Any], None]:
            self._steps.append(_Step(fn.__name__, fn))
            return fn

        return register

    def __iter__(self) -> Iterator[str]:
        return iter(step.name for step in self._steps)

    def applied(self, store: MigratedDatabase) -> list[str]:
        db = store.db
        try:
            found = db.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id",
                [self.name],
            ).fetchall()
        except Exception:  # no table yet: nothing applied (sqlite3 or psycopg error)
            return []
        return [name for (name,) in found]

    def pending(self, store: MigratedDatabase) -> list[str]:
        """The migrations of this set not yet run on ``store`` (what /ready reports)."""
        done = set(self.applied(store))
        return [name for name in self if name not in done]

    def apply(self, store: MigratedDatabase, *, stop_before: str | None = None) -> list[str]:
        """Run the pending migrations (those before ``stop_before`` only); return their names."""
        ran: list[str] = []
        with store.write() as db:
            db.execute(_CREATE_TABLE)
            db.execute(_CREATE_INDEX)
            done = {
                name
                for (name,) in db.execute(
                    f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", [self.name]
                ).fetchall()
            }
            for step in self._steps:
                if step.name == stop_before:
                    break
                if step.name in done:
                    continue
                step.fn(db)
                db.execute(
                    f"INSERT INTO {MIGRATIONS_TABLE} (migration_set, name, applied_at) "
                    "VALUES (?, ?, ?)",
                    [self.name, step.name, str(datetime.now(UTC))],
                )
                ran.append(step.name)
        return ran


def run_statements(db: Any, script: str) -> None:
    """Execute ``script``'s statements one at a time (executescript would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)
