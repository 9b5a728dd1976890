"""Server storage behind a narrow interface (SQLite now; PostgreSQL can follow)."""

from sync_server.storage.base import (
    Device,
    ImportSummary,
    ParticipantRow,
    PushTransaction,
    SiteRow,
    Storage,
    StoredVersion,
)
from sync_server.storage.records import decode_cursor, encode_cursor, history_start
from sync_server.storage.sqlite import SqliteStorage

__all__ = [
    "Device",
    "ImportSummary",
    "ParticipantRow",
    "PushTransaction",
    "SiteRow",
    "SqliteStorage",
    "Storage",
    "StoredVersion",
    "decode_cursor",
    "encode_cursor",
    "history_start",
]
