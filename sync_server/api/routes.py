"""The HTTP endpoints. docs/protocol.md describes them with their guarantees."""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from shared.protocol import (
    PROTOCOL_VERSION,
    SUPPORTED_PROTOCOLS,
    AuditLine,
    MonthClose,
    PushRequest,
)
from shared.sealed_push import UnreadableEntry, open_record
from sync_server.api.deps import Context, CurrentDevice, Protocol, ServerContext, client_address
from sync_server.api.models import (
    AuditUploadModel,
    AuditUploadReplyModel,
    DeviceModel,
    EnrollReplyModel,
    EnrollRequestModel,
    HealthModel,
    MonthCloseModel,
    MonthCloseReplyModel,
    ParticipantRecordsModel,
    PullReplyModel,
    PushReplyModel,
    SealedPushRequestModel,
    WireDay,
    errors,
)
from sync_server.api.push_body import PUSH_REQUEST_BODY, push_request, read_push_body
from sync_server.api.replies import json_reply, reply_json
from sync_server.collector import collector_paused
from sync_server.errors import BatchTooLarge, EnrollmentRefused, SealedUnreadable, ServerRestored
from sync_server.logs import event
from sync_server.months import close_month as close_checked
from sync_server.push import push as push_batch
from sync_server.storage import Device
from sync_server.throttle import Attempt

router = APIRouter()


@router.get("/health", response_model=HealthModel, tags=["service"])
def health() -> dict[str, object]:
    """The server is up and which protocol versions it speaks (no credential needed)."""
    return {
        "status": "ok",
        "protocol": PROTOCOL_VERSION,
        "supported_protocols": sorted(SUPPORTED_PROTOCOLS),
    }


@router.post(
    "/v1/enroll",
    response_model=EnrollReplyModel,
    responses=errors(400, 403, 422, 426, 429),
    tags=["devices"],
)
def enroll(body: EnrollRequestModel, _: Protocol, ctx: Context, request: Request) -> Response:
    """Exchange a one-time enrollment code for this device's own credential.

    Repeated refusals from one address are throttled (429 with Retry-After).
    """
    address = client_address(request)
    ctx.throttle.check(Attempt.ENROLLMENT, address)
    try:
        reply = ctx.storage.enroll(body.code, body.device_name, now=ctx.clock())
    except EnrollmentRefused:
        ctx.throttle.failed(Attempt.ENROLLMENT, address)
        raise
    event("device.enrolled", device=reply.device_id, site=reply.site.id)
    return json_reply(replace(reply, server_key=ctx.sealing.public).to_dict())


@router.get(
    "/v1/device", response_model=DeviceModel, responses=errors(400, 401, 426, 429), tags=["devices"]
)
def whoami(_: Protocol, device: CurrentDevice, ctx: Context) -> dict[str, object]:
    """The device the credential belongs to, and its site."""
    site = ctx.storage.site(device.site_id)
    return {
        "protocol": PROTOCOL_VERSION,
        "device_id": device.id,
        "name": device.name,
        "site": site.to_dict() if site else {"id": device.site_id, "name": device.site_id},
        "enrolled_at": device.enrolled_at,
    }


@router.post(
    "/v1/push",
    response_model=PushReplyModel,
    responses=errors(400, 401, 403, 409, 413, 422, 426, 429),
    tags=["sync"],
    # The body is read first (JSON that does not parse is refused before anything else,
    # as for every route) and validated from its bytes; see push_body.py.
    dependencies=[Depends(read_push_body)],
    openapi_extra=PUSH_REQUEST_BODY,
)
def push(
    _: Protocol,
    device: CurrentDevice,
    ctx: Context,
    body: Annotated[PushRequest, Depends(push_request)],
) -> Response:
    """Store a batch of record versions in one transaction; answer each one.

    ``accepted``: stored. ``duplicate``: this id was stored before, nothing changed.
    ``conflict``: another version already replaced the one it supersedes (or already
    holds the day); ``current`` shows it. ``rejected``: validation found an error.
    A push naming another ``generation`` of the data than the server's is refused
    (409 ``server_restored``) before anything is decided.
    """
    _same_generation(ctx, device, body.generation)
    return _push(ctx, device, body, "sync.push", time.perf_counter())


@router.post(
    "/v1/push-sealed",
    response_model=PushReplyModel,
    responses=errors(400, 401, 403, 409, 413, 422, 426, 429),
    tags=["sync"],
)
def push_sealed(
    body: SealedPushRequestModel, _: Protocol, device: CurrentDevice, ctx: Context
) -> Response:
    """A push from a locked device: each version sealed to the server's key (see
    ``server_key`` in the enrollment and pull replies).

    The server opens every entry, then decides and answers exactly as ``/v1/push``.
    An entry that does not open (changed on the way, sealed for another device or
    id, or to another server key) refuses the whole batch with ``sealed_unreadable``,
    naming the entries; nothing is stored.
    """
    started = time.perf_counter()
    _same_generation(ctx, device, body.generation)
    limit = ctx.config.max_batch_records
    if len(body.entries) > limit:
        raise BatchTooLarge(
            f"A batch may hold at most {limit} records; this one has {len(body.entries)}. "
            "Send smaller batches.",
            {"limit_records": limit, "limit_bytes": ctx.config.max_body_bytes},
        )
    records = []
    unreadable: list[str] = []
    for entry in body.entries:
        try:
            box = base64.b64decode(entry.box, validate=True)
            records.append(open_record(ctx.sealing.private, box, device.id, entry.id))
        except (binascii.Error, ValueError, UnreadableEntry):
            unreadable.append(entry.id)
    if unreadable:
        event("sync.push_sealed_unreadable", device=device.id, entries=len(unreadable))
        raise SealedUnreadable(
            f"{len(unreadable)} sealed record(s) could not be opened: they were changed on "
            "the way, or sealed for another device or to another server key. Nothing in the "
            "batch was stored; the device sends them again unsealed after its next unlock.",
            {"records": unreadable},
        )
    return _push(
        ctx,
        device,
        PushRequest(tuple(records), body.device_time, body.generation),
        "sync.push_sealed",
        started,
    )


