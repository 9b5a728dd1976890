"""Finnish calendar facts: ISO weeks, public holidays, the Finnish date of an instant.

Holidays come from the maintained ``holidays`` package (it also marks Midsummer Eve
and Christmas Eve), never from a hand-written list.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

HELSINKI = ZoneInfo("Europe/Helsinki")
_HOLIDAY_LANGUAGE = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


def iso_week(day: date) -> tuple[int, int]:
    """(ISO year, ISO week): 28.12.2026–3.1.2027 is one week, (2026, 53)."""
    year, week, _ = day.isocalendar()
    return year, week


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of ``day``'s ISO week."""
    monday = day - timedelta(days=day.isoweekday() - 1)
    return monday, monday + timedelta(days=6)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def month_is_over(year: int, month: int, today: date) -> bool:
    """True once the month's last day has passed (``today`` in Helsinki): it may be closed."""
    return month_bounds(year, month)[1] < today


@cache
def _holidays(year: int, lang: str) -> Any:
    return holidays.country_holidays("FI", years=year, language=_HOLIDAY_LANGUAGE[lang])


def finnish_holiday(day: date, lang: str = "fi") -> str | None:
    """The name of the Finnish public holiday on ``day`` in ``lang``, or None."""
    name = _holidays(day.year, lang if lang in _HOLIDAY_LANGUAGE else "fi").get(day)
    return str(name) if name else None


def helsinki_today(now: datetime) -> date:
    """The date in Finland at the aware instant ``now``."""
    if now.tzinfo is None:
        raise ValueError("helsinki_today needs an aware datetime (with a time zone).")
    return now.astimezone(HELSINKI).date()


def format_date_fi(day: date) -> str:
    """Dates as written in Finland: d.M.yyyy (no leading zeros)."""
    return f"{day.day}.{day.month}.{day.year}"
