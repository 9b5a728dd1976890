"""The county batch format, version 1: its identifiers, encoding and JSON Schema.

The body is canonical JSON (UTF-8, sorted keys, no insignificant white space), so
the bytes that were signed and stored in the outbox are the bytes a resend sends.
``docs/county-contract.md`` explains every field; the schema is
``sync_server/schema/county-batch-v1.json``.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

from shared import DayRecord, DayResult, Severity
from sync_server.jsonio import canonical

FORMAT = "lasna.county-batch/1"
SCHEMA_RESOURCE = "schema/county-batch-v1.json"
CONTENT_TYPE = "application/json"
IDEMPOTENCY_HEADER = "Idempotency-Key"
BATCH_ID_HEADER = "X-Lasna-Batch-Id"
# Record fields the county receives. ``note`` is free text typed at the site: it stays
# there, because nothing the county computes needs it and it could hold health detail.
RECORD_FIELDS = (
    "id",
    "participant_id",
    "day",
    "status",
    "start",
    "end",
    "minutes",
    "reason",
    "supersedes",
    "correction_reason",
    "recorded_by",
    "device_id",
    "recorded_at",
)
# Fields an adjustment lists as changed (the record's meaning, not its bookkeeping).
COMPARED_FIELDS = ("status", "start", "end", "minutes", "reason")


def encode(document: dict[str, Any]) -> bytes:
    """Canonical bytes of a document (what is signed, stored and sent)."""
    return canonical(document)


def decode(body: bytes) -> dict[str, Any]:
    document = json.loads(body.decode("utf-8"))
    if not isinstance(document, dict):
        raise ValueError("A batch must be a JSON object.")
    return document


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def record_form(record: DayRecord) -> dict[str, Any]:
    """The record as the county gets it: its wire form without ``note``."""
    form = record.to_dict()
    del form["note"]
    return form


def finding_forms(result: DayResult) -> list[dict[str, Any]]:
    """Findings as codes and parameters: the county's system renders its own texts."""
    return [
        {"code": f.code, "severity": f.severity.value, "params": _jsonable(dict(f.params))}
        for f in result.findings
    ]


def fingerprint(result: DayResult) -> str:
    """What, if it changes, makes a sent day worth an adjustment.

    Notices are left out: they depend on the date of the run (a plan that ends within
    14 days) and change nothing the county pays.
    """
    assert result.record is not None
    material = (
        result.record.id,
        result.eligible,
        result.reason,
        result.allowance_type,
        result.payer,
        result.rate_cents,
        result.counted_minutes,
        tuple(
            (f.code, f.severity.value, sorted((str(k), repr(v)) for k, v in f.params.items()))
            for f in result.findings
            if f.severity is not Severity.NOTICE
        )
        if result.findings
        else (),
    )
    # repr of plain values is stable across runs and versions of Python 3.
    return digest(repr(material).encode("utf-8"))[:32]


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    if before is None:
        return []
    return [
        {"field": name, "before": before.get(name), "after": after.get(name)}
        for name in COMPARED_FIELDS
        if before.get(name) != after.get(name)
    ]


@cache
def schema_text() -> str:
    return resources.files("sync_server").joinpath(SCHEMA_RESOURCE).read_text("utf-8")


def schema() -> dict[str, Any]:
    loaded = json.loads(schema_text())
    assert isinstance(loaded, dict)
    return loaded


def _jsonable(value: Any) -> Any:
    """Finding parameters as JSON values (dates and the like become ISO text)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
