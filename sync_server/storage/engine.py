"""The server's storage whatever the engine, and how a setting names the engine.

``database_url`` (or ``--db``) is either ``postgresql://…`` (several server instances
on one database) or a path to an SQLite file (the embedded default).
"""

from __future__ import annotations

from sync_server.storage.devices import DevicesMixin
from sync_server.storage.records import RecordsMixin

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class ServerStorage(RecordsMixin, DevicesMixin):
    """Everything the server keeps (see :class:`~.base.Storage`); an engine completes it."""

    pull_history_months: int = 2


def is_postgres(locator: str) -> bool:
    return locator.startswith(POSTGRES_SCHEMES)


def redacted(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    userinfo, host = rest.rsplit("@", 1)
    return f"{scheme}://{userinfo.split(':', 1)[0]}@{host}"
