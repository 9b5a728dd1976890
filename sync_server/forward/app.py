"""Wiring the forward into the server app: the nightly job and the admin endpoints.

``attach`` is called by ``sync_server.app.create_app``. The admin endpoints need the
server's admin token (``Authorization: Bearer <admin_token>``); without a configured
token they answer 403.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from sync_server.api.models import ErrorModel
from sync_server.config import ServerConfig
from sync_server.console import api_account
from sync_server.metrics import FORWARD_FAILURES, FORWARD_RUNS
from sync_server.storage import SqliteStorage

from .config import ForwardConfig
from .errors import BatchNotFound, ForwardBusy, ForwardConfigError
from .outbox import Outbox
from .reconcile import month_period, reconcile
from .runner import Forwarder
from .scheduler import start_scheduler
from .settings import forward_config
from .source import ForwardStorage

log = logging.getLogger("lasna.forward")


def attach(
    app: FastAPI,
    storage: ForwardStorage,
    config: ServerConfig,
    *,
    forward: ForwardConfig | None = None,
    clock: Callable[[], datetime] | None = None,
) -> None:
    settings = forward or forward_config(config)
    outbox = Outbox(storage)
    now = clock or (lambda: datetime.now(UTC))

    def forwarder() -> Forwarder:
        return Forwarder(storage, outbox, settings, rule_sets=storage.rule_sets(), clock=now)

    def run_once() -> dict[str, Any]:
        f = forwarder()
        try:
            return f.run().to_dict()
        finally:
            f.close()

    def resume() -> dict[str, Any]:
        f = forwarder()
        try:
            return f.deliver_pending().to_dict()
        finally:
            f.close()

    def resend(batch_id: str) -> dict[str, Any]:
        f = forwarder()
        try:
            return f.resend(batch_id).to_dict()
        finally:
            f.close()

    if settings.enabled:
        inner = app.router.lifespan_context

        @asynccontextmanager
        async def lifespan(a: FastAPI) -> AsyncIterator[Any]:
            pending = bool(outbox.pending_ids())
            scheduler = start_scheduler(
                settings,
                lambda: counted("nightly", run_once),
                (lambda: counted("resume", resume)) if pending else None,
            )
            log.info(
                "County forward scheduled daily at %s %s.",
                settings.nightly_at.strftime("%H:%M"),
                settings.timezone,
            )
            try:
                async with inner(a) as state:
                    yield state
            finally:
                scheduler.shutdown(wait=False)

        app.router.lifespan_context = lifespan

    admin_token = config.admin_token

    def require_admin(request: Request) -> None:
        given = request.headers.get("Authorization", "")
        if admin_token and hmac.compare_digest(given.encode(), f"Bearer {admin_token}".encode()):
            return  # the old single token (deprecated; the server warns at start)
        if given.startswith("Bearer ") and isinstance(storage, SqliteStorage):
            account = api_account(storage, given, datetime.now(UTC))
            if account is not None and account.is_admin:
                return
        raise HTTPException(401, "This needs an administrator's API token.")

    router = APIRouter(
        prefix="/admin/forward",
        dependencies=[Depends(require_admin)],
        tags=["county forward (admin)"],
        responses={
            401: {"model": ErrorModel, "description": "Not the administrator's token"},
            403: {"model": ErrorModel, "description": "No admin token is configured"},
            404: {"model": ErrorModel, "description": "No such batch"},
            409: {"model": ErrorModel, "description": "A run is in progress, or no target"},
            422: {"model": ErrorModel, "description": "A malformed parameter"},
        },
    )

    @router.get("/batches")
    def batches(limit: int = Query(50, ge=1, le=1000)) -> list[dict[str, Any]]:
        """The latest batches in the outbox and their delivery state."""
        return [b.summary() for b in outbox.batches(limit)]

    @router.get("/events")
    def events(limit: int = Query(100, ge=1, le=1000)) -> list[dict[str, Any]]:
        """Delivery failures, resends and other events, newest first."""
        return outbox.events(limit)

    @router.get("/reconciliation")
    def reconciliation(
        month: str = Query(..., pattern=r"^\d{4}-\d{2}$", description="YYYY-MM"),
        site: str | None = Query(None, description="one site's id; all sites when left out"),
    ) -> list[dict[str, Any]]:
        """Per site: what devices recorded, what was sent, what the county acknowledged."""
        try:
            start, end = month_period(month)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        sites = [site] if site else [str(s["id"]) for s in storage.sites()]
        return [reconcile(storage, outbox, s, start, end) for s in sites]

    @router.post("/run")
    async def run_now() -> dict[str, Any]:
        """Build and send what changed now, instead of waiting for the night."""
        return await _guard(lambda: counted("admin", run_once))

    @router.post("/batches/{batch_id}/resend")
    async def resend_batch(batch_id: str) -> dict[str, Any]:
        """Deliver a past batch again, with the same id and idempotency key."""
        return await _guard(lambda: counted("resend", lambda: resend(batch_id)))

    app.include_router(router)


def counted(kind: str, job: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``job``, counting it and its failures in the server's metrics."""
    FORWARD_RUNS.labels(kind).inc()
    try:
        result = job()
    except (ForwardBusy, BatchNotFound):
        raise  # nothing was run: another run held the lease, or no such batch
    except Exception:
        FORWARD_FAILURES.labels("run").inc()
        raise
    FORWARD_FAILURES.labels("batch").inc(len(result.get("failed", ())))
    return result


async def _guard(job: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return await run_in_threadpool(job)
    except ForwardBusy as exc:
        raise HTTPException(409, str(exc)) from None
    except BatchNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except ForwardConfigError as exc:
        raise HTTPException(409, str(exc)) from None
