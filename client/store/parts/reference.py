"""The site, its participants, their plans and the rule sets received from the server."""

from __future__ import annotations

from datetime import datetime

from shared import Plan, RuleSets
from shared.protocol import Reference, SiteInfo

from .. import audit, reference
from ..models import Participant
from .base import StoreBase, synchronised


class ReferencePart(StoreBase):
    """Reference data: replaced whole from the server, read by the screens."""

    _rule_sets: RuleSets | None = None

    @synchronised
    def replace_reference_data(self, site: SiteInfo, data: Reference) -> None:
        """Replace the site, its participants, their plans and the received rule sets."""
        session = self._unlocked(None)
        with self._db.atomic():
            reference.replace(self._db, session, site, data)
        self._rule_sets = None

    @synchronised
    def site(self) -> tuple[str, str] | None:
        return reference.site(self._db)

    @synchronised
    def participants(self, *, now: datetime) -> list[Participant]:
        """The site's participants by name (audited as a "list" of each)."""
        session = self._unlocked(now)
        plans = reference.plans(self._db, session)
        people = [
            Participant(pid, name, ref, plans.get(pid))
            for pid, name, ref in reference.participants(self._db, session)
        ]
        people.sort(key=lambda p: (reference.name_order(p.display_name), p.id))
        with self._db.atomic():
            audit.write(
                self._db, self._actor(session, now), audit.LIST, ((p.id, "") for p in people)
            )
        return people

    @synchronised
    def plan(self, participant_id: str) -> Plan | None:
        session = self._unlocked(None)
        return reference.plans(self._db, session, participant_id).get(participant_id)

    @synchronised
    def rule_sets(self) -> RuleSets:
        if self._rule_sets is None:
            self._rule_sets = reference.rule_sets(self._db)
        return self._rule_sets
