"""The sync client's exceptions, grouped by what the caller does next.

* :class:`Unreachable` — retry later (network down, server busy or failing).
* :class:`EnrollmentError` — fix the address or ask for a new code.
* :class:`NotEnrolled` — enroll the device first.
* :class:`ProtocolTooOld` — update the app.
* :class:`ServerRefused` — the server said no (a 4xx): show the message; do not retry
  the same request blindly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.errors import LasnaError


class SyncError(LasnaError):
    """Base of every error the sync client raises on purpose."""


class Unreachable(SyncError):
    """The server could not be reached, or failed, after retrying with backoff."""


class EnrollmentError(SyncError):
    """Enrollment did not succeed; the message says what to do."""


class NotEnrolled(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "This device is not enrolled: enter the server address and the code from the "
            "administrator."
        )


class ServerRefused(SyncError):
    """A 4xx answer: ``status``, the server's stable ``code`` and ``details``."""

    def __init__(
        self, status: int, code: str, message: str, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.details: dict[str, Any] = dict(details or {})


class ProtocolTooOld(ServerRefused):
    """The server no longer speaks this app's protocol version: update the app."""
