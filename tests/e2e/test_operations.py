"""What a county's IT runs the server with: /ready and /metrics (the backup: see
test_backup_restore.py).

Real parts throughout: the server under uvicorn on loopback, devices made of the
encrypted store and the sync client.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from shared.calendar import helsinki_today
from tests.e2e.conftest import Device, enrolled_device
from tests.support.server import ServerProcess
from tests.support.sites import make_site, workdays_before


def _samples(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    reply = httpx.get(f"{url}/metrics", timeout=10)
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(reply.text)
        for s in family.samples
    }


def test_ready_and_metrics_count_what_a_device_did(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server.db")
    site = make_site(server.storage, "ops", 3)
    server.start()
    device: Device | None = None
    try:
        assert httpx.get(f"{server.url}/health", timeout=10).status_code == 200
        ready = httpx.get(f"{server.url}/ready", timeout=10)
        assert ready.status_code == 200 and ready.json() == {"status": "ready"}

        device = enrolled_device(server.url, server.enrollment_code(site.id), tmp_path, "A")
        days = workdays_before(helsinki_today(datetime.now(UTC)), 2)
        made = [device.attend(pid, d) for pid in site.participants for d in days]
        report = device.sync()
        assert report.ok and report.accepted == len(made)

        seen = _samples(server.url)
        assert seen[("lasna_push_records_total", (("status", "accepted"),))] == len(made)
        assert seen[("lasna_push_records_total", (("status", "rejected"),))] == 0
        assert seen[("lasna_pushes_total", (("outcome", "answered"),))] >= 1
        assert seen[("lasna_pulls_total", (("outcome", "answered"),))] >= 2
        timed = (
            "lasna_http_request_duration_seconds_count",
            (("method", "POST"), ("route", "/v1/push")),
        )
        assert seen[timed] >= 1
        assert ("lasna_forward_failures_total", (("what", "run"),)) in seen
    finally:
        if device is not None:
            device.close()
        server.close()


def test_ready_says_not_ready_when_the_schema_is_behind_the_code(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server.db")
    server.start()
    try:
        # As if the file came from an older release and no migration had been applied.
        with server.storage.write() as db:
            db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_console'")
        reply = httpx.get(f"{server.url}/ready", timeout=10)
        assert reply.status_code == 503
        assert reply.json()["status"] == "not_ready"
        assert reply.json()["pending"] == ["m002_console"]
        assert "restart the server" in reply.json()["reason"]
        assert httpx.get(f"{server.url}/health", timeout=10).status_code == 200
    finally:
        server.close()
