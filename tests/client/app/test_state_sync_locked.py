"""The app's background sync keeps sending after the lock (issue 11)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from client.app.state import AppState, AuthMode
from shared.calendar import helsinki_today
from tests.client.app.harness import SITE, enrolled_device
from tests.support.server import ServerProcess


def test_a_round_of_the_schedule_sends_the_records_of_a_locked_app(
    tmp_path: Path, server: ServerProcess
) -> None:
    device = enrolled_device(tmp_path / "d.db", server.url, server.enrollment_code(SITE))
    try:
        app = AppState(device)
        app.start()
        assert app.today.mark_present("p-aino").saved
        app.lock()
        assert app.auth.mode is not AuthMode.UNLOCKED
        report = device.scheduler.run_round()  # what the background schedule runs
        assert report.ok and (report.pushed, report.accepted) == (1, 1)
        app.sync.refresh()
        assert app.sync.pending == 0 and app.sync.overdue_days is None
        today = helsinki_today(datetime.now(UTC))
        assert len(server.storage.versions_for("p-aino", today, today)) == 1
    finally:
        device.close()
