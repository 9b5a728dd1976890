"""HTTP to the sync server: headers, explicit timeouts, retry with backoff and jitter.

Transport failures, 5xx, 408 and 429 are retried with exponential backoff and full
jitter (a random wait between zero and the capped exponential), so a workshop's
tablets do not all come back at the same instant. Any other 4xx is the server's
considered answer: it is raised as :class:`ServerRefused`, never retried blindly.
Every request the client makes is safe to repeat (pushes are idempotent by id),
except enrollment, which spends its code: it is retried only if it never left.
The loop is tenacity's, on the injected random source and sleep (tests never wait).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

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
        retrying = Retrying(
            stop=stop_after_attempt(self.backoff.attempts),
            wait=self._wait,
            retry=retry_if_exception(lambda exc: isinstance(exc, _Failed) and exc.repeatable),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._once, method, path, headers, body, params, idempotent)
        except _Failed as failed:
            raise Unreachable(
                f"The sync server at {self.base_url} could not be reached ({failed.last}). The "
                "data is safe on this device and will be sent later.",
                code=failed.problem,
            ) from None

    def _once(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        body: Mapping[str, Any] | None,
        params: Mapping[str, str] | None,
        idempotent: bool,
    ) -> dict[str, Any]:
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
            # A request that may have arrived is not repeated unless repeating is harmless:
            # enrollment would spend its code twice.
            repeatable = idempotent or isinstance(exc, httpx.ConnectError)
            raise _Failed(_describe(exc), ErrorCode.UNREACHABLE, repeatable) from None
        if response.status_code in RETRYABLE_STATUS:
            problem = (
                ErrorCode.SERVER_ERROR if response.status_code >= 500 else ErrorCode.SERVER_BUSY
            )
            raise _Failed(
                f"the server answered {response.status_code}",
                problem,
                True,
                retry_after=_retry_after(response),
            )
        return _reply(response)

    def _wait(self, state: RetryCallState) -> float:
        jitter = self.backoff.delay(state.attempt_number - 1, self.rng)
        failed = state.outcome.exception() if state.outcome else None
        # A busy server that says when to come back is believed, up to the cap: waiting
        # less only earns another 429.
        asked = failed.retry_after if isinstance(failed, _Failed) else None
        return max(jitter, min(asked, self.backoff.cap)) if asked is not None else jitter

    def _sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.sleep(seconds)


class _Failed(Exception):
    """One try that did not get the server's considered answer."""

    def __init__(
        self,
        last: str,
        problem: ErrorCode,
        repeatable: bool,
        *,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(last)
        self.last = last
        self.problem = problem
        self.repeatable = repeatable
        self.retry_after = retry_after


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a ``Retry-After: N`` header (the HTTP-date form is not used by our server)."""
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


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