def _same_generation(ctx: ServerContext, device: Device, generation: str | None) -> None:
    """Refuse a push decided against data this server no longer holds (generation.py)."""
    if generation is None:
        return  # a device that has not pulled since generations came: nothing to compare
    current = ctx.storage.generation()
    if generation != current:
        event("sync.push_other_generation", device=device.id)
        raise ServerRestored(
            "The server's data was restored from a backup and lacks some of what this "
            "device sent before. Nothing in the batch was stored; the device queues again "
            "what it had sent and sends it with the server's new generation.",
            {"generation": current},
        )


def _push(
    ctx: ServerContext, device: Device, body: PushRequest, name: str, started: float
) -> Response:
    with collector_paused():  # hundreds of records' objects, all short-lived: see collector.py
        reply = push_batch(
            ctx.storage, device, body, now=ctx.clock(), before_commit=ctx.before_commit()
        )
        sent = reply_json(reply)
    counts = {s: 0 for s in ("accepted", "duplicate", "conflict", "rejected")}
    for answer in reply.answers:
        counts[answer.status.value] += 1
    event(
        name,
        device=device.id,
        site=device.site_id,
        records=len(body.records),
        ms=round((time.perf_counter() - started) * 1000, 1),
        clock_flagged=reply.clock_flagged,
        **counts,
    )
    return Response(sent, media_type="application/json")


@router.get(
    "/v1/pull",
    response_model=PullReplyModel,
    responses=errors(400, 401, 404, 426, 429),
    tags=["sync"],
)
def pull(
    _: Protocol,
    device: CurrentDevice,
    ctx: Context,
    cursor: Annotated[
        str | None,
        Query(max_length=200, description="The cursor of the previous pull; none at first."),
    ] = None,
    limit: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> Response:
    """What changed for this device's site since ``cursor``, in the server's order.

    Reference data (participants with a current plan, their plans, the rule sets) comes
    whole whenever any of it changed; records are versions from other devices, paged.
    """
    page = min(limit or ctx.config.pull_page_records, ctx.config.pull_page_records)
    reply = replace(
        ctx.storage.pull(device, cursor, now=ctx.clock(), limit=page),
        server_key=ctx.sealing.public,
    )
    event(
        "sync.pull",
        device=device.id,
        site=device.site_id,
        records=len(reply.records),
        reference=reply.reference is not None,
        more=reply.more,
    )
    return json_reply(reply.to_dict())


@router.post(
    "/v1/months/close",
    response_model=MonthCloseReplyModel,
    responses=errors(400, 401, 403, 422, 426, 429),
    tags=["sync"],
)
def close_month(
    body: MonthCloseModel, _: Protocol, device: CurrentDevice, ctx: Context
) -> dict[str, object]:
    """A supervisor closed a month for the site; repeating it changes nothing.

    Only a month that is over, and only in the name of a supervisor the server knows
    for the site (see sync_server/months.py); an administrator reopens a month.
    """
    close = MonthClose(body.site_id, body.year, body.month, body.closed_by, body.closed_at)
    fresh = close_checked(ctx.storage, device, close, now=ctx.clock())
    event("sync.month_closed", device=device.id, site=device.site_id, fresh=fresh)
    return {
        "protocol": PROTOCOL_VERSION,
        "site_id": close.site_id,
        "year": close.year,
        "month": close.month,
        "status": "closed" if fresh else "already_closed",
    }


@router.get(
    "/v1/participants/{participant_id}/records",
    response_model=ParticipantRecordsModel,
    responses=errors(400, 401, 403, 404, 422, 426, 429),
    tags=["sync"],
)
def participant_records(
    participant_id: str,
    _: Protocol,
    device: CurrentDevice,
    ctx: Context,
    start: WireDay | None = None,
    end: WireDay | None = None,
) -> Response:
    """Every stored version of one participant of this device's site (for a history view)."""
    records = ctx.storage.participant_records(device, participant_id, start, end)
    ctx.storage.log_device_access(
        device.id, device.site_id, "records_read", [participant_id], now=ctx.clock()
    )
    return json_reply(
        {
            "protocol": PROTOCOL_VERSION,
            "participant_id": participant_id,
            "records": [r.to_dict() for r in records],
        }
    )


@router.post(
    "/v1/audit",
    response_model=AuditUploadReplyModel,
    responses=errors(400, 401, 422, 426, 429),
    tags=["sync"],
)
def upload_audit(
    body: AuditUploadModel, _: Protocol, device: CurrentDevice, ctx: Context
) -> dict[str, object]:
    """The device's audit entries (who viewed or changed whose data on it), for the
    server's access log. Sending an entry again keeps one copy (device and ``seq``)."""
    lines = [
        AuditLine(
            e.seq, e.at, e.supervisor_id, e.supervisor_name, e.participant_id, e.action, e.detail
        )
        for e in body.entries
    ]
    stored = ctx.storage.store_audit(device.id, device.site_id, lines)
    event("sync.audit", device=device.id, site=device.site_id, received=len(lines), stored=stored)
    return {"protocol": PROTOCOL_VERSION, "received": len(lines), "stored": stored}
