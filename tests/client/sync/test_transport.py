"""Retry policy of the sync transport (httpx.MockTransport: the one place a fake server is fine)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from client.sync.errors import ErrorCode, ProtocolTooOld, ServerRefused, Unreachable
from client.sync.transport import Backoff, Transport

Handler = Callable[[httpx.Request], httpx.Response]


def _transport(handler: Handler, sleeps: list[float], **kw: Any) -> Transport:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return Transport(
        http,
        "https://sync.example.fi/",
        credential="lsd1_secret",
        backoff=Backoff(attempts=4, base=1.0, cap=3.0),
        rng=random.Random(1),
        sleep=sleeps.append,
        **kw,
    )


def _sequence(*outcomes: int | Exception) -> tuple[Handler, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    pending = list(outcomes)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        outcome = pending.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        body = (
            {"ok": True} if outcome < 400 else {"error": "x", "message": "Ei käy.", "details": {}}
        )
        return httpx.Response(outcome, json=body)

    return handler, seen


def test_5xx_and_broken_connections_are_retried_with_capped_full_jitter() -> None:
    handler, seen = _sequence(503, httpx.ConnectError("down"), httpx.ReadTimeout("slow"), 200)
    sleeps: list[float] = []
    assert _transport(handler, sleeps).get("/v1/pull") == {"ok": True}
    assert len(seen) == 4
    assert len(sleeps) == 3
    rng = random.Random(1)  # the same source: uniform in [0, min(cap, base·2^retry)]
    assert sleeps == [rng.uniform(0, 1.0), rng.uniform(0, 2.0), rng.uniform(0, 3.0)]


def test_the_jitter_comes_from_the_injected_random_source() -> None:
    runs = []
    for _ in range(2):
        handler, _seen = _sequence(502, 502, 200)
        sleeps: list[float] = []
        _transport(handler, sleeps).get("/x")
        runs.append(sleeps)
    assert runs[0] == runs[1]
    assert runs[0] != [1.0, 2.0]  # not a fixed schedule: devices spread out


def test_giving_up_says_the_data_is_safe() -> None:
    handler, seen = _sequence(500, 500, 500, 500)
    sleeps: list[float] = []
    with pytest.raises(Unreachable, match="safe on this device") as caught:
        _transport(handler, sleeps).post("/v1/push", {"records": []})
    assert len(seen) == 4 and len(sleeps) == 3
    assert caught.value.code == ErrorCode.SERVER_ERROR


@pytest.mark.parametrize(
    ("last", "problem"),
    [
        (httpx.ConnectError("down"), ErrorCode.UNREACHABLE),
        (httpx.ReadTimeout("slow"), ErrorCode.UNREACHABLE),
        (429, ErrorCode.SERVER_BUSY),
        (503, ErrorCode.SERVER_ERROR),
    ],
)
def test_giving_up_names_the_last_failure(last: int | Exception, problem: ErrorCode) -> None:
    handler, _seen = _sequence(500, 500, 500, last)
    with pytest.raises(Unreachable) as caught:
        _transport(handler, []).get("/v1/pull")
    assert caught.value.code == problem


def test_a_reply_that_is_not_json_is_not_understood() -> None:
    html = httpx.MockTransport(lambda _r: httpx.Response(200, text="<html>"))
    http = httpx.Client(transport=html)
    with pytest.raises(Unreachable) as caught:
        Transport(http, "https://sync.example.fi").get("/v1/pull")
    assert caught.value.code == ErrorCode.BAD_REPLY


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 422])
def test_a_4xx_is_surfaced_at_once_not_retried(status: int) -> None:
    handler, seen = _sequence(status)
    sleeps: list[float] = []
    with pytest.raises(ServerRefused) as caught:
        _transport(handler, sleeps).post("/v1/push", {"records": []})
    assert caught.value.status == status
    assert str(caught.value) == "Ei käy."
    assert caught.value.code == "x"  # the server's own code
    assert len(seen) == 1 and sleeps == []


def test_426_means_update_the_app() -> None:
    handler, _ = _sequence(426)
    with pytest.raises(ProtocolTooOld):
        _transport(handler, []).get("/v1/pull")


def test_every_request_says_its_protocol_credential_and_timeouts() -> None:
    handler, seen = _sequence(200)
    timeout = httpx.Timeout(7.0, connect=2.0)
    _transport(handler, [], timeout=timeout).get("/v1/pull", {"cursor": "abc"})
    request = seen[0]
    assert str(request.url) == "https://sync.example.fi/v1/pull?cursor=abc"
    assert request.headers["Lasna-Protocol"] == "1"
    assert request.headers["Authorization"] == "Bearer lsd1_secret"
    assert request.extensions["timeout"] == timeout.as_dict()


def test_a_request_that_spends_something_is_repeated_only_if_it_never_left() -> None:
    handler, seen = _sequence(httpx.ReadTimeout("lost"))
    with pytest.raises(Unreachable):
        _transport(handler, []).post("/v1/enroll", {}, idempotent=False)
    assert len(seen) == 1
    handler, seen = _sequence(httpx.ConnectError("refused"), 200)
    assert _transport(handler, []).post("/v1/enroll", {}, idempotent=False) == {"ok": True}
    assert len(seen) == 2
