"""The clock as a parameter: the app reads time only through a ``Clock``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real, aware current instant (the one place the app reads the wall clock)."""
    return datetime.now(UTC)
