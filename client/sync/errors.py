"""The sync client's exceptions, grouped by what the caller does next.

* :class:`Unreachable` — retry later (network down, server busy or failing).
* :class:`EnrollmentError` — fix the address or ask for a new code.
* :class:`NotEnrolled` — enroll the device first.
* :class:`ProtocolTooOld` — update the app.
* :class:`ServerRefused` — the server said no (a 4xx): show the message; do not retry
  the same request blindly.

Beside its English sentence every error has a stable machine code from
:class:`SyncProblem` and simple ``params``, so that an app can say it in the
supervisor's language (:meth:`SyncError.problem`). A :class:`ServerRefused` keeps the
server's own code (its JSON ``error``) in ``code``; ``problem()`` turns it into the
client's vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from shared.errors import LasnaError


class SyncProblem(StrEnum):
    """What went wrong, as a stable code (kept in the store and shown translated)."""

    FAILED = "failed"  # anything not named below
    UNREACHABLE = "unreachable"  # no connection, or no answer in time
    SERVER_BUSY = "server_busy"  # 408 or 429 on every try
    SERVER_ERROR = "server_error"  # 5xx on every try
    BAD_REPLY = "bad_reply"  # an answer this app does not understand
    NOT_ANSWERED = "not_answered"  # the server left the records sent unanswered
    NOT_ENROLLED = "not_enrolled"
    CREDENTIAL_REVOKED = "credential_revoked"  # 401: unknown or revoked device
    PROTOCOL_TOO_OLD = "protocol_too_old"  # update the app
    BATCH_REFUSED = "batch_refused"  # too large even as a single record
    RECORDS_REFUSED = "records_refused"  # participants the server does not know here
    ANOTHER_SITE = "another_site"  # the device asked about another site
    REQUEST_REFUSED = "request_refused"  # malformed: a fault in the app or the server
    REFUSED = "refused"  # any other 4xx (params: status, server_code)
    URL_INVALID = "url_invalid"
    NOT_HTTPS = "not_https"
    CODE_MISSING = "code_missing"
    ENROLLMENT_CODE_INVALID = "enrollment_code_invalid"
    ENROLLMENT_CODE_USED = "enrollment_code_used"
    ENROLLMENT_CODE_EXPIRED = "enrollment_code_expired"
    ENROLLMENT_REFUSED = "enrollment_refused"  # any other refusal of an enrollment


# The server's codes (sync_server/errors.py, sync_server/app.py) in the client's words.
_SERVER_CODES: Mapping[str, SyncProblem] = {
    "not_authenticated": SyncProblem.CREDENTIAL_REVOKED,
    "protocol_unsupported": SyncProblem.PROTOCOL_TOO_OLD,
    "batch_too_large": SyncProblem.BATCH_REFUSED,
    "unknown_participant": SyncProblem.RECORDS_REFUSED,
    "participant_of_another_site": SyncProblem.RECORDS_REFUSED,
    "another_site": SyncProblem.ANOTHER_SITE,
    "bad_request": SyncProblem.REQUEST_REFUSED,
    "protocol_missing": SyncProblem.REQUEST_REFUSED,
    "malformed_body": SyncProblem.REQUEST_REFUSED,
    "malformed_request": SyncProblem.REQUEST_REFUSED,
    "not_found": SyncProblem.REQUEST_REFUSED,
    "method_not_allowed": SyncProblem.REQUEST_REFUSED,
}
_ENROLLMENT_REASONS: Mapping[str, SyncProblem] = {
    "unknown": SyncProblem.ENROLLMENT_CODE_INVALID,
    "used": SyncProblem.ENROLLMENT_CODE_USED,
    "expired": SyncProblem.ENROLLMENT_CODE_EXPIRED,
}


class SyncError(LasnaError):
    """Base of every error the sync client raises on purpose."""

    default_code = SyncProblem.FAILED

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code: str = code or self.default_code
        self.params: dict[str, Any] = dict(params or {})

    def problem(self) -> tuple[str, dict[str, Any]]:
        """The client's code (a :class:`SyncProblem` value) and its params."""
        return self.code, dict(self.params)


class Unreachable(SyncError):
    """The server could not be reached, or failed, after retrying with backoff."""

    default_code = SyncProblem.UNREACHABLE


class EnrollmentError(SyncError):
    """Enrollment did not succeed; the message says what to do."""

    default_code = SyncProblem.ENROLLMENT_REFUSED


class NotEnrolled(SyncError):
    default_code = SyncProblem.NOT_ENROLLED

    def __init__(self) -> None:
        super().__init__(
            "This device is not enrolled: enter the server address and the code from the "
            "administrator."
        )


class ServerRefused(SyncError):
    """A 4xx answer: ``status``, the server's stable ``code`` and ``details``."""

    default_code = SyncProblem.REFUSED

    def __init__(
        self, status: int, code: str, message: str, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.details: dict[str, Any] = dict(details or {})

    @property
    def server_code(self) -> str:
        return self.code

    def problem(self) -> tuple[str, dict[str, Any]]:
        if self.status == 401:
            return SyncProblem.CREDENTIAL_REVOKED, {}
        known = _SERVER_CODES.get(self.code)
        if known is not None:
            return known, {}
        return SyncProblem.REFUSED, {"status": self.status, "server_code": self.code}

    def enrollment_problem(self) -> SyncProblem:
        """What a refused enrollment means (the server names the code's fault)."""
        reason = self.details.get("reason")
        if self.code == "enrollment_refused" and isinstance(reason, str):
            return _ENROLLMENT_REASONS.get(reason, SyncProblem.ENROLLMENT_REFUSED)
        if self.code == "enrollment_refused":
            return SyncProblem.ENROLLMENT_REFUSED
        known = _SERVER_CODES.get(self.code)
        return known if known is not None else SyncProblem.ENROLLMENT_REFUSED


class ProtocolTooOld(ServerRefused):
    """The server no longer speaks this app's protocol version: update the app."""

    def problem(self) -> tuple[str, dict[str, Any]]:
        return SyncProblem.PROTOCOL_TOO_OLD, {}
