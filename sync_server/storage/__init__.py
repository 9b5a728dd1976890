"""Server storage behind a narrow interface: SQLite (embedded default) or PostgreSQL."""

from sync_server.storage.base import (
    Device,
    ImportSummary,
    ParticipantRow,
    PushTransaction,
    SiteRow,
    Storage,
    StoredVersion,
)
from sync_server.storage.engine import ServerStorage, is_postgres
from sync_server.storage.locate import open_database
from sync_server.storage.records import decode_cursor, encode_cursor, history_start
from sync_server.storage.sqlite import SqliteStorage

__all__ = [
    "Device",
    "ImportSummary",
    "ParticipantRow",
    "PushTransaction",
    "ServerStorage",
    "SiteRow",
    "SqliteStorage",
    "Storage",
    "StoredVersion",
    "decode_cursor",
    "encode_cursor",
    "history_start",
    "is_postgres",
    "open_database",
]
