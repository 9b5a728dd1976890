"""What the UI can ask about sync, and what one sync round did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Enrollment:
    server_url: str
    device_id: str
    site_id: str
    site_name: str
    credential: str = field(repr=False)  # never printed or logged
    server_key: bytes | None = None  # what outbox entries are sealed to (None: older server)


@dataclass(frozen=True, slots=True)
class SyncState:
    online: bool | None  # None: not tried since the app started
    last_success: datetime | None
    pending: int  # versions waiting in the outbox
    last_error: str | None  # a sentence for the supervisor; None after a good round
    conflicts: int  # versions the server answered "conflict", waiting for a supervisor
    rejections: int  # versions the server answered "rejected"
    in_progress: bool
    waiting_for_unlock: bool = False  # the store is locked: sync resumes after unlocking
    update_required: bool = False  # the server no longer speaks this app's protocol
    enrolled: bool = True
    # the last error as a stable code (shared.error_codes.ErrorCode) and its simple params,
    # for the screen to say in the supervisor's language (None without an error, or when
    # an older version of the app wrote only the sentence)
    last_error_code: str | None = None
    last_error_params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SyncReport:
    """One round: what was pushed and pulled, and how it ended."""

    started_at: datetime
    pushed: int = 0
    accepted: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled_records: int = 0
    reference_updated: bool = False
    months_sent: int = 0
    audit_sent: int = 0  # audit entries the server now keeps
    months_reopened: int = 0  # an administrator opened them again (issue 10)
    ok: bool = False
    skipped: str | None = None  # "in_progress", "locked", "not_enrolled"
    error: str | None = None  # an English sentence (logs, tests)
    error_code: str | None = None  # shared.error_codes.ErrorCode value beside it
    error_params: dict[str, Any] = field(default_factory=dict)
