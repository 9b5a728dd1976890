"""Sync status and "sync now" against a real server: offline, back online, a conflict."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from client.app.state import AppState, Device, InputProblem, SyncStatusState, open_device
from client.app.state.sync_status import SyncRound
from client.app.texts.i18n import t
from client.app.texts.problems import needs_action
from client.app.texts.words import record_summary
from client.sync import Backoff
from shared.calendar import helsinki_today
from shared.records import AbsenceReason
from tests.client.app.conftest import FakeClock
from tests.client.app.harness import LIGHT_KDF, SITE, enrolled_device, seed_site
from tests.support.processes import free_port
from tests.support.server import ServerProcess, running_server


def app_on(device: Device) -> AppState:
    app = AppState(device)
    app.start()
    return app


def test_offline_keeps_records_waiting_and_says_so(tmp_path: Path) -> None:
    with running_server(tmp_path, seed=seed_site) as server:
        device = enrolled_device(tmp_path / "d.db", server.url, server.enrollment_code(SITE))
        device.clock = FakeClock(datetime.now(UTC))
        app = app_on(device)
        server.stop()
        app.today.mark_present("p-aino")
        app.today.mark_absent("p-bertil", AbsenceReason.JOB_RELATED)
        sync = app.sync
        round_ = sync.sync_now()
        assert not round_.ok and round_.pushed == 0
        assert sync.state is not None
        assert (sync.state.online, sync.state.pending) == (False, 2)
        assert sync.state.last_error  # a sentence for the screen
        server.start()
        round_ = sync.sync_now()
        assert round_.ok and round_.pushed == 2
        assert sync.state is not None and (sync.state.online, sync.state.pending) == (True, 0)
        today = helsinki_today(datetime.now(UTC))
        assert len(server.storage.versions_for("p-aino", today, today)) == 1
        device.close()


def test_a_conflict_shows_what_the_other_version_says_until_resolved(
    tmp_path: Path, server: ServerProcess
) -> None:
    a = enrolled_device(tmp_path / "a.db", server.url, server.enrollment_code(SITE))
    b = enrolled_device(tmp_path / "b.db", server.url, server.enrollment_code(SITE))
    app_a, app_b = app_on(a), app_on(b)
    assert app_a.today.mark_present("p-cecilia").saved
    assert app_a.sync.sync_now().ok
    assert app_b.sync.sync_now().ok
    app_b.today.load()
    assert app_b.today.row("p-cecilia").record is not None  # pulled from the other tablet
    app_b.today.mark_absent("p-cecilia", AbsenceReason.SICK, correction_reason="Lähti kotiin")
    assert app_b.sync.sync_now().ok
    # tablet A, not yet synced, corrects the same original version
    app_a.today.mark_not_held("p-cecilia", correction_reason="Paja suljettu")
    app_a.sync.sync_now()
    sync: SyncStatusState = app_a.sync
    assert sync.state is not None and sync.state.conflicts == 1
    assert len(sync.attention) == 1
    item = sync.attention[0]
    assert item.status == "conflict"
    assert item.current is not None
    assert record_summary(item.current, "fi") == "Poissa: Oma sairaus"
    assert sync.names["p-cecilia"] == "Cecilia Mäkinen"
    sync.resolve(item.record.id)
    assert sync.attention == []
    assert sync.state is not None and sync.state.conflicts == 0
    a.close()
    b.close()


def test_a_revoked_device_says_so_in_swedish(tmp_path: Path, server: ServerProcess) -> None:
    store = tmp_path / "d.db"
    device = enrolled_device(store, server.url, server.enrollment_code(SITE))
    app = app_on(device)
    app.set_language("sv")
    app.today.mark_present("p-aino")
    device_id = device.store.get_meta("device_id")
    assert device_id
    server.storage.revoke(device_id, now=datetime.now(UTC))
    round_ = app.sync.sync_now()
    assert not round_.ok and round_.problem is not None
    revoked = (
        "Servern godkänner inte längre den här enheten (behörigheten kan ha återkallats). "
        "Anteckningarna finns kvar på enheten. Be administratören om en ny engångskod."
    )
    assert round_.problem.text(app.lang) == revoked
    assert needs_action(round_.problem)  # the strip points to the sync screen
    device.close()
    # the app started again, still locked: the sync screen says the same from the store
    again = open_device(store, kdf_params=LIGHT_KDF)
    app = app_on(again)
    assert app.lang == "sv" and app.sync.state is not None and app.sync.state.pending == 1
    problem = app.sync.problem
    assert problem is not None and problem.code == "credential_revoked"
    assert t("sync.last_error", app.lang, detail=problem) == f"Senaste fel: {revoked}"
    again.close()


class Gate:
    """The sync client's backoff sleep, held shut until the test opens it."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.opened = threading.Event()

    def __call__(self, _seconds: float) -> None:
        self.entered.set()
        assert self.opened.wait(10), "the gate was never opened"


def test_sync_now_waits_for_a_background_round_then_sends_what_was_saved(
    tmp_path: Path, server: ServerProcess
) -> None:
    device = enrolled_device(tmp_path / "d.db", server.url, server.enrollment_code(SITE))
    app = app_on(device)
    gate = Gate()
    device.sync.sleep = gate
    device.sync.backoff = Backoff(attempts=2)
    device.store.set_meta("server_url", f"http://127.0.0.1:{free_port()}")  # nobody there
    background = threading.Thread(target=device.scheduler.tick)  # the schedule's round
    background.start()
    assert gate.entered.wait(10)
    app.today.mark_present("p-bertil")  # saved while the background round runs
    device.store.set_meta("server_url", server.url)  # the network is back for the next round
    rounds: list[SyncRound] = []
    tap = threading.Thread(target=lambda: rounds.append(app.sync.sync_now()))
    tap.start()
    gate.opened.set()
    tap.join(20)
    background.join(20)
    assert len(rounds) == 1 and rounds[0].ok and rounds[0].skipped is None
    assert rounds[0].pushed == 1
    today = helsinki_today(datetime.now(UTC))
    assert len(server.storage.versions_for("p-bertil", today, today)) == 1
    device.close()


def test_a_revoked_device_joins_again_with_a_new_code_and_sends_what_waited(
    tmp_path: Path,
) -> None:
    """Issue 11, item 4: revoked on the server, the device keeps its unsent records,
    joins again with a new code and the outbox goes."""
    with running_server(tmp_path / "server", seed=seed_site) as server:
        device = enrolled_device(tmp_path / "d.db", server.url, server.enrollment_code(SITE))
        try:
            app = app_on(device)
            old_id = device.device_id()
            server.storage.revoke(old_id, now=datetime.now(UTC))
            assert app.today.mark_present("p-daniel").saved
            round_ = app.sync.sync_now()
            assert not round_.ok and round_.pushed == 0
            assert app.sync.revoked and needs_action(app.sync.problem)
            assert app.sync.state is not None and app.sync.state.pending == 1
            assert app.sync.server_url() == server.url
            # a wrong code changes nothing on the device
            with pytest.raises(InputProblem) as refused:
                app.sync.reenroll(server.url, "NOT-A-CODE")
            assert refused.value.key == "error.enroll_failed"
            assert app.sync.revoked and device.device_id() == old_id
            round_ = app.sync.reenroll(server.url, server.enrollment_code(SITE))
            assert round_.ok and round_.pushed == 1
            assert not app.sync.revoked
            assert app.sync.state is not None and app.sync.state.pending == 0
            assert device.device_id() != old_id
            today = helsinki_today(datetime.now(UTC))
            assert len(server.storage.versions_for("p-daniel", today, today)) == 1
        finally:
            device.close()
