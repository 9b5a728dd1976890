"""Several instances each fire the nightly job: one runs, the others look again later
and take over a run whose holder died on another machine (its lease ran out)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sync_server.forward import ForwardBusy, Outbox
from sync_server.forward.scheduler import start_scheduler
from sync_server.storage import SqliteStorage
from tests.sync_server.forward.conftest import Clock, config_for, forwarder
from tests.sync_server.forward.standin import Standin


def test_a_busy_night_job_looks_again_and_takes_over_a_dead_machines_run(
    storage: SqliteStorage, january: None, standin: Standin
) -> None:
    clock = Clock()
    # Another machine's instance took the lease and died: its process cannot be asked.
    Outbox(storage).acquire("elsewhere:4242:dead", clock(), timedelta(minutes=2), lambda _: True)
    config = config_for(standin.batches_url)
    f = forwarder(storage, config, clock)
    busy = threading.Event()

    def night() -> object:
        try:
            return f.run()
        except ForwardBusy:
            busy.set()
            raise

    scheduler = start_scheduler(
        config, lambda: None, night, busy_retry=timedelta(seconds=0.2), busy_tries=50
    )
    try:
        assert busy.wait(30), "the first look should find the lease held"
        assert standin.batches() == []
        clock.now += timedelta(minutes=3)  # the dead machine's lease runs out
        deadline = time.monotonic() + 60
        while not standin.batches():
            assert time.monotonic() < deadline, "nobody took the run over"
            time.sleep(0.05)
    finally:
        scheduler.shutdown(wait=True)
    assert [d["outcome"] for d in standin.table("deliveries")] == ["accepted"] * len(
        standin.batches()
    )
