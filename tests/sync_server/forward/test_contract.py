"""The contract: schema-valid examples, signatures, CSV of the same content, transports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import httpx
import jsonschema_rs
import pytest

from sync_server.forward import (
    DeliveryError,
    DeliveryRejected,
    ForwardConfigError,
    Outbox,
    config_from_env,
    csv_tables,
    decode,
    ed25519_signer,
    encode,
    hmac_signer,
    new_ed25519_private_key_pem,
    schema,
    verify,
)
from sync_server.forward.contract import RECORD_FIELDS
from sync_server.forward.outbox import StoredBatch
from sync_server.forward.transport import DropFolderTarget, HttpTarget
from sync_server.storage import SqliteStorage
from tests.sync_server.forward.conftest import Clock, config_for, forwarder

EXAMPLES = resources.files("sync_server").joinpath("examples/county")
VALIDATOR = jsonschema_rs.validator_for(schema())


def _examples() -> list[str]:
    return sorted(p.name for p in EXAMPLES.iterdir() if p.name.startswith("batch-"))


@pytest.mark.parametrize("name", _examples())
def test_every_example_batch_matches_the_schema(name: str) -> None:
    document = json.loads(EXAMPLES.joinpath(name).read_text("utf-8"))
    errors = [str(e) for e in VALIDATOR.iter_errors(document)]
    assert errors == []
    assert document["format"] == "lasna.county-batch/1"


def test_the_examples_cover_days_totals_absences_and_a_flagged_adjustment() -> None:
    first = json.loads(EXAMPLES.joinpath("batch-first-send.json").read_text("utf-8"))
    later = json.loads(EXAMPLES.joinpath("batch-adjustment-closed-month.json").read_text("utf-8"))
    assert first["days"] and first["totals"] and first["absence_reports"]
    assert later["adjustments"][0]["flag_for_coordinator"]
    assert later["adjustments"][0]["replaces"]["batch_id"] == first["batch_id"]
    tables = csv_tables(later)
    assert EXAMPLES.joinpath("adjustment-days.csv").read_bytes().decode() == tables["days.csv"]


def test_a_built_batch_matches_the_schema_and_its_csv_carries_the_same_rows(
    storage: SqliteStorage, january: None, tmp_path: Path
) -> None:
    result = forwarder(storage, config_for(drop=tmp_path / "drop")).run()
    batch = Outbox(storage).get(result.built[0])
    document = decode(batch.body)

    assert list(VALIDATOR.iter_errors(document)) == []
    assert encode(document) == batch.body  # canonical: what was signed is what is sent
    entries = document["days"] + document["adjustments"]
    assert entries and all(set(e["record"]) == set(RECORD_FIELDS) for e in entries)
    (folder,) = (tmp_path / "drop").iterdir()
    assert (folder / "batch.json").read_bytes() == batch.body
    days = list(csv.DictReader(io.StringIO((folder / "days.csv").read_text("utf-8"))))
    assert len(days) == len(document["days"]) + len(document["adjustments"])
    paid = sum(int(r["amount_cents"]) for r in days)
    totals = list(csv.DictReader(io.StringIO((folder / "totals.csv").read_text("utf-8"))))
    assert (
        paid == sum(int(r["amount_cents"]) for r in totals) == document["summary"]["totals_cents"]
    )
    absences = list(csv.DictReader(io.StringIO((folder / "absences.csv").read_text("utf-8"))))
    assert {r["reason_code"] for r in absences} == {"sick", "child_sick", "job_related"}
    signature = json.loads((folder / "batch.json.sig").read_text("utf-8"))
    signer = config_for().signer
    assert signer is not None
    assert verify(signature["X-Lasna-Signature"], batch.body, hmac_secret=signer.secret)
    assert not [p for p in (tmp_path / "drop").iterdir() if p.name.startswith(".")]


def test_signatures_hmac_and_ed25519_fail_on_any_change() -> None:
    body = b'{"format":"lasna.county-batch/1"}'
    secret = b"s" * 32
    mac = hmac_signer("k", secret).sign(body)
    assert mac.startswith("v1=") and verify(mac, body, hmac_secret=secret)
    assert not verify(mac, body + b" ", hmac_secret=secret)
    assert not verify(mac, body, hmac_secret=b"t" * 32)
    pem = new_ed25519_private_key_pem()
    signer = ed25519_signer("k2", pem)
    sig = signer.sign(body)
    public = signer.public_key_pem().encode()
    assert sig.startswith("ed25519=") and verify(sig, body, public_key_pem=public)
    assert not verify(sig, body.replace(b"1", b"2"), public_key_pem=public)
    other = ed25519_signer("k3", new_ed25519_private_key_pem()).public_key_pem().encode()
    assert not verify(sig, body, public_key_pem=other)
    assert "secret" not in repr(hmac_signer("k", secret)) and repr(secret) not in repr(signer)


def test_bad_settings_are_refused_with_a_sentence() -> None:
    with pytest.raises(ForwardConfigError, match="at least 32 bytes"):
        config_from_env({"LASNA_FORWARD_HMAC_SECRET": "short"})
    with pytest.raises(ForwardConfigError, match="http"):
        config_from_env({"LASNA_FORWARD_URL": "ftp://county"})
    with pytest.raises(ForwardConfigError, match="Monday"):
        config_from_env(
            {
                "LASNA_FORWARD_ABSENCE_PERIOD": "two_weeks",
                "LASNA_FORWARD_ABSENCE_ANCHOR": "2025-01-01",
            }
        )
    with pytest.raises(ForwardConfigError, match="No county endpoint"):
        config_from_env({}).require_target()
    parsed = config_from_env({"LASNA_FORWARD_AT": "03:15", "LASNA_FORWARD_PERIOD": "two_weeks"})
    assert parsed.nightly_at.hour == 3 and parsed.payment_periods.kind.value == "two_weeks"


def _batch(body: bytes = b'{"batch_id":"b"}') -> StoredBatch:
    now = datetime(2025, 2, 1, tzinfo=UTC)
    return StoredBatch(
        "b",
        1,
        "lasna:x:y:1",
        now,
        now + timedelta(hours=1),
        "pending",
        ("http",),
        frozenset(),
        body,
        0,
        None,
    )


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (503, DeliveryError),
        (500, DeliveryError),
        (429, DeliveryError),
        (408, DeliveryError),
        (401, DeliveryRejected),
        (409, DeliveryRejected),
        (422, DeliveryRejected),
    ],
)
def test_http_answers_are_retried_or_refused_by_status(status: int, error: type) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json={"detail": "x"}))
    target = HttpTarget(
        httpx.Client(transport=transport),
        "https://county.example/batches",
        hmac_signer("k", b"s" * 32),
        1.0,
    )
    with pytest.raises(error):
        target.deliver(_batch())


def test_an_answer_that_names_another_batch_is_not_an_acknowledgement() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"batch_id": "someone-else", "status": "accepted"})

    target = HttpTarget(
        httpx.Client(transport=httpx.MockTransport(answer)),
        "https://county.example/batches",
        hmac_signer("k", b"s" * 32),
        1.0,
    )
    with pytest.raises(DeliveryError):
        target.deliver(_batch())
    assert seen[0].headers["Idempotency-Key"] == "lasna:x:y:1"
    assert verify(seen[0].headers["X-Lasna-Signature"], seen[0].content, hmac_secret=b"s" * 32)


def test_the_drop_folder_sweeps_half_written_folders_and_never_shows_one(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    (drop / ".00000001-b.partial-dead").mkdir(parents=True)
    (drop / ".00000001-b.partial-dead" / "batch.json").write_text("{")
    body = json.dumps({"days": [], "adjustments": [], "totals": [], "absence_reports": []})
    target = DropFolderTarget(drop, hmac_signer("k", b"s" * 32))

    first = target.deliver(_batch(body.encode()))
    again = target.deliver(_batch(body.encode()))

    assert [p.name for p in drop.iterdir()] == ["00000001-b"]
    assert first["status"] == "accepted" and again["status"] == "duplicate"
    with pytest.raises(DeliveryRejected):
        target.deliver(_batch(b'{"days":[1]}'))


def test_a_clock_is_never_read_for_the_period_only_the_day(
    storage: SqliteStorage, january: None, tmp_path: Path
) -> None:
    late = Clock(datetime(2025, 3, 15, 12, tzinfo=UTC))
    result = forwarder(storage, config_for(drop=tmp_path / "d"), late).run()
    document = decode(Outbox(storage).get(result.built[0]).body)
    assert {t["period_start"] for t in document["totals"]} == {"2025-01-01"}
