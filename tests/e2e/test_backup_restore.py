"""Backup under load and restore elsewhere, on both storage engines.

Real parts throughout: the server under uvicorn on loopback (SQLite file or PostgreSQL
database), devices made of the encrypted store and the sync client, and
``lasna-server backup`` / ``restore`` as processes of their own (pg_dump and
pg_restore on PostgreSQL).

The device that kept pushing to the old server meets the restored one as a county's
devices would after a restore on a new machine: same address (here: its setting moved
to the new port), same credential. What the old server acknowledged after the backup
was made is only on that device; it must come back to the server exactly once.
"""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from contextlib import closing
from datetime import UTC, date, datetime, time
from pathlib import Path

import httpx
import pytest

from client.sync.client import META_SERVER_URL
from shared.calendar import helsinki_today
from shared.records import DayRecord, current_versions
from sync_server.sealing import key_path
from tests.e2e.conftest import Device, enrolled_device
from tests.support.postgres import ENGINES, database_for
from tests.support.processes import start_module
from tests.support.server import ServerProcess
from tests.support.sites import SiteFixture, count_versions, make_site, workdays_before


def _admin(server: ServerProcess, *args: str) -> tuple[int, str]:
    """``lasna-server ARGS`` as a process of its own, with ``server``'s settings:
    (exit status, what it said)."""
    process = start_module(
        "sync_server",
        *args,
        "--db",
        server.database,
        env=server.env,
        without="LASNA_",
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output, _ = process.communicate(timeout=180)
    return process.returncode, output.decode(errors="replace")


def _server(folder: Path, database: str) -> ServerProcess:
    """A server on ``database`` whose machine is ``folder``: on PostgreSQL too, its
    sealed-push key is beside db_path, here in that folder."""
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "server.db"
    return ServerProcess(db_path, database=database, env={"LASNA_DB_PATH": str(db_path)})


def _on_server(server: ServerProcess, site: SiteFixture, days: list[date]) -> list[DayRecord]:
    found: list[DayRecord] = []
    for pid in site.participants:
        found.extend(server.storage.versions_for(pid, min(days), max(days)))
    return found


def _held(device: Device, days: list[date]) -> list[DayRecord]:
    return device.store.site_versions(min(days), max(days), now=datetime.now(UTC))


def _correct(device: Device, record: DayRecord, hours: int) -> DayRecord:
    """A correction of ``record``: present from 08.00 for ``hours`` hours."""
    return device.save(
        record.correct(
            correction_reason="Tunnit korjattu",
            recorded_by=record.recorded_by,
            device_id=device.store.device_id,
            recorded_at=datetime.now(UTC),
            end=time(8 + hours),
        )
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_a_backup_taken_under_load_restores_to_a_server_devices_sync_with(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    live = _server(tmp_path / "live", database_for(request, engine, tmp_path / "live"))
    site = make_site(live.storage, "backup", 5)
    live.start()
    restored: ServerProcess | None = None
    writer: Device | None = None
    reader: Device | None = None
    try:
        writer = enrolled_device(live.url, live.enrollment_code(site.id), tmp_path, "A")
        days = workdays_before(helsinki_today(datetime.now(UTC)), 25)
        loaded, later = days[:-3], days[-3:]
        made: list[str] = []
        current: dict[tuple[str, date], DayRecord] = {}
        rounds: list[float] = []
        done = threading.Event()
        errors: list[str] = []

        def push_until_done(device: Device) -> None:
            # First a record for every participant and day, then corrections of them:
            # load for as long as the backup takes, with chains of versions.
            for i in range(10_000):
                if done.is_set():
                    return
                day = loaded[i % len(loaded)]
                for pid in site.participants:
                    before = current.get((pid, day))
                    record = (
                        device.attend(pid, day)
                        if before is None
                        else _correct(device, before, 4 + i % 3)
                    )
                    current[(pid, day)] = record
                    made.append(record.id)
                report = device.sync()
                if not report.ok or report.conflicts or report.rejected:
                    errors.append(f"{report.error} {report.conflicts} {report.rejected}")
                    return
                rounds.append(datetime.now(UTC).timestamp())

        load = threading.Thread(target=push_until_done, args=(writer,))
        load.start()
        while not rounds and load.is_alive():
            threading.Event().wait(0.02)
        acknowledged = count_versions(live.storage, "site_id = ?", [site.id])
        started = datetime.now(UTC).timestamp()
        copy = tmp_path / "backups" / "server-copy"
        status, output = _admin(live, "backup", "--to", str(copy))
        finished = datetime.now(UTC).timestamp()
        done.set()
        load.join(120)
        assert status == 0, output
        assert not errors, errors
        assert any(started <= r <= finished for r in rounds), "no push ran during the backup"
        assert oct(copy.stat().st_mode & 0o777) == "0o600"
        assert not list(copy.parent.glob(".*partial*"))
        if engine == "sqlite":
            with closing(sqlite3.connect(copy)) as db:
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved_key = key_path(copy)
        assert saved_key.read_bytes() == key_path(live.db_path).read_bytes()
        assert oct(saved_key.stat().st_mode & 0o777) == "0o600"

        # After the backup: versions the live server acknowledges (the copy lacks them),
        # a correction of one of those, and, still in the outbox, a correction of that
        # correction and a new record.
        first = [writer.attend(pid, later[0]) for pid in site.participants]
        report = writer.sync()
        assert report.ok and report.accepted == len(first)
        second = _correct(writer, first[0], 3)
        assert writer.sync().accepted == 1
        waiting = [_correct(writer, second, 6), writer.attend(site.participants[1], later[1])]
        assert writer.store.outbox_count() == len(waiting)
        written = [r.id for r in _held(writer, days)]
        assert len(written) == len(set(written)) == len(made) + len(first) + 1 + len(waiting)

        # Restore elsewhere: the backup into a new database, a server started on it.
        restored = _server(
            tmp_path / "restored", database_for(request, engine, tmp_path / "restored")
        )
        status, output = _admin(restored, "restore", "--from", str(copy))
        assert status == 0, output
        assert key_path(restored.db_path).read_bytes() == saved_key.read_bytes()
        restored.start()
        assert httpx.get(f"{restored.url}/ready", timeout=10).status_code == 200

        # The copy: one snapshot, so every version once, at least those acknowledged
        # before it began, none that were never made.
        ids = [r.id for r in _on_server(restored, site, days)]
        assert len(ids) == len(set(ids)) >= acknowledged
        assert set(ids) <= set(made)

        # A device enrolled on the restored server holds exactly the copy's records.
        reader = enrolled_device(restored.url, restored.enrollment_code(site.id), tmp_path, "B")
        assert sorted(r.id for r in _held(reader, days)) == sorted(ids)

        # The writer syncs with the restored server: it sends again what the server had
        # acknowledged (duplicates for what the copy has), then what waited, in order.
        writer.store.set_meta(META_SERVER_URL, restored.url)
        report = writer.sync()
        assert report.ok, report.error
        assert (report.conflicts, report.rejected) == (0, 0)
        assert report.duplicates == len(ids)
        assert report.accepted == len(written) - len(ids)
        assert writer.store.outbox_count() == 0 and writer.store.attention() == []

        # Every version the device has is on the server exactly once, and every day has
        # one current version, the device's.
        on_server = _on_server(restored, site, days)
        assert sorted(r.id for r in on_server) == sorted(written)
        assert count_versions(restored.storage, "site_id = ?", [site.id]) == len(written)
        server_days = current_versions(on_server)
        assert all(len(versions) == 1 for versions in server_days.values())
        device_days = current_versions(_held(writer, days))
        assert {k: v[0].id for k, v in server_days.items()} == {
            k: v[0].id for k, v in device_days.items()
        }

        # Cursors: the other device pulls what was sent again, and the writer, whose
        # cursor came from the lost data, pulls what the other device makes next.
        assert reader.sync().ok
        assert sorted(r.id for r in _held(reader, days)) == sorted(written)
        fresh = reader.attend(site.participants[2], later[2])
        report = reader.sync()
        assert report.ok and report.accepted == 1 and report.duplicates == 0
        report = writer.sync()
        assert report.ok and report.pulled_records == 1
        assert fresh.id in {r.id for r in _held(writer, days)}
        assert count_versions(restored.storage, "site_id = ?", [site.id]) == len(written) + 1
    finally:
        for device in (writer, reader):
            if device is not None:
                device.close()
        live.close()
        if restored is not None:
            restored.close()
