"""Retention: a purge removes names and client references past retention, and the
forward's figures for the purged period stay what they were (issue 13)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sync_server.forward import Outbox, reconcile
from sync_server.retention import purge
from sync_server.storage import SqliteStorage
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
    before = list(storage.db.conn.iterdump())
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
    assert list(storage.db.conn.iterdump()) == before


def test_apply_leaves_no_name_or_reference_and_the_forwards_figures_stand(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    first = forwarder(storage, config_for(standin.batches_url)).run()
    assert first.failed == [] and len(first.acknowledged) == 1
    figures = _figures(storage)
    assert all(text in _files(storage.path) for text in _names_and_refs(PURGED))

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
    storage.close()
    files = _files(storage.path)
    assert b"Osallistuja 4" in files  # the scan sees what is there
    for text in _names_and_refs(PURGED):
        assert text not in files, text

    # A second purge finds nothing more to remove.
    reopened = SqliteStorage(storage.path)
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
