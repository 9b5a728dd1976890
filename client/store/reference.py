"""What the server sends down: the site, its participants, their plans, rule sets.

They come as the protocol's own objects (:class:`shared.protocol.SiteInfo`,
:class:`shared.protocol.Reference`), checked when the pull reply was read.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from sqlite_utils import Database

from shared import Plan, RuleSets, builtin_rule_sets, rule_set_from_dict, rule_set_to_dict
from shared.protocol import Reference, SiteInfo

from . import codec
from .session import Session

SITE_ID = "store.site_id"
SITE_NAME = "store.site_name"


def replace(db: Database, session: Session, site: SiteInfo, data: Reference) -> None:
    """Replace the reference data wholesale (call inside one ``db.atomic()``)."""
    participant_rows = []
    for p in data.participants:
        row: dict[str, Any] = {"id": p.id}
        row["payload"], row["key_version"] = session.seal(
            "participants", row, codec.participant_payload(p.display_name, p.client_ref)
        )
        participant_rows.append(row)
    plan_rows = []
    for plan in data.plans:
        prow: dict[str, Any] = {"id": plan.id, "participant_id": plan.participant_id}
        prow["payload"], prow["key_version"] = session.seal("plans", prow, codec.plan_payload(plan))
        plan_rows.append(prow)
    conn = db.conn
    conn.execute("DELETE FROM participants")
    conn.execute("DELETE FROM plans")
    conn.execute("DELETE FROM rule_sets")
    conn.executemany(
        "INSERT INTO participants (id, key_version, payload) VALUES (:id, :key_version, :payload)",
        participant_rows,
    )
    conn.executemany(
        "INSERT INTO plans (id, participant_id, key_version, payload) "
        "VALUES (:id, :participant_id, :key_version, :payload)",
        plan_rows,
    )
    # Kept in the data form the wire uses, so that a newer app reads what an older stored.
    conn.executemany(
        "INSERT INTO rule_sets (id, body) VALUES (?, ?)",
        [(rs.id, json.dumps(rule_set_to_dict(rs), ensure_ascii=False)) for rs in data.rule_sets],
    )
    for key, value in ((SITE_ID, site.id), (SITE_NAME, site.name)):
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def site(db: Database) -> tuple[str, str] | None:
    values = dict(
        db.conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?)", [SITE_ID, SITE_NAME])
    )
    if SITE_ID not in values:
        return None
    return values[SITE_ID], values.get(SITE_NAME, "")


def participants(db: Database, session: Session) -> list[tuple[str, str, str]]:
    """(id, display name, client reference) for every participant of the site."""
    out = []
    for key_version, pid, payload in db.conn.execute(
        "SELECT key_version, id, CAST(payload AS BLOB) FROM participants"
    ):
        row = {"id": pid, "key_version": key_version, "payload": payload}
        name, ref = codec.participant_from(session.open("participants", row))
        out.append((pid, name, ref))
    return out


def plans(db: Database, session: Session, participant_id: str | None = None) -> dict[str, Plan]:
    """The plan of each participant (when several, the one that runs latest)."""
    if participant_id is None:
        cursor = db.conn.execute(
            "SELECT id, participant_id, key_version, CAST(payload AS BLOB) FROM plans"
        )
    else:
        cursor = db.conn.execute(
            "SELECT id, participant_id, key_version, CAST(payload AS BLOB) FROM plans "
            "WHERE participant_id = ?",
            [participant_id],
        )
    out: dict[str, Plan] = {}
    for plan_id, pid, key_version, payload in cursor.fetchall():
        row = {"id": plan_id, "participant_id": pid, "key_version": key_version, "payload": payload}
        plan = codec.plan_from(session.open("plans", row))
        chosen = out.get(pid)
        if chosen is None or _runs_later(plan, chosen):
            out[pid] = plan
    return out


_FINNISH_LAST = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "w": "v"})


def name_order(name: str) -> str:
    """A sort key for names in Finnish (and Swedish) order: … x y z å ä ö, é as e."""
    folded = unicodedata.normalize("NFC", name.casefold()).translate(_FINNISH_LAST)
    plain = unicodedata.normalize("NFD", folded)
    return "".join(c for c in plain if not unicodedata.combining(c))


def _runs_later(a: Plan, b: Plan) -> bool:
    if not a.versions or not b.versions:
        return bool(a.versions)
    return (a.latest.end, a.latest.valid_from, a.id) > (b.latest.end, b.latest.valid_from, b.id)


def rule_sets(db: Database) -> RuleSets:
    """The built-in rule sets, with any received from the server taking their id's place."""
    received = [
        rule_set_from_dict(json.loads(body))
        for (body,) in db.conn.execute("SELECT body FROM rule_sets ORDER BY id")
    ]
    ids = {rs.id for rs in received}
    return RuleSets([*(rs for rs in builtin_rule_sets() if rs.id not in ids), *received])
