"""What every part of the store shares: the SQLite file, the lock and the session.

Every method that reads or writes sealed data needs an unlocked session and raises
:class:`StoreLocked` otherwise. Methods that take ``now`` also apply the idle
timeout and count as activity. The store may be used from any thread; one lock
serialises all use of the connection.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from sqlite_utils import Database

from shared import crypto
from shared.error_codes import ErrorCode

from .. import audit, keyring, opening
from ..errors import StoreClosed, StoreError, StoreLocked
from ..session import Session

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="StoreBase")


def synchronised(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run the method under the store's lock, refusing a closed store."""

    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._lock:
            if self._closed:
                raise StoreClosed()
            return method(self, *args, **kwargs)

    functools.update_wrapper(wrapper, method)
    return wrapper


class StoreBase:
    """The connection, the lock, the session and the meta table (see ``Store``)."""

    def __init__(
        self,
        db: Database,
        device_secret: bytes,
        *,
        idle_timeout: timedelta,
        max_pin_attempts: int,
        kdf_params: crypto.KdfParams,
    ) -> None:
        self._db = db
        self._secret = device_secret
        self._idle_timeout = idle_timeout
        self._kdf = kdf_params
        self._attempts = keyring.Attempts(db, max_pin_attempts)
        self._lock = threading.RLock()
        self._session: Session | None = None
        self._closed = False

    @staticmethod
    def _open_database(path: Path, device_secret: bytes, max_pin_attempts: int) -> Database:
        if len(device_secret) < crypto.DEVICE_SECRET_BYTES:
            raise StoreError("The device secret must have at least 32 bytes.")
        if max_pin_attempts < 1:
            raise StoreError("The number of PIN attempts must be at least 1.")
        return opening.open_database(Path(path), device_secret)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._forget()
            self._db.close()
            self._closed = True

    @property
    @synchronised
    def device_id(self) -> str:
        """The enrolled device id, or the random one made when the store was created."""
        return self._meta("device_id") or self._meta(opening.LOCAL_DEVICE_ID) or ""

    @synchronised
    def get_meta(self, key: str) -> str | None:
        return self._meta(key)

    @synchronised
    def set_meta(self, key: str, value: str) -> None:
        """Clear bookkeeping only (cursors, ids): never personal data, never secrets."""
        if key.startswith(opening.RESERVED_META):
            raise StoreError(
                f"Meta keys starting with {opening.RESERVED_META!r} belong to the store."
            )
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    def _meta(self, key: str) -> str | None:
        row = self._db.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    # -- the session ------------------------------------------------------------------

    def _unlocked(self, now: datetime | None) -> Session:
        session = self._session
        if session is None:
            raise StoreLocked()
        if now is not None:
            if session.expired(now, self._idle_timeout):
                self._forget()
                raise StoreLocked(
                    "The store locked itself after a time without use: unlock it with a PIN.",
                    code=ErrorCode.LOCKED_IDLE,
                )
            session.touch(now)
        return session

    def _forget(self) -> None:
        if self._session is not None:
            self._session.forget()
        self._session = None

    def _actor(self, session: Session, now: datetime) -> audit.Actor:
        return audit.Actor(session.supervisor_id, self._meta("device_id") or self._local_id(), now)

    def _local_id(self) -> str:
        return self._meta(opening.LOCAL_DEVICE_ID) or ""
