"""Times as a supervisor types them: "8.00", "8:00", "8" and hours as "4,5"."""

from __future__ import annotations

from datetime import time

from client.app.state.errors import InputProblem


def parse_times(start: str, end: str, hours: str) -> tuple[time | None, time | None, int | None]:
    """ "8.00"/"8:00"/"8" and "14.30", or hours "4,5": what a supervisor types."""
    start, end, hours = start.strip(), end.strip(), hours.strip()
    if start or end:
        return _clock(start), _clock(end), None
    if hours:
        try:
            value = float(hours.replace(",", "."))
        except ValueError:
            raise InputProblem("times.bad") from None
        if not 0 < value <= 24:
            raise InputProblem("times.bad")
        return None, None, round(value * 60)
    raise InputProblem("times.bad")


def _clock(text: str) -> time:
    cleaned = text.replace(":", ".")
    hour_text, _, minute_text = cleaned.partition(".")
    try:
        hour, minute = int(hour_text), int(minute_text or "0")
        return time(hour, minute)
    except ValueError:
        raise InputProblem("times.bad") from None
