"""Repeated failures from one client address are throttled: bad enrollment codes, bad
device credentials.

Only failures count, so a county that enrolls a hundred tablets from one office, or a
site whose devices share one address, is never slowed by its own successes. Once an
address has used up its failures within the moving window, every attempt of that kind
from it is answered 429 with ``Retry-After`` (a correct code or credential too: a
throttle that still lets the right guess through does not slow guessing), until the
oldest failure leaves the window. The limits are the server's settings
``enroll_failure_limit`` and ``credential_failure_limit`` (docs/admin.md).

The counts live in this process's memory (``limits``' memory storage): a restart
forgets them, and several server processes each count their own.
"""

from __future__ import annotations

import math
import time
from enum import StrEnum

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from sync_server.errors import ConfigError, TooManyFailures


class Attempt(StrEnum):
    ENROLLMENT = "enrollment"
    CREDENTIAL = "credential"


_WHAT = {
    Attempt.ENROLLMENT: "enrollment codes that were not accepted",
    Attempt.CREDENTIAL: "device credentials that were not accepted",
}


def parse_limit(text: str, setting: str) -> RateLimitItem:
    """A limit such as ``10 per 15 minutes``; a ConfigError that names the setting."""
    try:
        return parse(text)
    except ValueError:
        raise ConfigError(
            f"The setting {setting!r} must be a limit such as '10 per 15 minutes', not {text!r}."
        ) from None


class FailureThrottle:
    """Counts failures per (kind, client address) in a moving window."""

    def __init__(self, enrollment: str, credential: str) -> None:
        self._limits = {
            Attempt.ENROLLMENT: parse_limit(enrollment, "enroll_failure_limit"),
            Attempt.CREDENTIAL: parse_limit(credential, "credential_failure_limit"),
        }
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, kind: Attempt, address: str) -> None:
        """Raise :class:`TooManyFailures` while ``address`` has no failures left."""
        item = self._limits[kind]
        if self._limiter.test(item, kind.value, address):
            return
        reset = self._limiter.get_window_stats(item, kind.value, address).reset_time
        wait = max(1, math.ceil(reset - time.time()))
        raise TooManyFailures(
            f"Too many {_WHAT[kind]} came from this address ({item.amount} within "
            f"{_window(item)}). Try again in {wait} seconds; if the code or credential is "
            "right, it works then.",
            wait,
        )

    def failed(self, kind: Attempt, address: str) -> None:
        self._limiter.hit(self._limits[kind], kind.value, address)


def _window(item: RateLimitItem) -> str:
    seconds = item.get_expiry()
    if seconds % 3600 == 0:
        return f"{seconds // 3600} hour(s)"
    if seconds % 60 == 0:
        return f"{seconds // 60} minute(s)"
    return f"{seconds} second(s)"
