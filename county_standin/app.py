"""The stand-in's HTTP face: ``POST /batches`` like a county endpoint, plus inspection."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import jsonschema_rs
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic_core import from_json

from county_standin.faults import Faults
from county_standin.settings import StandinSettings
from county_standin.store import Conflict, CountyStore
from county_standin.verify import signature_ok
from sync_server.collector import collector_paused
from sync_server.forward.contract import schema

FORMAT = "lasna.county-batch/1"


def create_app(settings: StandinSettings) -> FastAPI:
    store = CountyStore(settings.db_path)
    faults = Faults(settings.mode)
    validator = jsonschema_rs.validator_for(schema())
    app = FastAPI(title="County stand-in (demo)", docs_url=None, redoc_url=None)
    app.state.store = store
    app.state.faults = faults

    @app.post("/batches")
    async def receive(request: Request) -> JSONResponse:
        body = await request.body()
        key = request.headers.get("Idempotency-Key")
        batch_header = request.headers.get("X-Lasna-Batch-Id")
        decision = faults.decide()
        if decision.status is not None:
            store.log_delivery(f"fault {decision.status}", batch_header, key)
            return JSONResponse(
                {"detail": "The county system is unavailable."}, status_code=decision.status
            )
        if not signature_ok(
            body,
            request.headers.get("X-Lasna-Signature"),
            request.headers.get("X-Lasna-Key-Id"),
            settings.keys,
        ):
            store.log_delivery("bad signature", batch_header, key)
            return JSONResponse(
                {"detail": "The signature does not match the body for this key id."},
                status_code=401,
            )
        with collector_paused():
            response = await accept(body, key, batch_header)
        if decision.delay and response.status_code == 200:
            await asyncio.sleep(decision.delay)
        return response

    async def accept(body: bytes, key: str | None, batch_header: str | None) -> JSONResponse:
        try:
            # pydantic-core's parser (FastAPI's own): batches are megabytes of JSON.
            document = from_json(body)
        except ValueError:
            store.log_delivery("not json", batch_header, key)
            return JSONResponse({"detail": "The body is not JSON."}, status_code=400)
        # is_valid first: a valid batch (the usual case) is walked once, without errors.
        errors = (
            []
            if validator.is_valid(document)
            else [str(e) for e in validator.iter_errors(document)]
        )[:5]
        if errors:
            store.log_delivery("schema", batch_header, key)
            return JSONResponse(
                {"detail": f"The batch does not match {FORMAT}.", "errors": errors},
                status_code=422,
            )
        if key != document["idempotency_key"] or batch_header != document["batch_id"]:
            store.log_delivery("header mismatch", batch_header, key)
            return JSONResponse(
                {"detail": "The Idempotency-Key and X-Lasna-Batch-Id headers must match the body."},
                status_code=400,
            )
        try:
            receipt = await asyncio.to_thread(store.receive, body, document)
        except Conflict as exc:
            store.log_delivery("conflict", batch_header, key)
            return JSONResponse({"detail": str(exc)}, status_code=409)
        store.log_delivery(receipt["status"], batch_header, key)
        return JSONResponse(receipt, status_code=200)

    @app.get("/batches/by-key/{key}")
    def lookup(key: str, request: Request) -> JSONResponse:
        """What a sender asks after a send that got no answer: did you store it?

        Signed like a batch, over the key's UTF-8 bytes; the stored receipt or 404.
        """
        decision = faults.decide()
        if decision.status is not None:
            store.log_delivery(f"lookup fault {decision.status}", None, key)
            return JSONResponse(
                {"detail": "The county system is unavailable."}, status_code=decision.status
            )
        if not signature_ok(
            key.encode("utf-8"),
            request.headers.get("X-Lasna-Signature"),
            request.headers.get("X-Lasna-Key-Id"),
            settings.keys,
        ):
            store.log_delivery("lookup bad signature", None, key)
            return JSONResponse(
                {"detail": "The signature does not match the key for this key id."},
                status_code=401,
            )
        receipt = store.receipt_by_key(key)
        store.log_delivery("lookup found" if receipt else "lookup not found", None, key)
        if receipt is None:
            return JSONResponse({"detail": "No batch with this idempotency key."}, 404)
        return JSONResponse(receipt)

    @app.get("/batches")
    def batches() -> list[dict[str, Any]]:
        return store.batches()

    @app.get("/batches/{batch_id}")
    def batch(batch_id: str) -> JSONResponse:
        body = store.batch_body(batch_id)
        if body is None:
            raise HTTPException(404, "No such batch.")
        return JSONResponse(json.loads(body))

    @app.get("/totals")
    def totals() -> list[dict[str, Any]]:
        return store.totals_report()

    @app.get("/tables/{name}")
    def table(name: str) -> list[dict[str, Any]]:
        try:
            return store.rows(name)
        except ValueError:
            raise HTTPException(404, "No such table.") from None

    @app.get("/admin/mode")
    def get_mode() -> dict[str, object]:
        return faults.describe()

    @app.post("/admin/mode")
    def set_mode(payload: dict[str, str]) -> dict[str, object]:
        try:
            faults.set(payload.get("mode", "ok"))
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
        return faults.describe()

    return app
