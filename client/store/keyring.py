"""Supervisors' key slots: PIN → key-encryption key → private key → data keys.

Each supervisor has an X25519 key pair. The private key is wrapped under a key
derived by scrypt from the supervisor's PIN and the device secret; every live data
key version is sealed to the public key (a *key slot*). So a PIN change re-wraps one
private key and nothing else, and a data-key rotation can hand the new key to every
supervisor without knowing their PINs. The public key itself is sealed under the data
key, so that only an unlocked session can add a key slot.

Wrong PINs are counted per supervisor *before* the key derivation runs: killing the
app mid-attempt cannot win a free guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from shared import crypto
from shared.error_codes import ErrorCode

from .errors import (
    CannotOpen,
    PinLockedOut,
    SupervisorError,
    TooEarly,
    WeakPin,
    WrongPin,
)
from .pin_rules import MIN_DIGITS, PinFault, pin_fault
from .session import Session

FREE_ATTEMPTS = 3  # wrong PINs allowed without any wait
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)


def delay_after(failures: int) -> timedelta | None:
    """The wait after the ``failures``-th wrong PIN in a row: none, then 30 s, doubling."""
    if failures <= FREE_ATTEMPTS:
        return None
    delay: timedelta = FIRST_DELAY * 2 ** (failures - FREE_ATTEMPTS - 1)
    return min(delay, MAX_DELAY)


_WEAK_PIN_SAYS = {
    PinFault.FORMAT: f"A PIN must have {MIN_DIGITS} to 12 digits and nothing else.",
    PinFault.SAME_DIGIT: "A PIN of one digit repeated is the first one guessed.",
    PinFault.RUN: "A PIN that counts up or down (123456, 654321) is among the first guessed.",
    PinFault.COMMON: "That PIN is among the most common ones, which are guessed first.",
}


def check_new_pin(pin: str) -> None:
    """Refuse a PIN that fails the rules of :mod:`.pin_rules` (the message says why)."""
    fault = pin_fault(pin)
    if fault is not None:
        raise WeakPin(
            _WEAK_PIN_SAYS[fault], params={"min_length": MIN_DIGITS, "fault": fault.value}
        )


def _at(moment: datetime) -> str:
    return moment.isoformat()


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _wrap_aad(supervisor_id: str, salt: bytes, params: crypto.KdfParams) -> bytes:
    return crypto.associated_data(
        "supervisors",
        supervisor_id,
        "wrapped_private",
        0,
        salt.hex(),
        str(params.n),
        str(params.r),
        str(params.p),
    )


def _slot_aad(supervisor_id: str, version: int) -> bytes:
    return crypto.associated_data("key_slots", supervisor_id, "envelope", version)


@dataclass(frozen=True, slots=True)
class PinSlot:
    """The clear columns that hold one supervisor's wrapped private key."""

    kdf_salt: bytes
    kdf_n: int
    kdf_r: int
    kdf_p: int
    wrapped_private: bytes

    def columns(self) -> dict[str, Any]:
        return {
            "kdf_salt": self.kdf_salt,
            "kdf_n": self.kdf_n,
            "kdf_r": self.kdf_r,
            "kdf_p": self.kdf_p,
            "wrapped_private": self.wrapped_private,
        }


def pin_slot(
    supervisor_id: str, pin: str, private_key: bytes, device_secret: bytes, params: crypto.KdfParams
) -> PinSlot:
    """``private_key`` wrapped under a fresh salt and the PIN's key."""
    salt = crypto.new_salt()
    kek = crypto.derive_kek(pin, device_secret, salt, params)
    wrapped = crypto.wrap_key(kek, private_key, _wrap_aad(supervisor_id, salt, params))
    return PinSlot(salt, params.n, params.r, params.p, wrapped)


def open_pin_slot(row: dict[str, Any], pin: str, device_secret: bytes) -> bytes:
    """The private key in ``row``; :class:`crypto.CannotOpen` when the PIN is wrong."""
    params = crypto.KdfParams(row["kdf_n"], row["kdf_r"], row["kdf_p"])
    kek = crypto.derive_kek(pin, device_secret, row["kdf_salt"], params)
    aad = _wrap_aad(row["id"], row["kdf_salt"], params)
    return crypto.unwrap_key(kek, row["wrapped_private"], aad)


def slot_params(row: dict[str, Any]) -> crypto.KdfParams:
    return crypto.KdfParams(row["kdf_n"], row["kdf_r"], row["kdf_p"])


def key_slot_rows(
    supervisor_id: str, public_key: bytes, data_keys: dict[int, bytes]
) -> list[dict[str, Any]]:
    return [
        {
            "supervisor_id": supervisor_id,
            "key_version": version,
            "envelope": crypto.seal_to(public_key, key, _slot_aad(supervisor_id, version)),
        }
        for version, key in sorted(data_keys.items())
    ]


def supervisor_row(
    session: Session,
    supervisor_id: str,
    display_name: str,
    slot: PinSlot,
    public_key: bytes,
    *,
    now: datetime,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": supervisor_id,
        "display_name": display_name,
        "created_at": _at(now),
        **slot.columns(),
        "failed_attempts": 0,
        "retry_after": None,
        "locked_out": 0,
    }
    row["public_key"], row["key_version"] = session.seal("supervisors", row, public_key)
    return row


