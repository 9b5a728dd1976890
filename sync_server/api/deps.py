"""What every request needs: the server's context, the protocol check, the device."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.errors import RejectedInput
from shared.protocol import (
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SUPPORTED_PROTOCOLS,
    ProtocolError,
    UnsupportedProtocol,
    check_protocol,
)
from sync_server.config import ServerConfig
from sync_server.errors import NotAuthenticated, ProtocolMissing, ProtocolUnsupported
from sync_server.sealing import SealingKey
from sync_server.storage import Device, Storage
from sync_server.throttle import Attempt, FailureThrottle

FAULT_HOLD_SECONDS = 60.0


@dataclass(frozen=True)
class ServerContext:
    storage: Storage
    config: ServerConfig
    clock: Callable[[], datetime]
    sealing: SealingKey
    throttle: FailureThrottle = field(init=False)

    def __post_init__(self) -> None:
        # One throttle per served app: its counts live as long as the process.
        throttle = FailureThrottle(
            self.config.enroll_failure_limit, self.config.credential_failure_limit
        )
        object.__setattr__(self, "throttle", throttle)

    def before_commit(self) -> Callable[[], None] | None:
        """The fault-injection pause (tests only; see docs/admin.md), else None."""
        marker = self.config.fault_push_hold
        if marker is None:
            return None
        return lambda: _hold(marker)


def _hold(marker: Path) -> None:
    # Inside the open push transaction: the test kills the process while we wait here.
    marker.write_text("holding\n")
    time.sleep(FAULT_HOLD_SECONDS)


def context(request: Request) -> ServerContext:
    ctx: ServerContext = request.app.state.lasna
    return ctx


def protocol_version(
    lasna_protocol: Annotated[
        str | None,
        Header(
            alias=PROTOCOL_HEADER,
            description=f"The sync protocol version the device speaks (now {PROTOCOL_VERSION}).",
            examples=[str(PROTOCOL_VERSION)],
        ),
    ] = None,
) -> int:
    try:
        return check_protocol(lasna_protocol)
    except UnsupportedProtocol as exc:
        supported = sorted(SUPPORTED_PROTOCOLS)
        raise ProtocolUnsupported(
            str(exc), {"supported": supported, "requested": exc.version}
        ) from None
    except ProtocolError as exc:
        raise ProtocolMissing(str(exc)) from None


_bearer = HTTPBearer(auto_error=False, description="The device credential from enrollment.")


def current_device(
    request: Request,
    ctx: Annotated[ServerContext, Depends(context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Device:
    if credentials is None or not credentials.credentials:
        raise NotAuthenticated(
            "This request needs the device's credential (Authorization: Bearer …). Enroll the "
            "device with a code from the administrator."
        )
    address = client_address(request)
    ctx.throttle.check(Attempt.CREDENTIAL, address)
    try:
        device = ctx.storage.authenticate(credentials.credentials, now=ctx.clock())
    except (RejectedInput, ValueError):
        device = None
    if device is None:
        ctx.throttle.failed(Attempt.CREDENTIAL, address)
        raise NotAuthenticated(
            "The server does not accept this device's credential: it is unknown or the device "
            "was revoked. Enroll the device again with a new code from the administrator."
        )
    request.state.device = device
    return device


def client_address(request: Request) -> str:
    """The address failures are counted by (behind a proxy: see docs/admin.md)."""
    return request.client.host if request.client else "unknown"


Protocol = Annotated[int, Depends(protocol_version)]
CurrentDevice = Annotated[Device, Depends(current_device)]
Context = Annotated[ServerContext, Depends(context)]
