"""Sealed outbox entries: a record's wire JSON sealed on the device to the server's key.

The device seals each version when it is saved, beside its copy under the data key, so
that a locked device (no data key in memory) can still send it. Only the server's
private key opens a box, and only for the device and record id it was sealed for: a
box moved to another device's push, or given another id, does not open.
"""

from __future__ import annotations

import json

from shared import crypto
from shared.errors import RecordError
from shared.records import DayRecord


class UnreadableEntry(Exception):
    """A sealed entry did not open, or did not hold the record its id names."""


def sealed_aad(device_id: str, record_id: str) -> bytes:
    return crypto.associated_data("sealed_push", record_id, "record", 1, device_id)


def seal_record(server_key: bytes, record: DayRecord, device_id: str) -> bytes:
    """``record`` sealed to ``server_key`` for a push by ``device_id``.

    Padded like the store's own payloads, so that a box's length shows a size bucket,
    not whether a day has a note.
    """
    wire = json.dumps(record.to_dict(), separators=(",", ":"), sort_keys=True).encode("utf-8")
    return crypto.seal_to(
        server_key,
        crypto.pad(wire),
        sealed_aad(device_id, record.id),
        label=crypto.SEALED_PUSH_LABEL,
    )


def open_record(private_key: bytes, box: bytes, device_id: str, record_id: str) -> DayRecord:
    """The record in ``box``; :class:`UnreadableEntry` when it cannot be opened or read."""
    try:
        plaintext = crypto.unpad(
            crypto.open_from(
                private_key,
                box,
                sealed_aad(device_id, record_id),
                label=crypto.SEALED_PUSH_LABEL,
            )
        )
        record = DayRecord.from_dict(json.loads(plaintext))
    except (crypto.CannotOpen, ValueError, RecordError, TypeError, AttributeError):
        raise UnreadableEntry() from None
    if record.id != record_id:
        raise UnreadableEntry()
    return record
