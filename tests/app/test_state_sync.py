"""Sync status and "sync now" against a real server: offline, back online, a conflict."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from client.app.state import AppState, Device, SyncStatusState
from client.app.words import record_summary
from shared.calendar import helsinki_today
from shared.records import AbsenceReason
from tests.app.conftest import FakeClock
from tests.app.harness import SITE, enrolled_device, seed_site
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
