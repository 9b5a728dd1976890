"""Undo and one-tap changes of what has not left the device (issue 11, item 6).

A record still waiting in the outbox is taken back in one tap, or changed without a
reason: the store withdraws the waiting version (it stays, marked withdrawn, and never
goes to the server) and, for a change, saves a new version in its place that
supersedes what the withdrawn one superseded and keeps its reason, if it had one. Once
a record may have reached the server (acknowledged, answered while locked, or a sync
round carrying it right now), a change is a correction with a reason, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from client.app.state.errors import NeedsCorrectionReason
from client.store import RecordNotAllowed
from shared.records import DayRecord

if TYPE_CHECKING:
    from client.app.state.today import Change, SaveOutcome, TodayRow, TodayState

# How long a tap waits for a sync round that may be carrying the record to end: after
# it, the store knows whether the record left.
ROUND_WAIT_SECONDS = 10.0


def withdraw(
    today: TodayState, row: TodayRow, change: Change | None, *, reload: bool = True
) -> SaveOutcome:
    """Undo (``change`` None) or change ``row``'s unsent record in one step."""
    from client.app.state.today import SaveOutcome

    old = row.record
    if old is None:
        raise NeedsCorrectionReason("undo.nothing")
    device = today.device
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
        today.load()
        raise NeedsCorrectionReason("undo.already_sent", name=row.name) from None
    outcome = SaveOutcome(row.participant_id, row.name, result.saved, tuple(result.findings))
    if reload:
        today.load()
        today.last = [outcome]
    return outcome
