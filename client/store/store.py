"""The device's encrypted offline store: one SQLite file, sealed values, one lock.

``Store`` is composed of parts by what each owns (see :mod:`client.store.parts`):
keys and supervisors, reference data, closed months, day records, the outbox and
what a locked device sends (the sealed outbox). They
share one connection, one lock and one unlocked session (:mod:`.parts.base`).

Every method that reads or writes sealed data needs an unlocked session and raises
:class:`StoreLocked` otherwise. Methods that take ``now`` also apply the idle
timeout and count as activity. The store may be used from any thread; one lock
serialises all use of the connection.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from shared import crypto

from .parts.keys import KeysPart
from .parts.outbox import OutboxPart
from .parts.records import RecordsPart
from .parts.sealed import SealedPart


class Store(KeysPart, RecordsPart, OutboxPart, SealedPart):
    """The encrypted store of one device. Make one with :meth:`open`."""

    @classmethod
    def open(
        cls,
        path: Path,
        device_secret: bytes,
        *,
        idle_timeout: timedelta = timedelta(minutes=5),
        max_pin_attempts: int = 8,
        kdf_params: crypto.KdfParams = crypto.DEFAULT_KDF,
    ) -> Store:
        """Open (creating if needed) the store at ``path``, locked.

        ``device_secret`` must be the secret this store was created with: any other
        raises :class:`CannotOpen`. ``kdf_params`` exists for tests and for raising the
        cost later (slots are re-wrapped with the current parameters at unlock).
        """
        db = cls._open_database(path, device_secret, max_pin_attempts)
        return cls(
            db,
            device_secret,
            idle_timeout=idle_timeout,
            max_pin_attempts=max_pin_attempts,
            kdf_params=kdf_params,
        )
