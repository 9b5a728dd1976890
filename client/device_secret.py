"""The device secret: 32 random bytes kept outside the database file.

The store's PIN keys are derived from the PIN *and* this secret, so the database file
alone is useless to someone guessing PINs. On phones the app keeps the secret in the
platform's secure storage (flet-secure-storage). On desktops
:func:`load_or_create_desktop_secret` keeps it in the operating system's keyring
(Windows Credential Manager, macOS Keychain, Secret Service) when there is one, and
otherwise in a file only its owner can read (:func:`load_or_create_device_secret`): a
file beside the database travels with a copied app folder, a keyring entry does not.
Either way the store only sees bytes.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import os
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from client.store.errors import StoreError
from shared.crypto import DEVICE_SECRET_BYTES, random_bytes

log = logging.getLogger(__name__)

KEYRING_SERVICE = "Läsnä device secret"


class SecretPlace(StrEnum):
    """Where this device keeps its secret (the settings screen says which)."""

    KEYRING = "keyring"  # the desktop's keyring
    FILE = "file"  # a 0600 file beside the database (no keyring on this system)
    PLATFORM = "platform"  # the phone's keystore / keychain


@dataclass(frozen=True, slots=True)
class DeviceSecret:
    value: bytes
    place: SecretPlace


class DeviceSecretError(StoreError):
    """The device secret file exists but cannot be used (the message says why)."""


def load_or_create_device_secret(path: Path) -> bytes:
    """The secret in ``path``, creating it (mode 0600, in a 0700 folder) on first use."""
    path = Path(path)
    if not path.exists():
        _create(path)
    return _load(path)


def _create(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(random_bytes(DEVICE_SECRET_BYTES))
            f.flush()
            os.fsync(f.fileno())
        # link, not rename: if another process made the secret meanwhile, theirs wins
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _load(path: Path) -> bytes:
    info = path.stat()
    if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise DeviceSecretError(
            f"The device secret {path} can be read by other users: it must be readable by "
            "its owner only (chmod 600). If others may have read it, treat it as exposed."
        )
    data = path.read_bytes()
    if len(data) != DEVICE_SECRET_BYTES:
        raise DeviceSecretError(
            f"The device secret {path} is damaged: it must hold exactly "
            f"{DEVICE_SECRET_BYTES} bytes."
        )
    return data


def load_or_create_desktop_secret(
    key_file: Path, entry: str, database: Path | None = None
) -> DeviceSecret:
    """The secret from the keyring (moving an older key file's secret there first), or
    from ``key_file`` when this system has no usable keyring.

    ``entry`` names the secret in the keyring; one per database, so two stores on one
    machine never share a secret. When the keyring fails while ``database`` already
    exists and there is no key file, its secret is most likely in that keyring: a new
    secret could never open it, so say so instead of making one.
    """
    backend = usable_keyring()
    if backend is not None:
        try:
            secret = _keyring_secret(backend, key_file, entry, database)
        except DeviceSecretError:
            raise
        except Exception as exc:  # each backend raises its own kinds (D-Bus, Win32, ...)
            log.warning("The keyring could not keep the device secret: %s", exc)
            if database is not None and database.exists() and not key_file.exists():
                raise DeviceSecretError(
                    f"The system keyring did not answer ({exc}), and the device secret of "
                    f"{database} is most likely kept there. Unlock the keyring (sign in to "
                    "the desktop session) and start the app again."
                ) from exc
            secret = None
        if secret is not None:
            return DeviceSecret(secret, SecretPlace.KEYRING)
    return DeviceSecret(load_or_create_device_secret(key_file), SecretPlace.FILE)


def usable_keyring() -> Any | None:
    """The system's keyring backend, or None when there is none worth the name.

    keyring is absent from the phone build, and its ``fail`` and ``null`` backends
    (a desktop without Secret Service, a server) keep nothing: all mean "use the file".
    """
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration is still "no keyring"
        log.warning("No keyring: %s", exc)
        return None
    if isinstance(backend, fail.Keyring | null.Keyring) or backend.priority <= 0:
        return None
    return backend


def _keyring_secret(
    backend: Any, key_file: Path, entry: str, database: Path | None
) -> bytes | None:
    stored = backend.get_password(KEYRING_SERVICE, entry)
    if stored:
        return _decode(stored, entry)
    # an older install kept the secret in a file: move it, or the store would not open
    moving = key_file.exists()
    if not moving and database is not None and _has_data(database):
        # the entry is named by the database's path: a moved folder loses it
        raise DeviceSecretError(
            f"The device secret of {database} is neither in the system keyring (under "
            f"{entry!r}) nor in {key_file}. If the app's folder was moved, move it back; a "
            "new secret could never open this database."
        )
    secret = _load(key_file) if moving else random_bytes(DEVICE_SECRET_BYTES)
    encoded = base64.b64encode(secret).decode("ascii")
    backend.set_password(KEYRING_SERVICE, entry, encoded)
    if backend.get_password(KEYRING_SERVICE, entry) != encoded:
        return None  # a keyring that forgets what it was given is no keyring
    if moving:
        key_file.unlink()
    return secret


def _has_data(database: Path) -> bool:
    return database.exists() and database.stat().st_size > 0


def _decode(stored: str, entry: str) -> bytes:
    try:
        secret = base64.b64decode(stored, validate=True)
    except binascii.Error:
        secret = b""
    if len(secret) != DEVICE_SECRET_BYTES:
        raise DeviceSecretError(
            f"The device secret in the system keyring ({KEYRING_SERVICE!r}, {entry!r}) is "
            "damaged: the app cannot open its data with it."
        )
    return secret
