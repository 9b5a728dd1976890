"""The store's exceptions, grouped by what the caller does next.

* :class:`StoreLocked`: ask a supervisor to unlock, then try again.
* :class:`WrongPin`: let the person try again (``remaining`` attempts are left).
* :class:`TooEarly`: wait until ``retry_after``.
* :class:`PinLockedOut`: another supervisor must reset this supervisor's PIN.
* :class:`CannotOpen`: stop; the data is not this device's or was changed. Never
  retry it, never tell a person more than the message says.
* :class:`SupervisorError`: the request about supervisors cannot be done as asked.
"""

from __future__ import annotations

from datetime import datetime

from shared import LasnaError, crypto


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class StoreError(LasnaError):
    """Base of every error the device's store raises on purpose."""


class StoreLocked(StoreError):
    """The store is locked (never unlocked, locked by hand, or idle for too long)."""

    def __init__(self, message: str = "The store is locked: unlock it with a PIN first.") -> None:
        super().__init__(message)


class StoreClosed(StoreError):
    """The store was closed; open it again."""

    def __init__(self) -> None:
        super().__init__("The store has been closed: open it again to use it.")


class UnlockFailed(StoreError):
    """An unlock (or a PIN check) did not succeed."""


class WrongPin(UnlockFailed):
    """The PIN was wrong; ``remaining`` attempts are left, the next one from ``retry_after``."""

    def __init__(self, remaining: int, retry_after: datetime | None) -> None:
        self.remaining = remaining
        self.retry_after = retry_after
        wait = f" The next attempt is possible from {_at(retry_after)}." if retry_after else ""
        super().__init__(
            f"The PIN is wrong. {remaining} attempt{'s' if remaining != 1 else ''} "
            f"remain{'s' if remaining == 1 else ''} before the PIN is locked.{wait}"
        )


class TooEarly(UnlockFailed):
    """Attempts are being throttled after wrong PINs; wait until ``retry_after``."""

    def __init__(self, retry_after: datetime) -> None:
        self.retry_after = retry_after
        super().__init__(
            f"Too many wrong PINs in a row: wait until {_at(retry_after)} before trying again."
        )


class PinLockedOut(UnlockFailed):
    """The supervisor's PIN is locked after too many wrong attempts."""

    def __init__(self, supervisor_id: str) -> None:
        self.supervisor_id = supervisor_id
        super().__init__(
            "This PIN is locked after too many wrong attempts: another supervisor must "
            "unlock the device and reset it."
        )


class CannotOpen(StoreError, crypto.CannotOpen):
    """Stored data cannot be opened: it is not sealed under this device's keys or was changed."""

    def __init__(self, message: str | None = None) -> None:
        StoreError.__init__(
            self,
            message
            or "The stored data cannot be opened: it was sealed under another key or changed.",
        )


class SupervisorError(StoreError):
    """A request about supervisors that cannot be done as asked (the message says why)."""


class WeakPin(SupervisorError):
    """A new PIN is too short."""


class RecordNotAllowed(StoreError):
    """A record cannot be saved through this session (for example, it names another author)."""
