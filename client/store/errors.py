"""The store's exceptions, grouped by what the caller does next.

* :class:`StoreLocked`: ask a supervisor to unlock, then try again.
* :class:`WrongPin`: let the person try again (``remaining`` attempts are left).
* :class:`TooEarly`: wait until ``retry_after``.
* :class:`PinLockedOut`: another supervisor must reset this supervisor's PIN.
* :class:`CannotOpen`: stop; the data is not this device's or was changed. Never
  retry it, never tell a person more than the message says.
* :class:`SupervisorError`: the request about supervisors cannot be done as asked.

Beside its English sentence every error has a stable machine code from
:class:`shared.error_codes.ErrorCode` (one of :data:`STORE_PROBLEMS`) and simple
``params``, so that an app can say it in the supervisor's language. The codes are the
same enum as the server's and the sync client's, though they never cross the wire.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared import LasnaError, crypto
from shared.bounds import EARLIEST_DAY, LATEST_DAY
from shared.error_codes import ErrorCode

# The codes the store puts on its errors (each has a text in client.app.texts.problem_texts).
STORE_PROBLEMS: frozenset[ErrorCode] = frozenset(
    {
        ErrorCode.FAILED,
        ErrorCode.LOCKED,
        ErrorCode.LOCKED_IDLE,
        ErrorCode.CLOSED,
        ErrorCode.UNLOCK_FAILED,
        ErrorCode.WRONG_PIN,
        ErrorCode.TOO_EARLY,
        ErrorCode.PIN_LOCKED_OUT,
        ErrorCode.CANNOT_OPEN,
        ErrorCode.NOT_THIS_DEVICE,
        ErrorCode.SUPERVISOR_REFUSED,
        ErrorCode.SUPERVISOR_UNKNOWN,
        ErrorCode.SUPERVISOR_EXISTS,
        ErrorCode.ALREADY_SET_UP,
        ErrorCode.OWN_PIN,
        ErrorCode.REMOVE_SELF,
        ErrorCode.NAME_MISSING,
        ErrorCode.WEAK_PIN,
        ErrorCode.RECORD_NOT_ALLOWED,
        ErrorCode.RECORD_OTHER_AUTHOR,
        ErrorCode.RECORD_ID_TAKEN,
        ErrorCode.MONTH_INVALID,
        ErrorCode.DATE_OUT_OF_RANGE,
        ErrorCode.TEXT_TOO_LONG,
    }
)


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class StoreError(LasnaError):
    """Base of every error the device's store raises on purpose."""

    default_code = ErrorCode.FAILED

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


class StoreLocked(StoreError):
    """The store is locked (never unlocked, locked by hand, or idle for too long)."""

    default_code = ErrorCode.LOCKED

    def __init__(
        self,
        message: str = "The store is locked: unlock it with a PIN first.",
        *,
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code)


class StoreClosed(StoreError):
    """The store was closed; open it again."""

    default_code = ErrorCode.CLOSED

    def __init__(self) -> None:
        super().__init__("The store has been closed: open it again to use it.")


class UnlockFailed(StoreError):
    """An unlock (or a PIN check) did not succeed."""

    default_code = ErrorCode.UNLOCK_FAILED


class WrongPin(UnlockFailed):
    """The PIN was wrong; ``remaining`` attempts are left, the next one from ``retry_after``."""

    default_code = ErrorCode.WRONG_PIN

    def __init__(self, remaining: int, retry_after: datetime | None) -> None:
        self.remaining = remaining
        self.retry_after = retry_after
        wait = f" The next attempt is possible from {_at(retry_after)}." if retry_after else ""
        super().__init__(
            f"The PIN is wrong. {remaining} attempt{'s' if remaining != 1 else ''} "
            f"remain{'s' if remaining == 1 else ''} before the PIN is locked.{wait}",
            params={"remaining": remaining, "retry_after": retry_after},
        )


class TooEarly(UnlockFailed):
    """Attempts are being throttled after wrong PINs; wait until ``retry_after``."""

    default_code = ErrorCode.TOO_EARLY

    def __init__(self, retry_after: datetime) -> None:
        self.retry_after = retry_after
        super().__init__(
            f"Too many wrong PINs in a row: wait until {_at(retry_after)} before trying again.",
            params={"retry_after": retry_after},
        )


class PinLockedOut(UnlockFailed):
    """The supervisor's PIN is locked after too many wrong attempts."""

    default_code = ErrorCode.PIN_LOCKED_OUT

    def __init__(self, supervisor_id: str) -> None:
        self.supervisor_id = supervisor_id
        super().__init__(
            "This PIN is locked after too many wrong attempts: another supervisor must "
            "unlock the device and reset it."
        )


class CannotOpen(StoreError, crypto.CannotOpen):
    """Stored data cannot be opened: it is not sealed under this device's keys or was changed."""

    default_code = ErrorCode.CANNOT_OPEN

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        StoreError.__init__(
            self,
            message
            or "The stored data cannot be opened: it was sealed under another key or changed.",
            code=code,
        )


class SupervisorError(StoreError):
    """A request about supervisors that cannot be done as asked (the message says why)."""

    default_code = ErrorCode.SUPERVISOR_REFUSED


class WeakPin(SupervisorError):
    """A new PIN is too short."""

    default_code = ErrorCode.WEAK_PIN


class RecordNotAllowed(StoreError):
    """A record cannot be saved through this session (for example, it names another author)."""

    default_code = ErrorCode.RECORD_NOT_ALLOWED


class RecordOutOfRange(RecordNotAllowed):
    """A day or time lies outside the range the protocol accepts (shared.bounds)."""

    default_code = ErrorCode.DATE_OUT_OF_RANGE

    def __init__(self, message: str, field: str) -> None:
        super().__init__(
            message,
            params={
                "field": field,
                "earliest": EARLIEST_DAY.isoformat(),
                "latest": LATEST_DAY.isoformat(),
            },
        )


class RecordTextTooLong(RecordNotAllowed):
    """A note or a correction reason is longer than the server accepts (shared.bounds)."""

    default_code = ErrorCode.TEXT_TOO_LONG

    def __init__(self, message: str, field: str, limit: int) -> None:
        super().__init__(message, params={"field": field, "limit": limit})
