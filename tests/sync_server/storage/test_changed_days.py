"""``changed_days_since``: which days changed, from the columns alone, in server order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from shared.protocol import PushRequest
from sync_server.push import push
from sync_server.storage import Device, ParticipantRow, SiteRow, SqliteStorage
from tests.support.factory import Records
from tests.support.sites import plan_for

NOW = datetime(2026, 5, 29, 12, tzinfo=UTC)
TODAY = date(2026, 5, 29)


_present = Records(recorded_by="s", device_id="d", saved_at=lambda _day: NOW, hours=5).present


def test_changed_days_follow_the_versions_in_server_order_and_page(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "server.db")
    storage.import_sites([SiteRow("a", "A")], now=NOW)
    people = ["a-1", "a-2"]
    storage.import_participants([ParticipantRow(p, "a", p, p) for p in people], now=NOW)
    storage.import_plans([plan_for(p, "a", TODAY) for p in people], now=NOW)
    device = Device("d", "a", "tablet", NOW)
    monday = date(2026, 5, 4)
    first = [
        _present(monday, participant="a-2"),
        _present(monday + timedelta(days=1), participant="a-1"),
    ]
    push(storage, device, PushRequest(tuple(first)), now=NOW)
    fix = first[0].correct(
        correction_reason="korjaus", recorded_by="s", device_id="d", recorded_at=NOW, minutes=300
    )
    push(
        storage,
        device,
        PushRequest((fix, _present(monday + timedelta(days=2), participant="a-1"))),
        now=NOW,
    )

    changed = storage.changed_days_since(0, 100)

    full = storage.versions_since(0, 100)
    assert changed == [(seq, v.participant_id, v.day) for seq, v, _at in full]
    assert [(pid, day) for _seq, pid, day in changed] == [
        ("a-2", monday),
        ("a-1", monday + timedelta(days=1)),
        ("a-2", monday),
        ("a-1", monday + timedelta(days=2)),
    ]
    seqs = [seq for seq, _pid, _day in changed]
    assert seqs == sorted(seqs) and len(set(seqs)) == 4
    # a page starts after the given number and holds at most ``limit`` items
    assert storage.changed_days_since(seqs[0], 2) == changed[1:3]
    assert storage.changed_days_since(seqs[-1], 100) == []
    storage.close()
