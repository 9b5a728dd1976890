"""The sync protocol's messages: what a device and the server say to each other.

Plain dataclasses with ``to_dict``/``from_dict``; ``from_dict`` refuses a malformed
message with :class:`ProtocolError` naming the field. The server mirrors these shapes
as pydantic models for its OpenAPI; the JSON examples in ``tests/fixtures/protocol/``
are parsed by both sides so that they cannot drift apart.

Every request carries the header :data:`PROTOCOL_HEADER`; every reply carries it too,
and every reply body has a ``"protocol"`` field.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from shared.bounds import instant_problem, year_problem
from shared.error_codes import ErrorCode as ErrorCode  # the codes an ErrorReply carries
from shared.errors import RecordError, RejectedInput
from shared.findings import Finding
from shared.plans import Plan, plan_from_dict, plan_to_dict
from shared.records import DayRecord
from shared.rulesets import RuleSet, rule_set_from_dict, rule_set_to_dict

PROTOCOL_VERSION = 1
SUPPORTED_PROTOCOLS: frozenset[int] = frozenset({1})
PROTOCOL_HEADER = "Lasna-Protocol"
CREDENTIAL_SCHEME = "Bearer"
# Defaults the server announces; its configuration may set others (413 says which).
MAX_BATCH_RECORDS = 1000
MAX_BODY_BYTES = 4 * 1024 * 1024


class ProtocolError(RejectedInput):
    """A message does not have the protocol's shape: fix the sender."""


class UnsupportedProtocol(ProtocolError):
    """The other side speaks a protocol version this side does not: update the app."""

    def __init__(self, version: int) -> None:
        super().__init__(unsupported_message(version))
        self.version = version


class AnswerStatus(StrEnum):
    ACCEPTED = "accepted"  # stored; the version is now on the server
    DUPLICATE = "duplicate"  # this id was stored before: nothing changed
    CONFLICT = "conflict"  # the version it supersedes was already superseded by another
    REJECTED = "rejected"  # validation found an error; nothing stored


@dataclass(frozen=True, slots=True)
class RecordAnswer:
    id: str
    status: AnswerStatus
    findings: tuple[Finding, ...] = ()
    current: DayRecord | None = None  # in a conflict: the server's current version of the day

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status.value,
            "findings": [f.to_dict() for f in self.findings],
            "current": self.current.to_dict() if self.current else None,
        }

    @classmethod
    def from_dict(cls, data: Any) -> RecordAnswer:
        d = _object(data, "an answer")
        try:
            status = AnswerStatus(str(d.get("status")))
        except ValueError:
            known = ", ".join(s.value for s in AnswerStatus)
            raise ProtocolError(f"An answer's 'status' must be one of {known}.") from None
        current = d.get("current")
        return cls(
            id=_text(d, "id", "an answer"),
            status=status,
            findings=_findings(d.get("findings", []), "an answer"),
            current=_record(current, "an answer's 'current'") if current is not None else None,
        )


@dataclass(frozen=True, slots=True)
class PushRequest:
    """A batch of record versions from one device, oldest first."""

    records: tuple[DayRecord, ...]
    device_time: datetime | None = None  # the device's clock when sending; recorded, never trusted
    # The server data's generation the device last pulled (see PullReply); None: unknown.
    generation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "device_time": self.device_time.isoformat() if self.device_time else None,
            "records": [r.to_dict() for r in self.records],
            **_generation_field(self.generation),
        }

    @classmethod
    def from_dict(cls, data: Any) -> PushRequest:
        d = _object(data, "a push request")
        raw = d.get("records")
        if not isinstance(raw, list):
            raise ProtocolError("A push request needs a list 'records'.")
        records = tuple(_record(r, f"record {i + 1}") for i, r in enumerate(raw))
        device_time = d.get("device_time")
        return cls(
            records=records,
            device_time=_instant(device_time, "device_time") if device_time is not None else None,
            generation=_generation(d, "a push request"),
        )


@dataclass(frozen=True, slots=True)
class SealedEntry:
    """One outbox entry sealed on the device to the server's public key.

    ``box`` opens only with the server's private key and only for this device and this
    record id (see :mod:`shared.sealed_push`); the id travels clear so that the answer
    can name it.
    """

    id: str
    box: bytes

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "box": base64.b64encode(self.box).decode("ascii")}

    @classmethod
    def from_dict(cls, data: Any) -> SealedEntry:
        d = _object(data, "a sealed entry")
        return cls(id=_text(d, "id", "a sealed entry"), box=_base64(d, "box", "a sealed entry"))


