"""The device's encrypted offline store (see docs/security.md for what it protects)."""

from shared.crypto import DEFAULT_KDF, KdfParams
from shared.error_codes import ErrorCode

from .errors import (
    STORE_PROBLEMS,
    CannotOpen,
    PinLockedOut,
    RecordNotAllowed,
    RecordOutOfRange,
    RecordTextTooLong,
    StoreClosed,
    StoreError,
    StoreLocked,
    SupervisorError,
    TooEarly,
    UnlockFailed,
    WeakPin,
    WrongPin,
)
from .models import Attention, AuditEntry, Participant, SaveResult, SupervisorInfo
from .pin_rules import MAX_DIGITS, MIN_DIGITS, PinFault, pin_fault
from .store import Store

__all__ = [
    "DEFAULT_KDF",
    "MAX_DIGITS",
    "MIN_DIGITS",
    "STORE_PROBLEMS",
    "Attention",
    "AuditEntry",
    "CannotOpen",
    "ErrorCode",
    "KdfParams",
    "Participant",
    "PinFault",
    "PinLockedOut",
    "RecordNotAllowed",
    "RecordOutOfRange",
    "RecordTextTooLong",
    "SaveResult",
    "Store",
    "StoreClosed",
    "StoreError",
    "StoreLocked",
    "SupervisorError",
    "SupervisorInfo",
    "TooEarly",
    "UnlockFailed",
    "WeakPin",
    "WrongPin",
    "pin_fault",
]
