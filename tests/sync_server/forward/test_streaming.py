"""A run is built one batch at a time: the bodies are the canonical documents, the
parts are counted right, and a build that fails half-way leaves nothing behind."""

from __future__ import annotations

from datetime import date
from typing import Any

import jsonschema_rs
import pytest

from shared import DayRecord
from sync_server.forward import Forwarder, Outbox, decode, encode, schema
from sync_server.forward.contract import digest
from sync_server.storage import SqliteStorage
from tests.sync_server.forward.conftest import Clock, config_for, forwarder

VALIDATOR = jsonschema_rs.validator_for(schema())


def test_a_run_in_many_parts_sends_every_day_once_in_canonical_bodies(
    storage: SqliteStorage, january: None
) -> None:
    result = forwarder(storage, config_for(max_days_per_batch=5)).build()

    batches = sorted(Outbox(storage).batches(1000), key=lambda b: b.sequence)
    assert len(batches) == len(result.built) > 2
    assert [b.sequence for b in batches] == list(range(1, len(batches) + 1))
    days = 0
    for part, batch in enumerate(batches, start=1):
        document = decode(batch.body)
        VALIDATOR.validate(document)
        assert encode(document) == batch.body  # the streamed body is the canonical one
        assert (document["part"], document["parts"]) == (part, len(batches))
        assert document["summary"]["days"] == len(document["days"])
        # A participant's days are never split: only one alone may pass the limit.
        assert len(document["days"]) <= 5 or document["summary"]["participants"] == 1
        stored = storage.db.execute(
            "SELECT body_sha256 FROM forward_batches WHERE batch_id = ?", [batch.batch_id]
        ).fetchone()[0]
        assert stored == digest(batch.body)
        days += len(document["days"])
    sent = storage.db.execute("SELECT count(*) FROM forward_sent_days").fetchone()[0]
    per_batch = storage.db.execute("SELECT count(*) FROM forward_batch_days").fetchone()[0]
    assert days == sent == per_batch > 0


class FailingSource:
    """The server storage, except that reading versions fails after ``ok`` participants."""

    def __init__(self, storage: SqliteStorage, ok: int) -> None:
        self.storage = storage
        self.ok = ok

    def __getattr__(self, name: str) -> Any:
        return getattr(self.storage, name)

    def versions_for(self, participant_id: str, start: date, end: date) -> list[DayRecord]:
        if self.ok == 0:
            raise OSError("disk I/O error (a test's fault)")
        self.ok -= 1
        return self.storage.versions_for(participant_id, start, end)


def test_a_build_that_fails_half_way_leaves_no_batch_and_no_sent_state(
    storage: SqliteStorage, january: None
) -> None:
    config = config_for(max_days_per_batch=5)
    failing = Forwarder(
        FailingSource(storage, ok=2),
        Outbox(storage),
        config,
        rule_sets=storage.rule_sets(),
        clock=Clock(),
    )
    with pytest.raises(OSError, match="a test's fault"):
        failing.build()

    outbox = Outbox(storage)
    assert outbox.cursor() == 0 and outbox.last_sequence() == 0
    for table in ("forward_batches", "forward_sent_days", "forward_batch_days"):
        assert storage.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0

    again = forwarder(storage, config).build()  # on the same connection, staging anew
    assert again.built and outbox.last_sequence() == len(again.built)


class PeekingSource(FailingSource):
    """The server storage, counting the run's staged batches as the build reads on."""

    def __init__(self, storage: SqliteStorage) -> None:
        super().__init__(storage, ok=10**6)
        self.staged: list[int] = []

    def versions_for(self, participant_id: str, start: date, end: date) -> list[DayRecord]:
        # The build's own thread and connection: the run's TEMP tables are visible here.
        (count,) = self.storage.db.execute(
            "SELECT count(DISTINCT batch_id) FROM forward_staged_sections"
        ).fetchone()
        self.staged.append(int(count))
        return super().versions_for(participant_id, start, end)


def test_a_runs_full_batches_wait_in_the_database_not_in_memory(
    storage: SqliteStorage, january: None
) -> None:
    peeking = PeekingSource(storage)
    result = Forwarder(
        peeking,
        Outbox(storage),
        config_for(max_days_per_batch=5),
        rule_sets=storage.rule_sets(),
        clock=Clock(),
    ).build()

    # Each participant's days fill a batch of their own here. A batch is known to be
    # full when the next participant's days come: when the k-th participant is read,
    # the batches of all but the last before it are in the build connection's TEMP tables.
    assert len(result.built) == len(peeking.staged) > 2
    assert peeking.staged == [0, *range(len(peeking.staged) - 1)]
    assert len(Outbox(storage).batches(1000)) == len(result.built)
