"""Retention: a purge removes names and client references past retention, and the
forward's figures for the purged period stay what they were (issue 13)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sync_server.forward import Outbox, reconcile
from sync_server.retention import PURGED_TABLES, purge
from sync_server.storage import SqliteStorage, open_database
from tests.sync_server.forward import data
from tests.sync_server.forward.conftest import config_for, forwarder
from tests.sync_server.forward.standin import Standin

# Records are kept 10 years after the last service ends: on this day the services that
# ended before 1.4.2026 are past it (three of the four plans; p-vamm's runs to 31.5.2026).
PURGE_DAY = date(2036, 4, 1)
PURGED = ("p-kela", "p-county", "p-osall")


def _files(db: Path) -> bytes:
    out = b""
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db}{suffix}")
        if path.exists():
            out += path.read_bytes()
    return out


def _table_files(storage: SqliteStorage) -> bytes:
    """On PostgreSQL: the bytes of the purged tables' files (heap, TOAST, indexes),
    written out by a checkpoint first. The test cluster is this machine's own."""
    storage.db.execute("CHECKPOINT")
    (data_dir,) = storage.db.execute("SHOW data_directory").fetchone()
    out = b""
    for (relative,) in storage.db.execute(
        "SELECT pg_relation_filepath(c.oid) FROM pg_class c WHERE c.oid IN ("
        "SELECT t.oid FROM pg_class t WHERE t.relname = ANY(?) AND t.relkind = 'r' "
        "UNION SELECT t.reltoastrelid FROM pg_class t WHERE t.relname = ANY(?) "
        "AND t.reltoastrelid <> 0 "
        "UNION SELECT i.indexrelid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "WHERE t.relname = ANY(?) OR t.oid IN (SELECT reltoastrelid FROM pg_class "
        "WHERE relname = ANY(?)))",
        [list(PURGED_TABLES)] * 4,
    ).fetchall():
        for segment in Path(data_dir).glob(f"{relative}*"):
            if segment.name.split(".")[0] == Path(relative).name and "_" not in segment.name:
                out += segment.read_bytes()
    return out


def _stored_bytes(storage: SqliteStorage) -> bytes:
    if storage.engine == "postgres":
        return _table_files(storage)
    return _files(storage.path)


def _dump(storage: SqliteStorage) -> list[str]:
    """Every table's rows, in a form both engines give the same way."""
    if storage.engine == "sqlite":
        return list(storage.db.conn.iterdump())
    tables = [
        name
        for (name,) in storage.db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    ]
    return [
        f"{table}: {row!r}"
        for table in tables
        for row in sorted(storage.db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
    ]


def _names_and_refs(people: tuple[str, ...]) -> list[bytes]:
    found: list[bytes] = []
    for i, p in enumerate(data.PEOPLE, start=1):
        if p.id in people:
            found += [f"Osallistuja {i}".encode(), p.client_ref.encode()]
    return found


def _figures(storage: SqliteStorage) -> dict[str, object]:
    report = reconcile(storage, Outbox(storage), data.SITE, date(2025, 1, 1), date(2025, 1, 31))
    return {k: report[k] for k in ("recorded", "sent", "acknowledged")}


def test_a_dry_run_changes_nothing_and_says_what_would_go(
    storage: SqliteStorage, january: None
) -> None:
    before = _dump(storage)
    report = purge(
        storage,
        today=PURGE_DAY,
        now=data.NIGHT_AFTER_JANUARY,
        records_years=10,
        log_years=2,
        apply=False,
    )
    assert [pid for pid, _end in report.participants] == sorted(PURGED)
    assert report.record_versions > 0
    assert "Would remove personal data of 3 participant(s)" in "\n".join(report.lines())
    assert "Nothing was changed (dry run)" in "\n".join(report.lines())
    assert _dump(storage) == before


def test_apply_leaves_no_name_or_reference_and_the_forwards_figures_stand(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    first = forwarder(storage, config_for(standin.batches_url)).run()
    assert first.failed == [] and len(first.acknowledged) == 1
    figures = _figures(storage)
    assert all(text in _stored_bytes(storage) for text in _names_and_refs(PURGED))

    report = purge(
        storage,
        today=PURGE_DAY,
        now=data.NIGHT_AFTER_JANUARY,
        records_years=10,
        log_years=2,
        apply=True,
    )
    assert report.applied and report.wal_emptied
    assert [pid for pid, _end in report.participants] == sorted(PURGED)
    assert report.forward_batches == 1

    # The forward's figures for the period are the same from what remains, and the next
    # run has nothing to send again: no adjustment comes from the purge.
    assert _figures(storage) == figures
    again = forwarder(storage, config_for(standin.batches_url)).run()
    assert again.built == []

    # The kept participant keeps their name; the purged leave no trace in the files.
    names = {r["id"]: r["display_name"] for r in storage.participants(data.SITE)}
    assert names["p-vamm"] == "Osallistuja 4"
    # On PostgreSQL the tables' files are scanned (VACUUM FULL rewrote them); its
    # write-ahead log is PostgreSQL's own and recycled later, as docs/admin.md says.
    if storage.engine == "postgres":
        files = _table_files(storage)
        where: str = storage.url  # type: ignore[attr-defined]
    else:
        storage.close()
        files = _files(storage.path)
        where = str(storage.path)
    assert b"Osallistuja 4" in files  # the scan sees what is there
    for text in _names_and_refs(PURGED):
        assert text not in files, text

    # A second purge finds nothing more to remove.
    storage.close()
    reopened = open_database(where)
    try:
        second = purge(
            reopened,
            today=PURGE_DAY,
            now=data.NIGHT_AFTER_JANUARY,
            records_years=10,
            log_years=2,
            apply=False,
        )
        assert second.participants == []
    finally:
        reopened.close()
