"""Open the storage a setting names: a ``postgresql://`` URL or an SQLite file's path."""

from __future__ import annotations

from pathlib import Path

from sync_server.storage.engine import ServerStorage, is_postgres


def open_database(locator: str | Path, *, pull_history_months: int = 2) -> ServerStorage:
    if isinstance(locator, str) and is_postgres(locator):
        from sync_server.storage.postgres import PostgresStorage  # psycopg only when used

        return PostgresStorage(locator, pull_history_months=pull_history_months)
    from sync_server.storage.sqlite import SqliteStorage

    return SqliteStorage(Path(locator), pull_history_months=pull_history_months)
