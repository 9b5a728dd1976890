"""Sites, participants, plans and rule sets: the county's reference data.

Imports are whole or nothing (the caller checked every row first; here they are
written in one transaction) and bump the site's ``ref_seq`` so that its devices
receive the new reference data on their next pull.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from shared.plans import Plan, plan_from_dict, plan_to_dict
from shared.protocol import SiteInfo
from shared.rulesets import RuleSet, RuleSets, builtin_rule_sets, rule_set_from_dict
from shared.rulesets import rule_set_to_dict as _rule_set_to_dict
from sync_server.jsonio import dumps, loads
from sync_server.storage.base import ImportSummary, ParticipantRow, SiteRow
from sync_server.storage.connection import StorageBase, iso


class ReferenceMixin(StorageBase):
    def import_sites(self, rows: Sequence[SiteRow], *, now: datetime) -> ImportSummary:
        created = updated = 0
        with self.write() as db:
            seq = self._next_seqs(db, 1)
            for row in rows:
                found = db.execute("SELECT 1 FROM sites WHERE id = ?", [row.id]).fetchone()
                if found:
                    db.execute(
                        "UPDATE sites SET name = ?, ref_seq = ?, updated_at = ? WHERE id = ?",
                        [row.name, seq, iso(now), row.id],
                    )
                    updated += 1
                else:
                    db.execute(
                        "INSERT INTO sites (id, name, ref_seq, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?)",
                        [row.id, row.name, seq, iso(now), iso(now)],
                    )
                    created += 1
        return ImportSummary(created, updated)

    def import_participants(
        self, rows: Sequence[ParticipantRow], *, now: datetime
    ) -> ImportSummary:
        created = updated = 0
        with self.write() as db:
            seq = self._next_seqs(db, 1)
            touched: set[str] = set()
            for row in rows:
                old = db.execute(
                    "SELECT site_id FROM participants WHERE id = ?", [row.id]
                ).fetchone()
                if old:
                    touched.add(old[0])
                    db.execute(
                        "UPDATE participants SET site_id = ?, display_name = ?, client_ref = ?, "
                        "seq = ?, updated_at = ? WHERE id = ?",
                        [row.site_id, row.display_name, row.client_ref, seq, iso(now), row.id],
                    )
                    # A participant who moves takes the plans along: they name the site too.
                    db.execute(
                        "UPDATE plans SET site_id = ?, seq = ? WHERE participant_id = ?",
                        [row.site_id, seq, row.id],
                    )
                    updated += 1
                else:
                    db.execute(
                        "INSERT INTO participants (id, site_id, display_name, client_ref, seq, "
                        "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                        [row.id, row.site_id, row.display_name, row.client_ref, seq, iso(now)],
                    )
                    created += 1
                touched.add(row.site_id)
            self._touch_sites(db, touched, seq)
        return ImportSummary(created, updated)

    def import_plans(self, plans: Sequence[Plan], *, now: datetime) -> ImportSummary:
        created = updated = 0
        with self.write() as db:
            seq = self._next_seqs(db, 1)
            touched: set[str] = set()
            for plan in plans:
                old = db.execute("SELECT site_id FROM plans WHERE id = ?", [plan.id]).fetchone()
                values = [
                    plan.participant_id,
                    plan.site_id,
                    plan.rule_set_id,
                    plan.latest.end.isoformat(),
                    dumps(plan_to_dict(plan)),
                    seq,
                    iso(now),
                    plan.id,
                ]
                if old:
                    touched.add(old[0])
                    db.execute(
                        "UPDATE plans SET participant_id = ?, site_id = ?, rule_set_id = ?, "
                        "plan_end = ?, body = ?, seq = ?, updated_at = ? WHERE id = ?",
                        values,
                    )
                    updated += 1
                else:
                    db.execute(
                        "INSERT INTO plans (participant_id, site_id, rule_set_id, plan_end, body, "
                        "seq, updated_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        values,
                    )
                    created += 1
                touched.add(plan.site_id)
            self._touch_sites(db, touched, seq)
        return ImportSummary(created, updated)

    def import_rule_sets(self, rule_sets: Sequence[RuleSet], *, now: datetime) -> ImportSummary:
        created = updated = 0
        with self.write() as db:
            seq = self._next_seqs(db, 1)
            for rs in rule_sets:
                body = dumps(_rule_set_to_dict(rs))
                old = db.execute("SELECT 1 FROM rule_sets WHERE id = ?", [rs.id]).fetchone()
                db.execute(
                    "INSERT OR REPLACE INTO rule_sets (id, body, seq, updated_at) "
                    "VALUES (?, ?, ?, ?)",
                    [rs.id, body, seq, iso(now)],
                )
                created, updated = (created, updated + 1) if old else (created + 1, updated)
            # Every site may use a changed rule set: all devices fetch reference data again.
            db.execute("UPDATE sites SET ref_seq = ?", [seq])
        return ImportSummary(created, updated)

    def _touch_sites(self, db: Any, site_ids: Iterable[str], seq: int) -> None:
        for site_id in site_ids:
            db.execute("UPDATE sites SET ref_seq = ? WHERE id = ?", [seq, site_id])

    # reads -----------------------------------------------------------------------------

    def site(self, site_id: str) -> SiteInfo | None:
        found = self.rows("SELECT id, name FROM sites WHERE id = ?", [site_id])
        return SiteInfo(found[0]["id"], found[0]["name"]) if found else None

    def sites(self) -> list[dict[str, Any]]:
        return self.rows("SELECT id, name FROM sites ORDER BY id")

    def participants(self, site_id: str) -> list[dict[str, Any]]:
        return self.rows(
            "SELECT id, site_id, display_name, client_ref FROM participants "
            "WHERE site_id = ? ORDER BY id",
            [site_id],
        )

    def participant_sites(self, participant_ids: Sequence[str]) -> dict[str, str]:
        """Where each known participant belongs (unknown ids are left out)."""
        out: dict[str, str] = {}
        ids = list(dict.fromkeys(participant_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for pid, site_id in self.db.execute(
                f"SELECT id, site_id FROM participants WHERE id IN ({marks})", chunk
            ).fetchall():
                out[pid] = site_id
        return out

    def plans(self, site_id: str) -> list[Plan]:
        return [
            plan_from_dict(loads(r["body"]))
            for r in self.rows("SELECT body FROM plans WHERE site_id = ? ORDER BY id", [site_id])
        ]

    def plans_of(self, participant_ids: Sequence[str]) -> dict[str, list[Plan]]:
        out: dict[str, list[Plan]] = {}
        ids = list(dict.fromkeys(participant_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for (body,) in self.db.execute(
                f"SELECT body FROM plans WHERE participant_id IN ({marks}) ORDER BY id", chunk
            ).fetchall():
                plan = plan_from_dict(loads(body))
                out.setdefault(plan.participant_id, []).append(plan)
        return out

    def rule_sets(self) -> RuleSets:
        added = [
            rule_set_from_dict(loads(r["body"]))
            for r in self.rows("SELECT body FROM rule_sets ORDER BY id")
        ]
        builtin = [rs for rs in builtin_rule_sets() if all(rs.id != a.id for a in added)]
        return RuleSets([*builtin, *added])

    def current_reference(
        self, site_id: str, since: date
    ) -> tuple[list[dict[str, Any]], list[Plan]]:
        """Participants whose plan runs on or after ``since``, and those plans."""
        plan_rows = self.rows(
            "SELECT body FROM plans WHERE site_id = ? AND plan_end >= ? ORDER BY id",
            [site_id, since.isoformat()],
        )
        plans = [plan_from_dict(loads(r["body"])) for r in plan_rows]
        wanted = {p.participant_id for p in plans}
        people = [p for p in self.participants(site_id) if p["id"] in wanted]
        return people, plans

    def closed_months(self, site_id: str) -> set[tuple[int, int]]:
        return {
            (r["year"], r["month"])
            for r in self.rows("SELECT year, month FROM closed_months WHERE site_id = ?", [site_id])
        }
