"""Dates, times and cursors at the ends of their types: a clear refusal, never a 500.

Issue 10: a modified client could send a day of 0001-01-01, a ``recorded_at`` whose
conversion to UTC leaves the datetime range, or a cursor with an integer beyond 2^63,
and the server answered 500. The protocol now bounds every date and time (see
:mod:`shared.bounds`) and refuses anything outside with its 422 shape.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.calendar import helsinki_today
from tests.support.server import ServerProcess
from tests.support.sites import headers, present, workdays_before
from tests.sync_server.conftest import EnrolledSite

FAR_DAYS = ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"]
FAR_INSTANTS = [
    "0001-01-01T00:00+14:00",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59-12:00",
    "9999-12-31T23:59:59.999999+00:00",
    "1999-12-31T23:59:59+00:00",
    "2101-01-01T00:00:00+00:00",
    "2000-01-01T09:00+14:00",  # 1999-12-31 in UTC
]


def _record(s: EnrolledSite, **changes: Any) -> dict[str, Any]:
    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    return {**present(day, participant=s.site.participants[0]).to_dict(), **changes}


def _post(server: ServerProcess, path: str, credential: str, body: Any) -> httpx.Response:
    return httpx.post(server.url + path, json=body, headers=headers(credential), timeout=30)


def _assert_refused(response: httpx.Response, field: str, *, lowest: str, highest: str) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "malformed_body"
    assert field in body["message"]
    assert lowest in body["message"] and highest in body["message"]
    assert any(p["loc"][-1] == field for p in body["details"]["problems"])


@pytest.mark.parametrize("day", FAR_DAYS)
def test_a_pushed_day_outside_the_range_is_refused_naming_the_field(
    live_server: ServerProcess, site: Callable[..., EnrolledSite], day: str
) -> None:
    s = site(1)
    response = _post(live_server, "/v1/push", s.credential, {"records": [_record(s, day=day)]})
    _assert_refused(response, "day", lowest="2000-01-01", highest="2100-12-31")


@pytest.mark.parametrize("moment", FAR_INSTANTS)
def test_a_pushed_recorded_at_outside_the_range_is_refused(
    live_server: ServerProcess, site: Callable[..., EnrolledSite], moment: str
) -> None:
    s = site(1)
    body = {"records": [_record(s, recorded_at=moment)]}
    response = _post(live_server, "/v1/push", s.credential, body)
    _assert_refused(response, "recorded_at", lowest="2000-01-01", highest="2100-12-31")


@pytest.mark.parametrize("moment", FAR_INSTANTS)
def test_a_device_time_outside_the_range_is_refused(
    live_server: ServerProcess, site: Callable[..., EnrolledSite], moment: str
) -> None:
    s = site(1)
    body = {"records": [_record(s)], "device_time": moment}
    response = _post(live_server, "/v1/push", s.credential, body)
    _assert_refused(response, "device_time", lowest="2000-01-01", highest="2100-12-31")


@pytest.mark.parametrize("moment", FAR_INSTANTS)
def test_a_month_close_at_the_ends_of_time_is_refused(
    live_server: ServerProcess, site: Callable[..., EnrolledSite], moment: str
) -> None:
    s = site(1)
    close = {
        "site_id": s.site.id,
        "year": 2024,
        "month": 1,
        "closed_by": "ohjaaja-1",
        "closed_at": moment,
    }
    response = _post(live_server, "/v1/months/close", s.credential, close)
    _assert_refused(response, "closed_at", lowest="2000-01-01", highest="2100-12-31")


def test_a_day_at_the_edges_of_the_range_is_still_answered(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site(1)
    edges = [
        _record(s, id="00000000-0000-4000-8000-000000000001", day="2000-01-01"),
        _record(s, id="00000000-0000-4000-8000-000000000002", day="2100-12-31"),
        _record(s, id="00000000-0000-4000-8000-000000000003", recorded_at="2000-01-01T14:00+14:00"),
        _record(s, id="00000000-0000-4000-8000-000000000004", recorded_at="2100-12-31T11:59-12:00"),
    ]
    response = _post(live_server, "/v1/push", s.credential, {"records": edges})
    assert response.status_code == 200, response.text
    assert len(response.json()["answers"]) == 4  # rejected by the plan, but answered


def _cursor(*parts: object) -> str:
    raw = ":".join(str(p) for p in parts).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor(1, 2**63, 0),
        _cursor(1, 0, 2**63),
        _cursor(1, 10**40, 10**40),
        _cursor(1, -1, 0),
        _cursor(1, "x", 0),
        _cursor(2, 0, 0),
        "not a cursor!",
        "€",
    ],
)
def test_a_malformed_or_out_of_range_cursor_is_a_clear_400(
    live_server: ServerProcess, site: Callable[..., EnrolledSite], cursor: str
) -> None:
    s = site(1)
    response = httpx.get(
        live_server.url + "/v1/pull", params={"cursor": cursor}, headers=headers(s.credential)
    )
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "bad_request"
    assert "cursor" in body["message"] and "Pull without a cursor" in body["message"]


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", None), (None, "9999-12-31"), ("1999-12-31", "2101-01-01")]
)
def test_a_history_range_outside_the_protocols_dates_is_refused(
    live_server: ServerProcess,
    site: Callable[..., EnrolledSite],
    start: str | None,
    end: str | None,
) -> None:
    s = site(1)
    params = {k: v for k, v in (("start", start), ("end", end)) if v is not None}
    response = httpx.get(
        f"{live_server.url}/v1/participants/{s.site.participants[0]}/records",
        params=params,
        headers=headers(s.credential),
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "malformed_request"
    assert "2000-01-01" in body["message"] and "2100-12-31" in body["message"]


def test_the_documented_refusal_is_the_servers(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    text = (Path(__file__).parents[3] / "docs" / "protocol.md").read_text("utf-8")
    section = text.split("### Bounds", 1)[1]
    documented = json.loads(section.split("```json", 1)[1].split("```", 1)[0])
    s = site(1)
    response = _post(
        live_server, "/v1/push", s.credential, {"records": [_record(s, day="0001-01-01")]}
    )
    assert response.status_code == 422
    assert response.json() == documented
