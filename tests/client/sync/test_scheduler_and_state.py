"""When sync runs (APScheduler) and what the UI can ask, with a real store."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import httpx
import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from client.store import Store
from client.sync import Backoff, ErrorCode, SyncClient, SyncReport, SyncScheduler
from client.sync.scheduler import JOB_INTERVAL, JOB_NIGHTLY
from shared.calendar import HELSINKI
from shared.plans import Plan, PlanVersion
from shared.protocol import ParticipantInfo, Reference, SiteInfo
from shared.records import DayRecord, Status
from tests.client.sync.conftest import NOW
from tests.support.processes import free_port


def _client(store: Store) -> SyncClient:
    return SyncClient(store, httpx.Client(timeout=1.0), sleep=lambda _s: None)


def _something_to_send(store: Store) -> None:
    start = date(2026, 1, 5)
    version = PlanVersion(start, start, date(2026, 12, 31), 1, 4, 240, 480, "kulukorvaus")
    store.replace_reference_data(
        SiteInfo("s", "Paja"),
        Reference(
            participants=(ParticipantInfo("p1", "Aino", "R1"),),
            plans=(Plan("plan-p1", "p1", "s", "kuntouttava", (version,)),),
            rule_sets=(),
        ),
    )
    record = DayRecord(
        "p1", date(2026, 3, 16), Status.PRESENT, "ohjaaja-1", "d", NOW, start=time(8), end=time(13)
    )
    assert store.save_record(record, now=NOW).saved


def test_an_unenrolled_device_reports_it_without_raising(store: Store) -> None:
    client = _client(store)
    report = client.sync_once(now=NOW)
    assert report.skipped == "not_enrolled" and not report.ok
    state = client.state()
    assert state.enrolled is False
    assert state.last_error is not None and "not enrolled" in state.last_error


def test_a_locked_store_waits_for_unlock(store: Store) -> None:
    store.set_meta("server_url", "https://sync.example.fi")
    store.lock()
    client = _client(store)
    assert client.sync_once(now=NOW).skipped == "locked"
    state = client.state()
    assert state.waiting_for_unlock is True
    assert state.last_error is None


def test_state_counts_what_waits(store: Store) -> None:
    _something_to_send(store)
    client = _client(store)
    state = client.state()
    assert state.pending == 1
    assert (state.conflicts, state.rejections, state.in_progress) == (0, 0, False)
    assert client.has_work()


def test_the_schedule_has_an_interval_and_a_nightly_full_round(store: Store) -> None:
    rounds: list[SyncReport] = []
    done = threading.Event()

    def on_round(report: SyncReport) -> None:
        rounds.append(report)
        done.set()

    scheduler = SyncScheduler(
        _client(store), interval=timedelta(minutes=3), clock=lambda: NOW, on_round=on_round
    )
    scheduler.start()
    try:
        assert done.wait(10), "no round at start"
        interval = scheduler.scheduler.get_job(JOB_INTERVAL)
        assert isinstance(interval.trigger, IntervalTrigger)
        assert interval.trigger.interval == timedelta(minutes=3)
        nightly = scheduler.scheduler.get_job(JOB_NIGHTLY)
        assert isinstance(nightly.trigger, CronTrigger)
        fire = nightly.trigger.get_next_fire_time(None, datetime(2026, 3, 16, 12, tzinfo=HELSINKI))
        assert fire == datetime(2026, 3, 17, 2, 30, tzinfo=HELSINKI)
        done.clear()
        scheduler.resume()
        assert done.wait(10), "no round on resume"
        assert len(rounds) == 2
    finally:
        scheduler.stop()


def test_the_short_interval_syncs_only_with_work_or_news_due(store: Store) -> None:
    moments = [NOW]
    scheduler = SyncScheduler(
        _client(store), clock=lambda: moments[-1], pull_every=timedelta(minutes=30)
    )
    assert scheduler.tick() is not None  # never synced: due
    moments.append(NOW + timedelta(minutes=3))
    assert scheduler.tick() is None  # nothing to send, heard from the server just now
    _something_to_send(store)
    assert scheduler.tick() is not None  # something waits
    moments.append(NOW + timedelta(minutes=40))
    full = scheduler.nightly()
    assert full.started_at == NOW + timedelta(minutes=40)


def test_rounds_never_overlap(store: Store) -> None:
    client = _client(store)
    assert client._round.acquire()
    try:
        assert client.sync_once(now=NOW).skipped == "in_progress"
    finally:
        client._round.release()
    assert client.sync_once(now=NOW).skipped == "not_enrolled"


class Gate:
    """The client's backoff sleep, held shut: a round waits inside it until opened."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.opened = threading.Event()
        self.calls = 0

    def __call__(self, _seconds: float) -> None:
        self.calls += 1
        self.entered.set()
        assert self.opened.wait(10), "the gate was never opened"


def _client_to_nowhere(store: Store, gate: Gate) -> SyncClient:
    """An enrolled client whose server does not listen: each round tries twice, sleeping
    in ``gate`` between the tries."""
    store.set_meta("server_url", f"http://127.0.0.1:{free_port()}")
    store.put_secret("device_credential", b"lsd1_test")
    return SyncClient(store, httpx.Client(timeout=1.0), backoff=Backoff(attempts=2), sleep=gate)


def test_sync_now_joins_a_running_round_then_makes_its_own(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()
    client = _client_to_nowhere(store, gate)
    scheduler = SyncScheduler(client, clock=lambda: NOW)
    background = threading.Thread(target=client.sync_once, kwargs={"now": NOW})
    background.start()
    assert gate.entered.wait(10)
    assert client.state().in_progress and client.wait_idle(0) is False
    assert scheduler.run_now(timeout=0).skipped == "in_progress"  # no patience: said at once

    waiting = threading.Event()
    wait_idle = client.wait_idle

    def watched(timeout: float | None = None) -> bool:
        waiting.set()
        return wait_idle(timeout)

    monkeypatch.setattr(client, "wait_idle", watched)
    reports: list[SyncReport] = []
    asker = threading.Thread(target=lambda: reports.append(scheduler.run_now(timeout=10)))
    asker.start()
    assert waiting.wait(10), "sync now did not wait for the running round"
    gate.opened.set()
    asker.join(10)
    background.join(10)
    assert len(reports) == 1
    report = reports[0]
    assert report.skipped is None  # its own round, after the background one
    assert report.error_code == ErrorCode.UNREACHABLE
    assert gate.calls == 2  # two rounds, one after the other
    assert client.wait_idle(0) is True and not client.state().in_progress
