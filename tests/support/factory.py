"""Plans and day records for every test package, so each test states only what matters.

Records come from a :class:`Records`, whose defaults (who recorded, on which device,
when, the usual hours) suit one test package; the module-level ``present``, ``absent``
and friends are the domain tests' defaults. Anything else a :class:`DayRecord` holds
(``note``, ``supersedes``, ``id``, ``recorded_at`` …) goes in as a keyword.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
    weekdays: set[int] | frozenset[int] | None = None,
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


def plan(
    *versions: PlanVersion,
    rule_set: str = "kuntouttava",
    participant: str = "p1",
    site: str = "site-1",
) -> Plan:
    return Plan(
        id=f"plan-{participant}",
        participant_id=participant,
        site_id=site,
        rule_set_id=rule_set,
        versions=tuple(sorted(versions or (version(),), key=lambda v: v.valid_from)),
    )


def afternoon_of(day: date) -> datetime:
    """15.00 UTC on the day: when the domain tests' records were saved."""
    return datetime.combine(day, time(15), tzinfo=UTC)


@dataclass(frozen=True)
class Records:
    """Day records with one test package's defaults."""

    recorded_by: str = "sup-1"
    device_id: str = "dev-1"
    # when a record of the given day was saved, unless ``recorded_at`` is given
    saved_at: Callable[[date], datetime] = afternoon_of
    participant: str = "p1"
    start: str = "08:00"
    hours: float = 6

    def record(
        self, day: date, status: Status, *, participant: str | None = None, **fields: Any
    ) -> DayRecord:
        fields.setdefault("recorded_by", self.recorded_by)
        fields.setdefault("device_id", self.device_id)
        if fields.get("recorded_at") is None:
            fields["recorded_at"] = self.saved_at(day)
        return DayRecord(
            participant_id=participant or self.participant, day=day, status=status, **fields
        )

    def present(
        self,
        day: date,
        hours: float | None = None,
        *,
        start: str | None = None,
        end: str | None = None,
        participant: str | None = None,
        **fields: Any,
    ) -> DayRecord:
        """Present from ``start`` for ``hours`` (the package's usual), or until ``end``."""
        begin = time.fromisoformat(start or self.start)
        if end is None:
            finish = (datetime.combine(day, begin) + timedelta(hours=hours or self.hours)).time()
        else:
            finish = time.fromisoformat(end)
        return self.record(
            day, Status.PRESENT, participant=participant, start=begin, end=finish, **fields
        )

    def minutes(
        self, day: date, amount: int, *, participant: str | None = None, **fields: Any
    ) -> DayRecord:
        return self.record(day, Status.PRESENT, participant=participant, minutes=amount, **fields)

    def absent(
        self,
        day: date,
        reason: str | AbsenceReason,
        *,
        participant: str | None = None,
        **fields: Any,
    ) -> DayRecord:
        return self.record(
            day, Status.ABSENT, participant=participant, reason=AbsenceReason(reason), **fields
        )

    def not_held(self, day: date, *, participant: str | None = None, **fields: Any) -> DayRecord:
        return self.record(day, Status.NOT_HELD, participant=participant, **fields)


DOMAIN = Records()
record = DOMAIN.record
present = DOMAIN.present
minutes = DOMAIN.minutes
absent = DOMAIN.absent
not_held = DOMAIN.not_held


def days_from(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]
