"""The range of dates and times the protocol and the stores accept.

Python's dates run from year 1 to 9999, but a day at either end cannot be moved by a
week, and an instant at either end cannot always be converted to UTC: week windows,
``astimezone`` and ISO text would raise ``OverflowError`` deep inside. Attendance is
recorded for this century, so every day must lie in [EARLIEST_DAY, LATEST_DAY] and
every instant, once in UTC, on one of those days. The server's wire models, the
protocol's parsing and the device's store all ask these functions, so they refuse
the same values with the same sentence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
EARLIEST_INSTANT = datetime(2000, 1, 1, tzinfo=UTC)
AFTER_LATEST_INSTANT = datetime(2101, 1, 1, tzinfo=UTC)  # the first instant outside
RANGE_TEXT = f"from {EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}"


def day_rule(name: str) -> str:
    """The sentence that states the range of the day in field ``name``."""
    return f"Field '{name}' must be a day {RANGE_TEXT}."


def instant_rule(name: str) -> str:
    """The sentence that states the range of the date and time in field ``name``."""
    return f"Field '{name}' must be a date and time {RANGE_TEXT} (in UTC)."


def day_problem(value: date, name: str) -> str | None:
    """Why ``value`` cannot be the day in field ``name``, or None when it can."""
    if EARLIEST_DAY <= value <= LATEST_DAY:
        return None
    return f"{day_rule(name)} {value.isoformat()} is outside that range."


def instant_problem(value: datetime, name: str) -> str | None:
    """Why ``value`` cannot be the date and time in field ``name``, or None when it can.

    ``value`` must be aware; comparing aware datetimes never converts them, so this
    is safe for the values whose conversion to UTC would overflow.
    """
    if EARLIEST_INSTANT <= value < AFTER_LATEST_INSTANT:
        return None
    return f"{instant_rule(name)} {value.isoformat()} is outside that range."


def year_problem(value: int, name: str) -> str | None:
    """Why ``value`` cannot be the year in field ``name``, or None when it can."""
    if EARLIEST_DAY.year <= value <= LATEST_DAY.year:
        return None
    return (
        f"Field '{name}' must be a year from {EARLIEST_DAY.year} to {LATEST_DAY.year}; "
        f"{value} is outside that range."
    )


# Free text in a day record, in characters (code points, as the server's schema counts
# them). The server refuses a push with a longer text as malformed, so the device
# refuses it at the save: a record the server would refuse must never wait in an outbox.
NOTE_MAX_CHARS = 1000
CORRECTION_REASON_MAX_CHARS = 500


def text_problem(value: str | None, name: str, limit: int) -> str | None:
    """Why ``value`` cannot be the text in field ``name``, or None when it can."""
    if value is None or len(value) <= limit:
        return None
    return f"Field '{name}' may hold at most {limit} characters; this one has {len(value)}."
