"""The same content as a batch's JSON, as CSV tables for counties that take files.

Three tables (UTF-8, comma-separated, header row, RFC 4180 quoting):

* ``days.csv``: every day entry and adjustment, one row each;
* ``totals.csv``: one row per allowance line (type, payer, rate) and period;
* ``absences.csv``: the absences for Kela's TT3 report, one row per absent day.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

DAY_COLUMNS = (
    "entry",
    "participant_ref",
    "participant_id",
    "site_id",
    "day",
    "status",
    "start",
    "end",
    "minutes",
    "absence_reason",
    "record_id",
    "supersedes",
    "recorded_at",
    "eligible",
    "not_eligible_reason",
    "counted_minutes",
    "allowance_type",
    "payer",
    "rate_cents",
    "amount_cents",
    "finding_codes",
    "findings_json",
    "closed_month",
    "cause",
    "replaces_batch_id",
    "replaces_record_id",
    "previous_amount_cents",
    "amount_delta_cents",
    "correction_reason",
    "changed_fields",
    "flag_for_coordinator",
)
TOTAL_COLUMNS = (
    "participant_ref",
    "participant_id",
    "site_id",
    "plan_id",
    "rule_set",
    "period_start",
    "period_end",
    "revision",
    "allowance_type",
    "payer",
    "rate_cents",
    "days",
    "amount_cents",
    "period_total_cents",
    "previous_total_cents",
    "closed_month",
    "flag_for_coordinator",
)
ABSENCE_COLUMNS = (
    "participant_ref",
    "participant_id",
    "site_id",
    "period_start",
    "period_end",
    "revision",
    "day",
    "reason_code",
    "certificate_due",
)


def csv_tables(document: Mapping[str, Any]) -> dict[str, str]:
    """File name → CSV text for one batch document."""
    return {
        "days.csv": _table(DAY_COLUMNS, _day_rows(document)),
        "totals.csv": _table(TOTAL_COLUMNS, _total_rows(document)),
        "absences.csv": _table(ABSENCE_COLUMNS, _absence_rows(document)),
    }


def _day_rows(document: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    for kind, entries in (("day", document["days"]), ("adjustment", document["adjustments"])):
        for e in entries:
            record = e["record"]
            replaces = e.get("replaces") or {}
            yield {
                "entry": kind,
                "participant_ref": e["participant_ref"],
                "participant_id": e["participant_id"],
                "site_id": e["site_id"],
                "day": e["day"],
                "status": record["status"],
                "start": record["start"],
                "end": record["end"],
                "minutes": record["minutes"],
                "absence_reason": record["reason"],
                "record_id": record["id"],
                "supersedes": record["supersedes"],
                "recorded_at": record["recorded_at"],
                "eligible": e["eligible"],
                "not_eligible_reason": e["reason"],
                "counted_minutes": e["counted_minutes"],
                "allowance_type": e["allowance_type"],
                "payer": e["payer"],
                "rate_cents": e["rate_cents"],
                "amount_cents": e["amount_cents"],
                "finding_codes": "|".join(f["code"] for f in e["findings"]),
                "findings_json": json.dumps(e["findings"], ensure_ascii=False, sort_keys=True),
                "closed_month": e["closed_month"],
                "cause": e.get("cause"),
                "replaces_batch_id": replaces.get("batch_id"),
                "replaces_record_id": replaces.get("record_id"),
                "previous_amount_cents": replaces.get("amount_cents"),
                "amount_delta_cents": e.get("amount_delta_cents"),
                "correction_reason": e.get("correction_reason"),
                "changed_fields": "|".join(c["field"] for c in e.get("changes", [])),
                "flag_for_coordinator": e.get("flag_for_coordinator", False),
            }


def _total_rows(document: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    for t in document["totals"]:
        common = {name: t.get(name) for name in TOTAL_COLUMNS if name in t}
        common["period_total_cents"] = t["total_cents"]
        lines = t["lines"] or [{}]  # a period that earns nothing still gets its row
        for line in lines:
            yield {**common, **line}


def _absence_rows(document: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    for report in document["absence_reports"]:
        common = {name: report[name] for name in ABSENCE_COLUMNS if name in report}
        # An empty list after a correction says "no absences now": keep it as a row.
        for a in report["absences"] or [{}]:
            yield {
                **common,
                "day": a.get("day"),
                "reason_code": a.get("reason"),
                "certificate_due": a.get("certificate_due"),
            }


def _table(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
