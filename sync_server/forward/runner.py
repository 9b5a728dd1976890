"""A forward run: build what changed into batches, record them, deliver them.

Exactly-once effect comes from three rules:

1. A batch is recorded in the outbox (with the cursor it moves) before any byte of
   it is sent; its body never changes afterwards.
2. Delivery retries the same bytes under the same batch id and idempotency key until
   the county acknowledges or the deadline passes; the county stores by key.
3. A restart delivers the pending batches first; an acknowledged batch is never sent
   as new (a resend repeats its id and key, and the county answers "duplicate").
"""

from __future__ import annotations

import gc
import logging
import os
import random
import socket
import threading
import time
import uuid
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from tenacity import RetryCallState

from shared import RuleSets, builtin_rule_sets
from sync_server.collector import collector_paused

from .assemble import BatchWriter, bodies
from .builder import (
    Participant,
    days_of,
    judgement_for,
    participant_block,
    participants_index,
    touched_days,
)
from .config import ForwardConfig
from .errors import DeliveryError, DeliveryRejected
from .outbox import Outbox, StoredBatch
from .source import ForwardSource
from .staging import Staging
from .transport import DropFolderTarget, HttpTarget, Target, deliver_once, delivery_retrying

log = logging.getLogger("lasna.forward")
LEASE_TTL = timedelta(minutes=2)
SLEEP_SLICE = 30.0  # seconds: renew the lease at least this often while waiting
# Participants whose sent state is read at once: one query per table per chunk, and
# memory that stays the same however many participants a run reaches.
CHUNK = 500


@dataclass(slots=True)
class RunResult:
    run_id: str
    versions_read: int = 0
    participants: int = 0
    deferred: int = 0
    built: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "versions_read": self.versions_read,
            "participants": self.participants,
            "deferred_participants": self.deferred,
            "built": self.built,
            "acknowledged": self.acknowledged,
            "failed": self.failed,
        }


def utc_now() -> datetime:
    return datetime.now(UTC)


