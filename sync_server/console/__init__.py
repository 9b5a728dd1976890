"""The county's web console at ``/console/``: accounts, sites, participants, plans, devices.

Server-rendered pages (Jinja2) with forms that work without JavaScript; texts from
the shared gettext catalogues. ``attach`` mounts it on the sync server's app.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from sync_server.api.deps import ServerContext
from sync_server.console import (
    routes_admin,
    routes_auth,
    routes_devices,
    routes_follow,
    routes_people,
    routes_sites,
)
from sync_server.console.accounts import Account, Accounts, Role
from sync_server.console.audit import AccessLog
from sync_server.console.county import County
from sync_server.console.reports import routes as routes_reports
from sync_server.console.web import PREFIX, Console, ConsoleRefusal, refusal_page
from sync_server.logs import event
from sync_server.storage import SqliteStorage

__all__ = ["PREFIX", "Account", "Accounts", "Role", "api_account", "attach"]

STATIC = Path(__file__).resolve().parent / "static"


def attach(app: FastAPI, ctx: ServerContext) -> None:
    """Mount the console on ``app`` (SQLite storage only: its tables live there)."""
    storage = ctx.storage
    if not isinstance(storage, SqliteStorage):
        event("console.unavailable", logging.WARNING, reason="storage is not SQLite")
        return
    app.state.lasna_console = Console(
        ctx, storage, Accounts(storage), AccessLog(storage), County(storage)
    )
    for module in (
        routes_auth,
        routes_sites,
        routes_people,
        routes_devices,
        routes_admin,
        routes_reports,
        routes_follow,
    ):
        app.include_router(module.router, prefix=PREFIX, include_in_schema=False)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="console-static")

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConsoleRefusal)
        return refusal_page(request, exc)

    app.add_exception_handler(ConsoleRefusal, refused)


def api_account(storage: SqliteStorage, bearer: str, now: datetime) -> Account | None:
    """The account an ``Authorization: Bearer`` API token belongs to, for scripts."""
    token = bearer.removeprefix("Bearer ").strip()
    if not token:
        return None
    return Accounts(storage).by_api_token(token, now)
