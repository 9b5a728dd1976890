"""A site with Finnish names and plans that fit the rule sets; records saved at NOW."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from client.store import Store
from shared import Plan
from shared.protocol import ParticipantInfo, Reference, SiteInfo
from tests.support.factory import Records, plan, version

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


def plan_for(participant_id: str) -> Plan:
    return plan(
        version(start=date(2024, 9, 2), end=date(2025, 8, 31)),
        participant=participant_id,
        site=SITE[0],
    )


def load_site(store: Store, people: list[dict[str, Any]] | None = None) -> None:
    people = PEOPLE if people is None else people
    store.replace_reference_data(
        SiteInfo(*SITE),
        Reference(
            participants=tuple(ParticipantInfo(**p) for p in people),
            plans=tuple(plan_for(p["id"]) for p in people),
            rule_sets=(),
        ),
    )


# p-1, saved at NOW by the supervisor, on the site's usual 08.15–14.45 day.
RECORDS = Records(
    recorded_by=SUPERVISOR, saved_at=lambda _day: NOW, participant="p-1", start="08:15", hours=6.5
)
present = RECORDS.present
absent = RECORDS.absent
