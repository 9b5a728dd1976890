"""What a county's IT runs the server with: /ready, /metrics and the online backup.

Real parts throughout: the server under uvicorn on loopback, devices made of the
encrypted store and the sync client, ``lasna-server backup`` as a process of its own.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
from datetime import UTC, datetime
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from shared.calendar import helsinki_today
from tests.e2e.conftest import Device, enrolled_device
from tests.support.processes import start_module
from tests.support.server import ServerProcess
from tests.support.sites import count_versions, make_site, workdays_before


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


def test_a_backup_taken_under_load_restores_to_a_server_devices_sync_with(
    tmp_path: Path,
) -> None:
    live = ServerProcess(tmp_path / "live" / "server.db")
    site = make_site(live.storage, "backup", 5)
    live.start()
    restored: ServerProcess | None = None
    writer: Device | None = None
    reader: Device | None = None
    try:
        writer = enrolled_device(live.url, live.enrollment_code(site.id), tmp_path, "A")
        days = workdays_before(helsinki_today(datetime.now(UTC)), 25)
        made: list[str] = []
        rounds: list[float] = []
        done = threading.Event()
        errors: list[str] = []

        def push_until_done(device: Device) -> None:
            for day in days:
                if done.is_set():
                    return
                made.extend(device.attend(pid, day).id for pid in site.participants)
                report = device.sync()
                if not report.ok:
                    errors.append(str(report.error))
                    return
                rounds.append(datetime.now(UTC).timestamp())

        load = threading.Thread(target=push_until_done, args=(writer,))
        load.start()
        while not rounds and load.is_alive():
            threading.Event().wait(0.02)
        acknowledged = count_versions(live.storage, "site_id = ?", [site.id])
        started = datetime.now(UTC).timestamp()
        copy = tmp_path / "backups" / "server-copy.db"
        backup = start_module(
            "sync_server",
            "backup",
            "--db",
            str(live.db_path),
            "--to",
            str(copy),
            without="LASNA_",
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        output, _ = backup.communicate(timeout=120)
        finished = datetime.now(UTC).timestamp()
        done.set()
        load.join(120)
        assert backup.returncode == 0, output
        assert not errors, errors
        assert any(started <= r <= finished for r in rounds), "no push ran during the backup"
        assert oct(copy.stat().st_mode & 0o777) == "0o600"
        assert not list(copy.parent.glob(".*partial*"))

        with sqlite3.connect(copy) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            ids = [
                r[0]
                for r in db.execute("SELECT id FROM record_versions WHERE site_id = ?", [site.id])
            ]
        assert len(ids) == len(set(ids)) >= acknowledged  # one snapshot: nothing twice
        assert set(ids) <= set(made)

        # Restore elsewhere: the copy where a server's db_path points, then start it.
        target = tmp_path / "restored" / "server.db"
        target.parent.mkdir()
        shutil.copyfile(copy, target)
        restored = ServerProcess(target)
        restored.start()
        assert httpx.get(f"{restored.url}/ready", timeout=10).status_code == 200
        reader = enrolled_device(restored.url, restored.enrollment_code(site.id), tmp_path, "B")
        # The device holds exactly the copy's records: none lost, none twice.
        held = reader.store.site_versions(min(days), max(days), now=datetime.now(UTC))
        assert sorted(r.id for r in held) == sorted(ids)
        assert count_versions(restored.storage, "site_id = ?", [site.id]) == len(ids)
        earlier = workdays_before(min(days), 1)[0]  # a day nobody recorded yet
        fresh = reader.attend(site.participants[0], earlier)
        report = reader.sync()
        assert report.ok and report.accepted == 1 and report.duplicates == 0
        assert count_versions(restored.storage, "site_id = ?", [site.id]) == len(ids) + 1
        assert fresh.id not in ids
    finally:
        for device in (writer, reader):
            if device is not None:
                device.close()
        live.close()
        if restored is not None:
            restored.close()
