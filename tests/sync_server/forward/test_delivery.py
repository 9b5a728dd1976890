"""Delivery: retries until the county answers, exactly one copy, signatures, deadlines."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from sync_server.forward import Outbox, decode, hmac_signer
from sync_server.forward.transport import request_headers
from sync_server.storage import SqliteStorage
from tests.sync_server.forward.conftest import Clock, config_for, forwarder
from tests.sync_server.forward.standin import Standin


def test_receiver_down_for_the_first_tries_then_up_gets_the_batch_once(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    standin.mode("error:3")
    clock = Clock()

    result = forwarder(storage, config_for(standin.batches_url), clock).run()

    assert result.failed == [] and len(result.acknowledged) == 1
    deliveries = standin.table("deliveries")
    assert [d["outcome"] for d in deliveries] == ["fault 503"] * 3 + ["accepted"]
    assert len(standin.batches()) == 1
    assert len(clock.slept) == 3  # backed off between tries, on the test's clock
    assert clock.slept[2] > clock.slept[0]
    stored = Outbox(storage).get(result.built[0])
    assert stored.status == "acknowledged" and stored.attempts == 3


def test_a_slow_county_that_times_out_still_ends_with_one_copy(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    standin.mode("slow:1.5")  # stores the batch, answers after the sender gave up
    clock = Clock()

    def back_to_normal(seconds: float) -> None:
        standin.mode("ok")
        clock.sleep(seconds)

    config = replace(config_for(standin.batches_url), request_timeout=0.5)
    result = forwarder(storage, config, clock, sleep=back_to_normal).run()

    assert result.acknowledged == result.built and result.failed == []
    assert len(standin.batches()) == 1
    outcomes = [d["outcome"] for d in standin.table("deliveries")]
    assert outcomes == ["accepted", "lookup found"]  # asked by key instead of sending again
    assert Outbox(storage).get(result.built[0]).attempts == 0


def test_past_the_deadline_the_batch_fails_with_an_alert(
    storage: SqliteStorage, january: None, standin: Standin, caplog: pytest.LogCaptureFixture
) -> None:
    standin.mode("down")
    clock = Clock()
    config = config_for(standin.batches_url, retry_deadline=timedelta(seconds=1))

    with caplog.at_level(logging.ERROR, logger="lasna.forward"):
        result = forwarder(storage, config, clock).run()

    assert result.failed == result.built and result.acknowledged == []
    outbox = Outbox(storage)
    assert outbox.get(result.built[0]).status == "failed"
    assert outbox.events()[0]["event"] == "delivery_failed"
    assert any("marked failed" in r.getMessage() for r in caplog.records)
    assert standin.batches() == []
    # An administrator resends once the county is back: same id, same key, one copy.
    standin.mode("ok")
    again = forwarder(storage, config, clock).resend(result.built[0])
    assert again.acknowledged == result.built
    assert [b["batch_id"] for b in standin.batches()] == result.built


def test_an_acknowledged_batch_resent_is_a_duplicate_never_a_new_batch(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    clock = Clock()
    result = forwarder(storage, config_for(standin.batches_url), clock).run()

    forwarder(storage, config_for(standin.batches_url), clock).resend(result.built[0])

    assert len(standin.batches()) == 1
    outcomes = [d["outcome"] for d in standin.table("deliveries")]
    assert outcomes == ["accepted", "duplicate"]
    assert Outbox(storage).get(result.built[0]).status == "acknowledged"


def test_a_tampered_batch_fails_the_signature_check(
    storage: SqliteStorage, january: None, standin: Standin, tmp_path: Path
) -> None:
    # Build and record without delivering (the target is a folder), then tamper.
    clock = Clock()
    result = forwarder(storage, config_for(drop=tmp_path / "drop"), clock).run()
    batch = Outbox(storage).get(result.built[0])
    headers = request_headers(batch, hmac_signer("test-key-1", b"x" * 32))
    signer = config_for(standin.batches_url).signer
    assert signer is not None
    good = {**headers, **signer.headers(batch.body)}
    document = decode(batch.body)
    document["totals"][0]["total_cents"] += 900
    tampered = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()

    refused = httpx.post(standin.batches_url, content=tampered, headers=good, timeout=10)
    wrong_key = httpx.post(standin.batches_url, content=batch.body, headers=headers, timeout=10)
    accepted = httpx.post(standin.batches_url, content=batch.body, headers=good, timeout=10)

    assert refused.status_code == 401 and wrong_key.status_code == 401
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert [b["batch_id"] for b in standin.batches()] == [batch.batch_id]


def test_a_refusal_is_not_retried_and_marks_the_batch_failed(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    clock = Clock()
    config = config_for(standin.batches_url)
    wrong = replace(config, signer=hmac_signer("test-key-1", b"not-the-county-secret-" * 2))
    result = forwarder(storage, wrong, clock).run()

    assert result.failed == result.built
    assert clock.slept == []
    assert "HTTP 401" in (Outbox(storage).get(result.built[0]).last_error or "")
