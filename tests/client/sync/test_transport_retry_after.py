"""A busy server's Retry-After is honoured (up to the cap) by the retry loop."""

from __future__ import annotations

import random

import httpx

from client.sync.transport import Backoff, Transport


def test_retry_after_is_waited_for_up_to_the_cap() -> None:
    answers = [
        httpx.Response(429, headers={"Retry-After": "2"}, json={}),
        httpx.Response(503, headers={"Retry-After": "600"}, json={}),
        httpx.Response(200, json={"ok": True}),
    ]
    sleeps: list[float] = []
    http = httpx.Client(transport=httpx.MockTransport(lambda _r: answers.pop(0)))
    transport = Transport(
        http,
        "https://sync.example.fi",
        backoff=Backoff(attempts=4, base=0.1, cap=30.0),
        rng=random.Random(3),
        sleep=sleeps.append,
    )
    assert transport.get("/v1/pull") == {"ok": True}
    assert sleeps == [2.0, 30.0]  # not the 0–0.1 s jitter; 600 s capped at 30
    assert transport.delays == sleeps
