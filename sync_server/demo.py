"""A demo site: eight made-up participants under all three rule sets, with plans.

Used by the README's run command and by tests. Dates are relative to ``now`` so the
plans are always current. Names and references are invented.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta

from shared.calendar import finnish_holiday, helsinki_today
from shared.plans import Plan, PlanVersion, add_months, check_plan
from shared.protocol import PushRequest
from shared.records import AbsenceReason, DayRecord, Status
from shared.rulesets import builtin_rule_sets
from sync_server.push import push
from sync_server.storage import Device, ParticipantRow, ServerStorage, SiteRow

DEMO_SITE = SiteRow("demo", "Demopaja (Mikkeli)")
_PEOPLE = [
    # id, display name, client ref, rule set, allowance type, payer, days, hours, weekdays
    ("demo-p1", "Aino K.", "ASK-1001", "kuntouttava", "kulukorvaus", "kela", (2, 4), (4, 6), None),
    (
        "demo-p2",
        "Eero L.",
        "ASK-1002",
        "kuntouttava",
        "toimintaraha",
        "county",
        (1, 3),
        (4, 5),
        None,
    ),
    (
        "demo-p3",
        "Helmi M.",
        "ASK-1003",
        "kuntouttava",
        "kulukorvaus",
        "kela",
        (3, 3),
        (4, 6),
        frozenset({1, 2, 3}),
    ),
    (
        "demo-p4",
        "Juho N.",
        "ASK-1004",
        "osallistava",
        "paivakorvaus",
        "county",
        (2, 3),
        (3, 5),
        None,
    ),
    (
        "demo-p5",
        "Lilja P.",
        "ASK-1005",
        "osallistava",
        "paivakorvaus",
        "county",
        (1, 2),
        (2, 4),
        None,
    ),
    (
        "demo-p6",
        "Onni R.",
        "ASK-1006",
        "osallistava",
        "paivakorvaus",
        "organiser",
        (2, 4),
        (3, 6),
        None,
    ),
    (
        "demo-p7",
        "Saara T.",
        "ASK-1007",
        "vammaisten",
        "tyoosuusraha",
        "county",
        (3, 5),
        (4, 6),
        None,
    ),
    (
        "demo-p8",
        "Väinö V.",
        "ASK-1008",
        "vammaisten",
        "tyoosuusraha",
        "county",
        (2, 5),
        (2, 6),
        None,
    ),
]


def demo_plans(today: date, site_id: str = DEMO_SITE.id) -> list[Plan]:
    rule_sets = builtin_rule_sets()
    plans = []
    for pid, _name, _ref, rs_id, allowance, payer, days, hours, weekdays in _PEOPLE:
        rs = rule_sets.get(rs_id)
        start = today - timedelta(days=45)
        months = min(rs.period_months.max, 6)
        end = add_months(start, months) - timedelta(days=1)
        version = PlanVersion(
            valid_from=start,
            start=start,
            end=end,
            days_min=days[0],
            days_max=days[1],
            minutes_min=hours[0] * 60,
            minutes_max=hours[1] * 60,
            allowance_type=allowance,
            payer=payer,
            weekdays=weekdays,
        )
        plan = Plan(f"plan-{pid}", pid, site_id, rs_id, (version,))
        check_plan(plan, rule_sets)
        plans.append(plan)
    return plans


def seed_demo(storage: ServerStorage, *, now: datetime, history_days: int = 0) -> None:
    """Create (or refresh) the demo site, its participants and plans; optionally history."""
    today = helsinki_today(now)
    storage.import_sites([DEMO_SITE], now=now)
    storage.import_participants(
        [ParticipantRow(p[0], DEMO_SITE.id, p[1], p[2]) for p in _PEOPLE], now=now
    )
    plans = demo_plans(today)
    storage.import_plans(plans, now=now)
    if history_days > 0:
        _seed_history(storage, plans, today, history_days, now)


def _seed_history(
    storage: ServerStorage, plans: list[Plan], today: date, days: int, now: datetime
) -> None:
    """Past attendance, as if an earlier tablet had recorded it (so devices pull something)."""
    rng = random.Random(7)  # the same demo every time
    seeder = Device("demo-history", DEMO_SITE.id, "earlier tablet", now)
    records: list[DayRecord] = []
    for plan in plans:
        version = plan.latest
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            if day < version.start or day.isoweekday() > 5 or finnish_holiday(day):
                continue
            if version.weekdays is not None and day.isoweekday() not in version.weekdays:
                continue
            if day.isoweekday() > version.days_max:
                continue
            stamp = datetime.combine(day, time(15, 0), tzinfo=now.tzinfo)
            record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            draw = rng.random()
            if draw < 0.1:
                # mostly one's own sickness, some a child's or other reasons, so that the
                # console's absence notice (TT3) and queue have something of each to show
                status, start, end, minutes = Status.ABSENT, None, None, None
                reason: AbsenceReason | None = (
                    AbsenceReason.SICK
                    if draw < 0.05
                    else AbsenceReason.CHILD_SICK
                    if draw < 0.075
                    else AbsenceReason.OTHER
                )
            else:
                hours = version.minutes_min // 60
                status, reason = Status.PRESENT, None
                start, end, minutes = time(9, 0), time(9 + hours, 0), hours * 60
            records.append(
                DayRecord(
                    plan.participant_id,
                    day,
                    status,
                    "demo-ohjaaja",
                    seeder.id,
                    stamp,
                    id=record_id,
                    start=start,
                    end=end,
                    minutes=minutes,
                    reason=reason,
                )
            )
    for i in range(0, len(records), 500):
        push(storage, seeder, PushRequest(tuple(records[i : i + 500])), now=now)