def process_alive(owner: str) -> bool:
    """Whether the process named in a lease owner ``host:pid:token`` still runs."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return True  # another machine's process: only its expiry can free the lease
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Forwarder:
    def __init__(
        self,
        source: ForwardSource,
        outbox: Outbox,
        config: ForwardConfig,
        *,
        rule_sets: RuleSets | None = None,
        client: httpx.Client | None = None,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self.source = source
        self.outbox = outbox
        self.config = config
        self.rule_sets = rule_sets or builtin_rule_sets()
        self._client = client
        self._owns_client = client is None
        self.clock = clock
        self._sleep = sleep
        self.rng = rng or random.Random()
        self.new_id = new_id
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{new_id()[:8]}"

    # -- public commands -----------------------------------------------------------

    def run(self) -> RunResult:
        """Deliver what is pending, build and record what changed, deliver that."""
        self.config.require_target()
        result = RunResult(run_id=self.new_id())
        self._acquire()
        try:
            self._deliver_pending(result)
            self._build(result)
            self._deliver_pending(result)
        finally:
            self.outbox.release(self.owner)
        return result

    def build(self) -> RunResult:
        """Only record what changed as batches, without sending them (they stay pending)."""
        result = RunResult(run_id=self.new_id())
        self._acquire()
        try:
            self._build(result)
        finally:
            self.outbox.release(self.owner)
        return result

    def deliver_pending(self) -> RunResult:
        """Only resume pending batches (at start-up, after a restart)."""
        self.config.require_target()
        result = RunResult(run_id=self.new_id())
        self._acquire()
        try:
            self._deliver_pending(result)
        finally:
            self.outbox.release(self.owner)
        return result

    def resend(self, batch_id: str) -> RunResult:
        """Deliver a past batch again: the same bytes, id and idempotency key."""
        self.config.require_target()
        self.outbox.get(batch_id)  # raises BatchNotFound before taking the lease
        result = RunResult(run_id=self.new_id())
        self._acquire()
        try:
            now = self.clock()
            self.outbox.reopen(batch_id, now, self.config.retry_deadline)
            self.outbox.event(
                "info", "resend", "An administrator asked for a resend.", now, batch_id
            )
            self._deliver(self.outbox.get(batch_id), result)
        finally:
            self.outbox.release(self.owner)
        return result

    # -- building ------------------------------------------------------------------

    def _build(self, result: RunResult) -> None:
        # A county's year is hundreds of thousands of containers that live until the
        # run is recorded: see sync_server.collector.
        with collector_paused():
            self._build_batches(result)

    def _build_batches(self, result: RunResult) -> None:
        now = self.clock()
        today = now.astimezone(self.config.zone).date()
        cursor = self.outbox.cursor()
        touched, last_seq, count = touched_days(self.source, cursor)
        for pid, days in self.outbox.deferred().items():
            touched.setdefault(pid, array("i")).extend(day.toordinal() for day in days)
        result.versions_read = count
        if not touched:
            return
        index = participants_index(self.source)
        # The staging's TEMP tables live in one connection: on PostgreSQL the build
        # keeps one from here to the end of the recording.
        with self.outbox.store.session():
            self._stage_and_record(result, touched, index, now, today, last_seq)

    def _stage_and_record(
        self,
        result: RunResult,
        touched: dict[str, array[int]],
        index: dict[str, Participant],
        now: datetime,
        today: date,
        last_seq: int,
    ) -> None:
        staging = Staging(self.outbox.db)
        try:
            writer = BatchWriter(
                staging,
                max_days=self.config.max_days_per_batch,
                first_sequence=self.outbox.last_sequence() + 1,
                new_id=self.new_id,
            )
            deferred: dict[str, set[Any]] = {}
            ids = sorted(touched)
            for at in range(0, len(ids), CHUNK):
                chunk = ids[at : at + CHUNK]
                sent = self.outbox.sent_state(chunk)
                for pid in chunk:
                    person = index.get(pid)
                    if person is None or not person.plans:
                        deferred[pid] = days_of(touched[pid])
                        continue
                    judgement = judgement_for(
                        days_of(touched.pop(pid)),
                        self.config.payment_periods,
                        self.config.absence_periods,
                    )
                    versions = self.source.versions_for(
                        pid, judgement.fetch_start, judgement.fetch_end
                    )
                    block = participant_block(
                        person, versions, judgement, sent, self.rule_sets, today=today
                    )
                    if not block.empty:
                        writer.add(block)
            staged = writer.finish()
            result.participants = writer.participants
            result.deferred = len(deferred)
            self.outbox.record_run(
                bodies(
                    staging,
                    staged,
                    config=self.config,
                    run_id=result.run_id,
                    now=now,
                    today=today,
                    cursor=last_seq,
                ),
                cursor=last_seq,
                targets=self._target_names(),
                now=now,
                deadline=self.config.retry_deadline,
                deferred=deferred,
                staging=staging,
            )
        finally:
            staging.drop()
        result.built.extend(b.batch_id for b in staged)
        if deferred:
            self.outbox.event(
                "warning",
                "deferred",
                f"{len(deferred)} participant(s) with changed days have no plan on the server; "
                "their days wait for the next run.",
                now,
            )

    # -- delivering ----------------------------------------------------------------

    def _deliver_pending(self, result: RunResult) -> None:
        # One body in memory at a time: a first send can be hundreds of megabytes.
        for batch_id in self.outbox.pending_ids():
            self._deliver(self.outbox.get(batch_id), result)
            # httpx's finished response and tenacity's retry state hold each other, and
            # through the request the body: freed only by the collector. Its young
            # generations hold them (about 90 objects, a tenth of a millisecond); left
            # to the collector's own pace, every body of the run stayed until the end.
            gc.collect(1)

    def _deliver(self, batch: StoredBatch, result: RunResult) -> None:
        targets = self._targets()
        failures = [batch.attempts]  # across targets and runs: the backoff keeps growing
        try:
            for name in batch.targets:
                if name in batch.done_targets:
                    continue
                target = targets.get(name)
                if target is None:
                    self._fail(batch, f"Its target '{name}' is no longer configured.", result)
                    return

                def failed(state: RetryCallState, name: str = name) -> None:
                    failures[0] += 1
                    exc = state.outcome.exception() if state.outcome else None
                    self.outbox.attempt_failed(batch.batch_id, f"{name}: {exc}")
                    log.warning(
                        "Forward batch %s attempt %d failed: %s", batch.batch_id, failures[0], exc
                    )

                retrying = delivery_retrying(
                    deadline=batch.deadline_at,
                    clock=self.clock,
                    sleep=self._wait,
                    rng=self.rng,
                    initial=self.config.backoff_initial,
                    maximum=self.config.backoff_max,
                    past_attempts=failures[0],
                    before=lambda _state: self.outbox.renew(self.owner, self.clock(), LEASE_TTL),
                    after=failed,
                )
                try:
                    receipt, looked_up = retrying(deliver_once, target, batch)
                except DeliveryError as exc:
                    self._fail(batch, f"{name}: {exc}", result)
                    return
                self._fault_after_send()
                self.outbox.target_done(batch.batch_id, name, receipt, self.clock())
                if looked_up:
                    self.outbox.event(
                        "info",
                        "found_by_key",
                        f"The {name} target did not answer in time, but it had stored the "
                        "batch (asked by its idempotency key).",
                        self.clock(),
                        batch.batch_id,
                    )
                elif receipt.get("status") == "duplicate":
                    self.outbox.event(
                        "info",
                        "duplicate",
                        f"The {name} target already had this batch.",
                        self.clock(),
                        batch.batch_id,
                    )
        except DeliveryRejected as exc:
            self._fail(batch, str(exc), result)
            return
        result.acknowledged.append(batch.batch_id)

    def _fail(self, batch: StoredBatch, reason: str, result: RunResult) -> None:
        now = self.clock()
        self.outbox.mark_failed(batch.batch_id, reason, now)
        self.outbox.event("error", "delivery_failed", reason, now, batch.batch_id)
        log.error(
            "Forward batch %s (sequence %d) is marked failed and needs an administrator: %s",
            batch.batch_id,
            batch.sequence,
            reason,
        )
        result.failed.append(batch.batch_id)

    def _wait(self, seconds: float) -> None:
        while seconds > 0:
            step = min(seconds, SLEEP_SLICE)
            self._sleep(step)
            seconds -= step
            self.outbox.renew(self.owner, self.clock(), LEASE_TTL)

    def _fault_after_send(self) -> None:
        if self.config.fault == "hang-after-send":
            log.warning("Fault injection: stopping dead after the county answered.")
            threading.Event().wait()

    def _acquire(self) -> None:
        self.outbox.acquire(self.owner, self.clock(), LEASE_TTL, process_alive)

    def _target_names(self) -> list[str]:
        names = []
        if self.config.endpoint_url is not None:
            names.append("http")
        if self.config.drop_dir is not None:
            names.append("drop")
        return names

    def _targets(self) -> dict[str, Target]:
        signer = self.config.require_target()
        targets: dict[str, Target] = {}
        if self.config.endpoint_url is not None:
            targets["http"] = HttpTarget(
                self.client, self.config.endpoint_url, signer, self.config.request_timeout
            )
        if self.config.drop_dir is not None:
            targets["drop"] = DropFolderTarget(self.config.drop_dir, signer)
        return targets

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=self.config.request_timeout)
        return self._client

    def close(self) -> None:
        if self._owns_client and self._client is not None:
            self._client.close()
            self._client = None
