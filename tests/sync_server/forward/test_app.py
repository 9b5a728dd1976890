"""The forward inside the server app: the nightly job's time, admin endpoints, resume."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from sync_server.app import create_app
from sync_server.config import ServerConfig
from sync_server.forward import Outbox
from sync_server.forward.scheduler import nightly_trigger
from sync_server.storage import SqliteStorage
from tests.sync_server.forward.conftest import Clock, config_for, forwarder
from tests.sync_server.forward.standin import TEST_KEY_ID, TEST_SECRET, Standin

TOKEN = "admin-token-for-tests-only-0123456789"


def test_the_night_job_fires_at_0230_helsinki_in_winter_and_summer() -> None:
    trigger = nightly_trigger(config_for("https://county.example/batches"))
    winter = trigger.get_next_fire_time(None, datetime(2025, 1, 31, 12, tzinfo=UTC))
    summer = trigger.get_next_fire_time(None, datetime(2025, 7, 31, 12, tzinfo=UTC))
    assert winter.astimezone(UTC) == datetime(2025, 2, 1, 0, 30, tzinfo=UTC)
    assert summer.astimezone(UTC) == datetime(2025, 7, 31, 23, 30, tzinfo=UTC)


def _server(storage: SqliteStorage, tmp_path: Path, url: str) -> TestClient:
    config = ServerConfig(
        db_path=tmp_path / "server.db",
        dev=True,
        admin_token=TOKEN,
        extra={"forward": {"url": url, "hmac_secret": TEST_SECRET, "key_id": TEST_KEY_ID}},
    )
    return TestClient(create_app(config, storage))


def test_admin_endpoints_need_the_token_and_run_reconcile_and_resend(
    storage: SqliteStorage, january: None, standin: Standin, tmp_path: Path
) -> None:
    with _server(storage, tmp_path, standin.batches_url) as client:
        assert client.post("/admin/forward/run").status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        ran = client.post("/admin/forward/run", headers=auth).json()
        assert len(ran["acknowledged"]) == 1
        listed = client.get("/admin/forward/batches", headers=auth).json()
        assert listed[0]["status"] == "acknowledged"
        report = client.get("/admin/forward/reconciliation?month=2025-01", headers=auth).json()
        assert report[0]["in_balance"] and report[0]["sent"]["days"] > 0
        again = client.post(f"/admin/forward/batches/{ran['built'][0]}/resend", headers=auth)
        assert again.status_code == 200
        missing = client.post("/admin/forward/batches/nope/resend", headers=auth)
        assert missing.status_code == 404
    assert [d["outcome"] for d in standin.table("deliveries")] == ["accepted", "duplicate"]


def test_a_restarted_server_delivers_what_was_left_pending(
    storage: SqliteStorage, january: None, standin: Standin, tmp_path: Path
) -> None:
    # A batch as a stopped server leaves it: recorded in the outbox, never sent.
    built = forwarder(storage, config_for(standin.batches_url), Clock()).build()
    (pending,) = Outbox(storage).pending()
    assert built.built == [pending.batch_id]

    with _server(storage, tmp_path, standin.batches_url):
        waited = 0.0
        while Outbox(storage).get(pending.batch_id).status != "acknowledged":
            assert waited < 20, "the pending batch was not resumed at start-up"
            time.sleep(0.05)
            waited += 0.05
    assert [b["batch_id"] for b in standin.batches()] == [pending.batch_id]
