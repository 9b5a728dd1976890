"""The device's sync: enrollment, push and pull rounds, and their schedule."""

from client.sync.client import SyncClient, check_server_url
from client.sync.errors import (
    EnrollmentError,
    NotEnrolled,
    ProtocolTooOld,
    ServerRefused,
    SyncError,
    SyncProblem,
    Unreachable,
)
from client.sync.scheduler import SyncScheduler
from client.sync.state import Enrollment, SyncReport, SyncState
from client.sync.transport import DEFAULT_TIMEOUT, Backoff

__all__ = [
    "DEFAULT_TIMEOUT",
    "Backoff",
    "Enrollment",
    "EnrollmentError",
    "NotEnrolled",
    "ProtocolTooOld",
    "ServerRefused",
    "SyncClient",
    "SyncError",
    "SyncProblem",
    "SyncReport",
    "SyncScheduler",
    "SyncState",
    "Unreachable",
    "check_server_url",
]
