"""The documented run command: a server with the demo site, and a device enrolled into it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.e2e.conftest import enrolled_device
from tests.support.server import ServerProcess


def test_serve_dev_demo_gives_a_site_and_a_code_a_device_can_enroll_with(tmp_path: Path) -> None:
    code_file = tmp_path / "demo-code.txt"
    server = ServerProcess(
        tmp_path / "demo.db", args=["--demo", "--demo-code-file", str(code_file)]
    )
    server.start()
    device = None
    try:
        log = server.log_text()
        code = code_file.read_text().strip()
        assert f"enrollment code {code}" in log
        assert "development mode: plain HTTP on loopback" in log
        device = enrolled_device(server.url, code, tmp_path, "Demotabletti")
        assert device.store.site() == ("demo", "Demopaja (Mikkeli)")
        people = device.store.participants(now=datetime.now(UTC))
        assert len(people) == 8
        assert {p.plan.rule_set_id for p in people if p.plan} == {
            "kuntouttava",
            "osallistava",
            "vammaisten",
        }
        state = device.client.state()
        assert state.last_success is not None and state.last_error is None
        assert state.pending == 0
        # Structured logs without personal data: no participant's name or reference.
        logs = server.log_text()
        assert '"event": "sync.pull"' in logs
        assert all(p.display_name not in logs and p.client_ref not in logs for p in people)
    finally:
        if device is not None:
            device.close()
        server.close()
