"""``lasna-server migrate-to-postgres``: a county's SQLite database moves, its devices
notice nothing (same credentials, same cursors), and the copy is verified."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sync_server.storage import SqliteStorage, open_database
from tests.support.postgres import Cluster
from tests.support.processes import ROOT, child_env
from tests.sync_server.forward import data


def _migrate(source: Path, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync_server", "migrate-to-postgres", "--from", str(source),
         "--to", url, "--json"],
        cwd=ROOT, env=child_env(without="LASNA_"), capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def test_a_county_moves_to_postgresql_and_its_devices_notice_nothing(
    tmp_path: Path, postgres_cluster: Cluster
) -> None:
    now = data.NIGHT_AFTER_JANUARY
    january = data.month_of_records(2025, 1)
    before, after = january[:40], january[40:]
    source = tmp_path / "server.db"
    lite = SqliteStorage(source)
    tablet = data.seed(lite, now - timedelta(days=60))
    code, _ = lite.create_enrollment_code(data.SITE, now=now, valid_for=timedelta(hours=1))
    second = lite.enroll(code, "Tabletti 2", now=now)
    data.push(lite, tablet, before, now)
    reader = lite.authenticate(second.credential, now=now)
    assert reader is not None
    first = lite.pull(reader, None, now=now, limit=10_000)
    assert len(first.records) == len(before)
    lite.close()

    url = postgres_cluster.new_database()
    done = _migrate(source, url)
    assert done.returncode == 0, done.stderr
    rows = {c["table"]: c["rows"] for c in json.loads(done.stdout)}
    assert rows["record_versions"] == len(before) and rows["devices"] == 2
    assert rows["sequence"] == 1 and "console_accounts" in rows and "forward_state" in rows

    pg = open_database(url)
    moved = pg.authenticate(second.credential, now=now)  # the same credential works
    assert moved is not None and moved.id == reader.id
    again = pg.pull(moved, first.cursor, now=now, limit=10_000)
    assert again.records == () and again.reference is None and again.cursor == first.cursor

    tablet_pg = next(d for d in pg.devices() if d.id == tablet.id)
    data.push(pg, tablet_pg, after, now)
    later = pg.pull(moved, first.cursor, now=now, limit=10_000)
    assert {r.id for r in later.records} == {r.id for r in after}
    pg.close()

    refused = _migrate(source, url)  # the target holds data now
    assert refused.returncode == 2 and "already holds data" in refused.stderr


def test_the_copy_needs_a_postgresql_target(tmp_path: Path) -> None:
    SqliteStorage(tmp_path / "server.db").close()
    done = _migrate(tmp_path / "server.db", str(tmp_path / "other.db"))
    assert done.returncode == 2 and "postgresql://" in done.stderr