def supervisor_by_id(db: Database, supervisor_id: str, *, missing_ok: bool = False) -> Any:
    """The supervisor's row as a dict (None when missing and ``missing_ok``)."""
    rows = list(db.query("SELECT * FROM supervisors WHERE id = ?", [supervisor_id]))
    if not rows:
        if missing_ok:
            return None
        raise SupervisorError(
            f"There is no supervisor {supervisor_id!r} on this device.",
            code=ErrorCode.SUPERVISOR_UNKNOWN,
        )
    return rows[0]


def new_supervisor(
    session: Session,
    device_secret: bytes,
    params: crypto.KdfParams,
    supervisor_id: str,
    display_name: str,
    pin: str,
    *,
    now: datetime,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A supervisor row with a fresh key pair, and key slots for every live data key."""
    private, public = crypto.new_key_pair()
    slot = pin_slot(supervisor_id, pin, private, device_secret, params)
    row = supervisor_row(session, supervisor_id, display_name, slot, public, now=now)
    keys = {v: session.data_key(v) for v in session.versions()}
    return row, key_slot_rows(supervisor_id, public, keys)


def insert_supervisor(db: Database, row: dict[str, Any], slots: list[dict[str, Any]]) -> None:
    columns = ", ".join(row)
    marks = ", ".join(f":{c}" for c in row)
    db.conn.execute(f"INSERT INTO supervisors ({columns}) VALUES ({marks})", row)
    db.conn.executemany(
        "INSERT INTO key_slots (supervisor_id, key_version, envelope) "
        "VALUES (:supervisor_id, :key_version, :envelope)",
        slots,
    )


def rewrap(
    db: Database,
    device_secret: bytes,
    params: crypto.KdfParams,
    supervisor_id: str,
    pin: str,
    private_key: bytes,
) -> None:
    """Wrap the supervisor's private key under ``pin`` with a new salt and ``params``."""
    columns = pin_slot(supervisor_id, pin, private_key, device_secret, params).columns()
    sets = ", ".join(f"{c} = :{c}" for c in columns)
    db.execute(f"UPDATE supervisors SET {sets} WHERE id = :id", {**columns, "id": supervisor_id})


def live_versions(db: Database) -> list[int]:
    return [
        r["version"]
        for r in db.query("SELECT version FROM data_keys WHERE state != 'retired' ORDER BY version")
    ]


def open_data_keys(db: Database, supervisor_id: str, private_key: bytes) -> dict[int, bytes]:
    """Every live data key from this supervisor's key slots; :class:`CannotOpen` if one fails."""
    slots = {
        r["key_version"]: r["envelope"]
        for r in db.query(
            "SELECT key_version, envelope FROM key_slots WHERE supervisor_id = ?", [supervisor_id]
        )
    }
    keys: dict[int, bytes] = {}
    for version in live_versions(db):
        if version not in slots:
            raise CannotOpen()
        try:
            key = crypto.open_from(private_key, slots[version], _slot_aad(supervisor_id, version))
        except crypto.CannotOpen:
            raise CannotOpen() from None
        if len(key) != crypto.KEY_BYTES:
            raise CannotOpen()
        keys[version] = key
    if not keys:
        raise CannotOpen()
    return keys


class Attempts:
    """Counting wrong PINs for one supervisor, with growing waits and a lockout."""

    def __init__(self, db: Database, max_attempts: int) -> None:
        self._db = db
        self._max = max_attempts

    @property
    def max_attempts(self) -> int:
        return self._max

    def admit(self, row: dict[str, Any], *, now: datetime) -> int:
        """Refuse a locked or throttled slot; otherwise count this attempt as failed.

        Returns the number of failures counted so far, this attempt included; a
        correct PIN then calls :meth:`succeeded` to clear it.
        """
        if row["locked_out"]:
            raise PinLockedOut(row["id"])
        retry_after = _parse(row["retry_after"])
        if retry_after is not None and now < retry_after:
            raise TooEarly(retry_after)
        failures = int(row["failed_attempts"]) + 1
        delay = delay_after(failures)
        self._db.execute(
            "UPDATE supervisors SET failed_attempts = ?, retry_after = ?, locked_out = ? "
            "WHERE id = ?",
            [
                failures,
                _at(now + delay) if delay is not None else None,
                int(failures >= self._max),
                row["id"],
            ],
        )
        return failures

    def failed(self, row: dict[str, Any], failures: int, *, now: datetime) -> Exception:
        """The exception for a wrong PIN (the failure is already counted)."""
        if failures >= self._max:
            return PinLockedOut(row["id"])
        delay = delay_after(failures)
        return WrongPin(self._max - failures, now + delay if delay is not None else None)

    def succeeded(self, supervisor_id: str) -> None:
        self._db.execute(
            "UPDATE supervisors SET failed_attempts = 0, retry_after = NULL, locked_out = 0 "
            "WHERE id = ?",
            [supervisor_id],
        )
