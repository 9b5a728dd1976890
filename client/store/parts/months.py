"""Closed months: later changes to them are flagged to the coordinator."""

from __future__ import annotations

from datetime import datetime

from .. import audit
from ..errors import StoreError, StoreProblem
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
                code=StoreProblem.MONTH_INVALID,
                params={"month": month},
            )
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
    def closed_months(self) -> set[tuple[int, int]]:
        return {(y, m) for y, m in self._db.conn.execute("SELECT year, month FROM closed_months")}
