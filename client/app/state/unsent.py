"""Undo and one-tap changes of what has not left the device (issue 11, item 6).

A record still waiting in the outbox is taken back in one tap, or changed without a
reason: the store withdraws the waiting version (it stays, marked withdrawn, and never
goes to the server) and, for a change, saves a new version in its place that
supersedes what the withdrawn one superseded and keeps its reason, if it had one. Once
a record may have reached the server (acknowledged, answered while locked, or a sync
round carrying it right now), a change is a correction with a reason, as before.
"""

from __future__ import annotations

from client.app.state.day_rows import Change, SaveOutcome, TodayRow
from client.app.state.device import Device
from client.app.state.errors import NeedsCorrectionReason
from client.store import RecordNotAllowed
from shared.records import DayRecord

# How long a tap waits for a sync round that may be carrying the record to end: after
# it, the store knows whether the record left.
ROUND_WAIT_SECONDS = 10.0


def withdraw(device: Device, row: TodayRow, change: Change | None) -> SaveOutcome:
    """Undo (``change`` None) or change ``row``'s unsent record in one step.

    Raises :class:`NeedsCorrectionReason` when there is nothing to undo, or when the
    record left meanwhile (the day, loaded again, then asks a reason)."""
    old = row.record
    if old is None:
        raise NeedsCorrectionReason("undo.nothing")
    device.sync.wait_idle(ROUND_WAIT_SECONDS)
    now = device.now()
    replacement: DayRecord | None = None
    if change is not None:
        replacement = DayRecord(
            participant_id=old.participant_id,
            day=old.day,
            status=change.status,
            recorded_by=device.store.current_supervisor or "",
            device_id=device.device_id(),
            recorded_at=now,
            start=change.start,
            end=change.end,
            minutes=change.minutes,
            reason=change.reason,
            supersedes=old.supersedes,
            correction_reason=old.correction_reason,
        )
    try:
        result = device.store.withdraw_unsent(old.id, replacement, now=now)
    except RecordNotAllowed:
        # a round carried it meanwhile: from now on it is a correction with a reason
        raise NeedsCorrectionReason("undo.already_sent", name=row.name) from None
    return SaveOutcome(row.participant_id, row.name, result.saved, tuple(result.findings))
