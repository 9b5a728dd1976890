"""The nightly job: APScheduler in the server process, at a local wall-clock time."""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from .config import ForwardConfig
from .errors import ForwardBusy, ForwardError

log = logging.getLogger("lasna.forward")
JOB_ID = "lasna-county-forward"


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
    config: ForwardConfig, job: Callable[[], object], resume: Callable[[], object] | None = None
) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=config.zone)
    scheduler.add_job(
        _guarded(job),
        nightly_trigger(config),
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=3600,
        replace_existing=True,
    )
    if resume is not None:
        # Batches left pending by a stop or a crash go out as soon as the server is up.
        scheduler.add_job(_guarded(resume), id=f"{JOB_ID}-resume", max_instances=1)
    scheduler.start()
    return scheduler


def _guarded(job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except ForwardBusy:
            log.info("Forward run skipped: another run holds the lease.")
        except ForwardError as exc:
            log.error("Forward run failed: %s", exc)
        except Exception as exc:  # the scheduler thread must survive a bad night
            log.exception("Forward run crashed (%s).", type(exc).__name__)

    return run
