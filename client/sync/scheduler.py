"""When to sync: APScheduler in the background while the app is open.

* once when started, and on :meth:`SyncScheduler.resume` (the app came back to the
  foreground) or :meth:`SyncScheduler.trigger_now`;
* in the caller's thread on :meth:`SyncScheduler.run_now` ("sync now"), after the
  round already running, if any, has finished;
* every ``interval`` (a few minutes) when something waits in the outbox, and at least
  every ``pull_every`` to hear from the site's other devices;
* every night at ``nightly_at`` (Helsinki time), a full round for tablets left on in
  the workshop.

Rounds never overlap (one job instance; the client also refuses a second round).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from time import monotonic

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from client.sync.client import SyncClient
from client.sync.state import SyncReport
from shared.calendar import HELSINKI

JOB_INTERVAL = "lasna-sync-interval"
JOB_NIGHTLY = "lasna-sync-nightly"
JOB_NOW = "lasna-sync-now"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SyncScheduler:
    def __init__(
        self,
        client: SyncClient,
        *,
        interval: timedelta = timedelta(minutes=3),
        clock: Callable[[], datetime] = _utc_now,
        pull_every: timedelta = timedelta(minutes=30),
        nightly_at: time = time(2, 30),
        scheduler: BackgroundScheduler | None = None,
        on_round: Callable[[SyncReport], None] | None = None,
    ) -> None:
        self.client = client
        self.interval = interval
        self.clock = clock
        self.pull_every = pull_every
        self.nightly_at = nightly_at
        self.on_round = on_round
        self._scheduler = scheduler or BackgroundScheduler(timezone=HELSINKI)
        self._last_round: datetime | None = None

    @property
    def scheduler(self) -> BackgroundScheduler:
        return self._scheduler

    def start(self) -> None:
        s = self._scheduler
        s.add_job(
            self.tick,
            IntervalTrigger(seconds=self.interval.total_seconds(), timezone=HELSINKI),
            id=JOB_INTERVAL,
            max_instances=1,
            coalesce=True,
            replace_existing=True,
        )
        s.add_job(
            self.nightly,
            CronTrigger(
                hour=self.nightly_at.hour, minute=self.nightly_at.minute, timezone=HELSINKI
            ),
            id=JOB_NIGHTLY,
            max_instances=1,
            coalesce=True,
            replace_existing=True,
        )
        if not s.running:
            s.start()
        self.trigger_now()

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def trigger_now(self) -> None:
        """One round as soon as possible (in the background)."""
        self._scheduler.add_job(self.run_round, id=JOB_NOW, max_instances=1, replace_existing=True)

    def resume(self) -> None:
        """The app is back in the foreground: sync at once."""
        self.trigger_now()

    def tick(self) -> SyncReport | None:
        """The short interval: a round if something waits, or it is time to hear news."""
        now = self.clock()
        stale = self._last_round is None or now - self._last_round >= self.pull_every
        if self.client.has_work() or stale:
            return self.run_round()
        return None

    def nightly(self) -> SyncReport:
        return self.run_round(full=True)

    def run_now(self, timeout: float = 30.0, *, full: bool = False) -> SyncReport:
        """One round now, in the caller's thread ("sync now"), not reported to ``on_round``.

        When a round is already running (the background schedule's), wait for it to
        end, then make this one, so that what was saved meanwhile is sent too. Only when
        rounds keep running for ``timeout`` seconds is the report ``skipped`` as
        ``"in_progress"``.
        """
        deadline = monotonic() + timeout
        while True:
            now = self.clock()
            report = self.client.sync_once(now=now, full=full)
            if report.skipped != "in_progress":
                self._last_round = now
                return report
            left = deadline - monotonic()
            if left <= 0 or not self.client.wait_idle(left):
                return report

    def run_round(self, full: bool = False) -> SyncReport:
        now = self.clock()
        report = self.client.sync_once(now=now, full=full)
        if report.skipped != "in_progress":
            self._last_round = now
        if self.on_round is not None:
            self.on_round(report)
        return report
