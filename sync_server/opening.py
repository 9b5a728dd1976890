"""The settings and the storage a command line names, for the server's and the forward's
commands alike (``--config``, ``LASNA_*`` environment, ``--db``)."""

from __future__ import annotations

import argparse
from typing import Any

from sync_server.config import ServerConfig, load_config
from sync_server.errors import AdminError
from sync_server.storage import SqliteStorage


def config_from(args: argparse.Namespace, **extra: Any) -> ServerConfig:
    return load_config(getattr(args, "config", None), overrides={"db_path": args.db, **extra})


def open_storage(config: ServerConfig, *, create: bool = False) -> SqliteStorage:
    """The server's database; only ``serve`` and ``init`` may create a missing one.

    An admin command pointed at a mistyped path would otherwise make a new, empty
    database there and answer from it ("No devices enrolled"), or import into a file
    the server never reads.
    """
    path = config.db_path
    if not create and not path.exists():
        raise AdminError(
            f"There is no database at {path}. Check --db, db_path in the settings file or "
            f"LASNA_DB_PATH; to start a new one, run 'lasna-server init --db {path}' "
            "(or 'serve', which creates it)."
        )
    return SqliteStorage(path, pull_history_months=config.pull_history_months)
