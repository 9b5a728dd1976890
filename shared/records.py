"""Day records: what a supervisor says about one participant on one date.

A record is immutable. A correction is a new version that names the version it
supersedes and why; nothing is overwritten. The *current* record of a participant's
day is derived from the versions: the one that no other version supersedes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from shared.bounds import day_problem, instant_problem
from shared.errors import RecordError

QUARTER_HOUR = 15
MINUTES_PER_DAY = 24 * 60


class Status(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    NOT_HELD = "not_held"


class AbsenceReason(StrEnum):
    """Reason codes only: no diagnosis or free-text health detail is ever stored."""

    SICK = "sick"
    CHILD_SICK = "child_sick"
    JOB_RELATED = "job_related"
    PUBLIC_OFFICE = "public_office"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class DayRecord:
    """One version of one participant's day.

    ``start``/``end`` (local wall-clock times) or ``minutes`` describe a present
    day; ``reason`` an absent one. Structural problems (end before start, a time
    not on the quarter hour) are not raised here but reported by validation as
    findings, so that the person typing sees them next to the field.
    """

    participant_id: str
    day: date
    status: Status
    recorded_by: str
    device_id: str
    recorded_at: datetime
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    start: time | None = None
    end: time | None = None
    minutes: int | None = None
    reason: AbsenceReason | None = None
    supersedes: str | None = None
    correction_reason: str | None = None
    note: str | None = None

    @property
    def present_minutes(self) -> int:
        """Minutes attended as recorded (0 unless present); not capped by any plan."""
        if self.status is not Status.PRESENT:
            return 0
        if self.minutes is not None:
            return self.minutes
        if self.start is not None and self.end is not None:
            return _minutes_of(self.end) - _minutes_of(self.start)
        return 0

    def correct(
        self,
        *,
        correction_reason: str,
        recorded_by: str,
        device_id: str,
        recorded_at: datetime,
        **changes: Any,
    ) -> DayRecord:
        """A new version superseding this one, with ``changes`` applied."""
        return replace(
            self,
            id=str(uuid.uuid4()),
            supersedes=self.id,
            correction_reason=correction_reason,
            recorded_by=recorded_by,
            device_id=device_id,
            recorded_at=recorded_at,
            **changes,
        )

    def to_dict(self) -> dict[str, Any]:
        """The wire and storage form: JSON-ready, ISO dates and times."""
        return {
            "id": self.id,
            "participant_id": self.participant_id,
            "day": self.day.isoformat(),
            "status": self.status.value,
            "start": _hhmm(self.start) if self.start is not None else None,
            "end": _hhmm(self.end) if self.end is not None else None,
            "minutes": self.minutes,
            "reason": self.reason.value if self.reason else None,
            "supersedes": self.supersedes,
            "correction_reason": self.correction_reason,
            "note": self.note,
            "recorded_by": self.recorded_by,
            "device_id": self.device_id,
            "recorded_at": self.recorded_at.astimezone(UTC).isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DayRecord:
        """Parse the wire form; raise :class:`RecordError` naming the bad field."""
        try:
            status = _STATUSES[data["status"]]
        except (KeyError, TypeError):  # missing, unknown, or not even text
            raise RecordError(
                f"Field 'status' must be one of {', '.join(s.value for s in Status)}."
            ) from None
        reason_raw = data.get("reason")
        try:
            reason = _REASONS[reason_raw] if reason_raw is not None else None
        except (KeyError, TypeError):
            raise RecordError(
                f"Field 'reason' must be one of {', '.join(r.value for r in AbsenceReason)}."
            ) from None
        minutes = data.get("minutes")
        if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int)):
            raise RecordError("Field 'minutes' must be a whole number of minutes.")
        recorded_at = _parse(data, "recorded_at", datetime.fromisoformat)
        if recorded_at.tzinfo is None:
            raise RecordError("Field 'recorded_at' must carry a time zone offset.")
        day: date = _parse(data, "day", date.fromisoformat)
        problem = day_problem(day, "day") or instant_problem(recorded_at, "recorded_at")
        if problem:
            raise RecordError(problem)
        record_id = _text(data, "id")
        if not _CANONICAL_UUID.fullmatch(record_id):  # the usual form needs no closer look
            try:
                uuid.UUID(record_id)
            except ValueError:
                raise RecordError("Field 'id' must be a UUID.") from None
        return cls(
            id=record_id,
            participant_id=_text(data, "participant_id"),
            day=day,
            status=status,
            start=_optional_time(data, "start"),
            end=_optional_time(data, "end"),
            minutes=minutes,
            reason=reason,
            supersedes=_optional_text(data, "supersedes"),
            correction_reason=_optional_text(data, "correction_reason"),
            note=_optional_text(data, "note"),
            recorded_by=_text(data, "recorded_by"),
            device_id=_text(data, "device_id"),
            recorded_at=recorded_at,
        )

    @classmethod
    def from_checked(
        cls,
        *,
        id: str,
        participant_id: str,
        day: date,
        status: str,
        start: str | None,
        end: str | None,
        minutes: int | None,
        reason: str | None,
        supersedes: str | None,
        correction_reason: str | None,
        note: str | None,
        recorded_by: str,
        device_id: str,
        recorded_at: datetime,
    ) -> DayRecord:
        """The wire form's fields after a schema checked their JSON types.

        The server's wire model reads a push straight from its bytes into these types;
        what a schema does not say is checked here, as :meth:`from_dict` checks it: a
        known status and reason, a UUID, text that is not blank, times of day, an
        offset. Raises :class:`RecordError` naming the bad field.
        """
        try:
            status_ = _STATUSES[status]
        except KeyError:
            raise RecordError(
                f"Field 'status' must be one of {', '.join(s.value for s in Status)}."
            ) from None
        try:
            reason_ = _REASONS[reason] if reason is not None else None
        except KeyError:
            raise RecordError(
                f"Field 'reason' must be one of {', '.join(r.value for r in AbsenceReason)}."
            ) from None
        if recorded_at.tzinfo is None:
            raise RecordError("Field 'recorded_at' must carry a time zone offset.")
        if not _CANONICAL_UUID.fullmatch(id):
            try:
                uuid.UUID(id)
            except ValueError:
                raise RecordError("Field 'id' must be a UUID.") from None
        for name, value in (
            ("id", id),
            ("participant_id", participant_id),
            ("recorded_by", recorded_by),
            ("device_id", device_id),
        ):
            if not value.strip():
                raise RecordError(f"Field '{name}' is required and must be non-empty text.")
        return cls(
            id=id,
            participant_id=participant_id,
            day=day,
            status=status_,
            start=_wall_clock(start, "start") if start is not None else None,
            end=_wall_clock(end, "end") if end is not None else None,
            minutes=minutes,
            reason=reason_,
            supersedes=supersedes,
            correction_reason=correction_reason,
            note=note,
            recorded_by=recorded_by,
            device_id=device_id,
            recorded_at=recorded_at,
        )

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> DayRecord:
        """Parse a wire form that this system validated and stored itself.

        The same result as :meth:`from_dict` for such data, without re-checking every
        field: the server and the forward read tens of thousands of stored versions.
        Never use it on input from outside.
        """
        start, end, reason = data["start"], data["end"], data["reason"]
        return cls(
            id=data["id"],
            participant_id=data["participant_id"],
            day=date.fromisoformat(data["day"]),
            status=_STATUSES[data["status"]],
            start=time.fromisoformat(start) if start is not None else None,
            end=time.fromisoformat(end) if end is not None else None,
            minutes=data["minutes"],
            reason=_REASONS[reason] if reason is not None else None,
            supersedes=data["supersedes"],
            correction_reason=data["correction_reason"],
            note=data["note"],
            recorded_by=data["recorded_by"],
            device_id=data["device_id"],
            recorded_at=datetime.fromisoformat(data["recorded_at"]),
        )


def current_versions(versions: Iterable[DayRecord]) -> dict[tuple[str, date], list[DayRecord]]:
    """Per (participant, day), the versions that no other version supersedes.

    Normally one per day. More than one means two records were made for the same
    day without one replacing the other (validation reports it); they come sorted
    by (recorded_at, id) so that every caller picks the same one first, whatever
    order the versions were given in.
    """
    all_versions = list(versions)
    superseded = {v.supersedes for v in all_versions if v.supersedes}
    current: dict[tuple[str, date], list[DayRecord]] = {}
    for v in all_versions:
        if v.id not in superseded:
            current.setdefault((v.participant_id, v.day), []).append(v)
    for heads in current.values():
        if len(heads) > 1:
            heads.sort(key=lambda v: (v.recorded_at, v.id))
    return current


def current_records(versions: Iterable[DayRecord]) -> dict[tuple[str, date], DayRecord]:
    """Per (participant, day), the one current record (the first head on ties)."""
    return {key: heads[0] for key, heads in current_versions(versions).items()}


def history(versions: Iterable[DayRecord], head: DayRecord) -> list[DayRecord]:
    """The correction chain ending in ``head``, oldest first."""
    by_id = {v.id: v for v in versions}
    chain = [head]
    seen = {head.id}
    while chain[-1].supersedes and chain[-1].supersedes in by_id:
        prev = by_id[chain[-1].supersedes]
        if prev.id in seen:  # a cycle can only come from forged input; stop, don't loop
            break
        seen.add(prev.id)
        chain.append(prev)
    chain.reverse()
    return chain


# What str(uuid.uuid4()) gives; uuid.UUID accepts it and other spellings besides.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Plain lookups: calling an enum class to find a member costs more than parsing a date.
_STATUSES: dict[str, Status] = {s.value: s for s in Status}
_REASONS: dict[str, AbsenceReason] = {r.value: r for r in AbsenceReason}


def _hhmm(t: time) -> str:
    """``t`` as HH:MM, what ``strftime("%H:%M")`` gives, at half its cost."""
    return t.isoformat("minutes") if t.tzinfo is None else t.strftime("%H:%M")


def _minutes_of(t: time) -> int:
    return t.hour * 60 + t.minute


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"Field '{name}' is required and must be non-empty text.")
    return value


def _optional_text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"Field '{name}' must be text.")
    return value


def _parse(data: Mapping[str, Any], name: str, parser: Any) -> Any:
    value = data.get(name)
    if not isinstance(value, str):
        raise RecordError(f"Field '{name}' is required in ISO 8601 form.")
    try:
        return parser(value)
    except ValueError:
        raise RecordError(f"Field '{name}' is not a valid ISO 8601 value: {value!r}.") from None


def _optional_time(data: Mapping[str, Any], name: str) -> time | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"Field '{name}' is required in ISO 8601 form.")
    return _wall_clock(value, name)


def _wall_clock(text: str, name: str) -> time:
    try:
        value = time.fromisoformat(text)
    except ValueError:
        raise RecordError(f"Field '{name}' is not a valid ISO 8601 value: {text!r}.") from None
    if value.second or value.microsecond or value.tzinfo is not None:
        raise RecordError(f"Field '{name}' must be a wall-clock time as HH:MM.")
    return value
