"""The device's encrypted offline store (see docs/security.md for what it protects)."""

from shared.crypto import DEFAULT_KDF, KdfParams

from .errors import (
    CannotOpen,
    PinLockedOut,
    RecordNotAllowed,
    RecordOutOfRange,
    StoreClosed,
    StoreError,
    StoreLocked,
    StoreProblem,
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
    "Attention",
    "AuditEntry",
    "CannotOpen",
    "KdfParams",
    "Participant",
    "PinFault",
    "PinLockedOut",
    "RecordNotAllowed",
    "RecordOutOfRange",
    "SaveResult",
    "Store",
    "StoreClosed",
    "StoreError",
    "StoreLocked",
    "StoreProblem",
    "SupervisorError",
    "SupervisorInfo",
    "TooEarly",
    "UnlockFailed",
    "WeakPin",
    "WrongPin",
    "pin_fault",
]
