"""The device secret in the system keyring on desktops, a key file only without one.

The keyring here is a stand-in for the operating system's (Credential Manager,
Keychain, Secret Service): a keyring backend that keeps its entries in a dict.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from client.app.secret import (
    FileSecret,
    KeyringSecret,
    SecretSource,
    key_file_for,
    keyring_entry_for,
    secret_source,
)
from client.app.state import AppState, open_device
from client.app.texts.i18n import t
from client.device_secret import KEYRING_SERVICE, DeviceSecretError, SecretPlace
from tests.client.app.harness import LIGHT_KDF


class DictKeyring(KeyringBackend):
    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


class BrokenKeyring(DictKeyring):
    """A keyring whose service is down (a locked D-Bus session, say)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringError("The keyring service is not running.")


@pytest.fixture
def system_keyring() -> Iterator[DictKeyring]:
    before = keyring.get_keyring()
    ring = DictKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(before)


def use(backend: KeyringBackend) -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield
    finally:
        keyring.set_keyring(before)


@pytest.fixture(params=["fail", "null", "broken"])
def no_keyring(request: pytest.FixtureRequest) -> Iterator[None]:
    backend = {"fail": fail.Keyring, "null": null.Keyring, "broken": BrokenKeyring}
    yield from use(backend[request.param]())


def load(source: SecretSource) -> bytes:
    """Await a source on a thread of its own (Playwright's loop may hold the main one)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, source.load_or_create()).result()


def settings_line(app: AppState) -> str:
    return t(app.secret_place_key, app.lang)


def test_with_a_keyring_the_secret_goes_there_and_no_file_is_written(
    tmp_path: Path, system_keyring: DictKeyring
) -> None:
    store = tmp_path / "lasna.db"
    device = open_device(store, kdf_params=LIGHT_KDF)
    device.close()
    assert device.secret_place is SecretPlace.KEYRING
    assert not key_file_for(store).exists()
    assert list(tmp_path.iterdir()) == [store]
    stored = system_keyring.entries[(KEYRING_SERVICE, keyring_entry_for(store))]
    assert len(base64.b64decode(stored)) == 32
    # the same secret opens the same store again (another would be refused)
    again = open_device(store, kdf_params=LIGHT_KDF)
    again.close()
    assert again.secret_place is SecretPlace.KEYRING
    assert not key_file_for(store).exists()
    # two stores on one machine keep two secrets
    open_device(tmp_path / "other.db", kdf_params=LIGHT_KDF).close()
    assert len(system_keyring.entries) == 2


def test_an_older_key_file_moves_into_the_keyring(tmp_path: Path) -> None:
    store = tmp_path / "lasna.db"
    secret = load(FileSecret(key_file_for(store)))  # made before there was a keyring
    open_device(store, kdf_params=LIGHT_KDF).close()
    for _ in use(DictKeyring()):
        source = secret_source("linux", store)
        assert isinstance(source, KeyringSecret)
        assert load(source) == secret and source.place is SecretPlace.KEYRING
        assert not key_file_for(store).exists()
        device = open_device(store, kdf_params=LIGHT_KDF)  # still opens: same secret
        device.close()
        assert device.secret_place is SecretPlace.KEYRING


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_file_is_used(tmp_path: Path) -> None:
    store = tmp_path / "lasna.db"
    device = open_device(store, kdf_params=LIGHT_KDF)
    device.close()
    assert device.secret_place is SecretPlace.FILE
    assert key_file_for(store).stat().st_size == 32
    open_device(store, kdf_params=LIGHT_KDF).close()
    source = secret_source("windows", store)
    assert load(source) == key_file_for(store).read_bytes()
    assert source.place is SecretPlace.FILE


def test_a_damaged_keyring_entry_is_an_error_not_a_new_secret(
    tmp_path: Path, system_keyring: DictKeyring
) -> None:
    store = tmp_path / "lasna.db"
    system_keyring.set_password(KEYRING_SERVICE, keyring_entry_for(store), "bm90IDMyIGJ5dGVz")
    with pytest.raises(DeviceSecretError, match="damaged"):
        open_device(store, kdf_params=LIGHT_KDF)
    assert not key_file_for(store).exists()


def test_phones_say_their_keystore(tmp_path: Path, system_keyring: DictKeyring) -> None:
    assert secret_source("android", tmp_path / "x.db").place is SecretPlace.PLATFORM


@pytest.mark.parametrize(
    ("lang", "keyring_words", "file_words"),
    [
        ("fi", "käyttöjärjestelmän avainnipussa", "tiedostossa"),
        ("sv", "i operativsystemets nyckelring", "i en fil"),
        ("en", "in the operating system's keyring", "in a file"),
    ],
)
def test_the_settings_screen_says_where_the_secret_is(
    tmp_path: Path, system_keyring: DictKeyring, lang: str, keyring_words: str, file_words: str
) -> None:
    device = open_device(tmp_path / "k.db", kdf_params=LIGHT_KDF)
    try:
        app = AppState(device)
        app.lang = lang
        assert keyring_words in settings_line(app)
    finally:
        device.close()
    for _ in use(null.Keyring()):
        device = open_device(tmp_path / "f.db", kdf_params=LIGHT_KDF)
        try:
            app = AppState(device)
            app.lang = lang
            assert file_words in settings_line(app)
        finally:
            device.close()


def test_a_keyring_that_stops_answering_does_not_make_a_new_secret(tmp_path: Path) -> None:
    store = tmp_path / "lasna.db"
    ring = DictKeyring()
    for _ in use(ring):
        open_device(store, kdf_params=LIGHT_KDF).close()
    broken = BrokenKeyring()
    broken.entries = ring.entries  # still there, but the service is down
    for _ in use(broken):
        with pytest.raises(DeviceSecretError, match="did not answer"):
            open_device(store, kdf_params=LIGHT_KDF)
    assert not key_file_for(store).exists()
    for _ in use(ring):  # back up: the same secret opens the store
        open_device(store, kdf_params=LIGHT_KDF).close()


def test_a_moved_store_is_not_given_a_new_secret(tmp_path: Path) -> None:
    """The keyring entry is named by the store's path: a moved folder is told so."""
    for _ in use(DictKeyring()):
        (tmp_path / "old").mkdir()
        open_device(tmp_path / "old" / "lasna.db", kdf_params=LIGHT_KDF).close()
        (tmp_path / "old").rename(tmp_path / "new")
        with pytest.raises(DeviceSecretError, match="folder was moved"):
            open_device(tmp_path / "new" / "lasna.db", kdf_params=LIGHT_KDF)
        (tmp_path / "new").rename(tmp_path / "old")
        open_device(tmp_path / "old" / "lasna.db", kdf_params=LIGHT_KDF).close()
