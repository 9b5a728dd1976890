"""Prometheus metrics at ``/metrics``: requests and their latency, pushes, pulls,
records by answer, forward runs and failures.

Counted at the edges, so that no route has to know about them: an ASGI middleware
(:class:`RequestMetrics`) times every request by its route template (never a raw
path, which could name a participant) and reads the statuses out of each push's
reply; the forward counts its own runs (``sync_server.forward.app``).

One registry for the process: every app made in it (tests make many) adds to the
same counters, as a scraper expects of one process.
"""

from __future__ import annotations

import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync_server.jsonio import loads

REGISTRY = CollectorRegistry(auto_describe=True)
ANSWERS = ("accepted", "duplicate", "conflict", "rejected")

REQUESTS = Counter(
    "lasna_http_requests",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "lasna_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
PUSHES = Counter(
    "lasna_pushes",
    "Push requests, by outcome: answered (2xx) or refused (any other status).",
    ["outcome"],
    registry=REGISTRY,
)
PULLS = Counter(
    "lasna_pulls",
    "Pull requests, by outcome: answered (2xx) or refused (any other status).",
    ["outcome"],
    registry=REGISTRY,
)
RECORDS = Counter(
    "lasna_push_records",
    "Record versions answered in pushes, by answer: accepted, duplicate, conflict, rejected.",
    ["status"],
    registry=REGISTRY,
)
FORWARD_RUNS = Counter(
    "lasna_forward_runs",
    "Forward runs started by this server, by kind: nightly, resume (after a start), admin.",
    ["kind"],
    registry=REGISTRY,
)
FORWARD_FAILURES = Counter(
    "lasna_forward_failures",
    "Forward failures: runs that ended in an error, and batches marked failed.",
    ["what"],
    registry=REGISTRY,
)
for _status in ANSWERS:
    RECORDS.labels(_status)
for _outcome in ("answered", "refused"):
    PUSHES.labels(_outcome)
    PULLS.labels(_outcome)
for _what in ("run", "batch"):
    FORWARD_FAILURES.labels(_what)

PUSH_ROUTE = "/v1/push"
PULL_ROUTE = "/v1/pull"


def metrics_response() -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


class RequestMetrics:
    """Counts and times every HTTP request; counts the answers in a push's reply."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        reply: list[bytes] = []

        async def watching_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and _route(scope) == PUSH_ROUTE:
                reply.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        finally:
            route = _route(scope)
            method = str(scope.get("method"))
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)
            outcome = "answered" if 200 <= status < 300 else "refused"
            if route == PUSH_ROUTE:
                PUSHES.labels(outcome).inc()
                if outcome == "answered":
                    _count_answers(b"".join(reply))
            elif route == PULL_ROUTE:
                PULLS.labels(outcome).inc()


def _route(scope: Scope) -> str:
    return str(getattr(scope.get("route"), "path", "(unmatched)"))


def _count_answers(body: bytes) -> None:
    try:
        answers = loads(body).get("answers", [])
    except (ValueError, AttributeError):
        return  # not a push reply after all: nothing to count
    counts = dict.fromkeys(ANSWERS, 0)
    for answer in answers:
        status = answer.get("status") if isinstance(answer, dict) else None
        if status in counts:
            counts[status] += 1
    for status, n in counts.items():
        if n:
            RECORDS.labels(status).inc(n)
