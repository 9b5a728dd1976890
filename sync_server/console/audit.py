"""The access log: every page about a participant a person opens, every change, every
report that names them, and what devices read and wrote (asiakastietolaki 703/2023).

A participant may ask who has processed their data, when and through what; the county
answers from these lines (the *Käyttöloki* page and its PDF). A line names the actor
(a console account, or a device and its supervisor), the time, the action and how the
data was reached (``via``), never the data itself. The rows are kept by the server's
storage (:mod:`sync_server.storage.access`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sync_server.storage.access import (
    VIA_API,
    VIA_CONSOLE,
    VIA_DEVICE,
    VIA_REPORT,
    VIAS,
    AccessMixin,
    AccessRow,
)

__all__ = ["VIAS", "VIA_API", "VIA_CONSOLE", "VIA_DEVICE", "VIA_REPORT", "AccessLog", "log_access"]


def log_access(
    storage: AccessMixin,
    actor: str,
    participant_id: str | None,
    what: str,
    via: str,
    now: datetime,
    *,
    site_id: str | None = None,
    detail: str = "",
) -> None:
    """One access-log line: ``actor`` (a console account's user name) did ``what`` to
    the participant's data through ``via`` (``"console"``, ``"report"``…) at ``now``.

    A report that names participants calls this once per participant it names, for
    example ``log_access(storage, "maija", pid, "report_tt3", VIA_REPORT, now,
    detail="TT3 1.–15.3.2026")``.
    """
    if via not in VIAS:
        raise ValueError(f"'via' must be one of {', '.join(VIAS)}, not {via!r}.")
    storage.log_access_rows(
        [AccessRow(now, actor, what, via, participant_id, site_id, detail=detail)]
    )


class AccessLog:
    def __init__(self, storage: AccessMixin) -> None:
        self.storage = storage

    def write(
        self,
        account: str,
        action: str,
        *,
        now: datetime,
        participant_id: str | None = None,
        site_id: str | None = None,
        detail: str = "",
        via: str = VIA_CONSOLE,
    ) -> None:
        log_access(
            self.storage, account, participant_id, action, via, now, site_id=site_id, detail=detail
        )

    def lines(
        self,
        *,
        participant_id: str | None = None,
        account: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 200,
    ) -> list[dict[str, Any]]:
        return self.storage.access_lines(
            participant_id=participant_id, account=account, start=start, end=end, limit=limit
        )
