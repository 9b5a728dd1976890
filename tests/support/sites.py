"""Sites, participants, plans and records on a real server, for the sync tests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import httpx

from shared.calendar import finnish_holiday, helsinki_today
from shared.plans import Plan
from shared.protocol import PROTOCOL_HEADER
from shared.records import DayRecord
from sync_server.storage import ParticipantRow, SiteRow, SqliteStorage
from tests.support.factory import Records, plan, version


@dataclass(frozen=True)
class SiteFixture:
    id: str
    participants: tuple[str, ...]


def make_site(
    storage: SqliteStorage, site_id: str, people: int = 3, *, now: datetime | None = None
) -> SiteFixture:
    """A site with ``people`` kuntouttava participants whose plans run around today."""
    moment = now or datetime.now(UTC)
    today = helsinki_today(moment)
    storage.import_sites([SiteRow(site_id, f"Paja {site_id}")], now=moment)
    ids = tuple(f"{site_id}-p{i}" for i in range(1, people + 1))
    storage.import_participants(
        [ParticipantRow(pid, site_id, f"Henkilö {i}", f"REF-{pid}") for i, pid in enumerate(ids)],
        now=moment,
    )
    storage.import_plans([plan_for(pid, site_id, today) for pid in ids], now=moment)
    return SiteFixture(site_id, ids)


def plan_for(participant_id: str, site_id: str, today: date, *, years: int = 1) -> Plan:
    """A kuntouttava plan that began ``years`` ago and runs 300 days past today."""
    start = today - timedelta(days=365 * years)
    return plan(
        version(start=start, end=today + timedelta(days=300)),
        participant=participant_id,
        site=site_id,
    )


def workdays_before(today: date, count: int, *, skip: int = 1) -> list[date]:
    """``count`` past Monday–Thursday working days (no holidays), newest last."""
    out: list[date] = []
    day = today - timedelta(days=skip)
    while len(out) < count:
        if day.isoweekday() <= 4 and not finnish_holiday(day):
            out.append(day)
        day -= timedelta(days=1)
    return sorted(out)


# Saved now by a supervisor on the test device, five hours from 08.00.
RECORDS = Records(
    recorded_by="ohjaaja-1",
    device_id="test-device",
    saved_at=lambda _day: datetime.now(UTC),
    hours=5,
)
present = RECORDS.present


def headers(credential: str | None = None, protocol: str = "1") -> dict[str, str]:
    out = {PROTOCOL_HEADER: protocol}
    if credential:
        out["Authorization"] = f"Bearer {credential}"
    return out


def enroll(url: str, code: str, name: str = "Tabletti") -> dict[str, Any]:
    response = httpx.post(
        url + "/v1/enroll", json={"code": code, "device_name": name}, headers=headers(), timeout=10
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def push(
    url: str, credential: str, records: list[DayRecord], *, as_given: bool = False, **extra: Any
) -> httpx.Response:
    """Push ``records`` as the credential's device (its ``device_id`` put on each record,
    as a device does), or exactly ``as_given``."""
    if not as_given:
        mine = device_id_of(url, credential)
        records = [replace(r, device_id=mine) for r in records]
    return httpx.post(
        url + "/v1/push",
        json={"records": [r.to_dict() for r in records], **extra},
        headers=headers(credential),
        timeout=30,
    )


@cache
def device_id_of(url: str, credential: str) -> str:
    """The device id the server has for ``credential``."""
    response = httpx.get(url + "/v1/device", headers=headers(credential), timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["device_id"])


def count_versions(storage: SqliteStorage, where: str = "1=1", params: Any = ()) -> int:
    row = storage.db.execute(f"SELECT count(*) FROM record_versions WHERE {where}", params)
    return int(row.fetchone()[0])