@dataclass(frozen=True, slots=True)
class SealedPushRequest:
    """A push from a locked device: each version sealed to the server, oldest first.

    The server opens every entry and then decides exactly as for a :class:`PushRequest`;
    the reply is a :class:`PushReply`.
    """

    entries: tuple[SealedEntry, ...]
    device_time: datetime | None = None
    generation: str | None = None  # as in PushRequest

    def to_dict(self) -> dict[str, Any]:
        return {
            "device_time": self.device_time.isoformat() if self.device_time else None,
            "entries": [e.to_dict() for e in self.entries],
            **_generation_field(self.generation),
        }

    @classmethod
    def from_dict(cls, data: Any) -> SealedPushRequest:
        d = _object(data, "a sealed push request")
        raw = _list(d, "entries", "a sealed push request")
        device_time = d.get("device_time")
        return cls(
            entries=tuple(SealedEntry.from_dict(e) for e in raw),
            device_time=_instant(device_time, "device_time") if device_time is not None else None,
            generation=_generation(d, "a sealed push request"),
        )


@dataclass(frozen=True, slots=True)
class PushReply:
    answers: tuple[RecordAnswer, ...]
    received_at: datetime
    clock_skew_seconds: float | None = None  # device_time − received_at, when the device said
    clock_flagged: bool = False  # the device clock runs more than five minutes ahead

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": PROTOCOL_VERSION,
            "received_at": self.received_at.isoformat(),
            "clock_skew_seconds": self.clock_skew_seconds,
            "clock_flagged": self.clock_flagged,
            "answers": [a.to_dict() for a in self.answers],
        }

    @classmethod
    def from_dict(cls, data: Any) -> PushReply:
        d = _reply(data, "a push reply")
        raw = d.get("answers")
        if not isinstance(raw, list):
            raise ProtocolError("A push reply needs a list 'answers'.")
        skew = d.get("clock_skew_seconds")
        if skew is not None and (isinstance(skew, bool) or not isinstance(skew, int | float)):
            raise ProtocolError("A push reply's 'clock_skew_seconds' must be a number.")
        return cls(
            answers=tuple(RecordAnswer.from_dict(a) for a in raw),
            received_at=_instant(d.get("received_at"), "received_at"),
            clock_skew_seconds=float(skew) if skew is not None else None,
            clock_flagged=bool(d.get("clock_flagged", False)),
        )


@dataclass(frozen=True, slots=True)
class SiteInfo:
    id: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}

    @classmethod
    def from_dict(cls, data: Any) -> SiteInfo:
        d = _object(data, "a site")
        return cls(id=_text(d, "id", "a site"), name=_text(d, "name", "a site"))


@dataclass(frozen=True, slots=True)
class ParticipantInfo:
    """What a device may know of a participant: no identity number, ever."""

    id: str
    display_name: str
    client_ref: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "display_name": self.display_name, "client_ref": self.client_ref}

    @classmethod
    def from_dict(cls, data: Any) -> ParticipantInfo:
        d = _object(data, "a participant")
        return cls(
            id=_text(d, "id", "a participant"),
            display_name=_text(d, "display_name", "a participant"),
            client_ref=_text(d, "client_ref", "a participant"),
        )


