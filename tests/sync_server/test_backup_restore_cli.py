"""``lasna-server backup`` and ``restore`` on both engines: what they write, what they
refuse, and that the refusals change nothing (the load test: e2e/test_backup_restore.py)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from sync_server import pgdump
from sync_server.cli import main
from sync_server.sealing import key_path
from sync_server.storage import open_database
from tests.support.postgres import Cluster
from tests.support.sites import count_versions, make_site

Capture = pytest.CaptureFixture[str]


def _seeded(database: str) -> str:
    storage = open_database(database)
    try:
        make_site(storage, "paja", 3)
        return storage.generation()
    finally:
        storage.close()


def _state(database: str) -> tuple[int, str, int]:
    storage = open_database(database)
    try:
        sites = len(storage.sites())
        return sites, storage.generation(), count_versions(storage)
    finally:
        storage.close()


def postgres_cluster_tables(url: str) -> list[str]:
    return pgdump.Connection(url).tables()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_sqlite_backup_and_its_key_restore_into_an_empty_place(
    tmp_path: Path, capsys: Capture
) -> None:
    live = tmp_path / "live" / "server.db"
    assert main(["init", "--db", str(live)]) == 0
    before = _seeded(str(live))
    copy = tmp_path / "backups" / "server.db"
    assert main(["backup", "--db", str(live), "--to", str(copy)]) == 0
    said = capsys.readouterr().out
    assert "integrity checked" in said and str(key_path(copy)) in said
    assert key_path(copy).read_bytes() == key_path(live).read_bytes()
    assert _mode(copy) == _mode(key_path(copy)) == 0o600

    target = tmp_path / "new-machine" / "server.db"
    assert main(["restore", "--db", str(target), "--from", str(copy)]) == 0
    said = capsys.readouterr().out
    sites, after, _ = _state(str(target))
    assert sites == 1 and after != before  # a restored database is a new generation
    assert f"new generation {after}" in said
    assert key_path(target).read_bytes() == key_path(live).read_bytes()
    assert _mode(target) == _mode(key_path(target)) == 0o600


def test_restoring_over_a_database_that_holds_data_needs_force_and_keeps_it_aside(
    tmp_path: Path, capsys: Capture
) -> None:
    live = tmp_path / "server.db"
    assert main(["init", "--db", str(live)]) == 0
    _seeded(str(live))
    copy = tmp_path / "copy.db"
    assert main(["backup", "--db", str(live), "--to", str(copy)]) == 0
    other = tmp_path / "other" / "server.db"
    assert main(["init", "--db", str(other)]) == 0  # tables and a key of its own
    capsys.readouterr()
    before = _state(str(other))
    own_key = key_path(other).read_bytes()

    assert main(["restore", "--db", str(other), "--from", str(copy)]) == 2
    err = capsys.readouterr().err
    assert f"The database {other} is not empty" in err and "--force" in err
    assert _state(str(other)) == before  # nothing changed
    assert key_path(other).read_bytes() == own_key

    assert main(["restore", "--db", str(other), "--from", str(copy), "--force"]) == 0
    out = capsys.readouterr().out
    assert _state(str(other))[0] == 1
    assert key_path(other).read_bytes() == key_path(copy).read_bytes()
    (kept,) = other.parent.glob("server.db.replaced-*[0-9]")
    assert f"Kept what was there as {kept}" in out
    assert _state(str(kept)) == before  # the replaced database, whole beside it
    (old_key,) = other.parent.glob("server.db.push-key.replaced-*")
    assert old_key.read_bytes() == own_key and f"Kept what was there as {old_key}" in out


def test_a_different_key_where_the_backup_goes_needs_force(tmp_path: Path, capsys: Capture) -> None:
    live = tmp_path / "server.db"
    assert main(["init", "--db", str(live)]) == 0
    copy = tmp_path / "copy.db"
    assert main(["backup", "--db", str(live), "--to", str(copy)]) == 0
    target = tmp_path / "new" / "server.db"
    assert main(["init", "--db", str(tmp_path / "new" / "made-by-mistake.db")]) == 0
    key_path(target).write_bytes(key_path(tmp_path / "new" / "made-by-mistake.db").read_bytes())
    capsys.readouterr()

    assert main(["restore", "--db", str(target), "--from", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "holds another sealed-push key than the backup's" in err and "--force" in err
    assert not target.exists()  # checked before anything changed

    key_path(copy).write_text("not a key\n")
    assert main(["restore", "--db", str(target), "--from", str(copy), "--force"]) == 2
    assert "is damaged" in capsys.readouterr().err
    assert not target.exists()


def test_restore_refuses_what_is_not_a_backup_of_its_engine(
    tmp_path: Path, capsys: Capture, postgres_cluster: Cluster
) -> None:
    target = tmp_path / "server.db"
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    assert main(["restore", "--db", str(target), "--from", str(junk)]) == 2
    assert "is not a backup lasna-server made" in capsys.readouterr().err
    assert main(["restore", "--db", str(target), "--from", str(tmp_path / "none")]) == 2
    assert "There is no backup file" in capsys.readouterr().err

    url = postgres_cluster.new_database()
    _seeded(url)
    dump = tmp_path / "lasna.dump"
    assert main(["backup", "--db", url, "--to", str(dump)]) == 0
    capsys.readouterr()
    assert main(["restore", "--db", str(target), "--from", str(dump)]) == 2
    assert "is a PostgreSQL dump" in capsys.readouterr().err
    sqlite_copy = tmp_path / "copy.db"
    assert main(["init", "--db", str(target)]) == 0
    assert main(["backup", "--db", str(target), "--to", str(sqlite_copy)]) == 0
    capsys.readouterr()
    empty = postgres_cluster.new_database()
    assert main(["restore", "--db", empty, "--from", str(sqlite_copy)]) == 2
    assert "migrate-to-postgres" in capsys.readouterr().err
    assert postgres_cluster_tables(empty) == []

    half = tmp_path / "half.dump"
    half.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    assert main(["restore", "--db", empty, "--from", str(half)]) == 2
    assert "pg_restore failed" in capsys.readouterr().err


def test_a_postgresql_backup_restores_into_an_empty_database_only_unless_forced(
    tmp_path: Path, capsys: Capture, postgres_cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The key sits beside db_path on PostgreSQL too: here, in this test's folder.
    monkeypatch.setenv("LASNA_DB_PATH", str(tmp_path / "live" / "lasna.db"))
    url = postgres_cluster.new_database()
    assert main(["init", "--db", url]) == 0
    before = _seeded(url)
    assert not key_path(tmp_path / "live" / "lasna.db").exists()  # made by the first serve
    dump = tmp_path / "backups" / "lasna.dump"
    assert main(["backup", "--db", url, "--to", str(dump)]) == 0
    captured = capsys.readouterr()
    assert "its table of contents read back" in captured.out
    assert "back up the key file of the server's machine" in captured.err
    assert _mode(dump) == 0o600 and not key_path(dump).exists()

    monkeypatch.setenv("LASNA_DB_PATH", str(tmp_path / "new" / "lasna.db"))
    empty = postgres_cluster.new_database()
    assert main(["restore", "--db", empty, "--from", str(dump)]) == 0
    captured = capsys.readouterr()
    assert "No sealed-push key was restored" in captured.out
    assert "the server makes a new key" in captured.err
    sites, after, _ = _state(empty)
    assert sites == 1 and after != before

    assert main(["restore", "--db", empty, "--from", str(dump)]) == 2
    assert "is not empty (it holds" in capsys.readouterr().err
    assert _state(empty)[1] == after  # refused before anything changed
    assert main(["restore", "--db", empty, "--from", str(dump), "--force"]) == 0
    sites, again, _ = _state(empty)
    assert sites == 1 and again not in (before, after)


def test_pg_dump_gets_the_password_from_the_environment_never_the_command_line(
    tmp_path: Path, capsys: Capture, postgres_cluster: Cluster
) -> None:
    url = postgres_cluster.new_database()
    secret = "s3cret-Pa55word"
    with_password = url.replace("lasna@", f"lasna:{secret}@")
    connection = pgdump.Connection(with_password)
    assert secret not in connection.conninfo
    assert connection.environment()["PGPASSWORD"] == secret
    assert main(["init", "--db", with_password]) == 0
    assert main(["backup", "--db", with_password, "--to", str(tmp_path / "a.dump")]) == 0
    closed = with_password.replace(f":{postgres_cluster.port}/", ":1/")
    assert main(["backup", "--db", closed, "--to", str(tmp_path / "b.dump")]) == 2
    captured = capsys.readouterr()
    assert "pg_dump failed" in captured.err
    assert secret not in captured.out + captured.err
    assert not (tmp_path / "b.dump").exists() and not list(tmp_path.glob(".b.dump*"))


def test_without_pg_dump_the_backup_says_what_to_install(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pgdump, "DEBIAN_BINARIES", tmp_path / "postgresql")
    url = "postgresql://lasna@127.0.0.1:1/lasna"
    assert main(["backup", "--db", url, "--to", str(tmp_path / "a.dump")]) == 2
    err = capsys.readouterr().err
    assert "pg_dump was not found" in err and "apt-get install postgresql-client" in err
    assert list(tmp_path.iterdir()) == []


def test_the_generation_survives_migrate_to_postgres(
    tmp_path: Path, postgres_cluster: Cluster
) -> None:
    """Moving engines is not a restore: devices go on without sending again."""
    source = tmp_path / "server.db"
    assert main(["init", "--db", str(source)]) == 0
    generation = _seeded(str(source))
    target = postgres_cluster.new_database()
    assert main(["migrate-to-postgres", "--from", str(source), "--to", target]) == 0
    assert _state(target)[1] == generation


def test_mark_restored_makes_a_new_generation_after_a_restore_by_other_means(
    tmp_path: Path, capsys: Capture
) -> None:
    db = tmp_path / "server.db"
    assert main(["init", "--db", str(db)]) == 0
    before = _seeded(str(db))
    assert main(["mark-restored", "--db", str(db), "--note", "PITR 2026-03-01 03:00"]) == 0
    _, after, _ = _state(str(db))
    assert after != before and f"generation {after}" in capsys.readouterr().out
    storage = open_database(str(db))
    try:
        (row,) = storage.rows("SELECT restored_from, restored_at FROM database_generation")
    finally:
        storage.close()
    assert row["restored_from"] == "PITR 2026-03-01 03:00" and row["restored_at"]
