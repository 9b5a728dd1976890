"""Setting up, unlocking, locking: the app's state against a real store and server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from client.app.state import AppState, AuthMode, Device, InputProblem, Screen, open_device
from tests.client.app.conftest import FakeClock
from tests.client.app.harness import LIGHT_KDF, PIN, SITE, SUPERVISOR, enrolled_device
from tests.support.server import ServerProcess


def on(app: AppState) -> Screen:
    """The screen now showing (a call, so that mypy does not narrow it across commands)."""
    return app.screen


def test_setup_checks_what_was_typed_before_sending_anything(
    tmp_path: Path, clock: FakeClock
) -> None:
    device = open_device(tmp_path / "d.db", clock=clock, kdf_params=LIGHT_KDF)
    app = AppState(device)
    app.start()
    assert on(app) is Screen.SETUP and app.auth.mode is AuthMode.SETUP_SERVER
    with pytest.raises(InputProblem) as empty:
        app.auth.choose_server("", "CODE")
    assert empty.value.key == "error.url_missing"
    with pytest.raises(InputProblem) as plain_http:
        app.auth.choose_server("http://lasna.example.fi", "CODE")
    assert "https://" in plain_http.value.text("fi")
    with pytest.raises(InputProblem) as no_code:
        app.auth.choose_server("https://lasna.example.fi", "  ")
    assert no_code.value.key == "error.code_missing"
    app.auth.choose_server("https://lasna.example.fi/", " CODE ")
    assert (app.auth.mode, app.auth.server_url, app.auth.code) == (
        AuthMode.SETUP_PIN,
        "https://lasna.example.fi",
        "CODE",
    )
    app.auth.back_to_server()  # a typo in the address: back to the first step
    assert app.auth.mode is AuthMode.SETUP_SERVER and app.auth.server_url
    app.auth.choose_server("https://lasna.example.fi/", "CODE")
    for name, pin, again, key in (
        ("", PIN, PIN, "error.name_missing"),
        (SUPERVISOR, "12", "12", "error.pin_format"),
        (SUPERVISOR, "12a456", "12a456", "error.pin_format"),
        (SUPERVISOR, PIN, "999999", "error.pin_mismatch"),
    ):
        with pytest.raises(InputProblem) as problem:
            app.create_first_supervisor(name, pin, again)
        assert problem.value.key == key
    assert not device.store.is_initialised()  # nothing written
    device.close()


def test_setup_with_the_server_then_today_lists_the_site(
    tmp_path: Path, server: ServerProcess
) -> None:
    # the server's plans run around the real today
    clock = FakeClock(datetime.now(UTC))
    device = open_device(tmp_path / "d.db", clock=clock, kdf_params=LIGHT_KDF)
    app = AppState(device)
    app.start()
    app.auth.choose_server(server.url, "NOT-A-CODE")
    with pytest.raises(InputProblem) as refused:
        app.create_first_supervisor(SUPERVISOR, PIN, PIN)
    assert refused.value.key == "error.enroll_failed"
    assert not device.store.is_initialised()

    app.auth.choose_server(server.url, server.enrollment_code(SITE))
    app.create_first_supervisor(SUPERVISOR, PIN, PIN)
    assert on(app) is Screen.TODAY and app.auth.mode is AuthMode.UNLOCKED
    assert device.enrolled() and app.auth.enrolled
    assert app.auth.supervisor_name == SUPERVISOR
    assert {r.participant_id for r in app.today.rows} >= {"p-aino", "p-bertil", "p-cecilia"}
    assert app.sync.state is not None and app.sync.state.online
    device.close()


def test_wrong_pins_show_tries_then_the_wait_then_the_lockout(
    device: Device, clock: FakeClock
) -> None:
    app = AppState(device)
    app.lock()
    assert on(app) is Screen.UNLOCK
    assert app.auth.selected == "sup-1"  # the only supervisor is chosen already
    assert not app.unlock("000000")
    problem = app.auth.pin_problem
    assert problem is not None and (problem.key, problem.remaining) == ("unlock.wrong_pin", 7)
    for _ in range(3):
        app.unlock("000000")
    problem = app.auth.pin_problem
    assert problem is not None and problem.key == "unlock.wrong_pin_wait"
    assert problem.retry_after is not None and problem.retry_after > clock()
    assert not app.unlock(PIN)  # even the right PIN waits
    assert app.auth.pin_problem is not None and app.auth.pin_problem.key == "unlock.too_early"
    for _ in range(4):
        clock.advance(hours=1)
        app.unlock("000000")
    assert app.auth.pin_problem is not None and app.auth.pin_problem.key == "unlock.locked_out"
    assert app.auth.supervisors[0].locked_out
    assert on(app) is Screen.UNLOCK


def test_unlock_lock_on_demand_and_after_idle(device: Device, clock: FakeClock) -> None:
    app = AppState(device)
    app.start()
    assert on(app) is Screen.TODAY  # the fixture left the store unlocked
    app.lock()
    assert on(app) is Screen.UNLOCK and not app.auth.locked_by_idle
    assert app.unlock(PIN) and on(app) is Screen.TODAY
    clock.advance(minutes=4)
    app.touch()  # activity restarts the idle timer
    clock.advance(minutes=4)
    assert not app.check_idle() and on(app) is Screen.TODAY
    clock.advance(minutes=2)
    assert app.check_idle()
    assert on(app) is Screen.UNLOCK and app.auth.locked_by_idle
    app.go(Screen.TODAY)  # a sealed screen needs the PIN first
    assert on(app) is Screen.UNLOCK


def test_another_supervisor_on_a_shared_tablet(device: Device) -> None:
    app = AppState(device)
    app.start()
    with pytest.raises(InputProblem):
        app.auth.add_supervisor("Pekka", "135792", "297531")
    assert app.auth.add_supervisor(" Pekka  Pajamies ", "135792", "135792") == "Pekka Pajamies"
    app.lock()
    names = {s.display_name: s.id for s in app.auth.supervisors}
    assert set(names) == {SUPERVISOR, "Pekka Pajamies"}
    assert app.auth.selected is None  # two people: the screen asks who
    assert not app.unlock("135792")
    assert app.auth.pin_problem is not None
    assert app.auth.pin_problem.key == "unlock.pick_supervisor"
    app.auth.select(names["Pekka Pajamies"])
    assert app.unlock("135792")
    assert app.auth.supervisor_name == "Pekka Pajamies"


def test_language_is_kept_on_the_device(device: Device) -> None:
    app = AppState(device)
    assert app.lang == "fi"
    app.set_language("sv")
    assert AppState(device).lang == "sv"
    with pytest.raises(InputProblem):
        app.set_language("de")


def test_a_refused_code_is_said_in_the_apps_language(tmp_path: Path, server: ServerProcess) -> None:
    device = open_device(tmp_path / "d.db", kdf_params=LIGHT_KDF)
    app = AppState(device)
    app.start()
    app.set_language("sv")
    app.auth.choose_server(server.url, "NOT-A-CODE")
    with pytest.raises(InputProblem) as wrong:
        app.create_first_supervisor(SUPERVISOR, PIN, PIN)
    assert wrong.value.text(app.lang) == (
        "Ibruktagningen misslyckades: Koden är inte giltig. Kontrollera den eller be "
        "administratören om en ny."
    )
    assert wrong.value.text("fi") == (
        "Käyttöönotto ei onnistunut: Koodi ei kelpaa. Tarkista se tai pyydä ylläpitäjältä uusi."
    )
    assert "not valid" in str(wrong.value)  # English for the log
    used = server.enrollment_code(SITE)
    enrolled_device(tmp_path / "other.db", server.url, used).close()
    app.auth.choose_server(server.url, used)
    with pytest.raises(InputProblem) as spent:
        app.create_first_supervisor(SUPERVISOR, PIN, PIN)
    assert spent.value.text(app.lang).endswith(
        "Koden har redan använts. Be administratören om en ny."
    )
    app.auth.back_to_server()
    with pytest.raises(InputProblem) as plain:
        app.auth.choose_server("http://lasna.example.fi", "CODE")
    assert plain.value.text(app.lang).endswith(
        "Serverns adress måste börja med https:// så att uppgifterna överförs krypterade."
    )
    assert not device.store.is_initialised()
    device.close()


def test_an_unlock_shows_today_not_the_day_viewed_before_the_lock(
    device: Device, clock: FakeClock
) -> None:
    app = AppState(device)
    app.start()
    app.today.shift(-3)
    assert app.today.day == device.today() - timedelta(days=3)
    clock.advance(minutes=6)
    assert app.check_idle() and on(app) is Screen.UNLOCK
    assert app.today.rows == []  # nothing read while unlocked stays in memory
    assert app.unlock(PIN) and on(app) is Screen.TODAY
    assert app.today.day == device.today()
    app.today.shift(1)
    app.lock()
    assert app.unlock(PIN) and app.today.day == device.today()
