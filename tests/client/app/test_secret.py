"""The device secret's seam: secure storage on phones, a private key file elsewhere."""

from __future__ import annotations

import asyncio
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from client.app.secret import FileSecret, PlatformSecret, key_file_for, secret_source
from client.app.state import open_device
from tests.client.app.harness import LIGHT_KDF


def load(store: Path) -> bytes:
    """Await the file source on a thread of its own (the browser tests' Playwright keeps
    an event loop running on the main thread for the whole session)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, FileSecret(key_file_for(store)).load_or_create()).result()


def test_phones_use_secure_storage_everything_else_a_key_file(tmp_path: Path) -> None:
    store = tmp_path / "lasna.db"
    assert isinstance(secret_source("android", store), PlatformSecret)
    assert isinstance(secret_source("ios", store), PlatformSecret)
    for platform in ("linux", "windows", "macos", None):
        source = secret_source(platform, store)
        assert isinstance(source, FileSecret) and source.path == key_file_for(store)


def test_the_key_file_is_private_and_opens_the_same_store_again(tmp_path: Path) -> None:
    store = tmp_path / "data" / "lasna.db"
    secret = load(store)
    assert len(secret) == 32
    assert stat.S_IMODE(key_file_for(store).stat().st_mode) == 0o600
    assert load(store) == secret
    # the app opens its store with that file: a second opening would fail with any other
    open_device(store, kdf_params=LIGHT_KDF).close()
    open_device(store, kdf_params=LIGHT_KDF).close()
    assert load(store) == secret
    assert sorted(p.name for p in store.parent.glob("*.key")) == ["lasna.db.key"]
