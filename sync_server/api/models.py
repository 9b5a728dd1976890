"""Pydantic mirrors of :mod:`shared.protocol`'s messages, for FastAPI and its OpenAPI.

They describe the wire and check its JSON types; what a record means (and the checks
a schema cannot make) stays in ``shared``: a validated :class:`WireRecord` becomes a
:class:`~shared.records.DayRecord` through ``DayRecord.from_checked``, with no dict in
between. Tests parse the same JSON fixtures with both, so they cannot drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from shared.bounds import (
    AFTER_LATEST_INSTANT,
    CORRECTION_REASON_MAX_CHARS,
    EARLIEST_DAY,
    EARLIEST_INSTANT,
    LATEST_DAY,
    NOTE_MAX_CHARS,
    RANGE_TEXT,
    day_rule,
    instant_rule,
    year_problem,
)
from shared.records import DayRecord


def _id() -> Any:
    return Field(min_length=1, max_length=64)


_HHMM = r"^\d{2}:\d{2}$"


def _bounded_year(value: int, info: ValidationInfo) -> int:
    problem = year_problem(value, info.field_name or "year")
    if problem:
        raise PydanticCustomError("out_of_range", problem)
    return value


# The protocol's dates and times (shared.bounds). The limits are checked inside
# pydantic-core, as cheap as the parsing itself (a Python validator per field would
# add a third to a push's validation); problem_text() says the range in full.
WireDay = Annotated[
    date,
    Field(ge=EARLIEST_DAY, le=LATEST_DAY, description=f"A day {RANGE_TEXT}."),
]
WireInstant = Annotated[
    AwareDatetime,
    Field(
        ge=EARLIEST_INSTANT,
        lt=AFTER_LATEST_INSTANT,
        description=f"A date and time with an offset, {RANGE_TEXT} in UTC.",
    ),
]
_LIMITS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal"})


def problem_text(error: Mapping[str, Any]) -> str:
    """The sentence for one of pydantic's refusals: a date or time past a limit gets the
    protocol's range in full, naming the field; anything else keeps pydantic's words."""
    if error.get("type") in _LIMITS:
        loc = error.get("loc") or ("value",)
        limit = str(next(iter((error.get("ctx") or {}).values()), ""))
        try:
            date.fromisoformat(limit[:10])
        except ValueError:
            pass  # a number's limit
        else:  # every date and time limit of the protocol is its range
            rule = instant_rule if "T" in limit else day_rule
            return rule(str(loc[-1]))
    return str(error.get("msg", ""))


WireYear = Annotated[
    int,
    AfterValidator(_bounded_year),
    Field(json_schema_extra={"minimum": EARLIEST_DAY.year, "maximum": LATEST_DAY.year}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WireRecord(_Strict):
    """One immutable version of one participant's day (``DayRecord.to_dict``)."""

    id: str = Field(min_length=1, max_length=64, json_schema_extra={"format": "uuid"})
    participant_id: str = _id()
    day: WireDay
    status: Literal["present", "absent", "not_held"]
    start: str | None = Field(default=None, pattern=_HHMM)
    end: str | None = Field(default=None, pattern=_HHMM)
    minutes: int | None = Field(default=None, ge=-100_000, le=100_000)
    reason: Literal["sick", "child_sick", "job_related", "public_office", "other"] | None = None
    supersedes: str | None = Field(default=None, max_length=64)
    correction_reason: str | None = Field(default=None, max_length=CORRECTION_REASON_MAX_CHARS)
    note: str | None = Field(default=None, max_length=NOTE_MAX_CHARS)
    recorded_by: str = _id()
    device_id: str = _id()
    recorded_at: WireInstant

    def to_record(self) -> DayRecord:
        """The record itself, from the fields as validated (RecordError if not one)."""
        return DayRecord.from_checked(
            id=self.id,
            participant_id=self.participant_id,
            day=self.day,
            status=self.status,
            start=self.start,
            end=self.end,
            minutes=self.minutes,
            reason=self.reason,
            supersedes=self.supersedes,
            correction_reason=self.correction_reason,
            note=self.note,
            recorded_by=self.recorded_by,
            device_id=self.device_id,
            recorded_at=self.recorded_at,
        )


class FindingModel(BaseModel):
    code: str
    severity: Literal["error", "not_eligible", "flagged", "notice"]
    params: dict[str, Any]
    day: date | None
    messages: dict[str, str] = Field(description="The finding's text in fi, sv and en.")


_GENERATION_TEXT = (
    "The generation of the server's data the device last pulled: a push that names "
    "another one is refused with server_restored (409) and nothing is decided."
)


class PushRequestModel(_Strict):
    device_time: WireInstant | None = Field(
        default=None, description="The device's clock when sending: recorded, never trusted."
    )
    records: list[WireRecord]
    generation: str | None = Field(default=None, max_length=64, description=_GENERATION_TEXT)


class AnswerModel(BaseModel):
    id: str
    status: Literal["accepted", "duplicate", "conflict", "rejected"]
    findings: list[FindingModel]
    current: WireRecord | None = Field(
        description="In a conflict: the server's current version of that day."
    )


class SealedEntryModel(_Strict):
    id: str = Field(min_length=1, max_length=64, description="The record version's id.")
    box: str = Field(
        min_length=1,
        max_length=16_384,
        description="The record's wire JSON sealed to the server's key (base64).",
    )


