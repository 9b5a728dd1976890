"""Closed months: later changes to them are flagged to the coordinator."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from shared.error_codes import ErrorCode

from .. import audit, versions
from ..errors import StoreError
from .base import StoreBase, synchronised


class MonthsPart(StoreBase):
    """The months this site has closed."""

    @synchronised
    def close_month(self, year: int, month: int, *, now: datetime) -> None:
        """Close a month for the site: later changes to it are flagged to the coordinator."""
        session = self._unlocked(now)
        if not 1 <= month <= 12:
            raise StoreError(
                f"There is no month {month}: months are 1–12.",
                code=ErrorCode.MONTH_INVALID,
                params={"month": month},
            )
        versions.check_year(year)
        with self._db.atomic():
            self._db.conn.execute(
                "INSERT OR IGNORE INTO closed_months (year, month, closed_at, closed_by) "
                "VALUES (?, ?, ?, ?)",
                [year, month, now.isoformat(), session.supervisor_id],
            )
            audit.write(
                self._db,
                self._actor(session, now),
                audit.CLOSE_MONTH,
                [(None, f"{year}-{month:02d}")],
            )

    @synchronised
    def follow_closed_months(
        self,
        closed: Sequence[tuple[int, int, str, datetime]],
        reopened: Iterable[tuple[int, int]],
    ) -> None:
        """The site's closes from the server: (year, month, closed_by, closed_at) to add,
        and (year, month) an administrator opened again, to remove."""
        with self._db.atomic():
            self._db.conn.executemany(
                "INSERT OR IGNORE INTO closed_months (year, month, closed_at, closed_by) "
                "VALUES (?, ?, ?, ?)",
                [(y, m, at.isoformat(), by) for y, m, by, at in closed],
            )
            self._db.conn.executemany(
                "DELETE FROM closed_months WHERE year = ? AND month = ?", list(reopened)
            )

    @synchronised
    def closed_months(self) -> set[tuple[int, int]]:
        return {(y, m) for y, m in self._db.conn.execute("SELECT year, month FROM closed_months")}
