"""The access log: every page about a participant a person opens, and every change.

Asiakastietolaki 703/2023 lets a participant ask who has processed their data, when
and why; the county answers from these lines. A line names the account, the time,
the action and the participant or site, never the data itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sync_server.storage.connection import StorageBase, iso


class AccessLog:
    def __init__(self, storage: StorageBase) -> None:
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
    ) -> None:
        with self.storage.write() as db:
            db.execute(
                "INSERT INTO console_access_log (at, account, action, participant_id, site_id, "
                "detail) VALUES (?, ?, ?, ?, ?, ?)",
                [iso(now), account, action, participant_id, site_id, detail[:500]],
            )

    def lines(
        self, *, participant_id: str | None = None, account: str | None = None, limit: int = 200
    ) -> list[dict[str, Any]]:
        where, params = [], []
        if participant_id:
            where.append("participant_id = ?")
            params.append(participant_id)
        if account:
            where.append("account = ?")
            params.append(account)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return self.storage.rows(
            f"SELECT * FROM console_access_log {clause} ORDER BY id DESC LIMIT ?",
            [*params, limit],
        )
