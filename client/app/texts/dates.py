"""Dates, times, weekdays and months as they are written in Finland, in fi/sv/en.

Dates are d.M.yyyy in every language, times H.MM in Helsinki time, weeks ISO weeks.
Names of days and months come from CLDR through Babel (:mod:`shared.i18n`).
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton

from shared.calendar import HELSINKI
from shared.i18n import DEFAULT_LANGUAGE, day_name
from shared.i18n import month_name as _month_name
from shared.messages import format_hours

__all__ = [
    "DEFAULT_LANGUAGE",
    "fmt_date",
    "fmt_datetime",
    "fmt_hours",
    "fmt_moment",
    "fmt_short_date",
    "fmt_time",
    "month_name",
    "weekday_name",
    "weekday_short",
]


def fmt_date(day: date) -> str:
    """d.M.yyyy, as dates are written in Finland (also in Swedish and English here)."""
    return f"{day.day}.{day.month}.{day.year}"


def fmt_short_date(day: date) -> str:
    return f"{day.day}.{day.month}."


def fmt_time(moment: datetime) -> str:
    """Wall-clock time in Finland, H.MM as Finns write it."""
    local = moment.astimezone(HELSINKI)
    return f"{local.hour}.{local.minute:02d}"


def fmt_datetime(moment: datetime) -> str:
    local = moment.astimezone(HELSINKI)
    return f"{fmt_date(local.date())} {fmt_time(moment)}"


def fmt_moment(moment: datetime, lang: str, *, year: bool = False) -> tuple[str, str]:
    """The day and the time of ``moment`` in Helsinki, as CLDR writes them in ``lang``:
    ("1.12.", "9.14"), ("1 dec.", "09:14"), ("Dec 1", "09:14"); a 24-hour clock in every
    language. ``year`` adds the year, for a moment not in the year it is read in."""
    local = moment.astimezone(HELSINKI)
    day = format_skeleton("yMMMd" if year else "MMMd", local, locale=lang)
    return day, format_skeleton("Hm", local, locale=lang)


def fmt_hours(minutes: int, lang: str) -> str:
    return format_hours(minutes, lang)


def weekday_name(day: date, lang: str) -> str:
    """ "Maanantai", "Måndag", "Monday": a heading, so capitalised in every language."""
    name = day_name(day.isoweekday(), lang)
    return name[:1].upper() + name[1:]


def weekday_short(iso_weekday: int, lang: str) -> str:
    """ "ma", "mån", "Mon"."""
    return day_name(iso_weekday, lang, short=True)


def month_name(year: int, month: int, lang: str) -> str:
    """ "Joulukuu 2026", "December 2026"."""
    name = _month_name(month, lang)
    return f"{name[:1].upper()}{name[1:]} {year}"
