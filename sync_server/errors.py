"""The sync server's exceptions, grouped by what the caller does next.

* :class:`ConfigError` — the operator fixes the configuration and starts again.
* :class:`ImportRefused` — the county fixes its file; nothing of it was written.
* :class:`AdminError` — an admin command named something that does not exist.
* :class:`Refused` — an HTTP request the server will not serve; each subclass knows
  its status code and stable error code, and the message is shown to the device.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from shared.error_codes import ErrorCode
from shared.errors import LasnaError, RejectedInput


class SyncServerError(LasnaError):
    """Base of every error the sync server raises on purpose."""


class ConfigError(SyncServerError):
    """The server's configuration cannot work: fix it and start again."""


class AdminError(SyncServerError):
    """An admin command cannot be carried out as given."""


class ImportRefused(RejectedInput, SyncServerError):
    """A county file was refused as a whole; ``errors`` are line-numbered sentences."""

    def __init__(self, path: str, errors: Sequence[str]) -> None:
        self.path = path
        self.errors = list(errors)
        shown = "\n".join(f"  {e}" for e in self.errors[:50])
        more = f"\n  … and {len(self.errors) - 50} more." if len(self.errors) > 50 else ""
        super().__init__(
            f"Nothing was imported from {path}: {len(self.errors)} error(s).\n{shown}{more}"
        )


class Refused(SyncServerError):
    """A request refused with an HTTP status, a stable code and details."""

    status: ClassVar[int] = 400
    code: ClassVar[ErrorCode] = ErrorCode.BAD_REQUEST

    def __init__(self, message: str, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})


class BadRequest(Refused):
    status = 400
    code = ErrorCode.BAD_REQUEST


class ProtocolMissing(Refused):
    status = 400
    code = ErrorCode.PROTOCOL_MISSING


class ProtocolUnsupported(Refused):
    status = 426
    code = ErrorCode.PROTOCOL_UNSUPPORTED


class NotAuthenticated(Refused):
    status = 401
    code = ErrorCode.NOT_AUTHENTICATED


class EnrollmentRefused(Refused):
    status = 403
    code = ErrorCode.ENROLLMENT_REFUSED


class ForbiddenParticipant(Refused):
    status = 403
    code = ErrorCode.PARTICIPANT_OF_ANOTHER_SITE


class ForbiddenSite(Refused):
    status = 403
    code = ErrorCode.ANOTHER_SITE


class UnknownParticipant(Refused):
    status = 422
    code = ErrorCode.UNKNOWN_PARTICIPANT


class NotFound(Refused):
    status = 404
    code = ErrorCode.NOT_FOUND


class BatchTooLarge(Refused):
    status = 413
    code = ErrorCode.BATCH_TOO_LARGE


class SealedUnreadable(Refused):
    status = 422
    code = ErrorCode.SEALED_UNREADABLE


class ServerRestored(Refused):
    """The push names another generation of the data: the server was restored."""

    status = 409
    code = ErrorCode.SERVER_RESTORED


class MalformedBody(Refused):
    status = 422
    code = ErrorCode.MALFORMED_BODY


class MonthNotOver(Refused):
    status = 422
    code = ErrorCode.MONTH_NOT_OVER


class SupervisorUnknown(Refused):
    status = 422
    code = ErrorCode.CLOSER_UNKNOWN


class TooManyFailures(Refused):
    """Repeated failures from one address; ``retry_after`` seconds until the next try."""

    status = 429
    code = ErrorCode.TOO_MANY_FAILURES

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, {"retry_after_seconds": retry_after})
        self.retry_after = retry_after
