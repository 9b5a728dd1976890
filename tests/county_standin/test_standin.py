"""The county stand-in behaves like a real endpoint: signatures, idempotency, recomputation."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest

from county_standin.app import collector_paused
from sync_server.forward import encode, hmac_signer
from tests.sync_server.forward.standin import TEST_KEY_ID, TEST_SECRET, Standin, running_standin

EXAMPLE = resources.files("sync_server").joinpath("examples/county/batch-first-send.json")


@pytest.fixture
def standin(tmp_path: Path) -> Iterator[Standin]:
    with running_standin(tmp_path / "county.db") as s:
        yield s


def _post(standin: Standin, document: dict[str, Any]) -> httpx.Response:
    body = encode(document)
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": document["idempotency_key"],
        "X-Lasna-Batch-Id": document["batch_id"],
        **hmac_signer(TEST_KEY_ID, TEST_SECRET.encode()).headers(body),
    }
    return httpx.post(standin.batches_url, content=body, headers=headers, timeout=10)


def _example() -> dict[str, Any]:
    loaded = json.loads(EXAMPLE.read_text("utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_same_batch_twice_is_stored_once_with_the_same_receipt(standin: Standin) -> None:
    first = _post(standin, _example())
    second = _post(standin, _example())

    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == "accepted" and second.json()["status"] == "duplicate"
    assert first.json()["receipt_id"] == second.json()["receipt_id"]
    assert len(standin.batches()) == 1
    assert first.json()["totals_matching"] == first.json()["totals_checked"] > 0


def test_a_reused_key_with_other_content_is_a_conflict(standin: Standin) -> None:
    _post(standin, _example())
    changed = _example()
    changed["days"] = changed["days"][:1]

    answer = _post(standin, changed)

    assert answer.status_code == 409
    assert len(standin.batches()) == 1


def test_a_batch_that_breaks_the_schema_is_refused_and_nothing_is_stored(
    standin: Standin,
) -> None:
    broken = _example()
    broken["days"][0]["record"]["status"] = "maybe"

    answer = _post(standin, broken)

    assert answer.status_code == 422
    assert standin.batches() == [] and standin.table("days") == []


def test_the_county_notices_totals_that_its_own_arithmetic_does_not_reproduce(
    standin: Standin,
) -> None:
    wrong = _example()
    wrong["totals"][0]["lines"][0]["amount_cents"] += 900
    wrong["totals"][0]["total_cents"] += 900

    receipt = _post(standin, wrong).json()

    assert receipt["totals_matching"] == receipt["totals_checked"] - 1
    (mismatch,) = receipt["mismatches"]
    assert mismatch["recomputed_total_cents"] == mismatch["sent_total_cents"] - 900


def test_failure_modes_answer_like_a_struggling_endpoint(standin: Standin) -> None:
    standin.mode("error:2:502")
    answers = [_post(standin, _example()).status_code for _ in range(3)]
    assert answers == [502, 502, 200]
    standin.mode("down")
    assert _post(standin, _example()).status_code == 503
    assert [d["outcome"] for d in standin.table("deliveries")] == [
        "fault 502",
        "fault 502",
        "accepted",
        "fault 503",
    ]


def test_a_body_that_is_not_json_is_refused_and_nothing_is_stored(standin: Standin) -> None:
    body = b'{"format": "lasna.county-batch/1", '
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": "k-1",
        "X-Lasna-Batch-Id": "b-1",
        **hmac_signer(TEST_KEY_ID, TEST_SECRET.encode()).headers(body),
    }

    answer = httpx.post(standin.batches_url, content=body, headers=headers, timeout=10)

    assert answer.status_code == 400
    assert standin.batches() == []
    assert [d["outcome"] for d in standin.table("deliveries")] == ["not json"]


def test_every_period_of_a_large_batch_is_recomputed_against_its_own_days(
    standin: Standin,
) -> None:
    """Hundreds of periods are checked in a few queries; each against its own days."""
    example = _example()
    day, total = example["days"][0], example["totals"][0]
    document = {**example, "days": [], "totals": [], "absence_reports": [], "adjustments": []}
    for i in range(300):
        ref = f"REF-{i:03d}"
        days = [
            {
                **day,
                "participant_ref": ref,
                "day": f"2025-01-{d:02d}",
                "record": {
                    **day["record"],
                    "id": f"00000000-0000-4000-8000-{i:06d}{d:06d}",
                    "day": f"2025-01-{d:02d}",
                },
            }
            for d in range(20, 20 + 1 + i % 3)
        ]
        document["days"] += days
        count = len(days)
        line = {**total["lines"][0], "days": count, "amount_cents": 900 * count}
        document["totals"].append(
            {
                **total,
                "participant_ref": ref,
                "eligible_days": count,
                "lines": [line],
                "total_cents": 900 * count,
            }
        )
    wrong = document["totals"][280]
    wrong["total_cents"] += 900
    document["summary"] = {**example["summary"], "days": len(document["days"])}

    receipt = _post(standin, document).json()

    assert receipt["totals_checked"] == 300
    assert receipt["totals_matching"] == 299
    (mismatch,) = receipt["mismatches"]
    assert mismatch["participant_ref"] == "REF-280"
    assert mismatch["recomputed_total_cents"] == 900 * (1 + 280 % 3)
    assert receipt["recomputed_total_cents"] == 900 * sum(1 + i % 3 for i in range(300))


def test_the_cycle_collector_is_paused_only_while_a_batch_is_taken_in() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failed batch")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
