"""The coordinator's exception queue: every finding that needs a person, and its fate.

Items are worked out when the page is read, from what the server keeps: the current
records judged against their plans (not-eligible and flagged days, certificates due,
a child's sickness over the limit), the findings stored with a version when it
arrived (a change to a closed month, a device clock far off), the versions refused
as conflicts or rejected, and devices whose clock was found off. An item's key names
the record it is about, so a correction makes a new item if the finding stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from shared import evaluate
from shared.calendar import helsinki_today
from shared.findings import Finding, Severity
from sync_server.jsonio import loads
from sync_server.storage import SqliteStorage
from sync_server.storage.connection import iso

QUEUE_MONTHS = 3  # the queue looks at this many months back from this one
CONTEXT = timedelta(days=35)  # validation's weekly limits and runs look back this far

MUST_FIX = ("not_eligible", "conflict", "rejected")
KINDS = (
    "not_eligible",
    "conflict",
    "rejected",
    "flagged",
    "closed_month_change",
    "child_sick_over_limit",
    "certificate_due",
    "device_clock",
)
# Ages a person can filter by: (name, fewest days, most days).
AGES = (("week", 0, 7), ("month", 8, 31), ("older", 32, 100_000))
# Codes with a kind of their own; other flagged findings are "flagged".
_OWN_KIND = {
    "closed_month_change": "closed_month_change",
    "child_sick_over_limit": "child_sick_over_limit",
    "device_clock_off": "device_clock",
    "sick_certificate_due": "certificate_due",
}
# Stored with the version when it arrived (validation of a plan alone cannot know them).
_STORED_ONLY = ("closed_month_change", "device_clock_off")


@dataclass(frozen=True)
class Item:
    key: str
    kind: str
    site_id: str
    site_name: str
    participant_id: str | None
    participant_name: str
    day: date | None
    finding: Finding | None  # the finding itself, for its text; None for refusals/devices
    record_id: str | None = None
    device: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def must_fix(self) -> bool:
        return self.kind in MUST_FIX

    def age(self, today: date) -> int:
        return (today - self.day).days if self.day else 0


def queue_window(today: date) -> tuple[date, date]:
    index = today.year * 12 + today.month - 1 - (QUEUE_MONTHS - 1)
    return date(index // 12, index % 12 + 1, 1), today


def items(storage: SqliteStorage, sites: Iterable[dict[str, Any]], now: datetime) -> list[Item]:
    """Every open item of these sites (resolved and returned ones left out)."""
    today = helsinki_today(now)
    first, last = queue_window(today)
    settled = {r["item_key"] for r in storage.rows("SELECT item_key FROM console_resolutions")}
    found: list[Item] = []
    rule_sets = storage.rule_sets()
    for site in sites:
        site_id, site_name = site["id"], site["name"]
        names = {p["id"]: p["display_name"] for p in storage.participants(site_id)}
        stored = _stored_findings(storage, site_id, first)
        for plan in storage.plans(site_id):
            pid = plan.participant_id
            versions = storage.versions_for(pid, first - CONTEXT, last + timedelta(days=7))
            if not versions:
                continue
            result = evaluate(plan, versions, rule_sets, today=today, start=first, end=last)
            for day, judged in sorted(result.days.items()):
                record = judged.record
                if record is None:
                    continue
                findings = list(judged.findings) + [
                    f for f in stored.get(record.id, ()) if f.code in _STORED_ONLY
                ]
                for f in findings:
                    kind = _kind(f)
                    if kind is None:
                        continue
                    key = f"{kind}:{f.code}:{pid}:{day.isoformat()}:{record.id}"
                    if key in settled:
                        continue
                    found.append(
                        Item(
                            key,
                            kind,
                            site_id,
                            site_name,
                            pid,
                            names.get(pid, pid),
                            day,
                            f,
                            record.id,
                            record.device_id,
                            {"by": record.recorded_by},
                        )
                    )
        for row in storage.rows(
            "SELECT * FROM refused_versions WHERE site_id = ? AND day >= ? ORDER BY day",
            [site_id, first.isoformat()],
        ):
            key = f"{row['status']}:{row['id']}"
            if key in settled:
                continue
            body = loads(row["body"])
            found.append(
                Item(
                    key,
                    row["status"],
                    site_id,
                    site_name,
                    row["participant_id"],
                    names.get(row["participant_id"], row["participant_id"]),
                    date.fromisoformat(row["day"]),
                    None,
                    row["id"],
                    row["pushed_by"],
                    {"by": body.get("recorded_by", ""), "current_id": row["current_id"]},
                )
            )
        for device in storage.devices(site_id):
            if device.clock_flagged_at is None or device.revoked_at is not None:
                continue
            key = f"device_clock:{device.id}:{iso(device.clock_flagged_at)}"
            if key in settled:
                continue
            found.append(
                Item(
                    key,
                    "device_clock",
                    site_id,
                    site_name,
                    None,
                    "",
                    helsinki_today(device.clock_flagged_at),
                    None,
                    None,
                    device.name,
                    {"skew": round(device.clock_skew_seconds or 0)},
                )
            )
    return found


def _kind(f: Finding) -> str | None:
    if f.code in _OWN_KIND:
        return _OWN_KIND[f.code]
    if f.severity is Severity.NOT_ELIGIBLE:
        return "not_eligible"
    if f.severity is Severity.FLAGGED:
        return "flagged"
    return None  # other notices are the site's to know, not the county's to settle


def _stored_findings(storage: SqliteStorage, site_id: str, first: date) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for row in storage.rows(
        "SELECT id, findings FROM record_versions WHERE site_id = ? AND day >= ? "
        "AND findings != '[]'",
        [site_id, first.isoformat()],
    ):
        out[row["id"]] = [Finding.from_dict(f) for f in loads(row["findings"])]
    return out


def filtered(found: list[Item], *, site: str, kind: str, age: str, today: date) -> list[Item]:
    bounds = {name: (lo, hi) for name, lo, hi in AGES}
    out = []
    for item in found:
        if site and item.site_id != site:
            continue
        if kind and item.kind != kind:
            continue
        if age in bounds and not bounds[age][0] <= item.age(today) <= bounds[age][1]:
            continue
        out.append(item)
    return sorted(out, key=lambda i: (i.day or date.min, i.site_name, i.participant_name))


def settle(
    storage: SqliteStorage,
    item: Item,
    *,
    action: str,
    reason_code: str,
    resolution_code: str | None,
    comment: str,
    request_id: str | None,
    by: str,
    now: datetime,
) -> None:
    with storage.write() as db:
        db.execute(
            "INSERT INTO console_resolutions (item_key, kind, site_id, participant_id, day, "
            "action, reason_code, resolution_code, comment, request_id, made_by, made_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                item.key,
                item.kind,
                item.site_id,
                item.participant_id,
                item.day.isoformat() if item.day else None,
                action,
                reason_code,
                resolution_code,
                comment,
                request_id,
                by,
                iso(now),
            ],
        )


def resolutions(storage: SqliteStorage, site_ids: Iterable[str]) -> list[dict[str, Any]]:
    ids = list(site_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return storage.rows(
        f"SELECT * FROM console_resolutions WHERE site_id IN ({marks}) "
        "ORDER BY made_at DESC LIMIT 50",
        ids,
    )
