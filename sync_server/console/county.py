"""The county's side of sites, participants and plans, written through the server's
own import functions (so devices get every change at their next pull).

Only what devices never see is kept in the console's tables: supervisors' names, a
site's closing date, plan types, and moves and service ends waiting for their date.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from shared.calendar import helsinki_today
from shared.plans import Plan, PlanVersion, check_plan
from sync_server.errors import AdminError
from sync_server.importer import HETU_PATTERN, ID_PATTERN
from sync_server.storage import ParticipantRow, ServerStorage, SiteRow
from sync_server.storage.connection import iso

PLAN_TYPES = ("aktivointisuunnitelma", "monialainen", "palvelupaatos")


class County:
    def __init__(self, storage: ServerStorage) -> None:
        self.storage = storage

    # sites -----------------------------------------------------------------------------

    def site_row(self, site_id: str) -> dict[str, Any] | None:
        rows = self.storage.rows(
            "SELECT s.id, s.name, d.supervisors, d.closed_on FROM sites s "
            "LEFT JOIN console_site_details d ON d.site_id = s.id WHERE s.id = ?",
            [site_id],
        )
        return _site(rows[0]) if rows else None

    def site_rows(self) -> list[dict[str, Any]]:
        rows = self.storage.rows(
            "SELECT s.id, s.name, d.supervisors, d.closed_on, "
            "(SELECT COUNT(*) FROM participants p WHERE p.site_id = s.id) AS participants, "
            "(SELECT COUNT(*) FROM devices v WHERE v.site_id = s.id AND v.revoked_at IS NULL) "
            "AS devices FROM sites s LEFT JOIN console_site_details d ON d.site_id = s.id "
            "ORDER BY s.name"
        )
        return [_site(r) for r in rows]

    def save_site(
        self, site_id: str, name: str, supervisors: list[str], *, now: datetime, new: bool
    ) -> None:
        if not ID_PATTERN.match(site_id):
            raise AdminError(
                "The site's id must be 1–64 letters, digits or . _ : - (starting with a "
                "letter or digit)."
            )
        if not name.strip() or len(name) > 200:
            raise AdminError("Give the site a name (at most 200 characters).")
        if new and self.storage.site(site_id) is not None:
            raise AdminError("There is already a site with this id.")
        names = [s.strip()[:100] for s in supervisors if s.strip()]
        self.storage.import_sites([SiteRow(site_id, name.strip())], now=now)
        with self.storage.write() as db:
            db.execute(
                "INSERT INTO console_site_details (site_id, supervisors) VALUES (?, ?) "
                "ON CONFLICT (site_id) DO UPDATE SET supervisors = excluded.supervisors",
                [site_id, json.dumps(names, ensure_ascii=False)],
            )

    def close_site(self, site_id: str, on: date | None) -> None:
        with self.storage.write() as db:
            db.execute(
                "INSERT INTO console_site_details (site_id, closed_on) VALUES (?, ?) "
                "ON CONFLICT (site_id) DO UPDATE SET closed_on = excluded.closed_on",
                [site_id, on.isoformat() if on else None],
            )

    # participants ----------------------------------------------------------------------

    def participant(self, participant_id: str) -> dict[str, Any] | None:
        rows = self.storage.rows(
            "SELECT id, site_id, display_name, client_ref FROM participants WHERE id = ?",
            [participant_id],
        )
        return rows[0] if rows else None

    def add_participant(self, row: ParticipantRow, *, now: datetime) -> None:
        check_participant(row)
        if self.participant(row.id) is not None:
            raise AdminError("There is already a participant with this id.")
        if self.storage.site(row.site_id) is None:
            raise AdminError("There is no such site.")
        self.storage.import_participants([row], now=now)

    def changes(self, participant_id: str) -> list[dict[str, Any]]:
        return self.storage.rows(
            "SELECT * FROM console_participant_changes WHERE participant_id = ? ORDER BY id",
            [participant_id],
        )

    def plan_change(
        self,
        participant_id: str,
        kind: str,
        on: date,
        *,
        site_id: str | None,
        by: str,
        now: datetime,
    ) -> None:
        """A move (to ``site_id``) or the end of the service from ``on``; due ones at once."""
        with self.storage.write() as db:
            db.execute(
                "INSERT INTO console_participant_changes (participant_id, kind, on_day, "
                "site_id, made_by, made_at) VALUES (?, ?, ?, ?, ?, ?)",
                [participant_id, kind, on.isoformat(), site_id, by, iso(now)],
            )
        self.apply_due(now)

    def apply_due(self, now: datetime) -> int:
        """Carry out the moves and service ends whose day has come; how many were."""
        today = helsinki_today(now)
        due = self.storage.rows(
            "SELECT * FROM console_participant_changes WHERE applied_at IS NULL AND on_day <= ? "
            "ORDER BY on_day, id",
            [today.isoformat()],
        )
        for change in due:
            person = self.participant(change["participant_id"])
            if person is not None and change["kind"] == "move" and change["site_id"]:
                self.storage.import_participants(
                    [
                        ParticipantRow(
                            person["id"],
                            change["site_id"],
                            person["display_name"],
                            person["client_ref"],
                        )
                    ],
                    now=now,
                )
            elif person is not None and change["kind"] == "end":
                self._end_plans(person["id"], date.fromisoformat(change["on_day"]), now)
            with self.storage.write() as db:
                db.execute(
                    "UPDATE console_participant_changes SET applied_at = ? WHERE id = ?",
                    [iso(now), change["id"]],
                )
        return len(due)

    def _end_plans(self, participant_id: str, last_day: date, now: datetime) -> None:
        # Ending a service early may leave a period shorter than the rule set's minimum:
        # that is the point of ending it, so these plans are not checked again.
        ended: list[Plan] = []
        for plan in self.plans_of(participant_id):
            kept = [v for v in plan.versions if v.valid_from <= last_day] or [plan.versions[0]]
            versions = tuple(replace(v, end=min(v.end, last_day)) for v in kept)
            if versions != plan.versions:
                ended.append(replace(plan, versions=versions))
        if ended:
            self.storage.import_plans(ended, now=now)

    # plans -----------------------------------------------------------------------------

    def plans_of(self, participant_id: str) -> list[Plan]:
        return self.storage.plans_of([participant_id]).get(participant_id, [])

    def plan(self, plan_id: str) -> Plan | None:
        rows = self.storage.rows("SELECT participant_id FROM plans WHERE id = ?", [plan_id])
        if not rows:
            return None
        return next((p for p in self.plans_of(rows[0]["participant_id"]) if p.id == plan_id), None)

    def plan_type(self, plan_id: str) -> str | None:
        rows = self.storage.rows(
            "SELECT plan_type FROM console_plan_types WHERE plan_id = ?", [plan_id]
        )
        return str(rows[0]["plan_type"]) if rows else None

    def new_plan_id(self, participant_id: str) -> str:
        taken = {p.id for p in self.plans_of(participant_id)}
        n = len(taken) + 1
        while f"{participant_id}-plan{n}" in taken:
            n += 1
        return f"{participant_id}-plan{n}"[:64]

    def save_plan(self, plan: Plan, plan_type: str, *, now: datetime) -> None:
        """Check against the rule set (raises PlanError with the app's message) and store."""
        if plan_type not in PLAN_TYPES:
            raise AdminError("Choose the plan's type.")
        check_plan(plan, self.storage.rule_sets())
        self.storage.import_plans([plan], now=now)
        with self.storage.write() as db:
            db.execute(
                "INSERT OR REPLACE INTO console_plan_types (plan_id, plan_type) VALUES (?, ?)",
                [plan.id, plan_type],
            )


def with_version(plan: Plan, version: PlanVersion) -> Plan:
    """``plan`` with ``version`` from its ``valid_from`` on (later versions give way)."""
    kept = [v for v in plan.versions if v.valid_from < version.valid_from]
    return replace(plan, versions=(*kept, version))


def check_participant(row: ParticipantRow) -> None:
    if not ID_PATTERN.match(row.id):
        raise AdminError(
            "The participant's id must be 1–64 letters, digits or . _ : - (starting with a "
            "letter or digit)."
        )
    if not row.display_name.strip() or len(row.display_name) > 200:
        raise AdminError("Give a display name (at most 200 characters).")
    if not row.client_ref.strip() or len(row.client_ref) > 64:
        raise AdminError("Give the county's client reference (at most 64 characters).")
    for value in (row.display_name, row.client_ref, row.id):
        if HETU_PATTERN.search(value):
            raise AdminError(
                "This looks like a personal identity code (henkilötunnus); it must never be "
                "sent to devices. Use the county's client reference instead."
            )


def _site(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["supervisors"] = json.loads(row.get("supervisors") or "[]")
    return out
