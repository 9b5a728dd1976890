"""The protocol examples fit the server's OpenAPI models and shared.protocol, both ways."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from shared.protocol import (
    EnrollReply,
    EnrollRequest,
    ErrorReply,
    MonthClose,
    ProtocolError,
    PullReply,
    PushReply,
    PushRequest,
    SealedPushRequest,
    check_protocol,
)
from shared.records import AbsenceReason, DayRecord, Status
from sync_server.api.models import (
    EnrollReplyModel,
    EnrollRequestModel,
    ErrorModel,
    MonthCloseModel,
    PullReplyModel,
    PushReplyModel,
    PushRequestModel,
    SealedPushRequestModel,
)
from sync_server.storage import decode_cursor, encode_cursor
from tests.support.fixtures import PROTOCOL_FIXTURES, protocol_fixture, without_messages

CASES: list[tuple[str, type[BaseModel], Any]] = [
    ("push_request", PushRequestModel, PushRequest),
    ("push_reply", PushReplyModel, PushReply),
    ("push_sealed_request", SealedPushRequestModel, SealedPushRequest),
    ("pull_reply", PullReplyModel, PullReply),
    ("enroll_request", EnrollRequestModel, EnrollRequest),
    ("enroll_reply", EnrollReplyModel, EnrollReply),
    ("month_close", MonthCloseModel, MonthClose),
    ("error_protocol_unsupported", ErrorModel, ErrorReply),
    ("error_participant_of_another_site", ErrorModel, ErrorReply),
]


def test_every_example_is_covered() -> None:
    assert {p.stem for p in PROTOCOL_FIXTURES.glob("*.json")} == {c[0] for c in CASES}


@pytest.mark.parametrize(("name", "model", "message"), CASES, ids=[c[0] for c in CASES])
def test_examples_fit_the_openapi_model_and_round_trip(
    name: str, model: type[BaseModel], message: Any
) -> None:
    data = protocol_fixture(name)
    model.model_validate(data)  # the server accepts / documents exactly this shape
    parsed = message.from_dict(data)
    assert without_messages(parsed.to_dict()) == without_messages(data)


def test_malformed_messages_are_refused_with_the_field_named() -> None:
    data = protocol_fixture("push_request")
    data["records"][0]["day"] = "16.3.2026"
    with pytest.raises(ProtocolError, match="record 1: Field 'day'"):
        PushRequest.from_dict(data)
    reply = protocol_fixture("push_reply")
    reply["answers"][0]["status"] = "maybe"
    with pytest.raises(ProtocolError, match="'status' must be one of"):
        PushReply.from_dict(reply)
    reply = protocol_fixture("pull_reply")
    reply["protocol"] = 7
    with pytest.raises(ProtocolError, match="Update the app"):
        PullReply.from_dict(reply)
    with pytest.raises(ProtocolError, match="no longer accepts"):
        check_protocol("0")
    assert check_protocol(" 1 ") == 1


@given(st.integers(0, 2**62), st.integers(0, 2**62))
def test_cursors_round_trip(records_seen: int, reference_seen: int) -> None:
    cursor = encode_cursor(records_seen, reference_seen)
    assert decode_cursor(cursor) == (records_seen, reference_seen)


_EARLIEST, _LATEST = datetime(2000, 1, 1), datetime(2100, 12, 31, 23, 59, 59, 999999)
_records = st.builds(
    DayRecord,
    participant_id=st.text("abcdefghijk-0123456789", min_size=1, max_size=20),
    day=st.dates(date(2000, 1, 1), date(2100, 12, 31)),  # the protocol's range
    status=st.sampled_from(Status),
    recorded_by=st.text(min_size=1, max_size=10).filter(str.strip),
    device_id=st.text(min_size=1, max_size=10).filter(str.strip),
    recorded_at=st.datetimes(_EARLIEST, _LATEST, timezones=st.just(UTC)),
    id=st.uuids().map(str),
    start=st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    minutes=st.none() | st.integers(0, 1440),
    reason=st.none() | st.sampled_from(AbsenceReason),
    supersedes=st.none() | st.uuids().map(str),
    note=st.none() | st.text(max_size=40),
)


@given(
    st.lists(_records, max_size=5),
    st.none() | st.datetimes(_EARLIEST, _LATEST, timezones=st.just(UTC)),
)
def test_push_requests_round_trip(records: list[DayRecord], device_time: Any) -> None:
    request = PushRequest(tuple(records), device_time)
    assert PushRequest.from_dict(request.to_dict()) == request
    PushRequestModel.model_validate(request.to_dict())
