"""What the forward reads from the server's storage: a narrow, read-only interface."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Any, Protocol

from shared import DayRecord, Plan, RuleSets


class ForwardSource(Protocol):
    """The server storage's read methods that the forward needs (and nothing else)."""

    def sites(self) -> list[dict[str, Any]]:
        """Every site, each a dict with at least ``"id"``."""
        ...

    def participants(self, site_id: str) -> list[dict[str, Any]]:
        """A site's participants, each with ``"id"`` and the county's ``"client_ref"``."""
        ...

    def plans(self, site_id: str) -> list[Plan]:
        """The plans of a site's participants."""
        ...

    def changed_days_since(self, seq: int, limit: int) -> list[tuple[int, str, date]]:
        """The days of the record versions with a server sequence number above ``seq``.

        Each item is (server sequence number, participant id, day), oldest first, at
        most ``limit`` of them: which days changed, without reading the versions.
        """
        ...

    def versions_for(self, participant_id: str, start: date, end: date) -> list[DayRecord]:
        """Every version (superseded ones too) of the participant's days in [start, end]."""
        ...

    def closed_months(self, site_id: str) -> set[tuple[int, int]]:
        """(year, month) pairs the site has closed."""
        ...

    def approved_months(self, site_id: str) -> set[tuple[int, int]]:
        """(year, month) pairs the county approved in its console: final."""
        ...


class ForwardDatabase(Protocol):
    """Where the outbox keeps its tables: the server storage's database.

    ``db`` is the calling thread's connection; ``write()`` is one serialised write
    transaction; ``session()`` keeps the thread on one connection for a while, for a
    run's TEMP tables (``ServerStorage`` provides all three).
    """

    @property
    def db(self) -> Any: ...  # sqlite-utils' Database, or PostgreSQL's look-alike

    def write(self) -> AbstractContextManager[Any]: ...

    def session(self) -> AbstractContextManager[None]: ...


class ForwardStorage(ForwardSource, ForwardDatabase, Protocol):
    """What the forward wired into the server needs of its storage: the reads, the
    database its outbox keeps its tables in, and the rule sets to judge with."""

    def rule_sets(self) -> RuleSets: ...
