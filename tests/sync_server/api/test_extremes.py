"""Every field of every request at the ends of its type: the real server never answers 5xx.

A modified client can send anything the JSON allows. These properties send each request
model's fields at their extremes (the first and last days Python knows, times with
±14:00 offsets at both ends, integers past 2^63, empty and long texts, nulls where
objects belong) to the server under uvicorn, and ask only that it refuses with 4xx
(or answers 200) rather than failing. Examples are bounded to keep CI fast.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shared.calendar import helsinki_today
from tests.support.server import ServerProcess
from tests.support.sites import enroll, headers, make_site, present, workdays_before

_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_OFFSETS = [timezone(timedelta(hours=h)) for h in (14, -14, -12, 0)] + [
    timezone(timedelta(hours=23, minutes=59)),
    timezone(-timedelta(hours=23, minutes=59)),
]

days = st.sampled_from(
    ["0001-01-01", "9999-12-31", "1999-12-31", "2000-01-01", "2100-12-31", "2101-01-01"]
) | st.dates().map(lambda d: d.isoformat())
instants = st.sampled_from(
    [
        "0001-01-01T00:00+14:00",
        "0001-01-01T00:00-14:00",
        "9999-12-31T23:59-12:00",
        "9999-12-31T23:59+14:00",
        "9999-12-31T23:59:59.999999-23:59",
        "0001-01-01T00:00:00+23:59",
        "2000-01-01T09:00+14:00",
        "2100-12-31T23:59:59.999999+00:00",
        "2101-01-01T00:00-12:00",
        "0001-01-01T00:00",  # no offset
    ]
) | st.datetimes(timezones=st.sampled_from(_OFFSETS)).map(lambda t: t.isoformat())
huge_ints = (
    st.sampled_from(
        [0, -1, 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, -(2**63) - 1, 10**100, -(10**100)]
    )
    | st.integers()
)
texts = st.sampled_from(["", " ", "\x00", "€" * 64, "x" * 65, "y" * 20_000]) | st.text(max_size=20)
nested = st.sampled_from([None, [], {}, [None], {"a": None}, {"records": None}, True, 1.5e308])
anything = days | instants | huge_ints | texts | nested


@pytest.fixture(scope="module")
def device(live_server: ServerProcess) -> tuple[str, str]:
    fixture = make_site(live_server.storage, "extremes", 1)
    credential: str = enroll(live_server.url, live_server.enrollment_code(fixture.id))["credential"]
    return fixture.participants[0], credential


@pytest.fixture(scope="module")
def client(live_server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as c:
        yield c


def _no_server_error(response: httpx.Response) -> None:
    assert response.status_code < 500, f"{response.request.url}: {response.text}"


def _base_record(participant: str) -> dict[str, Any]:
    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    return present(day, participant=participant).to_dict()


_DROP = object()  # the field is left out
_RECORD_FIELDS = list(_base_record("p").keys())
_TYPED = {
    "day": days,
    "recorded_at": instants,
    "minutes": huge_ints,
    "start": texts,
    "end": texts,
    "id": texts,
    "device_id": texts,
    "recorded_by": texts,
    "participant_id": texts,
    "note": texts,
    "correction_reason": texts,
}


@st.composite
def field_changes(
    draw: st.DrawFn, fields: list[str], typed: dict[str, st.SearchStrategy[Any]]
) -> dict[str, Any]:
    """One to three of ``fields`` set to extremes (or left out); the others stay valid, so
    that each extreme reaches the code behind the schema."""
    names = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True))
    out: dict[str, Any] = {}
    for name in names:
        # Mostly the field's own kind of extreme; a strategy made with | would dilute it
        # among the many kinds of anything.
        kind = draw(st.sampled_from(["own", "own", "own", "any", "drop"]))
        if kind == "drop":
            out[name] = _DROP
        else:
            out[name] = draw(typed.get(name, anything) if kind == "own" else anything)
    return out


def _apply(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if value is _DROP:
            out.pop(key, None)
        else:
            out[key] = value
    return out


@given(
    changes=field_changes(_RECORD_FIELDS, _TYPED),
    device_time=st.none() | instants | anything,
    records_as=st.sampled_from(["list", "null", "object", "many"]),
)
@settings(_SETTINGS, max_examples=150)
def test_a_push_at_the_extremes_is_never_a_server_error(
    client: httpx.Client,
    device: tuple[str, str],
    changes: dict[str, Any],
    device_time: Any,
    records_as: str,
) -> None:
    participant, credential = device
    record = _apply(_base_record(participant), changes)
    records: Any = {
        "list": [record],
        "null": [None, record],
        "object": record,
        "many": [record, _base_record(participant)],
    }[records_as]
    body = {"records": records, "device_time": device_time}
    _no_server_error(client.post("/v1/push", json=body, headers=headers(credential)))


_CLOSE_TYPED = {
    "site_id": texts,
    "year": huge_ints | st.sampled_from([1999, 2000, 2100, 2101]),
    "month": huge_ints | st.sampled_from([0, 1, 12, 13]),
    "closed_by": texts,
    "closed_at": instants,
}


@given(
    year=st.integers(2000, 2100),
    month=st.integers(1, 12),
    changes=field_changes(list(_CLOSE_TYPED), _CLOSE_TYPED),
)
@example(year=2031, month=2, changes={"closed_at": "0001-01-01T00:00+14:00"})
@example(year=2031, month=3, changes={"closed_at": "9999-12-31T23:59-12:00"})
@settings(_SETTINGS, max_examples=60)
def test_a_month_close_at_the_extremes_is_never_a_server_error(
    client: httpx.Client, device: tuple[str, str], year: int, month: int, changes: dict[str, Any]
) -> None:
    _, credential = device
    base = {  # a month not closed before, most of the time: a fresh close stores the time
        "site_id": "extremes",
        "year": year,
        "month": month,
        "closed_by": "ohjaaja-1",
        "closed_at": datetime.now(UTC).isoformat(),
    }
    close = _apply(base, changes)
    response = client.post("/v1/months/close", json=close, headers=headers(credential))
    _no_server_error(response)


@given(code=texts | anything, device_name=texts | anything)
@settings(_SETTINGS, max_examples=30)
def test_an_enrollment_at_the_extremes_is_never_a_server_error(
    client: httpx.Client, code: Any, device_name: Any
) -> None:
    body = {"code": code, "device_name": device_name}
    _no_server_error(client.post("/v1/enroll", json=body, headers=headers()))


def _cursor(parts: list[Any]) -> str:
    raw = ":".join(str(p) for p in parts).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_BIG = st.sampled_from([2**63 - 1, 2**63, 10**40, -1])
cursors = (
    st.tuples(st.just(1), _BIG | huge_ints, _BIG | huge_ints).map(list).map(_cursor)
    | st.lists(huge_ints | texts, min_size=0, max_size=4).map(_cursor)
    | texts
)


@given(cursor=cursors)
@example(cursor=_cursor([1, 2**63, 0]))
@settings(_SETTINGS, max_examples=50)
def test_a_pull_cursor_at_the_extremes_is_never_a_server_error(
    client: httpx.Client, device: tuple[str, str], cursor: str
) -> None:
    _, credential = device
    response = client.get("/v1/pull", params={"cursor": cursor}, headers=headers(credential))
    _no_server_error(response)


@given(limit=huge_ints | texts)
@settings(_SETTINGS, max_examples=20)
def test_a_pull_limit_at_the_extremes_is_never_a_server_error(
    client: httpx.Client, device: tuple[str, str], limit: Any
) -> None:
    _, credential = device
    response = client.get("/v1/pull", params={"limit": limit}, headers=headers(credential))
    _no_server_error(response)


@given(
    start=st.none() | days | texts,
    end=st.none() | days | texts,
    participant=st.sampled_from(["own", "x" * 300, "%00", "other"]),
)
@settings(_SETTINGS, max_examples=40)
def test_a_history_query_at_the_extremes_is_never_a_server_error(
    client: httpx.Client,
    device: tuple[str, str],
    start: str | None,
    end: str | None,
    participant: str,
) -> None:
    own, credential = device
    params = {k: v for k, v in (("start", start), ("end", end)) if v is not None}
    path = f"/v1/participants/{own if participant == 'own' else participant}/records"
    _no_server_error(client.get(path, params=params, headers=headers(credential)))
