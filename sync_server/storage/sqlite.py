"""SQLite storage: the embedded default (WAL mode, one file)."""

from __future__ import annotations

from pathlib import Path

from sync_server.storage.access import AccessMixin
from sync_server.storage.connection import SqliteBase
from sync_server.storage.devices import DevicesMixin
from sync_server.storage.records import RecordsMixin


class SqliteStorage(RecordsMixin, DevicesMixin, AccessMixin):
    """Everything the server keeps, in one SQLite file; see :class:`~.base.Storage`."""

    def __init__(self, path: Path, *, pull_history_months: int = 2) -> None:
        SqliteBase.__init__(self, path)
        self.pull_history_months = pull_history_months
