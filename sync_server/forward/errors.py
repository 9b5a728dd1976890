"""The nightly forward's exceptions, grouped by what the caller does next.

* :class:`ForwardConfigError`: the configuration cannot work; fix it and restart.
* :class:`DeliveryError`: one attempt failed in a way worth retrying (timeout, 5xx).
* :class:`DeliveryUnknown`: the batch was sent and no answer came; the county may have
  stored it. Ask the county by idempotency key before sending again or giving up.
* :class:`DeliveryRejected`: the county refused the batch; retrying the same bytes
  cannot help, an administrator must look.
* :class:`BatchNotFound`: an administrator named a batch that does not exist.
* :class:`ForwardBusy`: another forward run holds the lease; try again later.
"""

from __future__ import annotations

from shared.errors import LasnaError, RejectedInput


class ForwardError(LasnaError):
    """Base of every error the forward raises on purpose."""


class ForwardConfigError(ForwardError, RejectedInput):
    """The forward's configuration is incomplete or inconsistent."""


class DeliveryError(ForwardError):
    """One delivery attempt failed in a way that a later attempt may not (retry)."""


class DeliveryUnknown(DeliveryError):
    """The batch left and no answer came back: it may or may not be stored (ask first)."""


class DeliveryRejected(ForwardError):
    """The county answered that it will never accept this batch as it is."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class BatchNotFound(ForwardError):
    """No batch with the given id is in the outbox."""


class ForwardBusy(ForwardError):
    """Another forward run is in progress (it holds the outbox lease)."""
