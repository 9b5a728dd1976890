"""Plaintext forms of sealed values: compact JSON, padded to hide its exact length.

Only the store's own clear columns (ids, day, sort keys) live outside the payload;
everything a person typed or a county sent goes inside.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

from shared import (
    AbsenceReason,
    DayRecord,
    Plan,
    PlanError,
    Status,
    crypto,
    plan_from_dict,
    plan_to_dict,
)

from .errors import CannotOpen

_RECORD_PAD_MINIMUM = 256  # above any record without free text: status stays hidden
_SMALL_PAD_MINIMUM = 128


def encode(value: Any, *, minimum: int = _SMALL_PAD_MINIMUM) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # surrogatepass: whatever str was given comes back, even a lone surrogate
    return crypto.pad(text.encode("utf-8", "surrogatepass"), minimum=minimum)


def decode(plaintext: bytes) -> Any:
    try:
        return json.loads(crypto.unpad(plaintext).decode("utf-8", "surrogatepass"))
    except (ValueError, crypto.CannotOpen):
        raise CannotOpen() from None


def sort_key(moment: datetime) -> str:
    """A fixed-width UTC text that sorts like the instant it names."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_sort_key(text: str) -> datetime:
    """The instant a :func:`sort_key` names (aware, UTC)."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def record_clear(record: DayRecord) -> dict[str, Any]:
    """The columns of a version that stay in the clear (ids, date, ordering)."""
    return {
        "id": record.id,
        "participant_id": record.participant_id,
        "day": record.day.isoformat(),
        "recorded_at": sort_key(record.recorded_at),
        "supersedes": record.supersedes,
    }


def record_payload(record: DayRecord) -> bytes:
    return encode(
        [
            record.status.value,
            record.start.isoformat() if record.start is not None else None,
            record.end.isoformat() if record.end is not None else None,
            record.minutes,
            record.reason.value if record.reason is not None else None,
            record.correction_reason,
            record.note,
            record.recorded_by,
            record.device_id,
            record.recorded_at.isoformat(),
        ],
        minimum=_RECORD_PAD_MINIMUM,
    )


def record_from(row: dict[str, Any], plaintext: bytes) -> DayRecord:
    fields = decode(plaintext)
    try:
        status, start, end, minutes, reason, correction, note, by, device, at = fields
        return DayRecord(
            id=row["id"],
            participant_id=row["participant_id"],
            day=date.fromisoformat(row["day"]),
            status=Status(status),
            start=time.fromisoformat(start) if start is not None else None,
            end=time.fromisoformat(end) if end is not None else None,
            minutes=minutes,
            reason=AbsenceReason(reason) if reason is not None else None,
            supersedes=row["supersedes"],
            correction_reason=correction,
            note=note,
            recorded_by=by,
            device_id=device,
            recorded_at=datetime.fromisoformat(at),
        )
    except (TypeError, ValueError):
        raise CannotOpen() from None


def participant_payload(display_name: str, client_ref: str) -> bytes:
    return encode([display_name, client_ref])


def participant_from(plaintext: bytes) -> tuple[str, str]:
    fields = decode(plaintext)
    if (
        not isinstance(fields, list)
        or len(fields) != 2
        or not all(isinstance(f, str) for f in fields)
    ):
        raise CannotOpen()
    return fields[0], fields[1]


def plan_payload(plan: Plan) -> bytes:
    return encode(plan_to_dict(plan), minimum=512)


def plan_from(plaintext: bytes) -> Plan:
    try:
        return plan_from_dict(decode(plaintext))
    except (TypeError, ValueError, KeyError, PlanError):
        raise CannotOpen() from None
