"""Whether the server can serve: ``/ready`` for a load balancer or systemd's watchers,
and ``/metrics`` for Prometheus.

``/health`` (in ``routes.py``) says the process answers; ``/ready`` says more: the
database answers a query and its schema is the one this code expects (no migration
left to apply), so an instance that cannot work is taken out of rotation instead of
answering every push with an error.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from sync_server.forward.outbox import migrations as forward_migrations
from sync_server.metrics import metrics_response
from sync_server.storage import SqliteStorage
from sync_server.storage.schema import migrations as server_migrations

router = APIRouter(tags=["service"])


@router.get(
    "/ready",
    responses={503: {"description": "The database does not answer, or its schema is behind"}},
)
def ready(request: Request) -> JSONResponse:
    """200 when the database answers and every migration is applied, else 503 and why."""
    storage = request.app.state.lasna.storage
    try:
        pending = _pending_migrations(storage)
    except Exception as exc:  # whatever the engine raises: the answer is "not ready"
        return _not_ready(
            f"The database does not answer ({type(exc).__name__}); check that its file "
            "or server is reachable and that the disk is not full."
        )
    if pending:
        return _not_ready(
            "The database schema is behind this server's code; restart the server to "
            "apply the migrations.",
            pending=pending,
        )
    return JSONResponse({"status": "ready"})


@router.get("/metrics", response_class=Response)
def metrics() -> Response:
    """Prometheus text exposition of this process's counters and latencies."""
    return metrics_response()


def _pending_migrations(storage: Any) -> list[str]:
    db = storage.db
    db.execute("SELECT 1").fetchone()
    if not isinstance(storage, SqliteStorage):
        return []  # another engine keeps its own schema version; it answered the query
    # The forward's tables are the server's too: the app applies both sets at start.
    return [m.name for m in (*server_migrations.pending(db), *forward_migrations.pending(db))]


def _not_ready(reason: str, **fields: Any) -> JSONResponse:
    return JSONResponse({"status": "not_ready", "reason": reason, **fields}, status_code=503)
