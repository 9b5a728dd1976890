"""When sync runs (APScheduler) and what the UI can ask, with a real store."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import httpx
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from client.store import Store
from client.sync import SyncClient, SyncReport, SyncScheduler
from client.sync.scheduler import JOB_INTERVAL, JOB_NIGHTLY
from shared.calendar import HELSINKI
from shared.plans import Plan, PlanVersion
from shared.records import DayRecord, Status
from tests.client.sync.conftest import NOW


def _client(store: Store) -> SyncClient:
    return SyncClient(store, httpx.Client(timeout=1.0), sleep=lambda _s: None)


def _something_to_send(store: Store) -> None:
    start = date(2026, 1, 5)
    version = PlanVersion(start, start, date(2026, 12, 31), 1, 4, 240, 480, "kulukorvaus")
    store.replace_reference_data(
        site_id="s",
        site_name="Paja",
        participants=[{"id": "p1", "display_name": "Aino", "client_ref": "R1"}],
        plans=[Plan("plan-p1", "p1", "s", "kuntouttava", (version,))],
        rule_sets=[],
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
