"""Files at rest: the data folder 0700, the database, its WAL and shared memory 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sync_server.cli import main
from sync_server.storage import SqliteStorage
from tests.support.server import ServerProcess


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common default, under which files are created 0644 and folders 0755."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def test_the_served_database_and_its_wal_are_private(tmp_path: Path) -> None:
    db = tmp_path / "var" / "lib" / "server.db"
    server = ServerProcess(db)
    server.log_path = tmp_path / "server.log"  # the data folder must be the server's to make
    server.start()
    try:
        assert httpx.get(server.url + "/health").status_code == 200
        wal, shm = db.with_name("server.db-wal"), db.with_name("server.db-shm")
        assert wal.exists() and shm.exists()
        assert {p.name: mode(p) for p in (db, wal, shm)} == {
            "server.db": 0o600,
            "server.db-wal": 0o600,
            "server.db-shm": 0o600,
        }
        assert mode(db.parent) == 0o700 and mode(db.parent.parent) == 0o700
    finally:
        server.close()


def test_an_older_database_is_tightened_and_an_existing_folder_left_alone(
    tmp_path: Path,
) -> None:
    db = tmp_path / "server.db"
    SqliteStorage(db).close()
    for path in (db, db.with_name("server.db-wal"), db.with_name("server.db-shm")):
        path.touch()
        path.chmod(0o644)
    tmp_path.chmod(0o755)
    storage = SqliteStorage(db)
    storage.head()
    assert mode(db) == 0o600
    assert mode(db.with_name("server.db-wal")) == 0o600
    assert mode(db.with_name("server.db-shm")) == 0o600
    assert mode(tmp_path) == 0o755  # the administrator's own folder keeps its rights
    storage.close()


def test_an_enrollment_code_file_is_private(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    code_file = tmp_path / "codes" / "demo.txt"
    assert main(["init", "--db", str(db)]) == 0
    assert main(["demo-seed", "--db", str(db), "--code-file", str(code_file)]) == 0
    assert mode(code_file) == 0o600 and mode(code_file.parent) == 0o700
    assert mode(db) == 0o600


def test_the_county_standin_keeps_its_database_private(tmp_path: Path) -> None:
    from county_standin.store import CountyStore

    db = tmp_path / "county" / "standin.db"
    store = CountyStore(db)
    store.log_delivery("test", None, None)
    assert mode(db.parent) == 0o700
    assert {p.name: mode(p) for p in db.parent.iterdir()} == {
        "standin.db": 0o600,
        "standin.db-wal": 0o600,
        "standin.db-shm": 0o600,
    }
    store.db.conn.close()
