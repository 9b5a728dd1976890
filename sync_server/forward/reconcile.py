"""The reconciliation report: per site and period, recorded vs sent vs acknowledged.

* recorded: the current records the server holds (what the devices recorded);
* sent: what the latest batch naming each day said (whatever its delivery state);
* acknowledged: the same, counting only batches the county acknowledged;
* county: what the county's receipts said when they recomputed the totals.

Any difference is listed by participant reference and day, so an administrator can
see what is missing, what changed after sending and what is still unacknowledged.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from shared import current_records, month_bounds

from .outbox import Outbox
from .source import ForwardSource


def month_period(text: str) -> tuple[date, date]:
    """``YYYY-MM`` → its first and last day."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return month_bounds(year, month)
    except ValueError:
        raise ValueError(f"A month is written YYYY-MM, not {text!r}.") from None


def reconcile(
    source: ForwardSource, outbox: Outbox, site_id: str, start: date, end: date
) -> dict[str, Any]:
    people = {
        str(p["id"]): str(p.get("client_ref") or p["id"]) for p in source.participants(site_id)
    }
    recorded: dict[tuple[str, str], dict[str, Any]] = {}
    for pid in people:
        for (_pid, day), rec in current_records(source.versions_for(pid, start, end)).items():
            recorded[(pid, day.isoformat())] = {"record_id": rec.id, "status": rec.status.value}
    sent = _latest_days(outbox, site_id, start, end, acknowledged_only=False)
    acked = _latest_days(outbox, site_id, start, end, acknowledged_only=True)
    sent_totals = _latest_totals(outbox, site_id, start, end, acknowledged_only=False)
    acked_totals = _latest_totals(outbox, site_id, start, end, acknowledged_only=True)

    def ref(key: tuple[str, str]) -> dict[str, str]:
        return {"participant_ref": people.get(key[0], key[0]), "day": key[1]}

    not_sent = [ref(k) for k in sorted(recorded) if k not in sent]
    changed = [
        ref(k)
        for k in sorted(recorded)
        if k in sent and sent[k]["record_id"] != recorded[k]["record_id"]
    ]
    unacked = [
        ref(k)
        for k in sorted(sent)
        if k not in acked or acked[k]["batch_id"] != sent[k]["batch_id"]
    ]
    mismatches = _county_mismatches(outbox, site_id, start, end, set(people.values()))
    statuses: dict[str, int] = {}
    for r in recorded.values():
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    unacknowledged_cents = sum(sent_totals.values()) - sum(acked_totals.values())
    report: dict[str, Any] = {
        "site_id": site_id,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "recorded": {
            "days": len(recorded),
            "by_status": statuses,
            "participants": len({k[0] for k in recorded}),
        },
        "sent": _figures(sent, sent_totals),
        "acknowledged": _figures(acked, acked_totals),
        "county_mismatches": mismatches,
        "differences": {
            "not_sent": not_sent,
            "changed_since_sent": changed,
            "not_acknowledged": unacked,
            "totals_cents_unacknowledged": unacknowledged_cents,
        },
    }
    report["in_balance"] = (
        not (not_sent or changed or unacked or mismatches) and unacknowledged_cents == 0
    )
    return report


def _figures(
    days: dict[tuple[str, str], dict[str, Any]], totals: dict[tuple[str, str], int]
) -> dict[str, int]:
    return {
        "days": len(days),
        "eligible_days": sum(1 for d in days.values() if d["eligible"]),
        "amount_cents": sum(d["amount_cents"] for d in days.values()),
        "totals_cents": sum(totals.values()),
    }


def _latest_days(
    outbox: Outbox, site_id: str, start: date, end: date, *, acknowledged_only: bool
) -> dict[tuple[str, str], dict[str, Any]]:
    status = "AND b.status = 'acknowledged'" if acknowledged_only else ""
    rows = outbox.db.query(
        "SELECT d.* FROM forward_batch_days d JOIN forward_batches b USING (batch_id)"
        f" WHERE d.site_id = ? AND d.day BETWEEN ? AND ? {status} ORDER BY d.sequence",
        [site_id, start.isoformat(), end.isoformat()],
    )
    return {(r["participant_id"], r["day"]): r for r in rows}  # later sequence wins


def _latest_totals(
    outbox: Outbox, site_id: str, start: date, end: date, *, acknowledged_only: bool
) -> dict[tuple[str, str], int]:
    status = "AND b.status = 'acknowledged'" if acknowledged_only else ""
    rows = outbox.db.query(
        "SELECT t.* FROM forward_batch_totals t JOIN forward_batches b USING (batch_id)"
        f" WHERE t.site_id = ? AND t.period_start BETWEEN ? AND ? {status}"
        " ORDER BY t.sequence",
        [site_id, start.isoformat(), end.isoformat()],
    )
    return {(r["participant_id"], r["period_start"]): r["total_cents"] for r in rows}


def _county_mismatches(
    outbox: Outbox, site_id: str, start: date, end: date, refs: set[str]
) -> list[dict[str, Any]]:
    """Totals the county recomputed differently, from the receipts of this site's batches."""
    rows = outbox.db.query(
        "SELECT DISTINCT r.receipt FROM forward_deliveries r"
        " JOIN forward_batch_totals t ON t.batch_id = r.batch_id"
        " WHERE r.receipt IS NOT NULL AND t.site_id = ? AND t.period_start BETWEEN ? AND ?",
        [site_id, start.isoformat(), end.isoformat()],
    )
    out: list[dict[str, Any]] = []
    for row in rows:
        receipt = json.loads(row["receipt"])
        for m in receipt.get("mismatches") or []:
            if (
                m.get("participant_ref") in refs
                and start.isoformat() <= str(m.get("period_start")) <= end.isoformat()
            ):
                out.append(m)
    return out