@dataclass(frozen=True, slots=True)
class Reference:
    """The site's reference data, sent whole whenever any part of it changed."""

    participants: tuple[ParticipantInfo, ...]
    plans: tuple[Plan, ...]
    rule_sets: tuple[RuleSet, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "participants": [p.to_dict() for p in self.participants],
            "plans": [plan_to_dict(p) for p in self.plans],
            "rule_sets": [rule_set_to_dict(r) for r in self.rule_sets],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Reference:
        d = _object(data, "the reference data")
        parts = _list(d, "participants", "the reference data")
        plans_raw = _list(d, "plans", "the reference data")
        rule_sets_raw = _list(d, "rule_sets", "the reference data")
        plans: list[Plan] = []
        for raw in plans_raw:
            try:
                plans.append(plan_from_dict(_object(raw, "a plan")))
            except RejectedInput as exc:
                raise ProtocolError(f"The reference data has a malformed plan: {exc}") from None
        rule_sets: list[RuleSet] = []
        for raw in rule_sets_raw:
            try:
                rule_sets.append(rule_set_from_dict(_object(raw, "a rule set")))
            except RejectedInput as exc:
                raise ProtocolError(f"The reference data has a malformed rule set: {exc}") from None
        return cls(
            participants=tuple(ParticipantInfo.from_dict(p) for p in parts),
            plans=tuple(plans),
            rule_sets=tuple(rule_sets),
        )


@dataclass(frozen=True, slots=True)
class MonthClose:
    """A supervisor closed a month for the site (later changes are flagged)."""

    site_id: str
    year: int
    month: int
    closed_by: str
    closed_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "site_id": self.site_id,
            "year": self.year,
            "month": self.month,
            "closed_by": self.closed_by,
            "closed_at": self.closed_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> MonthClose:
        d = _object(data, "a month close")
        year, month = d.get("year"), d.get("month")
        if isinstance(year, bool) or not isinstance(year, int):
            raise ProtocolError("A month close's 'year' must be a whole number.")
        problem = year_problem(year, "year")
        if problem:
            raise ProtocolError(f"In a month close: {problem}")
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            raise ProtocolError("A month close's 'month' must be a month number 1–12.")
        return cls(
            site_id=_text(d, "site_id", "a month close"),
            year=year,
            month=month,
            closed_by=_text(d, "closed_by", "a month close"),
            closed_at=_instant(d.get("closed_at"), "closed_at"),
        )


@dataclass(frozen=True, slots=True)
class SiteRequest:
    """The county returned a day to the site: look at it and correct it.

    Sent in every pull while it is open; it closes on the server when a newer version
    of the day arrives. ``comment`` is the coordinator's optional words to the site.
    """

    id: str
    participant_id: str
    day: date
    reason_code: str
    made_at: datetime
    comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "participant_id": self.participant_id,
            "day": self.day.isoformat(),
            "reason_code": self.reason_code,
            "made_at": self.made_at.isoformat(),
            "comment": self.comment,
        }

    @classmethod
    def from_dict(cls, data: Any) -> SiteRequest:
        d = _object(data, "a site request")
        try:
            day = date.fromisoformat(_text(d, "day", "a site request"))
        except ValueError:
            raise ProtocolError("A site request's 'day' must be a date (YYYY-MM-DD).") from None
        comment = d.get("comment", "")
        return cls(
            id=_text(d, "id", "a site request"),
            participant_id=_text(d, "participant_id", "a site request"),
            day=day,
            reason_code=_text(d, "reason_code", "a site request"),
            made_at=_instant(d.get("made_at"), "made_at"),
            comment=comment if isinstance(comment, str) else "",
        )


@dataclass(frozen=True, slots=True)
class PullReply:
    cursor: str  # opaque: give it back on the next pull
    more: bool  # another page is waiting: pull again at once
    site: SiteInfo
    reference: Reference | None  # None: unchanged since the cursor
    records: tuple[DayRecord, ...]  # versions from other devices of the site, in server order
    closed_months: tuple[MonthClose, ...] = ()
    server_time: datetime | None = None
    # The server's X25519 public key for sealed pushes (None from an older server).
    server_key: bytes | None = None
    # Days the county returned to the site, still open (whole list, last page only).
    # Added later: devices that do not know the field ignore it.
    requests: tuple[SiteRequest, ...] = ()
    # Which copy of the server's data this is: a restore from a backup starts a new one,
    # and the device then sends again what it had sent (None from an older server).
    generation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": PROTOCOL_VERSION,
            "cursor": self.cursor,
            "more": self.more,
            "site": self.site.to_dict(),
            "reference": self.reference.to_dict() if self.reference else None,
            "records": [r.to_dict() for r in self.records],
            "closed_months": [m.to_dict() for m in self.closed_months],
            "server_time": self.server_time.isoformat() if self.server_time else None,
            **_server_key_field(self.server_key),
            "requests": [r.to_dict() for r in self.requests],
            **_generation_field(self.generation),
        }

    @classmethod
    def from_dict(cls, data: Any) -> PullReply:
        d = _reply(data, "a pull reply")
        ref = d.get("reference")
        records = _list(d, "records", "a pull reply")
        months = d.get("closed_months", [])
        if not isinstance(months, list):
            raise ProtocolError("A pull reply's 'closed_months' must be a list.")
        server_time = d.get("server_time")
        requests = d.get("requests", [])
        if not isinstance(requests, list):
            raise ProtocolError("A pull reply's 'requests' must be a list.")
        return cls(
            cursor=_text(d, "cursor", "a pull reply"),
            more=bool(d.get("more", False)),
            site=SiteInfo.from_dict(d.get("site")),
            reference=Reference.from_dict(ref) if ref is not None else None,
            records=tuple(_record(r, f"pulled record {i + 1}") for i, r in enumerate(records)),
            closed_months=tuple(MonthClose.from_dict(m) for m in months),
            server_time=_instant(server_time, "server_time") if server_time else None,
            server_key=_server_key(d, "a pull reply"),
            requests=tuple(SiteRequest.from_dict(r) for r in requests),
            generation=_generation(d, "a pull reply"),
        )


