"""A throwaway PostgreSQL cluster for the tests (:mod:`tests.support.pgcluster`): it
skips fsync and is removed at the end of the session.

``LASNA_TEST_POSTGRES`` decides what happens when it cannot start: ``required`` (what
``make test`` sets) fails the PostgreSQL-parametrised tests, ``off`` skips them without
trying, and anything else skips them with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.pgcluster import Cluster

__all__ = ["ENGINES", "Cluster", "database", "database_for", "mode", "postgres_cluster"]

ENV = "LASNA_TEST_POSTGRES"


def mode() -> str:
    return os.environ.get(ENV, "").strip().lower()


# -- fixtures (imported into tests/conftest.py) ---------------------------------------

ENGINES = ("sqlite", "postgres")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """The session's cluster; started on first use only."""
    if mode() == "off":
        pytest.skip(f"PostgreSQL tests are off ({ENV}=off).")
    try:
        cluster = Cluster()
    except Exception as exc:  # the binaries, runuser, initdb or the start itself
        if mode() == "required":
            pytest.fail(f"PostgreSQL is required ({ENV}=required) but did not start: {exc}")
        pytest.skip(f"PostgreSQL did not start ({exc}); set {ENV}=required to fail instead.")
    yield cluster
    cluster.stop()


def database_for(request: pytest.FixtureRequest, engine: str, folder: Path) -> str:
    """Where a server database for ``engine`` is: an SQLite file in ``folder`` or a new
    PostgreSQL database in the session's cluster."""
    if engine == "sqlite":
        return str(folder / "server.db")
    cluster: Cluster = request.getfixturevalue("postgres_cluster")
    return cluster.new_database()


@pytest.fixture(params=ENGINES)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A test's own server database, once per engine (the test's id says which)."""
    return database_for(request, request.param, tmp_path)
