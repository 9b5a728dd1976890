"""The sync client's exceptions, grouped by what the caller does next.

* :class:`Unreachable` — retry later (network down, server busy or failing).
* :class:`EnrollmentError` — fix the address or ask for a new code.
* :class:`NotEnrolled` — enroll the device first.
* :class:`ProtocolTooOld` — update the app.
* :class:`ServerRefused` — the server said no (a 4xx): show the message; do not retry
  the same request blindly.

Beside its English sentence every error has a stable machine code from
:class:`shared.error_codes.ErrorCode` (one of :data:`SYNC_PROBLEMS`) and simple
``params``, so that an app can say it in the supervisor's language
(:meth:`SyncError.problem`). A :class:`ServerRefused` keeps the server's own code (its
JSON ``error``, a code of the same enum or one a newer server added) in ``code``;
``problem()`` names the one this client reports for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.error_codes import ErrorCode
from shared.errors import LasnaError

# The codes this client reports (each has a text in client.app.texts.problem_texts).
SYNC_PROBLEMS: frozenset[ErrorCode] = frozenset(
    {
        ErrorCode.FAILED,
        ErrorCode.UNREACHABLE,
        ErrorCode.SERVER_BUSY,
        ErrorCode.SERVER_ERROR,
        ErrorCode.BAD_REPLY,
        ErrorCode.NOT_ANSWERED,
        ErrorCode.NOT_ENROLLED,
        ErrorCode.CREDENTIAL_REVOKED,
        ErrorCode.PROTOCOL_TOO_OLD,
        ErrorCode.BATCH_REFUSED,
        ErrorCode.RECORDS_REFUSED,
        ErrorCode.ANOTHER_SITE,
        ErrorCode.REQUEST_REFUSED,
        ErrorCode.REFUSED,
        ErrorCode.URL_INVALID,
        ErrorCode.NOT_HTTPS,
        ErrorCode.CODE_MISSING,
        ErrorCode.ENROLLMENT_CODE_INVALID,
        ErrorCode.ENROLLMENT_CODE_USED,
        ErrorCode.ENROLLMENT_CODE_EXPIRED,
        ErrorCode.ENROLLMENT_REFUSED,
        ErrorCode.MONTH_NOT_OVER,
    }
)


# The server's refusals (every code of shared.error_codes.SERVER_REFUSALS) in the words
# this client reports them with; a test keeps the two in step. HTTP_ERROR, the
# framework's other refusals, is said as REFUSED with its status.
_SERVER_CODES: Mapping[str, ErrorCode] = {
    ErrorCode.NOT_AUTHENTICATED: ErrorCode.CREDENTIAL_REVOKED,
    ErrorCode.ENROLLMENT_REFUSED: ErrorCode.ENROLLMENT_REFUSED,
    ErrorCode.INTERNAL: ErrorCode.SERVER_ERROR,  # a 500 is retried first (transport)
    ErrorCode.PROTOCOL_UNSUPPORTED: ErrorCode.PROTOCOL_TOO_OLD,
    ErrorCode.BATCH_TOO_LARGE: ErrorCode.BATCH_REFUSED,
    ErrorCode.UNKNOWN_PARTICIPANT: ErrorCode.RECORDS_REFUSED,
    ErrorCode.PARTICIPANT_OF_ANOTHER_SITE: ErrorCode.RECORDS_REFUSED,
    ErrorCode.ANOTHER_SITE: ErrorCode.ANOTHER_SITE,
    ErrorCode.BAD_REQUEST: ErrorCode.REQUEST_REFUSED,
    ErrorCode.PROTOCOL_MISSING: ErrorCode.REQUEST_REFUSED,
    ErrorCode.MALFORMED_BODY: ErrorCode.REQUEST_REFUSED,
    ErrorCode.SEALED_UNREADABLE: ErrorCode.REQUEST_REFUSED,
    ErrorCode.MALFORMED_REQUEST: ErrorCode.REQUEST_REFUSED,
    ErrorCode.NOT_FOUND: ErrorCode.REQUEST_REFUSED,
    ErrorCode.METHOD_NOT_ALLOWED: ErrorCode.REQUEST_REFUSED,
    # a refused month close stays on the device and goes again next round (client.py):
    # these reach a supervisor only if a close is sent outside a round
    ErrorCode.MONTH_NOT_OVER: ErrorCode.MONTH_NOT_OVER,  # said as such (issue 11)
    ErrorCode.CLOSER_UNKNOWN: ErrorCode.REQUEST_REFUSED,
    ErrorCode.TOO_MANY_FAILURES: ErrorCode.SERVER_BUSY,  # 429 with Retry-After
    # taken in by the round itself (client.py): a person sees it only if that fails
    ErrorCode.SERVER_RESTORED: ErrorCode.REQUEST_REFUSED,
}
_ALL_CODES: Mapping[str, ErrorCode] = {c.value: c for c in ErrorCode}
_ENROLLMENT_REASONS: Mapping[str, ErrorCode] = {
    "unknown": ErrorCode.ENROLLMENT_CODE_INVALID,
    "used": ErrorCode.ENROLLMENT_CODE_USED,
    "expired": ErrorCode.ENROLLMENT_CODE_EXPIRED,
}


class SyncError(LasnaError):
    """Base of every error the sync client raises on purpose."""

    default_code = ErrorCode.FAILED

    def __init__(
        self,
        message: str,
        *,
        code: ErrorCode | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        # A str: a server's refusal keeps the server's code, perhaps one newer than this app.
        self.code: str = code or self.default_code
        self.params: dict[str, Any] = dict(params or {})

    def problem(self) -> tuple[ErrorCode, dict[str, Any]]:
        """The code this client reports (one of :data:`SYNC_PROBLEMS`) and its params."""
        return _ALL_CODES.get(self.code, self.default_code), dict(self.params)


class Unreachable(SyncError):
    """The server could not be reached, or failed, after retrying with backoff."""

    default_code = ErrorCode.UNREACHABLE


class EnrollmentError(SyncError):
    """Enrollment did not succeed; the message says what to do."""

    default_code = ErrorCode.ENROLLMENT_REFUSED


class NotEnrolled(SyncError):
    default_code = ErrorCode.NOT_ENROLLED

    def __init__(self) -> None:
        super().__init__(
            "This device is not enrolled: enter the server address and the code from the "
            "administrator."
        )


class ServerRefused(SyncError):
    """A 4xx answer: ``status``, the server's stable ``code`` and ``details``."""

    default_code = ErrorCode.REFUSED

    def __init__(
        self, status: int, code: str, message: str, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.details: dict[str, Any] = dict(details or {})

    @property
    def server_code(self) -> str:
        return self.code

    def problem(self) -> tuple[ErrorCode, dict[str, Any]]:
        if self.status == 401:
            return ErrorCode.CREDENTIAL_REVOKED, {}
        known = _SERVER_CODES.get(self.code)
        if known is not None:
            return known, {}
        return ErrorCode.REFUSED, {"status": self.status, "server_code": self.code}

    def enrollment_problem(self) -> ErrorCode:
        """What a refused enrollment means (the server names the code's fault)."""
        reason = self.details.get("reason")
        if self.code == ErrorCode.ENROLLMENT_REFUSED and isinstance(reason, str):
            return _ENROLLMENT_REASONS.get(reason, ErrorCode.ENROLLMENT_REFUSED)
        if self.code == ErrorCode.ENROLLMENT_REFUSED:
            return ErrorCode.ENROLLMENT_REFUSED
        known = _SERVER_CODES.get(self.code)
        return known if known is not None else ErrorCode.ENROLLMENT_REFUSED


class ProtocolTooOld(ServerRefused):
    """The server no longer speaks this app's protocol version: update the app."""

    def problem(self) -> tuple[ErrorCode, dict[str, Any]]:
        return ErrorCode.PROTOCOL_TOO_OLD, {}