@dataclass(frozen=True, slots=True)
class EnrollRequest:
    code: str
    device_name: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "device_name": self.device_name}

    @classmethod
    def from_dict(cls, data: Any) -> EnrollRequest:
        d = _object(data, "an enrollment request")
        return cls(
            code=_text(d, "code", "an enrollment request"),
            device_name=_text(d, "device_name", "an enrollment request"),
        )


@dataclass(frozen=True, slots=True)
class EnrollReply:
    device_id: str
    site: SiteInfo
    credential: str  # shown once; the server keeps only its hash
    server_key: bytes | None = None  # as in PullReply

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": PROTOCOL_VERSION,
            "device_id": self.device_id,
            "site": self.site.to_dict(),
            "credential": self.credential,
            **_server_key_field(self.server_key),
        }

    @classmethod
    def from_dict(cls, data: Any) -> EnrollReply:
        d = _reply(data, "an enrollment reply")
        return cls(
            device_id=_text(d, "device_id", "an enrollment reply"),
            site=SiteInfo.from_dict(d.get("site")),
            credential=_text(d, "credential", "an enrollment reply"),
            server_key=_server_key(d, "an enrollment reply"),
        )


@dataclass(frozen=True, slots=True)
class ErrorReply:
    """Every refusal: a stable code, a sentence a person can act on, and details."""

    error: str
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": PROTOCOL_VERSION,
            "error": self.error,
            "message": self.message,
            "details": dict(self.details),
        }

    @classmethod
    def from_dict(cls, data: Any) -> ErrorReply:
        d = _object(data, "an error reply")
        details = d.get("details") or {}
        if not isinstance(details, Mapping):
            raise ProtocolError("An error reply's 'details' must be an object.")
        return cls(
            error=_text(d, "error", "an error reply"),
            message=_text(d, "message", "an error reply"),
            details=dict(details),
        )


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One entry of a device's audit log, sent up for the server's access log (issue 13)."""

    seq: int  # the device's own order: the server keeps one copy per device and seq
    at: datetime
    supervisor_id: str
    supervisor_name: str  # as the device knows them: the server has no supervisor accounts
    participant_id: str | None
    action: str  # "list", "view", "change", "close_month"
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "supervisor_id": self.supervisor_id,
            "supervisor_name": self.supervisor_name,
            "participant_id": self.participant_id,
            "action": self.action,
            "detail": self.detail,
        }

    @classmethod
    def from_dict(cls, data: Any) -> AuditLine:
        d = _object(data, "an audit entry")
        seq, pid, detail = d.get("seq"), d.get("participant_id"), d.get("detail", "")
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
            raise ProtocolError("An audit entry's 'seq' must be a whole number from 1.")
        if pid is not None and not isinstance(pid, str):
            raise ProtocolError("An audit entry's 'participant_id' must be a text or null.")
        return cls(
            seq=seq,
            at=_instant(d.get("at"), "at"),
            supervisor_id=_text(d, "supervisor_id", "an audit entry"),
            supervisor_name=str(d.get("supervisor_name") or ""),
            participant_id=pid,
            action=_text(d, "action", "an audit entry"),
            detail=detail if isinstance(detail, str) else "",
        )


@dataclass(frozen=True, slots=True)
class AuditUpload:
    """Audit entries not yet sent, oldest first (``POST /v1/audit``); sent again, kept once."""

    entries: tuple[AuditLine, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"entries": [e.to_dict() for e in self.entries]}

    @classmethod
    def from_dict(cls, data: Any) -> AuditUpload:
        d = _object(data, "an audit upload")
        return cls(tuple(AuditLine.from_dict(e) for e in _list(d, "entries", "an audit upload")))


def check_protocol(value: str | None) -> int:
    """The version a request's header names; :class:`UnsupportedProtocol` for a version
    no longer (or not yet) spoken, :class:`ProtocolError` when it is missing or no number."""
    if value is None or not value.strip():
        raise ProtocolError(
            f"The request has no '{PROTOCOL_HEADER}' header; every request must say which "
            "sync protocol it speaks."
        )
    try:
        version = int(value.strip())
    except ValueError:
        raise ProtocolError(f"The '{PROTOCOL_HEADER}' header must be a number.") from None
    if version not in SUPPORTED_PROTOCOLS:
        raise UnsupportedProtocol(version)
    return version


def unsupported_message(version: int | str) -> str:
    supported = ", ".join(str(v) for v in sorted(SUPPORTED_PROTOCOLS))
    return (
        f"This app speaks sync protocol {version}, which the server no longer accepts "
        f"(it accepts {supported}). Update the app to sync again."
    )


def _reply(data: Any, what: str) -> Mapping[str, Any]:
    d = _object(data, what)
    version = d.get("protocol")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ProtocolError(f"{what.capitalize()} has no protocol version.")
    if version not in SUPPORTED_PROTOCOLS:
        raise ProtocolError(
            f"{what.capitalize()} speaks protocol {version}; this app knows "
            f"{', '.join(str(v) for v in sorted(SUPPORTED_PROTOCOLS))}. Update the app."
        )
    return d


def _object(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ProtocolError(f"{what.capitalize()} must be a JSON object.")
    return data


def _list(d: Mapping[str, Any], key: str, what: str) -> Sequence[Any]:
    value = d.get(key)
    if not isinstance(value, list):
        raise ProtocolError(f"{what.capitalize()} needs a list '{key}'.")
    return value


def _text(d: Mapping[str, Any], key: str, what: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError(f"{what.capitalize()} needs a non-empty text '{key}'.")
    return value


def _instant(value: Any, key: str) -> datetime:
    if not isinstance(value, str):
        raise ProtocolError(f"Field '{key}' must be a date and time in ISO 8601 form.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ProtocolError(f"Field '{key}' is not a valid ISO 8601 date and time.") from None
    if moment.tzinfo is None:
        raise ProtocolError(f"Field '{key}' must carry a time zone offset.")
    problem = instant_problem(moment, key)
    if problem:
        raise ProtocolError(problem)
    return moment


SERVER_KEY_BYTES = 32  # an X25519 public key


def _generation_field(generation: str | None) -> dict[str, str]:
    # Only when known: the fixtures and older readers see no new field.
    return {"generation": generation} if generation is not None else {}


def _generation(d: Mapping[str, Any], what: str) -> str | None:
    if d.get("generation") is None:
        return None
    return _text(d, "generation", what)


def _server_key_field(key: bytes | None) -> dict[str, str]:
    # Absent rather than null when unknown: an older client's strict reader never sees it.
    return {"server_key": base64.b64encode(key).decode("ascii")} if key is not None else {}


def _server_key(d: Mapping[str, Any], what: str) -> bytes | None:
    if d.get("server_key") is None:
        return None
    key = _base64(d, "server_key", what)
    if len(key) != SERVER_KEY_BYTES:
        raise ProtocolError(f"{what.capitalize()}'s 'server_key' must be a 32-byte X25519 key.")
    return key


def _base64(d: Mapping[str, Any], key: str, what: str) -> bytes:
    value = d.get(key)
    if not isinstance(value, str):
        raise ProtocolError(f"{what.capitalize()} needs a base64 text '{key}'.")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ProtocolError(f"{what.capitalize()}'s '{key}' is not valid base64.") from None


def _record(data: Any, what: str) -> DayRecord:
    try:
        return DayRecord.from_dict(_object(data, what))
    except RecordError as exc:
        raise ProtocolError(f"In {what}: {exc}") from None


def _findings(data: Any, what: str) -> tuple[Finding, ...]:
    if not isinstance(data, list):
        raise ProtocolError(f"{what.capitalize()}'s 'findings' must be a list.")
    out: list[Finding] = []
    for raw in data:
        try:
            out.append(Finding.from_dict(_object(raw, "a finding")))
        except (KeyError, ValueError, TypeError) as exc:
            raise ProtocolError(f"{what.capitalize()} has a malformed finding: {exc}.") from None
    return tuple(out)
