"""The settings and the storage a command line names, for the server's and the forward's
commands alike (``--config``, ``LASNA_*`` environment, ``--db``)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from sync_server.config import ServerConfig, load_config
from sync_server.errors import AdminError
from sync_server.storage import ServerStorage, is_postgres, open_database


def config_from(args: argparse.Namespace, **extra: Any) -> ServerConfig:
    db = getattr(args, "db", None)
    where: dict[str, Any] = {}
    if db is not None:
        # --db names either engine; it wins over database_url from the file or environment.
        where = {"database_url": str(db)} if is_postgres(str(db)) else {"db_path": Path(db)}
    config = load_config(getattr(args, "config", None), overrides={**where, **extra})
    if db is not None and not is_postgres(str(db)) and config.database_url:
        config = replace(config, database_url=None)
    return config


def open_storage(config: ServerConfig, *, create: bool = False) -> ServerStorage:
    """The server's database; only ``serve`` and ``init`` may create a missing SQLite file.

    An admin command pointed at a mistyped path would otherwise make a new, empty
    database there and answer from it ("No devices enrolled"), or import into a file
    the server never reads. (A PostgreSQL database is made by its administrator; the
    server only creates its tables in it.)
    """
    where = config.database
    if not is_postgres(where) and not create and not Path(where).exists():
        raise AdminError(
            f"There is no database at {where}. Check --db, db_path in the settings file or "
            f"LASNA_DB_PATH; to start a new one, run 'lasna-server init --db {where}' "
            "(or 'serve', which creates it)."
        )
    return open_database(where, pull_history_months=config.pull_history_months)
