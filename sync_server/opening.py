"""The settings and the storage a command line names, for the server's and the forward's
commands alike (``--config``, ``LASNA_*`` environment, ``--db``)."""

from __future__ import annotations

import argparse
from typing import Any

from sync_server.config import ServerConfig, load_config
from sync_server.storage import SqliteStorage


def config_from(args: argparse.Namespace, **extra: Any) -> ServerConfig:
    return load_config(getattr(args, "config", None), overrides={"db_path": args.db, **extra})


def open_storage(config: ServerConfig) -> SqliteStorage:
    return SqliteStorage(config.db_path, pull_history_months=config.pull_history_months)
