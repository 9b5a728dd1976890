"""Small builders: a site with Finnish names, plans that fit the rule sets, day records."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from client.store import Store
from shared import AbsenceReason, DayRecord, Plan, PlanVersion, Status

NOW = datetime(2025, 3, 14, 10, 0, tzinfo=UTC)  # a Friday; 12.00 in Helsinki
TODAY = date(2025, 3, 14)
SECRET = bytes(range(100, 132))
SUPERVISOR = "sup-1"
PIN = "471129"
SITE = ("site-1", "Kierrätyskeskus Mikkeli")

PEOPLE = [
    {"id": "p-1", "display_name": "Äijälä-Öhman Åsa", "client_ref": "ESHVA-ÄÖ-778899"},
    {"id": "p-2", "display_name": "Pörrönen Jööseppi", "client_ref": "ESHVA-ÅÄ-112233"},
    {"id": "p-3", "display_name": "Sjöström Märta", "client_ref": "ESHVA-ØÆ-445566"},
]


def plan_for(participant_id: str, **changes: Any) -> Plan:
    fields: dict[str, Any] = {
        "valid_from": date(2024, 9, 2),
        "start": date(2024, 9, 2),
        "end": date(2025, 8, 31),
        "days_min": 1,
        "days_max": 4,
        "minutes_min": 240,
        "minutes_max": 480,
        "allowance_type": "kulukorvaus",
    }
    fields.update(changes)
    return Plan(
        id=f"plan-{participant_id}",
        participant_id=participant_id,
        site_id=SITE[0],
        rule_set_id="kuntouttava",
        versions=(PlanVersion(**fields),),
    )


def load_site(store: Store, people: list[dict[str, Any]] | None = None) -> None:
    people = PEOPLE if people is None else people
    store.replace_reference_data(
        site_id=SITE[0],
        site_name=SITE[1],
        participants=people,
        plans=[plan_for(p["id"]) for p in people],
        rule_sets=[],
    )


def present(
    participant_id: str,
    day: date,
    start: str = "08:15",
    end: str = "14:45",
    *,
    by: str = SUPERVISOR,
    at: datetime = NOW,
    **fields: Any,
) -> DayRecord:
    return DayRecord(
        participant_id=participant_id,
        day=day,
        status=Status.PRESENT,
        recorded_by=by,
        device_id="dev-1",
        recorded_at=at,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        **fields,
    )


def absent(
    participant_id: str,
    day: date,
    reason: AbsenceReason,
    *,
    by: str = SUPERVISOR,
    at: datetime = NOW,
    **fields: Any,
) -> DayRecord:
    return DayRecord(
        participant_id=participant_id,
        day=day,
        status=Status.ABSENT,
        recorded_by=by,
        device_id="dev-1",
        recorded_at=at,
        reason=reason,
        **fields,
    )
