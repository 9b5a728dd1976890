"""Fixtures for the app's tests: one Chromium per session, a seeded sync server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize
from sqlite_utils import Database

from client.app.secret import key_file_for
from client.app.state import Device, open_device
from client.store import keyring as slots
from shared.calendar import helsinki_today
from shared.protocol import ParticipantInfo, Reference, SiteInfo
from tests.client.app.harness import (
    LIGHT_KDF,
    PEOPLE,
    PIN,
    SITE,
    SITE_NAME,
    SUPERVISOR,
    enrolled_device,
    plan_of,
    seed_site,
)
from tests.support.server import ServerProcess, running_server

PHONE: ViewportSize = {"width": 390, "height": 844}
TABLET: ViewportSize = {"width": 1024, "height": 768}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="fi-FI")
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with running_server(tmp_path_factory.mktemp("server"), seed=seed_site) as running:
        yield running


# -- state tests: a real store file, a clock that moves only when told ------------------


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    # a Wednesday noon in Helsinki: Monday and Tuesday of the week are in the past
    return FakeClock(datetime(2026, 3, 11, 10, 0, tzinfo=UTC))


@pytest.fixture
def device(tmp_path: Path, clock: FakeClock) -> Iterator[Device]:
    """A set-up device (one supervisor, unlocked) holding the test site's plans."""
    dev = open_device(tmp_path / "device.db", clock=clock, kdf_params=LIGHT_KDF)
    dev.store.create_first_supervisor("sup-1", SUPERVISOR, PIN, now=clock())
    today = helsinki_today(clock())
    dev.store.replace_reference_data(
        SiteInfo(SITE, SITE_NAME),
        Reference(
            participants=tuple(ParticipantInfo(p.id, p.name, f"R-{p.id}") for p in PEOPLE),
            plans=tuple(plan_of(p, today) for p in PEOPLE),
            rule_sets=(),
        ),
    )
    try:
        yield dev
    finally:
        dev.close()


# a browser test's fixture, here so that the accessibility walk reaches the new-PIN
# screen the same way as test_browser_pin.py
@pytest.fixture
def old_pin_device(tmp_path: Path, server: ServerProcess) -> Path:
    """A set-up device whose supervisor still has a 4-digit PIN from an older release."""
    store = tmp_path / "device.db"
    device = enrolled_device(store, server.url, server.enrollment_code(SITE))
    supervisor = device.store.supervisors()[0].id
    device.close()
    secret = key_file_for(store).read_bytes()
    db = Database(store)
    try:
        private = slots.open_pin_slot(slots.supervisor_by_id(db, supervisor), PIN, secret)
        with db.atomic():
            slots.rewrap(db, secret, LIGHT_KDF, supervisor, "4711", private)
    finally:
        db.close()
    return store
