"""Dates, times, weekdays and months as they are written in Finland, in fi/sv/en.

Dates are d.M.yyyy in every language, times H.MM in Helsinki time, weeks ISO weeks.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from shared.calendar import HELSINKI
from shared.messages import WEEKDAYS, format_hours

DEFAULT_LANGUAGE = "fi"

MONTHS: Mapping[str, tuple[str, ...]] = {
    "fi": (
        "tammikuu",
        "helmikuu",
        "maaliskuu",
        "huhtikuu",
        "toukokuu",
        "kesäkuu",
        "heinäkuu",
        "elokuu",
        "syyskuu",
        "lokakuu",
        "marraskuu",
        "joulukuu",
    ),
    "sv": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

WEEKDAYS_SHORT: Mapping[str, tuple[str, ...]] = {
    "fi": ("ma", "ti", "ke", "to", "pe", "la", "su"),
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


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


def fmt_hours(minutes: int, lang: str) -> str:
    return format_hours(minutes, lang)


def weekday_name(day: date, lang: str) -> str:
    name = WEEKDAYS.get(lang, WEEKDAYS[DEFAULT_LANGUAGE])[day.isoweekday() - 1]
    return name[:1].upper() + name[1:]


def weekday_short(iso_weekday: int, lang: str) -> str:
    return WEEKDAYS_SHORT.get(lang, WEEKDAYS_SHORT[DEFAULT_LANGUAGE])[iso_weekday - 1]


def month_name(year: int, month: int, lang: str) -> str:
    name = MONTHS.get(lang, MONTHS[DEFAULT_LANGUAGE])[month - 1]
    return f"{name[:1].upper()}{name[1:]} {year}"
