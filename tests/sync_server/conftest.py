"""One real sync server (uvicorn subprocess, SQLite file) shared by the server's HTTP tests.

Each test makes its own site with :func:`site`, so tests never see each other's data.
Small batch limits keep the 413 tests cheap.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from tests.support.server import ServerProcess, running_server
from tests.support.sites import SiteFixture, enroll, make_site

MAX_BATCH = 300
MAX_BYTES = 512 * 1024
_names = itertools.count(1)


ADMIN_TOKEN = "test-admin-token-for-the-fuzzer-0123456789"  # a test value, not a secret


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {
        "LASNA_MAX_BATCH_RECORDS": str(MAX_BATCH),
        "LASNA_MAX_BODY_BYTES": str(MAX_BYTES),
        "LASNA_ADMIN_TOKEN": ADMIN_TOKEN,
        # The fuzzer sends hundreds of bad codes and credentials from this one address;
        # the throttle has its own test (test_throttle.py) on a server of its own.
        "LASNA_ENROLL_FAILURE_LIMIT": "100000 per minute",
        "LASNA_CREDENTIAL_FAILURE_LIMIT": "100000 per minute",
    }
    with running_server(tmp_path_factory.mktemp("sync-server"), env=env) as server:
        yield server


@dataclass(frozen=True)
class EnrolledSite:
    site: SiteFixture
    device_id: str
    credential: str


@pytest.fixture
def site(live_server: ServerProcess) -> Callable[..., EnrolledSite]:
    """Make a fresh site with participants and one enrolled device."""

    def make(people: int = 3) -> EnrolledSite:
        fixture = make_site(live_server.storage, f"s{next(_names)}", people)
        reply = enroll(live_server.url, live_server.enrollment_code(fixture.id))
        return EnrolledSite(fixture, reply["device_id"], reply["credential"])

    return make
