"""A realistic site for the forward's tests: four participants under all three rule sets.

``january`` makes a month of records in the patterns a site really produces: full
weeks, a fifth day beyond a four-day plan, a day too short to count, a sickness run
long enough for a certificate, a child's sickness, a job interview, public holidays
marked "not held", and one record saved at 23:50 Helsinki time on the last day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from shared import AbsenceReason, DayRecord, Plan, finnish_holiday
from shared.protocol import PushRequest
from sync_server.push import push as push_batch
from sync_server.storage import Device, ParticipantRow, SiteRow, SqliteStorage
from tests.support.factory import Records, plan, version

SITE = "site-rauha"
SUPERVISOR = "sup-anna"
# 02:30 Helsinki on 1 February 2025 is 00:30 UTC.
NIGHT_AFTER_JANUARY = datetime(2025, 2, 1, 0, 30, tzinfo=UTC)
LAST_DAY_2350_HELSINKI = datetime(2025, 1, 31, 21, 50, tzinfo=UTC)


@dataclass(frozen=True)
class Person:
    id: str
    client_ref: str
    plan: Plan


def _plan(
    pid: str,
    rule_set: str,
    allowance: str,
    *,
    start: date,
    end: date,
    days: tuple[int, int],
    hours: tuple[int, int],
) -> Plan:
    return plan(
        version(start=start, end=end, days=days, hours=hours, allowance_type=allowance),
        rule_set=rule_set,
        participant=pid,
        site=SITE,
    )


PEOPLE = (
    Person(
        "p-kela",
        "ASK-1001",
        _plan(
            "p-kela",
            "kuntouttava",
            "kulukorvaus",
            start=date(2024, 11, 1),
            end=date(2025, 10, 31),
            days=(1, 4),
            hours=(4, 8),
        ),
    ),
    Person(
        "p-county",
        "ASK-1002",
        _plan(
            "p-county",
            "kuntouttava",
            "toimintaraha",
            start=date(2024, 12, 1),
            end=date(2025, 11, 30),
            days=(1, 4),
            hours=(4, 8),
        ),
    ),
    Person(
        "p-osall",
        "ASK-1003",
        _plan(
            "p-osall",
            "osallistava",
            "paivakorvaus",
            start=date(2025, 1, 1),
            end=date(2025, 3, 31),
            days=(1, 5),
            hours=(2, 6),
        ),
    ),
    Person(
        "p-vamm",
        "ASK-1004",
        _plan(
            "p-vamm",
            "vammaisten",
            "tyollistymista_tukeva_2",
            start=date(2024, 6, 1),
            end=date(2026, 5, 31),
            days=(1, 5),
            hours=(1, 8),
        ),
    ),
)


def new_storage(path: Path) -> SqliteStorage:
    return SqliteStorage(path)


def seed(storage: SqliteStorage, now: datetime) -> Device:
    """The site, its participants and plans, and one enrolled tablet."""
    storage.import_sites([SiteRow(SITE, "Työpaja Rauha")], now=now)
    storage.import_participants(
        [
            ParticipantRow(p.id, SITE, f"Osallistuja {i}", p.client_ref)
            for i, p in enumerate(PEOPLE, start=1)
        ],
        now=now,
    )
    storage.import_plans([p.plan for p in PEOPLE], now=now)
    code, _ = storage.create_enrollment_code(SITE, now=now, valid_for=timedelta(hours=1))
    reply = storage.enroll(code, "Tabletti 1", now=now)
    device = storage.authenticate(reply.credential, now=now)
    assert device is not None
    return device


# The tablet's records, saved at 14.00 UTC on the day unless said otherwise.
RECORDS = Records(
    recorded_by=SUPERVISOR,
    device_id="tablet-1",
    saved_at=lambda day: datetime.combine(day, time(14), tzinfo=UTC),
)
present = RECORDS.present
absent = RECORDS.absent
not_held = RECORDS.not_held


def month_of_records(year: int, month: int) -> list[DayRecord]:
    """Records for every working day of the month, in a site's usual patterns."""
    first = date(year, month, 1)
    out: list[DayRecord] = []
    day = first
    while day.month == month:
        weekday = day.isoweekday()
        if weekday <= 5:
            out.extend(_day(day, weekday))
        day += timedelta(days=1)
    return out


def _day(day: date, weekday: int) -> list[DayRecord]:
    if finnish_holiday(day):
        return [not_held(day, participant=p.id) for p in PEOPLE]
    out: list[DayRecord] = []
    last_day = (day + timedelta(days=1)).month != day.month
    # p-kela comes five days a week on a four-day plan: every Friday earns nothing.
    if day.day in (13, 14, 15, 16):
        out.append(absent(day, AbsenceReason.SICK, participant="p-kela"))  # 4 days: certificate due
    else:
        out.append(present(day, start="08:00", end="14:00", participant="p-kela"))
    # p-county: Mon–Wed 6 h; Thursday only 3 h (below the plan's 4 h minimum).
    if weekday <= 3:
        out.append(present(day, start="09:00", end="15:00", participant="p-county"))
    elif weekday == 4:
        out.append(present(day, start="09:00", end="12:00", participant="p-county"))
    # p-osall: Mon–Fri 4 h; a child's sickness on one day.
    if day.day == 21:
        out.append(absent(day, AbsenceReason.CHILD_SICK, participant="p-osall"))
    elif last_day:  # typed in at 23:50 Helsinki time, 21:50 UTC
        out.append(
            present(
                day,
                start="10:00",
                end="14:00",
                participant="p-osall",
                recorded_at=LAST_DAY_2350_HELSINKI,
            )
        )
    else:
        out.append(present(day, start="10:00", end="14:00", participant="p-osall"))
    # p-vamm: Mon–Thu 5 h; a job interview on one day.
    if day.day == 22:
        out.append(absent(day, AbsenceReason.JOB_RELATED, participant="p-vamm"))
    elif weekday <= 4:
        out.append(present(day, start="08:30", end="13:30", participant="p-vamm"))
    return out


def push(
    storage: SqliteStorage, device: Device, records: Sequence[DayRecord], now: datetime
) -> None:
    # As the tablet sends them: its own device id on each version.
    mine = tuple(replace(r, device_id=device.id) for r in records)
    reply = push_batch(storage, device, PushRequest(mine), now=now)
    refused = [a for a in reply.answers if a.status.value not in ("accepted", "duplicate")]
    assert not refused, refused
