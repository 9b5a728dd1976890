"""A fresh database and an upgraded one end with the same schema, on both engines.

"Upgraded" is a database made by an earlier release: on SQLite the one sqlite-utils'
``Migrations`` made (its ``_sqlite_migrations`` table), migrated here from its first
step; on PostgreSQL one stopped before each later step and opened again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from sqlite_utils.migrations import Migrations as SqliteUtilsMigrations

from sync_server.forward import Outbox
from sync_server.storage import SqliteStorage, open_database
from sync_server.storage.migrate import MIGRATIONS_TABLE
from sync_server.storage.schema import _INITIAL, migrations
from tests.support.postgres import Cluster


def _sqlite_schema(path: Path) -> dict[str, Any]:
    db = sqlite_utils.Database(path)
    out: dict[str, Any] = {}
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        columns = db.execute(f"PRAGMA table_info({name})").fetchall()
        indexes = {
            (index[1], index[2]): tuple(
                c[2] for c in db.execute(f"PRAGMA index_info('{index[1]}')").fetchall()
            )
            for index in db.execute(f"PRAGMA index_list({name})").fetchall()
        }
        out[name] = (sorted((tuple(c[1:]) for c in columns), key=str), indexes)
    db.close()
    return out


def _postgres_schema(url: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(url) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default, "
            "collation_name, is_identity FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, column_name"
        ).fetchall()
        indexes = conn.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        ).fetchall()
        checks = conn.execute(
            "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = 'public'::regnamespace"
        ).fetchall()
    out: dict[str, Any] = {}
    for table, *column in columns:
        out.setdefault(table, {"columns": [], "indexes": set(), "constraints": set()})
        out[table]["columns"].append(tuple(column))
    for table, name, definition in indexes:
        out[table]["indexes"].add((name, definition))
    for table, definition in checks:
        out[table]["constraints"].add(definition)
    return out


def _fresh_sqlite(path: Path) -> None:
    storage = SqliteStorage(path)
    Outbox(storage)
    storage.close()


def test_an_sqlite_database_from_the_earlier_release_upgrades_to_the_fresh_schema(
    tmp_path: Path,
) -> None:
    fresh = tmp_path / "fresh.db"
    _fresh_sqlite(fresh)

    # What the earlier release left: sqlite-utils' Migrations ran only the first step.
    old = tmp_path / "old.db"
    earlier = SqliteUtilsMigrations("lasna.sync_server")

    @earlier()
    def m001_initial(db: Any) -> None:
        for statement in _INITIAL.split(";"):
            if statement.strip():
                db.execute(statement)

    legacy = sqlite_utils.Database(old)
    earlier.apply(legacy)
    legacy.close()

    upgraded = SqliteStorage(old)
    assert [r["name"] for r in upgraded.rows(f"SELECT name FROM {MIGRATIONS_TABLE}")] == [
        "m001_initial",
        "m002_console",
        "m003_month_reopenings",
        "m004_county_follow_up",
        "m005_access_log",
        "m006_generation",
    ]
    Outbox(upgraded)
    upgraded.close()

    assert _sqlite_schema(old) == _sqlite_schema(fresh)


def test_a_postgresql_database_migrated_step_by_step_ends_as_a_fresh_one(
    postgres_cluster: Cluster,
) -> None:
    fresh = postgres_cluster.new_database()
    store = open_database(fresh)
    Outbox(store)
    store.close()
    expected = _postgres_schema(fresh)
    assert {"record_versions", "console_accounts", "forward_batches"} <= set(expected)

    for stop in list(migrations)[1:]:
        url = postgres_cluster.new_database()
        _engine_stopped_before(url, stop).close()
        store = open_database(url)
        Outbox(store)
        store.close()
        assert _postgres_schema(url) == expected, f"upgraded from before {stop}"


def _engine_stopped_before(url: str, stop: str) -> Any:
    """A storage whose database an earlier release made: the list ran up to ``stop``."""
    from sync_server.storage import postgres

    original = postgres.migrations.apply
    postgres.migrations.apply = lambda store, **_: original(store, stop_before=stop)  # type: ignore[method-assign]
    try:
        return postgres.PostgresStorage(url)
    finally:
        postgres.migrations.apply = original  # type: ignore[method-assign]


def test_both_engines_have_the_same_tables_and_columns(
    tmp_path: Path, postgres_cluster: Cluster
) -> None:
    _fresh_sqlite(tmp_path / "server.db")
    lite = {
        t: {c[0] for c in cols} for t, (cols, _) in _sqlite_schema(tmp_path / "server.db").items()
    }
    url = postgres_cluster.new_database()
    store = open_database(url)
    Outbox(store)
    store.close()
    pg = {t: {c[0] for c in v["columns"]} for t, v in _postgres_schema(url).items()}
    assert lite == pg


@pytest.mark.parametrize("sql", ["SELECT 'x%' || ? AS v"])
def test_percent_signs_and_placeholders_survive_translation(
    postgres_cluster: Cluster, sql: str
) -> None:
    store = open_database(postgres_cluster.new_database())
    assert store.rows(sql, ["y"]) == [{"v": "x%y"}]
    store.close()
