"""Server storage behind a narrow interface (SQLite now; PostgreSQL can follow)."""

from sync_server.storage.base import Device, ImportSummary, ParticipantRow, SiteRow, Storage
from sync_server.storage.records import CONFLICT_CODES, decode_cursor, encode_cursor, history_start
from sync_server.storage.sqlite import SqliteStorage

__all__ = [
    "CONFLICT_CODES",
    "Device",
    "ImportSummary",
    "ParticipantRow",
    "SiteRow",
    "SqliteStorage",
    "Storage",
    "decode_cursor",
    "encode_cursor",
    "history_start",
]
