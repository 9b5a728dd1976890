"""Every session the app serves keeps its idle lock and a live sync strip: after a
reload of the tab (Flet reconnects the same session without running main again) and
in a second tab (a new session) — issue 11, items 1 and 2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.client.app.harness import SITE, enrolled_device, running_app, seed_site, tid, unlock
from tests.support.server import ServerProcess, running_server

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ServerProcess]:
    with running_server(tmp_path / "server", seed=seed_site) as running:
        yield running


def reload(page: Page) -> None:
    page.reload()
    page.wait_for_selector("#loading", state="detached", timeout=30_000)
    page.locator("flt-semantics-placeholder").evaluate("e => e.click()")
    expect(tid(page, "sync-status")).to_be_visible(timeout=30_000)


def test_after_a_reload_and_in_a_second_tab_the_strip_stays_live_and_the_lock_fires(
    phone: Page, tmp_path: Path, own_server: ServerProcess
) -> None:
    store = tmp_path / "device.db"
    enrolled_device(store, own_server.url, own_server.enrollment_code(SITE)).close()
    # the records must stay in the outbox for the strip to count them
    own_server.stop()
    # long enough for a reload and a second tab on a loaded machine before the lock
    with running_app(store, idle_seconds=20) as app:
        unlock(phone, app.url)
        expect(tid(phone, "sync-pending")).to_have_text("Kaikki lähetetty")
        reload(phone)
        expect(tid(phone, "row-p-aino")).to_be_visible(timeout=15_000)
        # the count shown is the outbox's, at once after the tap
        tid(phone, "present-p-aino").click()
        expect(tid(phone, "status-p-aino")).to_have_text("Läsnä 4 h")
        expect(tid(phone, "sync-pending")).to_have_text("Odottaa lähetystä: 1")

        second = phone.context.new_page()
        unlock(second, app.url)  # the device is unlocked: the second tab goes straight in
        tid(second, "present-p-bertil").click()
        expect(tid(second, "sync-pending")).to_have_text("Odottaa lähetystä: 2")
        # the reloaded tab was not touched: its strip follows on its own
        expect(tid(phone, "sync-pending")).to_have_text("Odottaa lähetystä: 2", timeout=10_000)

        # no taps for a while: both sessions lock and hide the participants
        for page in (phone, second):
            expect(tid(page, "idle-locked")).to_be_visible(timeout=40_000)
            expect(tid(page, "row-p-aino")).to_have_count(0)
        # and a reload of a locked tab stays locked
        reload(phone)
        expect(tid(phone, "unlock-button")).to_be_visible()
        expect(tid(phone, "row-p-aino")).to_have_count(0)
