"""Where the device secret lives: the platform's secure storage on phones, a 0600 file
beside the database elsewhere (web, desktop). The store only ever sees the bytes.

On Android and iOS the secret is kept by flet-secure-storage (Android keystore, iOS
keychain), so copying the database file off a phone is not enough to guess PINs.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from pathlib import Path
from typing import Protocol

from client.device_secret import load_or_create_device_secret
from shared.crypto import DEVICE_SECRET_BYTES, random_bytes

SECURE_KEY = "lasna.device_secret"
PHONES = frozenset({"android", "ios"})


class SecretSource(Protocol):
    async def load_or_create(self) -> bytes: ...


class FileSecret:
    """A key file only its owner can read (client.device_secret)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def load_or_create(self) -> bytes:
        return await asyncio.to_thread(load_or_create_device_secret, self.path)


class PlatformSecret:
    """The phone's keystore/keychain through flet-secure-storage (needs a live page)."""

    async def load_or_create(self) -> bytes:
        from flet_secure_storage import SecureStorage  # a phone-only service

        storage = SecureStorage()
        stored = await storage.get(SECURE_KEY)
        if stored:
            try:
                secret = base64.b64decode(stored, validate=True)
            except binascii.Error:
                secret = b""
            if len(secret) == DEVICE_SECRET_BYTES:
                return secret
            raise ValueError(
                "The device secret in the phone's secure storage is damaged: the app "
                "cannot open its data. Reinstall the app and set the device up again."
            )
        secret = random_bytes(DEVICE_SECRET_BYTES)
        await storage.set(SECURE_KEY, base64.b64encode(secret).decode("ascii"))
        return secret


def secret_source(platform: str | None, store_path: Path) -> SecretSource:
    """The platform's secure storage on phones; the key file everywhere else."""
    if (platform or "").lower() in PHONES:
        return PlatformSecret()
    return FileSecret(key_file_for(store_path))


def key_file_for(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".key")
