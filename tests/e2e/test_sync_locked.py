"""Sync while locked (issue 11): a locked device's outbox reaches the real server, once,
and the device file never holds anything readable."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from shared.calendar import helsinki_today
from sync_server.storage import ParticipantRow
from tests.e2e.conftest import PIN, MakeDevice
from tests.support.server import ServerProcess
from tests.support.sites import count_versions, make_site, plan_for, workdays_before

_ids = itertools.count(1)
NAME = "Aino Kivimäki-Lahtinen"
NOTE = "Lajitteli kierrätystekstiilejä itsenäisesti koko päivän"


def _today() -> datetime:
    return datetime.now(UTC)


def _site(server: ServerProcess) -> tuple[str, tuple[str, ...]]:
    site = make_site(server.storage, f"lock{next(_ids)}", 2)
    named = f"{site.id}-aino"
    server.storage.import_participants(
        [ParticipantRow(named, site.id, NAME, f"ASREF-{named}")], now=_today()
    )
    server.storage.import_plans([plan_for(named, site.id, helsinki_today(_today()))], now=_today())
    return site.id, (named, *site.participants)


def _readable(path: Path, texts: list[str]) -> list[str]:
    found = []
    for suffix in ("", "-wal", "-journal"):
        part = Path(f"{path}{suffix}")
        data = part.read_bytes() if part.exists() else b""
        for text in texts:
            for form in (text.encode("utf-8"), text.encode("utf-16-le")):
                if form in data:
                    found.append(f"{text!r} in {part.name}")
    return found


def test_a_locked_device_sends_its_outbox_once_and_keeps_nothing_readable(
    e2e_server: ServerProcess, devices: MakeDevice, tmp_path: Path
) -> None:
    site, people = _site(e2e_server)
    a = devices(e2e_server.url, e2e_server.enrollment_code(site), "A")
    b = devices(e2e_server.url, e2e_server.enrollment_code(site), "B")
    days = workdays_before(helsinki_today(_today()), 2)
    made = [a.attend(people[0], d, note=NOTE) for d in days]
    clash = a.attend(people[1], days[0])
    b.attend(people[1], days[0])  # B records the same day first: A's version conflicts
    assert b.sync().accepted == 1

    a.store.lock()
    locked = a.sync()
    assert locked.ok and locked.skipped is None, locked.error
    assert (locked.pushed, locked.accepted, locked.conflicts) == (3, 2, 1)
    assert a.store.outbox_count() == 0
    assert a.client.state().waiting_for_unlock is False
    marks = ",".join("?" * len(made))
    stored = count_versions(e2e_server.storage, f"id IN ({marks})", [r.id for r in made])
    assert stored == len(made)
    leaks = _readable(tmp_path / "A.db", [NAME, f"ASREF-{people[0]}", NOTE, "Kivimäki"])
    assert leaks == []

    a.store.unlock("ohjaaja-1", PIN, now=_today())
    again = a.sync()
    assert again.ok and again.pushed == 0  # nothing is sent twice
    (conflict,) = a.store.attention()
    assert conflict.record.id == clash.id and conflict.current is not None
    assert count_versions(e2e_server.storage, f"id IN ({marks})", [r.id for r in made]) == 2


def test_a_box_changed_in_the_file_is_refused_and_waits_for_the_unlock(
    e2e_server: ServerProcess, devices: MakeDevice, tmp_path: Path
) -> None:
    site, people = _site(e2e_server)
    a = devices(e2e_server.url, e2e_server.enrollment_code(site), "A")
    days = workdays_before(helsinki_today(_today()), 2)
    good, changed = (a.attend(people[0], d) for d in days)
    a.store.lock()
    conn = sqlite3.connect(tmp_path / "A.db")
    with conn:
        (box,) = conn.execute(
            "SELECT sealed FROM outbox WHERE record_id = ?", [changed.id]
        ).fetchone()
        flipped = bytearray(box)
        flipped[50] ^= 0x01
        conn.execute(
            "UPDATE outbox SET sealed = ? WHERE record_id = ?", [bytes(flipped), changed.id]
        )
    conn.close()

    locked = a.sync()
    assert locked.skipped == "locked" and locked.accepted == 1
    assert a.client.state().waiting_for_unlock
    assert count_versions(e2e_server.storage, "id = ?", [changed.id]) == 0
    assert count_versions(e2e_server.storage, "id = ?", [good.id]) == 1

    a.store.unlock("ohjaaja-1", PIN, now=_today())
    after = a.sync()
    assert after.ok and after.pushed == 1 and after.accepted == 1
    assert count_versions(e2e_server.storage, "id = ?", [changed.id]) == 1
