"""A revoked device joins again with a new code from the sync screen, and what waited
on it is sent (issue 11, item 4): the real app in Chromium, a real server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from shared.calendar import helsinki_today
from tests.client.app.harness import (
    SITE,
    enrolled_device,
    running_app,
    seed_site,
    tid,
    type_into,
    unlock,
)
from tests.support.server import ServerProcess, running_server

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ServerProcess]:
    with running_server(tmp_path / "server", seed=seed_site) as running:
        yield running


def test_a_revoked_device_joins_again_and_sends_what_waited(
    phone: Page, tmp_path: Path, own_server: ServerProcess
) -> None:
    store = tmp_path / "device.db"
    device = enrolled_device(store, own_server.url, own_server.enrollment_code(SITE))
    device_id = device.device_id()
    device.close()
    own_server.storage.revoke(device_id, now=datetime.now(UTC))
    with running_app(store) as app:
        unlock(phone, app.url)
        tid(phone, "present-p-aino").click()
        expect(tid(phone, "status-p-aino")).to_have_text("Läsnä 4 h")
        tid(phone, "sync-now").click()
        expect(tid(phone, "sync-needs-action")).to_be_visible(timeout=20_000)
        tid(phone, "nav-sync").click()
        expect(tid(phone, "reenroll")).to_be_visible()
        type_into(phone, "reenroll-code", own_server.enrollment_code(SITE))
        tid(phone, "reenroll-button").click()
        expect(tid(phone, "sync-pending")).to_have_text("Kaikki lähetetty", timeout=20_000)
        expect(tid(phone, "sync-needs-action")).to_have_count(0)
        expect(tid(phone, "reenroll")).to_have_count(0)
    today = helsinki_today(datetime.now(UTC))
    assert len(own_server.storage.versions_for("p-aino", today, today)) == 1
