"""Small builders for plans and day records, so each test states only what matters."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shared import AbsenceReason, DayRecord, Plan, PlanVersion, Status

NOW = datetime(2027, 6, 30, 12, 0, tzinfo=UTC)
TODAY = date(2027, 6, 30)


def version(
    *,
    valid_from: date | None = None,
    start: date = date(2026, 8, 3),
    end: date = date(2027, 7, 31),
    days: tuple[int, int] = (1, 4),
    hours: tuple[float, float] = (4, 8),
    weekdays: set[int] | None = None,
    allowance_type: str = "kulukorvaus",
    payer: str | None = None,
) -> PlanVersion:
    return PlanVersion(
        valid_from=valid_from or start,
        start=start,
        end=end,
        days_min=days[0],
        days_max=days[1],
        minutes_min=round(hours[0] * 60),
        minutes_max=round(hours[1] * 60),
        allowance_type=allowance_type,
        payer=payer,
        weekdays=frozenset(weekdays) if weekdays is not None else None,
    )


def plan(*versions: PlanVersion, rule_set: str = "kuntouttava", participant: str = "p1") -> Plan:
    return Plan(
        id=f"plan-{participant}",
        participant_id=participant,
        site_id="site-1",
        rule_set_id=rule_set,
        versions=tuple(sorted(versions or (version(),), key=lambda v: v.valid_from)),
    )


def _record(day: date, status: Status, participant: str, **fields: Any) -> DayRecord:
    return DayRecord(
        participant_id=participant,
        day=day,
        status=status,
        recorded_by="sup-1",
        device_id="dev-1",
        recorded_at=fields.pop("recorded_at", datetime.combine(day, time(15), tzinfo=UTC)),
        **fields,
    )


def present(
    day: date,
    hours: float | None = None,
    *,
    start: str = "08:00",
    end: str | None = None,
    participant: str = "p1",
    **fields: Any,
) -> DayRecord:
    """Present from ``start`` for ``hours`` (default 6 h), or with explicit ``end``."""
    begin = time.fromisoformat(start)
    if end is None:
        finish = (datetime.combine(day, begin) + timedelta(hours=hours or 6)).time()
    else:
        finish = time.fromisoformat(end)
    return _record(day, Status.PRESENT, participant, start=begin, end=finish, **fields)


def minutes(day: date, amount: int, *, participant: str = "p1", **fields: Any) -> DayRecord:
    return _record(day, Status.PRESENT, participant, minutes=amount, **fields)


def absent(day: date, reason: str, *, participant: str = "p1", **fields: Any) -> DayRecord:
    return _record(day, Status.ABSENT, participant, reason=AbsenceReason(reason), **fields)


def not_held(day: date, *, participant: str = "p1", **fields: Any) -> DayRecord:
    return _record(day, Status.NOT_HELD, participant, **fields)


def days_from(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]
