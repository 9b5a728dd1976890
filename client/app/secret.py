"""Where the device secret lives: the platform's secure storage on phones, the system
keyring on desktops that have one, a 0600 file beside the database elsewhere. The store
only ever sees the bytes.

On Android and iOS the secret is kept by flet-secure-storage (Android keystore, iOS
keychain), and on desktops by the keyring, so copying the app's folder is not enough
to guess PINs. Only the file fallback travels with the folder.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from pathlib import Path
from typing import Protocol

from client.device_secret import (
    SecretPlace,
    load_or_create_desktop_secret,
    load_or_create_device_secret,
    usable_keyring,
)
from shared.crypto import DEVICE_SECRET_BYTES, random_bytes

SECURE_KEY = "lasna.device_secret"
PHONES = frozenset({"android", "ios"})


class SecretSource(Protocol):
    place: SecretPlace  # where the secret ended up, once loaded

    async def load_or_create(self) -> bytes: ...


class FileSecret:
    """A key file only its owner can read (client.device_secret)."""

    place = SecretPlace.FILE

    def __init__(self, path: Path) -> None:
        self.path = path

    async def load_or_create(self) -> bytes:
        return await asyncio.to_thread(load_or_create_device_secret, self.path)


class KeyringSecret:
    """The desktop's keyring, falling back to the key file if the keyring refuses."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self.path = key_file_for(store_path)
        self.entry = keyring_entry_for(store_path)
        self.place = SecretPlace.KEYRING

    async def load_or_create(self) -> bytes:
        secret = await asyncio.to_thread(
            load_or_create_desktop_secret, self.path, self.entry, self.store_path
        )
        self.place = secret.place
        return secret.value


class PlatformSecret:
    """The phone's keystore/keychain through flet-secure-storage (needs a live page)."""

    place = SecretPlace.PLATFORM

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
    """The platform's secure storage on phones, the keyring on desktops that have one,
    the key file everywhere else."""
    if (platform or "").lower() in PHONES:
        return PlatformSecret()
    if usable_keyring() is not None:
        return KeyringSecret(store_path)
    return FileSecret(key_file_for(store_path))


def key_file_for(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".key")


def keyring_entry_for(store_path: Path) -> str:
    """The store's full path: two stores on one machine keep two secrets."""
    return str(Path(store_path).resolve())
