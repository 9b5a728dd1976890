"""The access log's rows (asiakastietolaki 703/2023, 11 §): who processed whose data.

One table, ``console_access_log``, answers for everyone who reaches a participant's
data: console accounts (pages, changes), reports that name the participant, devices
(pushes, pulls, reads: the device is the actor, one row per participant per request)
and the supervisors on a device (its own audit entries, uploaded with sync). A row
names the actor, the time, what was done and how (``via``), never the data itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.protocol import AuditLine
from sync_server.storage.connection import SqliteBase, iso

# How the data was reached: the console's pages, a report, the device API, or a
# supervisor on a device (the device's audit log).
VIA_CONSOLE = "console"
VIA_REPORT = "report"
VIA_API = "api"
VIA_DEVICE = "device"
VIAS = (VIA_CONSOLE, VIA_REPORT, VIA_API, VIA_DEVICE)


@dataclass(frozen=True, slots=True)
class AccessRow:
    at: datetime
    account: str  # a console account's user name; "" when a device acted
    action: str
    via: str = VIA_CONSOLE
    participant_id: str | None = None
    site_id: str | None = None
    device_id: str | None = None
    supervisor: str | None = None
    detail: str = ""
    device_seq: int | None = None


class AccessMixin(SqliteBase):
    def log_access_rows(self, rows: Iterable[AccessRow]) -> None:
        """Write the rows; inside an open write transaction (a push's) they ride it."""
        values = [
            (
                iso(r.at),
                r.account,
                r.action,
                r.via,
                r.participant_id,
                r.site_id,
                r.device_id,
                r.supervisor,
                r.detail[:500],
                r.device_seq,
            )
            for r in rows
        ]
        if not values:
            return
        with self.write() as db:
            db.conn.executemany(
                # OR IGNORE: a device's audit entry sent again is kept once.
                "INSERT OR IGNORE INTO console_access_log (at, account, action, via, "
                "participant_id, site_id, device_id, supervisor, detail, device_seq) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )

    def log_device_access(
        self,
        device_id: str,
        site_id: str,
        action: str,
        participant_ids: Iterable[str],
        *,
        now: datetime,
        detail: str = "",
    ) -> None:
        """One row per participant a device request read or wrote (the device acts)."""
        self.log_access_rows(
            AccessRow(now, "", action, VIA_API, pid, site_id, device_id, None, detail)
            for pid in sorted(set(participant_ids))
        )

    def store_audit(self, device_id: str, site_id: str, lines: Sequence[AuditLine]) -> int:
        """A device's audit entries into the access log; the number new to the server."""
        before = self._audit_count(device_id)
        self.log_access_rows(
            AccessRow(
                line.at,
                "",
                line.action,
                VIA_DEVICE,
                line.participant_id,
                site_id,
                device_id,
                line.supervisor_name or line.supervisor_id,
                line.detail,
                line.seq,
            )
            for line in lines
        )
        return self._audit_count(device_id) - before

    def _audit_count(self, device_id: str) -> int:
        return int(
            self.db.execute(
                "SELECT COUNT(*) FROM console_access_log WHERE device_id = ? "
                "AND device_seq IS NOT NULL",
                [device_id],
            ).fetchone()[0]
        )

    def access_lines(
        self,
        *,
        participant_id: str | None = None,
        account: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 200,
    ) -> list[dict[str, Any]]:
        """Rows, newest first, with the device's name where a device acted."""
        where, params = [], []
        if participant_id:
            where.append("l.participant_id = ?")
            params.append(participant_id)
        if account:
            where.append("l.account = ?")
            params.append(account)
        if start is not None:
            where.append("l.at >= ?")
            params.append(iso(start))
        if end is not None:
            where.append("l.at < ?")
            params.append(iso(end))
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return self.rows(
            "SELECT l.*, d.name AS device_name FROM console_access_log l "
            f"LEFT JOIN devices d ON d.id = l.device_id {clause} ORDER BY l.at DESC, l.id DESC "
            "LIMIT ?",
            [*params, limit],
        )