class SealedPushRequestModel(_Strict):
    device_time: WireInstant | None = Field(
        default=None, description="The device's clock when sending: recorded, never trusted."
    )
    entries: list[SealedEntryModel]
    generation: str | None = Field(default=None, max_length=64, description=_GENERATION_TEXT)


class PushReplyModel(BaseModel):
    protocol: int
    received_at: AwareDatetime
    clock_skew_seconds: float | None
    clock_flagged: bool
    answers: list[AnswerModel]


class SiteModel(BaseModel):
    id: str
    name: str


class ParticipantModel(BaseModel):
    id: str
    display_name: str
    client_ref: str


class Range(BaseModel):
    min: float
    max: float


class PlanVersionModel(BaseModel):
    valid_from: date
    start: date
    end: date
    days_per_week: Range
    hours_per_day: Range
    allowance_type: str
    payer: str | None
    weekdays: list[int] | None


class PlanModel(BaseModel):
    id: str
    participant_id: str
    site_id: str
    rule_set: str
    versions: list[PlanVersionModel]


class ReferenceModel(BaseModel):
    participants: list[ParticipantModel]
    plans: list[PlanModel]
    rule_sets: list[dict[str, Any]] = Field(description="rule sets in their data form")


class MonthCloseModel(_Strict):
    site_id: str = _id()
    year: WireYear
    month: int = Field(ge=1, le=12)
    closed_by: str = _id()
    closed_at: WireInstant


class AuditLineModel(_Strict):
    seq: int = Field(ge=1, le=2**62, description="The device's own order number of the entry.")
    at: WireInstant
    supervisor_id: str = _id()
    supervisor_name: str = Field(default="", max_length=200)
    participant_id: str | None = Field(default=None, min_length=1, max_length=200)
    action: str = Field(min_length=1, max_length=40)
    detail: str = Field(default="", max_length=500)


class AuditUploadModel(_Strict):
    entries: list[AuditLineModel] = Field(max_length=5000)


class AuditUploadReplyModel(BaseModel):
    protocol: int
    received: int = Field(description="Entries in the request.")
    stored: int = Field(description="Entries new to the server (a repeat is kept once).")


class MonthCloseReplyModel(BaseModel):
    protocol: int
    site_id: str
    year: int
    month: int
    status: Literal["closed", "already_closed"]


class SiteRequestModel(BaseModel):
    id: str
    participant_id: str
    day: date
    reason_code: str = Field(description="why the county returned the day, e.g. check_hours")
    made_at: AwareDatetime
    comment: str = Field(description="the coordinator's optional words to the site")


class PullReplyModel(BaseModel):
    protocol: int
    cursor: str = Field(description="Opaque; give it back on the next pull.")
    more: bool = Field(description="Another page is waiting: pull again at once.")
    site: SiteModel
    reference: ReferenceModel | None = Field(description="null: unchanged since the cursor")
    records: list[WireRecord]
    closed_months: list[MonthCloseModel]
    server_time: AwareDatetime | None
    server_key: str | None = Field(
        default=None, description="The server's X25519 public key for sealed pushes (base64)."
    )
    requests: list[SiteRequestModel] = Field(
        default=[],
        description="Days the county returned to the site, still open (the last page only). "
        "Added later: a device that does not know the field ignores it.",
    )
    generation: str | None = Field(
        default=None,
        description="Which copy of the server's data this is; a restore from a backup starts "
        "a new one. Send it with every push.",
    )


class EnrollRequestModel(_Strict):
    code: str = Field(min_length=1, max_length=40, examples=["ABCD-EFGH-JKLM"])
    device_name: str = Field(min_length=1, max_length=80, examples=["Tabletti 1"])


class EnrollReplyModel(BaseModel):
    protocol: int
    device_id: str
    site: SiteModel
    credential: str = Field(description="Shown once: send it as 'Authorization: Bearer …'.")
    server_key: str | None = Field(
        default=None, description="The server's X25519 public key for sealed pushes (base64)."
    )


class ErrorModel(BaseModel):
    protocol: int
    error: str = Field(description="A stable code, e.g. protocol_unsupported")
    message: str = Field(description="A sentence a person can act on (English).")
    details: dict[str, Any]


class HealthModel(BaseModel):
    status: Literal["ok"]
    protocol: int
    supported_protocols: list[int]


class DeviceModel(BaseModel):
    protocol: int
    device_id: str
    name: str
    site: SiteModel
    enrolled_at: AwareDatetime


class ParticipantRecordsModel(BaseModel):
    protocol: int
    participant_id: str
    records: list[WireRecord]


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the refusals an endpoint can give."""
    text = {
        400: "Bad request: missing protocol header or a cursor the server did not hand out",
        401: "No valid device credential (unknown, revoked or missing)",
        403: "Not allowed: another site's participant, or an unusable enrollment code",
        404: "Not found",
        409: "The server's data was restored from a backup (server_restored): send again",
        413: "The batch is larger than the server accepts; details give the limits",
        422: "The body is malformed, names an unknown participant, or a sealed entry does not open",
        426: "The app's protocol version is no longer supported: update the app",
        429: "Too many failed codes or credentials from this address; see Retry-After",
    }
    return {s: {"model": ErrorModel, "description": text[s]} for s in statuses}
