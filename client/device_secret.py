"""The device secret: 32 random bytes kept outside the database file.

The store's PIN keys are derived from the PIN *and* this secret, so the database file
alone is useless to someone guessing PINs. On phones the app keeps the secret in the
platform's secure storage (flet-secure-storage); elsewhere :func:`load_or_create_device_secret`
keeps it in a file only its owner can read. Either way the store only sees bytes.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from client.store.errors import StoreError
from shared.crypto import DEVICE_SECRET_BYTES, random_bytes


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
