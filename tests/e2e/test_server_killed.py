"""The server process is SIGKILLed inside a push transaction, restarted, and nothing is lost.

The fault-injection hook (``LASNA_FAULT_PUSH_HOLD``, off unless set) makes the server
pause after writing the batch but before committing; the test kills it there. The
device's retry (its injected sleep waits for the restart instead of a timer) then
sends the batch again to the restarted server.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from shared.calendar import helsinki_today
from tests.e2e.conftest import enrolled_device
from tests.support.server import ServerProcess
from tests.support.sites import count_versions, make_site, workdays_before


def test_a_kill_in_the_middle_of_a_batch_loses_and_doubles_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "holding"
    server = ServerProcess(tmp_path / "server.db")
    site = make_site(server.storage, "kill", 4)
    server.start()
    restarted = threading.Event()
    device = None
    try:
        device = enrolled_device(
            server.url,
            server.enrollment_code(site.id),
            tmp_path,
            "A",
            sleep=lambda _s: restarted.wait(30),
        )
        days = workdays_before(helsinki_today(datetime.now(UTC)), 5)
        made = [device.attend(pid, d) for pid in site.participants for d in days]

        server.stop()
        server.start(env={"LASNA_FAULT_PUSH_HOLD": str(marker)})

        def kill_then_restart() -> None:
            for _ in range(600):
                if marker.exists():
                    break
                threading.Event().wait(0.05)
            assert marker.exists(), "the server never reached the middle of the batch"
            server.kill()
            server.start(env={"LASNA_FAULT_PUSH_HOLD": ""})
            restarted.set()

        killer = threading.Thread(target=kill_then_restart)
        killer.start()
        report = device.sync()
        killer.join(60)

        assert marker.exists() and restarted.is_set()
        assert report.ok, report.error
        assert report.accepted == len(made)  # the killed transaction left nothing behind
        assert len(device.sleeps) == 1
        assert device.store.outbox_count() == 0
        assert count_versions(server.storage, "site_id = ?", [site.id]) == len(made)
        ok = server.storage.db.execute("PRAGMA integrity_check").fetchone()[0]
        assert ok == "ok"
        again = device.sync()
        assert again.ok and again.pushed == 0
        assert count_versions(server.storage, "site_id = ?", [site.id]) == len(made)
    finally:
        if device is not None:
            device.close()
        server.close()
