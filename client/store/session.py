"""An unlocked session: who is signed in, the data keys in memory, the idle timer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared import DayRecord, crypto

from .errors import CannotOpen
from .schema import SEALED_TABLES


class Session:
    """The keys of one unlocked supervisor; forgotten by :meth:`forget` on lock.

    Python cannot reliably wipe memory: forgetting drops every reference to the keys
    (and to decrypted records) so that nothing in the store can use them again.
    """

    def __init__(
        self,
        supervisor_id: str,
        private_key: bytes,
        data_keys: dict[int, bytes],
        *,
        now: datetime,
    ) -> None:
        self.supervisor_id = supervisor_id
        self.private_key = private_key
        self._keys = dict(data_keys)
        self._sealers = {v: crypto.Sealer(k) for v, k in data_keys.items()}
        self.write_version = max(data_keys)
        self.last_activity = now
        # Versions are immutable, so a decrypted one stays valid until the lock.
        self.records: dict[str, DayRecord] = {}
        # Unlocked with a PIN that today's rules refuse: the app asks for a new one first.
        self.pin_must_change = False

    def expired(self, now: datetime, idle_timeout: timedelta) -> bool:
        return now - self.last_activity > idle_timeout

    def touch(self, now: datetime) -> None:
        self.last_activity = max(self.last_activity, now)

    def data_key(self, version: int) -> bytes:
        try:
            return self._keys[version]
        except KeyError:
            raise CannotOpen() from None

    def add_key(self, version: int, key: bytes) -> None:
        self._keys[version] = key
        self._sealers[version] = crypto.Sealer(key)
        self.write_version = max(self._keys)

    def drop_key(self, version: int) -> None:
        self._keys.pop(version, None)
        self._sealers.pop(version, None)

    def versions(self) -> list[int]:
        return sorted(self._keys)

    def seal(self, table: str, row: dict[str, Any], plaintext: bytes) -> tuple[bytes, int]:
        """``plaintext`` sealed for ``row`` of ``table`` under the newest key."""
        version = self.write_version
        return self.seal_with(version, table, row, plaintext), version

    def seal_with(self, version: int, table: str, row: dict[str, Any], plaintext: bytes) -> bytes:
        t = SEALED_TABLES[table]
        aad = crypto.associated_data(
            t.name, str(row[t.key]), t.column, version, *t.bound_values(row)
        )
        try:
            sealer = self._sealers[version]
        except KeyError:
            raise CannotOpen() from None
        return sealer.seal(plaintext, aad)

    def open(self, table: str, row: dict[str, Any]) -> bytes:
        """The plaintext of ``row``'s sealed column (``row`` as read from the table)."""
        t = SEALED_TABLES[table]
        version = row["key_version"]
        aad = crypto.associated_data(
            t.name, str(row[t.key]), t.column, version, *t.bound_values(row)
        )
        try:
            return self._sealers[version].open(row[t.column], aad)
        except (KeyError, TypeError, crypto.CannotOpen):
            raise CannotOpen() from None

    def forget(self) -> None:
        self._keys.clear()
        self._sealers.clear()
        self.records.clear()
        self.private_key = b""
