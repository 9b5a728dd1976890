"""The device's sync: enrollment, push and pull rounds, and their schedule."""

from client.sync.client import SyncClient, check_server_url
from client.sync.errors import (
    SYNC_PROBLEMS,
    EnrollmentError,
    NotEnrolled,
    ProtocolTooOld,
    ServerRefused,
    SyncError,
    Unreachable,
)
from client.sync.scheduler import SyncScheduler
from client.sync.state import Enrollment, SyncReport, SyncState
from client.sync.transport import DEFAULT_TIMEOUT, Backoff
from shared.error_codes import ErrorCode

__all__ = [
    "DEFAULT_TIMEOUT",
    "SYNC_PROBLEMS",
    "Backoff",
    "Enrollment",
    "EnrollmentError",
    "ErrorCode",
    "NotEnrolled",
    "ProtocolTooOld",
    "ServerRefused",
    "SyncClient",
    "SyncError",
    "SyncReport",
    "SyncScheduler",
    "SyncState",
    "Unreachable",
    "check_server_url",
]
