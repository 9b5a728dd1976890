"""HTTP to the sync server: headers, explicit timeouts, retry with backoff and jitter.

Transport failures, 5xx, 408 and 429 are retried with exponential backoff and full
jitter (a random wait between zero and the capped exponential), so a workshop's
tablets do not all come back at the same instant. Any other 4xx is the server's
considered answer: it is raised as :class:`ServerRefused`, never retried blindly.
Every request the client makes is safe to repeat (pushes are idempotent by id),
except enrollment, which spends its code: it is retried only if it never left.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from client.sync.errors import ProtocolTooOld, ServerRefused, Unreachable
from shared.error_codes import ErrorCode
from shared.protocol import CREDENTIAL_SCHEME, PROTOCOL_HEADER, PROTOCOL_VERSION

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Backoff:
    attempts: int = 4  # tries in all, per request
    base: float = 1.0  # seconds
    cap: float = 30.0

    def delay(self, retry: int, rng: random.Random) -> float:
        """Full jitter: uniform in [0, min(cap, base·2^retry)]."""
        return rng.uniform(0.0, min(self.cap, self.base * (2**retry)))


class Transport:
    def __init__(
        self,
        http: httpx.Client,
        server_url: str,
        *,
        credential: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        backoff: Backoff | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.http = http
        self.base_url = server_url.rstrip("/")
        self.credential = credential
        self.timeout = timeout
        self.backoff = backoff or Backoff()
        self.rng = rng or random.Random()
        self.sleep = sleep or _real_sleep
        self.delays: list[float] = []  # what it waited, for the sync report and tests

    def get(self, path: str, params: Mapping[str, str] | None = None) -> dict[str, Any]:
        return self.request("GET", path, params=params)

    def post(
        self, path: str, body: Mapping[str, Any], *, idempotent: bool = True
    ) -> dict[str, Any]:
        return self.request("POST", path, body=body, idempotent=idempotent)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        idempotent: bool = True,
    ) -> dict[str, Any]:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Accept": "application/json"}
        if self.credential:
            headers["Authorization"] = f"{CREDENTIAL_SCHEME} {self.credential}"
        last = "no attempt was made"
        problem = ErrorCode.UNREACHABLE
        for attempt in range(self.backoff.attempts):
            if attempt:
                wait = self.backoff.delay(attempt - 1, self.rng)
                self.delays.append(wait)
                self.sleep(wait)
            try:
                response = self.http.request(
                    method,
                    self.base_url + path,
                    json=body,
                    params=params,
                    headers=headers,
                    timeout=self.timeout,
                )
            except httpx.TransportError as exc:
                last = _describe(exc)
                problem = ErrorCode.UNREACHABLE
                if not idempotent and not isinstance(exc, httpx.ConnectError):
                    break  # it may have arrived: repeating could spend it twice
                continue
            if response.status_code in RETRYABLE_STATUS:
                last = f"the server answered {response.status_code}"
                problem = (
                    ErrorCode.SERVER_ERROR if response.status_code >= 500 else ErrorCode.SERVER_BUSY
                )
                continue
            return _reply(response)
        raise Unreachable(
            f"The sync server at {self.base_url} could not be reached ({last}). The data is "
            "safe on this device and will be sent later.",
            code=problem,
        )


def _reply(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        data = None
    if 200 <= response.status_code < 300:
        if not isinstance(data, dict):
            raise Unreachable(
                "The sync server sent a reply that is not JSON; try again later.",
                code=ErrorCode.BAD_REPLY,
            )
        return data
    info = data if isinstance(data, dict) else {}
    code = str(info.get("error") or f"http_{response.status_code}")
    message = str(
        info.get("message") or f"The sync server refused the request ({response.status_code})."
    )
    details = info.get("details") if isinstance(info.get("details"), dict) else {}
    if response.status_code == 426 or code == ErrorCode.PROTOCOL_UNSUPPORTED:
        raise ProtocolTooOld(response.status_code, code, message, details)
    raise ServerRefused(response.status_code, code, message, details)


def _describe(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time"
    if isinstance(exc, httpx.ConnectError):
        return "no connection"
    return "the connection broke"


def _real_sleep(seconds: float) -> None:
    import time

    time.sleep(seconds)
