"""The push request's body, validated once straight from its JSON bytes.

FastAPI would decode the JSON into Python objects and validate those; pydantic can
validate the bytes directly, in about half the time, and a push carries hundreds of
records. Refusals stay exactly FastAPI's: whenever the fast path does not accept a
body, it is taken again the way FastAPI takes a body, so the error, its location and
when it is raised do not change. JSON that does not parse is refused before the
protocol header and the credential are looked at; a body of the wrong shape after.
"""

from __future__ import annotations

import email.message
import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError

from shared.errors import RecordError
from shared.protocol import PushRequest
from shared.records import DayRecord
from sync_server.api.deps import Context
from sync_server.api.models import PushRequestModel, WireRecord
from sync_server.collector import collector_paused
from sync_server.errors import BatchTooLarge, MalformedBody

_ADAPTER = TypeAdapter(PushRequestModel)
# The request body as the OpenAPI shows it (the route reads the body itself).
PUSH_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    key: value
                    for key, value in PushRequestModel.model_json_schema(
                        ref_template="#/components/schemas/{model}"
                    ).items()
                    if key != "$defs"
                }
            }
        },
    }
}


@dataclass(frozen=True, slots=True)
class ReadBody:
    """A push body as read: the request, or the refusal to raise once the device is known."""

    request: PushRequestModel | None
    refusal: RequestValidationError | None


async def read_push_body(request: Request) -> ReadBody:
    raw = await request.body()
    content_type = request.headers.get("content-type")
    if raw and content_type and _is_json(content_type):
        try:
            with collector_paused():  # a model and dicts per record: see collector.py
                return ReadBody(PushRequestModel.model_validate_json(raw), None)
        except ValidationError:
            pass  # FastAPI's way below gives FastAPI's refusal
    return _as_fastapi_reads(raw, content_type)


def push_request(read: Annotated[ReadBody, Depends(read_push_body)], ctx: Context) -> PushRequest:
    """The request in the protocol's own types; a refused body is raised here, after the
    device's checks, and a batch over the limit before any of its records is looked at."""
    if read.refusal is not None:
        raise read.refusal
    body = read.request
    assert body is not None
    limit = ctx.config.max_batch_records
    if len(body.records) > limit:
        raise BatchTooLarge(
            f"A batch may hold at most {limit} records; this one has {len(body.records)}. "
            "Send smaller batches.",
            {"limit_records": limit, "limit_bytes": ctx.config.max_body_bytes},
        )
    with collector_paused():  # a record per model, all short-lived: see collector.py
        return PushRequest(
            tuple(_record(i, r) for i, r in enumerate(body.records)),
            body.device_time,
            body.generation,
        )


def _record(index: int, model: WireRecord) -> DayRecord:
    try:
        return model.to_record()
    except RecordError as exc:
        raise MalformedBody(
            f"Record {index + 1} of the batch is malformed: {exc} Nothing was stored.",
            {"index": index},
        ) from None


def _as_fastapi_reads(raw: bytes, content_type: str | None) -> ReadBody:
    """What FastAPI makes of a body for a route that takes a ``PushRequestModel``."""
    if not raw:
        missing = {"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}
        return ReadBody(None, RequestValidationError([missing]))
    value: Any = raw  # not declared as JSON: validated as the bytes it is (and refused)
    if content_type and _is_json(content_type):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            invalid = {
                "type": "json_invalid",
                "loc": ("body", exc.pos),
                "msg": "JSON decode error",
                "input": {},
                "ctx": {"error": exc.msg},
            }
            raise RequestValidationError([invalid], body=exc.doc) from exc
        except Exception as exc:
            raise HTTPException(
                status_code=400, detail="There was an error parsing the body"
            ) from exc
    try:
        return ReadBody(_ADAPTER.validate_python(value, from_attributes=True), None)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        return ReadBody(None, RequestValidationError(errors, body=value))


def _is_json(content_type: str) -> bool:
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")
