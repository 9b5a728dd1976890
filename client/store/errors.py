"""The store's exceptions, grouped by what the caller does next.

* :class:`StoreLocked`: ask a supervisor to unlock, then try again.
* :class:`WrongPin`: let the person try again (``remaining`` attempts are left).
* :class:`TooEarly`: wait until ``retry_after``.
* :class:`PinLockedOut`: another supervisor must reset this supervisor's PIN.
* :class:`CannotOpen`: stop; the data is not this device's or was changed. Never
  retry it, never tell a person more than the message says.
* :class:`SupervisorError`: the request about supervisors cannot be done as asked.

Beside its English sentence every error has a stable machine code from
:class:`StoreProblem` and simple ``params``, so that an app can say it in the
supervisor's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared import LasnaError, crypto
from shared.bounds import EARLIEST_DAY, LATEST_DAY


class StoreProblem(StrEnum):
    """What went wrong in the store, as a stable code."""

    FAILED = "failed"  # anything not named below (a fault, not a person's mistake)
    LOCKED = "locked"
    LOCKED_IDLE = "locked_idle"
    CLOSED = "closed"
    UNLOCK_FAILED = "unlock_failed"
    WRONG_PIN = "wrong_pin"  # params: remaining, retry_after (datetime or None)
    TOO_EARLY = "too_early"  # params: retry_after (datetime)
    PIN_LOCKED_OUT = "pin_locked_out"
    CANNOT_OPEN = "cannot_open"
    NOT_THIS_DEVICE = "not_this_device"  # the store was made with another device secret
    SUPERVISOR_REFUSED = "supervisor_refused"
    SUPERVISOR_UNKNOWN = "supervisor_unknown"
    SUPERVISOR_EXISTS = "supervisor_exists"
    ALREADY_SET_UP = "already_set_up"
    OWN_PIN = "own_pin"
    REMOVE_SELF = "remove_self"
    NAME_MISSING = "name_missing"
    WEAK_PIN = "weak_pin"  # params: min_length
    RECORD_NOT_ALLOWED = "record_not_allowed"
    RECORD_OTHER_AUTHOR = "record_other_author"
    RECORD_ID_TAKEN = "record_id_taken"
    MONTH_INVALID = "month_invalid"  # params: month
    DATE_OUT_OF_RANGE = "date_out_of_range"  # params: field, earliest, latest


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class StoreError(LasnaError):
    """Base of every error the device's store raises on purpose."""

    default_code = StoreProblem.FAILED

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

    default_code = StoreProblem.LOCKED

    def __init__(
        self,
        message: str = "The store is locked: unlock it with a PIN first.",
        *,
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code)


class StoreClosed(StoreError):
    """The store was closed; open it again."""

    default_code = StoreProblem.CLOSED

    def __init__(self) -> None:
        super().__init__("The store has been closed: open it again to use it.")


class UnlockFailed(StoreError):
    """An unlock (or a PIN check) did not succeed."""

    default_code = StoreProblem.UNLOCK_FAILED


class WrongPin(UnlockFailed):
    """The PIN was wrong; ``remaining`` attempts are left, the next one from ``retry_after``."""

    default_code = StoreProblem.WRONG_PIN

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

    default_code = StoreProblem.TOO_EARLY

    def __init__(self, retry_after: datetime) -> None:
        self.retry_after = retry_after
        super().__init__(
            f"Too many wrong PINs in a row: wait until {_at(retry_after)} before trying again.",
            params={"retry_after": retry_after},
        )


class PinLockedOut(UnlockFailed):
    """The supervisor's PIN is locked after too many wrong attempts."""

    default_code = StoreProblem.PIN_LOCKED_OUT

    def __init__(self, supervisor_id: str) -> None:
        self.supervisor_id = supervisor_id
        super().__init__(
            "This PIN is locked after too many wrong attempts: another supervisor must "
            "unlock the device and reset it."
        )


class CannotOpen(StoreError, crypto.CannotOpen):
    """Stored data cannot be opened: it is not sealed under this device's keys or was changed."""

    default_code = StoreProblem.CANNOT_OPEN

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        StoreError.__init__(
            self,
            message
            or "The stored data cannot be opened: it was sealed under another key or changed.",
            code=code,
        )


class SupervisorError(StoreError):
    """A request about supervisors that cannot be done as asked (the message says why)."""

    default_code = StoreProblem.SUPERVISOR_REFUSED


class WeakPin(SupervisorError):
    """A new PIN is too short."""

    default_code = StoreProblem.WEAK_PIN


class RecordNotAllowed(StoreError):
    """A record cannot be saved through this session (for example, it names another author)."""

    default_code = StoreProblem.RECORD_NOT_ALLOWED


class RecordOutOfRange(RecordNotAllowed):
    """A day or time lies outside the range the protocol accepts (shared.bounds)."""

    default_code = StoreProblem.DATE_OUT_OF_RANGE

    def __init__(self, message: str, field: str) -> None:
        super().__init__(
            message,
            params={
                "field": field,
                "earliest": EARLIEST_DAY.isoformat(),
                "latest": LATEST_DAY.isoformat(),
            },
        )
