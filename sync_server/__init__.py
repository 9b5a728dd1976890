"""The sync server: HTTP API, device enrollment, storage, re-validation, admin commands.

Public surface: :func:`create_app`, :class:`ServerConfig`, :func:`load_config`,
:class:`ServerStorage` (either engine), :class:`SqliteStorage` (and the :class:`Storage`
interface), the exception tree.
"""

from sync_server.config import ServerConfig, load_config
from sync_server.errors import (
    AdminError,
    ConfigError,
    ImportRefused,
    Refused,
    SyncServerError,
)
from sync_server.storage import Device, ServerStorage, SqliteStorage, Storage

__all__ = [
    "AdminError",
    "ConfigError",
    "Device",
    "ImportRefused",
    "Refused",
    "ServerConfig",
    "ServerStorage",
    "SqliteStorage",
    "Storage",
    "SyncServerError",
    "load_config",
]
