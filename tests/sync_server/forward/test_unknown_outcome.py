"""A county that stores a batch and answers too late: the forward asks before it resends
or gives up, so the batch is delivered once and never marked failed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import httpx

from sync_server.forward import Outbox, hmac_signer
from sync_server.forward.errors import DeliveryUnknown
from sync_server.forward.transport import HttpTarget, deliver_once
from sync_server.storage import SqliteStorage
from tests.sync_server.forward.conftest import Clock, config_for, forwarder
from tests.sync_server.forward.standin import TEST_KEY_ID, TEST_SECRET, Standin


def test_stored_but_answered_too_late_is_delivered_once_not_failed(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    standin.mode("slow:3")  # stores at once, answers long after the sender's timeout
    clock = Clock()
    # The deadline passes with the first unanswered send: without asking, that is "failed".
    config = replace(
        config_for(standin.batches_url),
        request_timeout=0.5,
        retry_deadline=timedelta(milliseconds=1),
    )

    result = forwarder(storage, config, clock).run()

    assert result.failed == [] and result.acknowledged == result.built
    (batch_id,) = result.built
    outcomes = [d["outcome"] for d in standin.table("deliveries")]
    assert outcomes == ["accepted", "lookup found"]  # one send, then one question
    assert [b["batch_id"] for b in standin.batches()] == [batch_id]
    outbox = Outbox(storage)
    stored = outbox.get(batch_id)
    assert stored.status == "acknowledged" and stored.attempts == 0
    receipt = outbox.receipt(batch_id, "http")
    assert receipt is not None and receipt["status"] == "accepted"
    assert outbox.events()[0]["event"] == "found_by_key"
    assert clock.slept == []


def test_the_lookup_says_not_stored_and_refuses_a_wrong_signature(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    forwarder(storage, config_for(standin.batches_url), Clock()).build()
    (batch,) = Outbox(storage).pending()
    signer = hmac_signer(TEST_KEY_ID, TEST_SECRET.encode())
    with httpx.Client() as client:
        target = HttpTarget(client, standin.batches_url, signer, timeout=5.0)
        assert target.lookup(batch) is None
        wrong = HttpTarget(client, standin.batches_url, hmac_signer(TEST_KEY_ID, b"x" * 32), 5.0)
        response = client.get(
            f"{standin.batches_url}/by-key/{batch.idempotency_key}",
            headers=wrong.signer.headers(batch.idempotency_key.encode()),
        )
        assert response.status_code == 401
        receipt, looked_up = deliver_once(target, batch)
        assert receipt["status"] == "accepted" and not looked_up
        found = target.lookup(batch)
    assert found is not None and found["batch_id"] == batch.batch_id


def test_a_lookup_that_fails_too_leaves_the_outcome_unknown(
    storage: SqliteStorage, january: None
) -> None:
    forwarder(storage, config_for("https://county.example/batches"), Clock()).build()
    (batch,) = Outbox(storage).pending()

    def nobody_answers(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    signer = hmac_signer(TEST_KEY_ID, TEST_SECRET.encode())
    with httpx.Client(transport=httpx.MockTransport(nobody_answers)) as client:
        target = HttpTarget(client, "https://county.example/batches", signer, timeout=1.0)
        try:
            deliver_once(target, batch)
        except DeliveryUnknown as exc:
            assert "Asking the county whether it has the batch failed too" in str(exc)
        else:
            raise AssertionError("an unanswered send and lookup must stay unknown")
