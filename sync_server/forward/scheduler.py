"""The nightly job: APScheduler in the server process, at a local wall-clock time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from .config import ForwardConfig
from .errors import ForwardBusy, ForwardError

log = logging.getLogger("lasna.forward")
JOB_ID = "lasna-county-forward"
# A busy lease is looked at again after it could have expired (runner.LEASE_TTL is 2 min),
# a few times: a live run renews its lease and finishes; a dead one's lease runs out.
BUSY_RETRY = timedelta(minutes=3)
BUSY_TRIES = 10


def nightly_trigger(config: ForwardConfig) -> CronTrigger:
    """Every day at ``config.nightly_at`` in ``config.timezone`` (02:30 Helsinki by default).

    On the night clocks change, APScheduler runs the job once at the wall-clock time
    that exists (02:30 exists on both change nights in Finland: the shift is 03→04
    and 04→03).
    """
    return CronTrigger(
        hour=config.nightly_at.hour, minute=config.nightly_at.minute, timezone=config.zone
    )


def start_scheduler(
    config: ForwardConfig,
    job: Callable[[], object],
    resume: Callable[[], object] | None = None,
    *,
    busy_retry: timedelta = BUSY_RETRY,
    busy_tries: int = BUSY_TRIES,
) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=config.zone)

    def retry_later(guarded: Callable[[], None]) -> None:
        scheduler.add_job(guarded, "date", run_date=datetime.now(UTC) + busy_retry)

    scheduler.add_job(
        _guarded(job, retry_later, busy_tries),
        nightly_trigger(config),
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=3600,
        replace_existing=True,
    )
    if resume is not None:
        # Batches left pending by a stop or a crash go out as soon as the server is up.
        scheduler.add_job(
            _guarded(resume, retry_later, busy_tries), id=f"{JOB_ID}-resume", max_instances=1
        )
    scheduler.start()
    return scheduler


def _guarded(
    job: Callable[[], object],
    retry_later: Callable[[Callable[[], None]], None] | None = None,
    tries: int = 0,
) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except ForwardBusy:
            # With several server instances every one fires at night and one takes the
            # lease. The others look again after the lease could have expired: if its
            # holder died mid-run they take the unfinished run over (its batches are
            # resent with the same keys); if it finished, they find nothing to send.
            if retry_later is not None and tries > 0:
                log.info("Forward run skipped: another run holds the lease; looking again later.")
                retry_later(_guarded(job, retry_later, tries - 1))
            else:
                log.info("Forward run skipped: another run holds the lease.")
        except ForwardError as exc:
            log.error("Forward run failed: %s", exc)
        except Exception as exc:  # the scheduler thread must survive a bad night
            log.exception("Forward run crashed (%s).", type(exc).__name__)

    return run
