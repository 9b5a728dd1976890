"""The forms' text is state (issue 11, declarative views): a refused try keeps what was
right, a lock forgets every PIN typed before it, and the forms start from what the
device knows."""

from __future__ import annotations

import pytest

from client.app.state import AppState, Device, InputProblem, Screen
from client.app.state.drafts import Draft
from tests.client.app.harness import PIN

NEW_PIN = "580213"


def test_a_pin_repeat_that_differs_empties_only_the_repeat(device: Device) -> None:
    app = AppState(device)
    app.start()
    draft = app.drafts.add_supervisor
    for name, value in (("name", "Pekka"), ("pin", NEW_PIN), ("pin_again", "580231")):
        draft.typed(name, value)
    with pytest.raises(InputProblem) as differ:
        app.auth.add_supervisor(draft["name"], draft["pin"], draft["pin_again"])
    draft.forget_pins(differ.value)
    assert draft.text == {"name": "Pekka", "pin": NEW_PIN, "pin_again": ""}
    draft.typed("pin_again", NEW_PIN)  # only the wrong one typed again
    assert app.auth.add_supervisor(draft["name"], draft["pin"], draft["pin_again"]) == "Pekka"
    draft.forget_pins(None)  # saved: no PIN stays in memory
    assert draft["pin"] == draft["pin_again"] == ""


def test_a_refused_pin_empties_both_and_a_problem_elsewhere_keeps_both(device: Device) -> None:
    app = AppState(device)
    app.start()
    draft = app.drafts.change_pin
    with pytest.raises(InputProblem) as refused:
        app.auth.add_supervisor("Liisa", "123456", "123456")
    draft.set(old_pin=PIN, pin="123456", pin_again="123456")
    draft.forget_pins(refused.value)
    assert draft.text == {"old_pin": PIN, "pin": "", "pin_again": ""}
    with pytest.raises(InputProblem) as nameless:
        app.auth.add_supervisor(" ", NEW_PIN, NEW_PIN)
    draft.set(pin=NEW_PIN, pin_again=NEW_PIN)
    draft.forget_pins(nameless.value)
    assert draft["pin"] == draft["pin_again"] == NEW_PIN


def test_a_lock_forgets_every_pin_typed_before_it(device: Device) -> None:
    app = AppState(device)
    app.start()
    before = app.screen
    typed = app.drafts
    typed.change_pin.set(old_pin=PIN, pin=NEW_PIN, pin_again=NEW_PIN)
    typed.add_supervisor.set(name="Pekka", pin=NEW_PIN)
    app.lock()
    assert (before, app.screen) == (Screen.TODAY, Screen.UNLOCK)
    assert app.drafts is not typed
    assert all(
        not value
        for draft in app.drafts.all()
        for key, value in draft.text.items()
        if key != "server_url"
    )


def test_the_reenrolment_form_starts_from_the_devices_server(device: Device) -> None:
    device.store.set_meta("server_url", "https://lasna.example.fi")
    app = AppState(device)
    app.start()
    assert app.drafts.reenroll["server_url"] == "https://lasna.example.fi"
    assert app.drafts.reenroll["code"] == ""


def test_a_field_the_form_does_not_have_is_a_mistake() -> None:
    draft = Draft("pin")
    with pytest.raises(KeyError):
        draft.typed("pin_agian", "1")
    with pytest.raises(KeyError):
        draft.set(code="x")
    draft.fill("pin", "")  # nothing known: stays empty
    assert draft["pin"] == ""


def test_typing_redraws_nothing_and_a_commands_change_redraws_the_form() -> None:
    """A key is noted without a notification (the field shows its own text); emptying a
    field notifies the form's component, which draws it again."""
    draft = Draft("pin", "pin_again")
    heard: list[object] = []

    def listener(_sender: object, field: object) -> None:
        heard.append(field)

    draft.subscribe(listener)  # Flet keeps listeners weakly: this one stays referenced
    for key in ("5", "58", "580"):
        draft.typed("pin", key)
    assert heard == []
    assert draft["pin"] == "580"
    draft.clear("pin")
    assert heard and draft["pin"] == ""
    heard.clear()
    draft.typed("pin_again", "1")
    assert heard == []
