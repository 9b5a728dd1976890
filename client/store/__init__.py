"""The device's encrypted offline store (see docs/security.md for what it protects)."""

from shared.crypto import DEFAULT_KDF, KdfParams

from .errors import (
    CannotOpen,
    PinLockedOut,
    RecordNotAllowed,
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
from .store import Store

__all__ = [
    "DEFAULT_KDF",
    "Attention",
    "AuditEntry",
    "CannotOpen",
    "KdfParams",
    "Participant",
    "PinLockedOut",
    "RecordNotAllowed",
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
]
