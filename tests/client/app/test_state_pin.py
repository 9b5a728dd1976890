"""PIN rules in the app (issue 10): set-up, another supervisor and a PIN change say why
a PIN is refused; a PIN from before the rules must be replaced before any data shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from client.app.secret import key_file_for
from client.app.state import AppState, AuthMode, Device, InputProblem, Screen, open_device
from client.app.state.auth import pin_fields_to_clear
from client.app.texts.i18n import t
from client.store import WrongPin
from client.store import keyring as slots
from tests.client.app.conftest import FakeClock
from tests.client.app.harness import LIGHT_KDF, PIN, SUPERVISOR

NEW_PIN = "580213"


@pytest.mark.parametrize(
    ("pin", "key"),
    [
        ("4711", "error.pin_format"),
        ("111111", "error.pin_same_digit"),
        ("123456", "error.pin_run"),
        ("654321", "error.pin_run"),
        ("121212", "error.pin_common"),
        ("112233", "error.pin_common"),
    ],
)
def test_adding_a_supervisor_says_why_a_pin_is_refused(device: Device, pin: str, key: str) -> None:
    app = AppState(device)
    app.start()
    with pytest.raises(InputProblem) as refused:
        app.auth.add_supervisor("Pekka", pin, pin)
    assert refused.value.key == key
    assert all(refused.value.text(lang) for lang in ("fi", "sv", "en"))
    assert [s.display_name for s in device.store.supervisors()] == [SUPERVISOR]


def test_setting_up_refuses_a_trivial_pin_before_anything_is_sent(tmp_path: Path) -> None:
    device = open_device(tmp_path / "d.db", kdf_params=LIGHT_KDF)
    try:
        app = AppState(device)
        app.start()
        app.auth.choose_server("https://lasna.example.fi", "CODE")
        with pytest.raises(InputProblem) as refused:
            app.create_first_supervisor(SUPERVISOR, "000000", "000000")
        assert refused.value.key == "error.pin_same_digit"
        assert "111111" in refused.value.text("fi")
        assert not device.store.is_initialised()
    finally:
        device.close()


def test_changing_ones_own_pin_follows_the_rules(device: Device) -> None:
    app = AppState(device)
    app.start()
    with pytest.raises(InputProblem) as refused:
        app.auth.change_pin(PIN, "696969", "696969")
    assert refused.value.key == "error.pin_common"
    with pytest.raises(WrongPin):
        app.auth.change_pin("999888", NEW_PIN, NEW_PIN)
    app.auth.change_pin(PIN, NEW_PIN, NEW_PIN)
    app.lock()
    assert not app.unlock(PIN)
    assert app.unlock(NEW_PIN) and app.screen is Screen.TODAY


def give_old_pin(device: Device, store_path: Path, old_pin: str) -> None:
    """Write a 4-digit PIN into the file, as the release before the rules allowed."""
    secret = key_file_for(store_path).read_bytes()
    supervisor = device.store.supervisors()[0].id
    db = Database(store_path)
    try:
        row = slots.supervisor_by_id(db, supervisor)
        private = slots.open_pin_slot(row, PIN, secret)
        with db.atomic():
            slots.rewrap(db, secret, LIGHT_KDF, supervisor, old_pin, private)
    finally:
        db.close()


@pytest.fixture
def old_pin_app(device: Device, tmp_path: Path, clock: FakeClock) -> Iterator[AppState]:
    store_path = tmp_path / "device.db"
    give_old_pin(device, store_path, "4711")
    device.store.lock()
    app = AppState(device)
    app.start()
    assert app.screen is Screen.UNLOCK
    yield app


def test_an_old_short_pin_unlocks_into_choosing_a_new_one(old_pin_app: AppState) -> None:
    app = old_pin_app
    assert app.unlock("4711")
    assert app.auth.mode is AuthMode.PIN_CHANGE and app.screen is Screen.NEW_PIN
    for screen in (Screen.TODAY, Screen.OVERVIEW, Screen.MONTH, Screen.MORE):
        app.go(screen)  # no participant data until the PIN is replaced
        assert app.screen is Screen.NEW_PIN
    assert app.today.rows == []
    with pytest.raises(InputProblem) as refused:
        app.choose_new_pin("123456", "123456")
    assert refused.value.key == "error.pin_run"
    with pytest.raises(InputProblem):
        app.choose_new_pin(NEW_PIN, "580214")
    app.choose_new_pin(NEW_PIN, NEW_PIN)
    assert app.auth.mode is AuthMode.UNLOCKED and app.screen is Screen.TODAY
    assert app.today.rows
    app.lock()
    assert not app.unlock("4711")
    assert app.unlock(NEW_PIN) and app.screen is Screen.TODAY


def test_the_new_pin_screen_locks_when_idle_and_asks_again(
    old_pin_app: AppState, clock: FakeClock
) -> None:
    app = old_pin_app
    assert app.unlock("4711") and app.screen is Screen.NEW_PIN
    clock.advance(minutes=30)
    assert app.check_idle()
    assert app.screen is Screen.UNLOCK
    assert app.unlock("4711") and app.screen is Screen.NEW_PIN
    app.lock()
    assert app.screen is Screen.UNLOCK
    app.start()  # a new tab on the same device: still locked, then asked again
    assert app.unlock("4711") and app.screen is Screen.NEW_PIN
    app.start()
    assert app.screen is Screen.NEW_PIN


def test_texts_for_the_new_pin_screen_exist_in_every_language() -> None:
    for key in ("newpin.title", "newpin.intro", "newpin.save", "more.change_pin"):
        assert len({t(key, lang) for lang in ("fi", "sv", "en")}) == 3


def test_two_pins_that_differ_keep_the_first_and_say_they_differ(device: Device) -> None:
    """Issue 11, item 8: say what is wrong, keep what is right."""
    app = AppState(device)
    app.start()
    with pytest.raises(InputProblem) as differ:
        app.auth.add_supervisor("Pekka", NEW_PIN, "580231")
    assert differ.value.key == "error.pin_mismatch"
    assert differ.value.text("fi") == "PIN-koodit eivät täsmää."
    assert pin_fields_to_clear(differ.value) == ("pin_again",)  # the first PIN stays
    # retyping only the repeat now succeeds: the kept first PIN is used
    assert app.auth.add_supervisor("Pekka", NEW_PIN, NEW_PIN) == "Pekka"
    with pytest.raises(InputProblem) as refused:
        app.auth.add_supervisor("Liisa", "123456", "123456")
    assert pin_fields_to_clear(refused.value) == ("pin", "pin_again")
    with pytest.raises(InputProblem) as nameless:
        app.auth.add_supervisor(" ", NEW_PIN, NEW_PIN)
    assert pin_fields_to_clear(nameless.value) == ()  # both PINs were right
    assert pin_fields_to_clear(None) == ("pin", "pin_again")  # saved: nothing kept
