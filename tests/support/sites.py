"""Sites, participants, plans and records for sync tests (made up, deterministic)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx

from shared.calendar import finnish_holiday, helsinki_today
from shared.plans import Plan, PlanVersion
from shared.protocol import PROTOCOL_HEADER
from shared.records import DayRecord, Status
from sync_server.storage import ParticipantRow, SiteRow, SqliteStorage


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
    start = today - timedelta(days=365 * years)
    version = PlanVersion(
        valid_from=start,
        start=start,
        end=today + timedelta(days=300),
        days_min=1,
        days_max=4,
        minutes_min=4 * 60,
        minutes_max=8 * 60,
        allowance_type="kulukorvaus",
    )
    return Plan(f"plan-{participant_id}", participant_id, site_id, "kuntouttava", (version,))


def workdays_before(today: date, count: int, *, skip: int = 1) -> list[date]:
    """``count`` past Monday–Thursday working days (no holidays), newest last."""
    out: list[date] = []
    day = today - timedelta(days=skip)
    while len(out) < count:
        if day.isoweekday() <= 4 and not finnish_holiday(day):
            out.append(day)
        day -= timedelta(days=1)
    return sorted(out)


def present(
    participant_id: str,
    day: date,
    *,
    device_id: str = "test-device",
    recorded_at: datetime | None = None,
    hours: int = 5,
    supersedes: str | None = None,
    reason: str | None = None,
) -> DayRecord:
    return DayRecord(
        participant_id=participant_id,
        day=day,
        status=Status.PRESENT,
        recorded_by="ohjaaja-1",
        device_id=device_id,
        recorded_at=recorded_at or datetime.now(UTC),
        id=str(uuid.uuid4()),
        start=time(8, 0),
        end=time(8 + hours, 0),
        minutes=hours * 60,
        supersedes=supersedes,
        correction_reason=reason,
    )


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


def push(url: str, credential: str, records: list[DayRecord], **extra: Any) -> httpx.Response:
    return httpx.post(
        url + "/v1/push",
        json={"records": [r.to_dict() for r in records], **extra},
        headers=headers(credential),
        timeout=30,
    )


def count_versions(storage: SqliteStorage, where: str = "1=1", params: Any = ()) -> int:
    row = storage.db.execute(f"SELECT count(*) FROM record_versions WHERE {where}", params)
    return int(row.fetchone()[0])
