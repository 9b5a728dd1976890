"""The FastAPI application: routes, refusals as JSON, limits, the protocol header, logs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.error_codes import ErrorCode
from shared.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, ErrorReply
from sync_server import console
from sync_server.api import health
from sync_server.api.deps import ServerContext
from sync_server.api.models import problem_text
from sync_server.api.routes import router
from sync_server.config import ServerConfig
from sync_server.errors import Refused, TooManyFailures
from sync_server.forward import app as forward
from sync_server.forward.source import ForwardStorage
from sync_server.logs import event
from sync_server.metrics import RequestMetrics
from sync_server.opening import open_storage
from sync_server.sealing import SealingKey, key_path
from sync_server.storage import Storage

# Swagger UI and ReDoc load their scripts from here, not from a CDN: a county's
# server often has no way out to the internet, and /docs must still work there.
DOCS_ASSETS_URL = "/docs-assets"


class ServedStorage(Storage, ForwardStorage, Protocol):
    """What the running server needs of its storage: the API's and the forward's parts."""


def create_app(
    config: ServerConfig,
    storage: ServedStorage | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """The server as an ASGI app; opens the configured storage when not given."""
    store: ServedStorage = storage or open_storage(config, create=True)
    app = FastAPIOffline(
        static_url=DOCS_ASSETS_URL,
        title="Läsnä sync server",
        version=f"protocol {PROTOCOL_VERSION}",
        description=(
            "Devices push record versions and pull their site's plans, participants and "
            f"records. Every request carries the '{PROTOCOL_HEADER}' header; see "
            "docs/protocol.md."
        ),
    )
    sealing = SealingKey.load_or_create(key_path(config.db_path))
    app.state.lasna = ServerContext(store, config, clock or (lambda: datetime.now(UTC)), sealing)
    app.include_router(router)
    app.include_router(health.router)
    console.attach(app, app.state.lasna)
    _install_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=config.max_body_bytes)
    app.add_middleware(ProtocolAndLog)
    app.add_middleware(RequestMetrics)
    forward.attach(app, store, config)
    if config.fault_push_hold is not None:
        event("fault_injection.enabled", logging.WARNING, hook="push_hold")
    return app


def _error(
    status: int, code: ErrorCode, message: str, details: dict[str, Any] | None = None
) -> JSONResponse:
    return JSONResponse(ErrorReply(code, message, details or {}).to_dict(), status_code=status)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(Refused)
    async def refused(_: Request, exc: Refused) -> JSONResponse:
        reply = _error(exc.status, exc.code, exc.message, exc.details)
        if isinstance(exc, TooManyFailures):
            reply.headers["Retry-After"] = str(exc.retry_after)
        return reply

    @app.exception_handler(RequestValidationError)
    async def malformed(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Locations and reasons only: the offending input may be personal data.
        located = [([str(p) for p in e.get("loc", ())], problem_text(e)) for e in exc.errors()[:20]]
        problems = [{"loc": loc, "msg": msg} for loc, msg in located]
        where = "; ".join(f"{'.'.join(loc)}: {msg.rstrip('.')}" for loc, msg in located[:3])
        in_body = any(loc[:1] == ["body"] for loc, _ in located)
        return _error(
            422,
            ErrorCode.MALFORMED_BODY if in_body else ErrorCode.MALFORMED_REQUEST,
            f"The request does not have the protocol's shape ({where}). Nothing was stored.",
            {"problems": problems},
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc, BodyTooLarge):
            return _error(413, ErrorCode.BATCH_TOO_LARGE, exc.detail, {"limit_bytes": exc.limit})
        codes = {404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED}
        code = codes.get(exc.status_code, ErrorCode.HTTP_ERROR)
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        event("server.error", logging.ERROR, exception=type(exc).__name__)
        return _error(
            500, ErrorCode.INTERNAL, "The server failed to handle the request; try again later."
        )


class ProtocolAndLog:
    """Adds the protocol header to every reply and logs each request (route templates only)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_header(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((PROTOCOL_HEADER.lower().encode(), str(PROTOCOL_VERSION).encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_header)
        finally:
            route = scope.get("route")
            state = scope.get("state") or {}
            device = state.get("device") if isinstance(state, dict) else None
            event(
                "http.request",
                method=scope.get("method"),
                route=getattr(route, "path", "(unmatched)"),
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
                device=getattr(device, "id", None),
            )


class BodyLimit:
    """413 before reading a body larger than the limit (announced or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        announced = headers.get(b"content-length")
        if announced is not None and announced.isdigit() and int(announced) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, send: Send) -> None:
        exc = BodyTooLarge(self.max_bytes)
        body = _error(413, ErrorCode.BATCH_TOO_LARGE, exc.detail, {"limit_bytes": self.max_bytes})
        await body({"type": "http", "headers": []}, _no_receive, send)


class BodyTooLarge(StarletteHTTPException):
    """Raised while reading a streamed body that outgrows the limit (FastAPI passes it on)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"The request body is larger than the server accepts ({limit} bytes). "
            "Send smaller batches.",
        )
        self.limit = limit


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
