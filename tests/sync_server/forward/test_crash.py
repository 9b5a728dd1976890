"""The forwarding process killed after the county stored a batch, before the answer was
recorded: after a restart the county still has exactly one copy."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from sync_server.forward import Outbox
from sync_server.storage import SqliteStorage
from tests.support.processes import start_module
from tests.sync_server.forward import data
from tests.sync_server.forward.standin import TEST_KEY_ID, TEST_SECRET, Standin


def _cli(db: Path, standin: Standin, *, fault: str | None = None) -> subprocess.Popen[bytes]:
    env = {
        "LASNA_FORWARD_URL": standin.batches_url,
        "LASNA_FORWARD_HMAC_SECRET": TEST_SECRET,
        "LASNA_FORWARD_KEY_ID": TEST_KEY_ID,
        "LASNA_FORWARD_TIMEOUT_SECONDS": "10",
    }
    if fault:
        env["LASNA_FORWARD_FAULT"] = fault
    return start_module(
        "sync_server",
        "forward",
        "run-now",
        "--db",
        str(db),
        env=env,
        without="LASNA_FORWARD_FAULT",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_killed_after_sending_before_recording_the_answer(
    storage: SqliteStorage, january: None, standin: Standin, database: str
) -> None:
    db = database
    storage.close()

    doomed = _cli(db, standin, fault="hang-after-send")
    deadline = time.monotonic() + 60
    while not standin.batches():
        assert doomed.poll() is None, doomed.stderr.read() if doomed.stderr else ""
        assert time.monotonic() < deadline, "the batch never reached the county"
        time.sleep(0.05)
    assert doomed.poll() is None  # it stopped dead after the county answered
    doomed.kill()
    doomed.wait(timeout=10)

    reopened = data.new_storage(db)
    (pending,) = Outbox(reopened).pending()  # sent, but the answer was never recorded
    reopened.close()

    restarted = _cli(db, standin)
    out, err = restarted.communicate(timeout=60)
    assert restarted.returncode == 0, err.decode()
    result = json.loads(out)

    assert result["acknowledged"] == [pending.batch_id] and result["built"] == []
    assert [b["batch_id"] for b in standin.batches()] == [pending.batch_id]
    assert [d["outcome"] for d in standin.table("deliveries")] == ["accepted", "duplicate"]
    after = data.new_storage(db)
    assert Outbox(after).get(pending.batch_id).status == "acknowledged"
    assert len(standin.table("days")) == len(data.month_of_records(2025, 1))
    after.close()
