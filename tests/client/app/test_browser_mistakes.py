"""Issue 11, items 5–7 ("kind to mistakes") in the real app in Chromium against a real
sync server: "all present" on a past day asks first and lists who; a mark not sent yet
is undone or changed in one tap; after sending, the correction dialog names whom and
when; the current month cannot be closed, and closing a past month wants its
unrecorded days acknowledged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from client.app.texts.i18n import fmt_date
from shared.calendar import helsinki_today
from shared.i18n import day_name
from shared.records import Status, current_records
from tests.client.app.conftest import PHONE, TABLET
from tests.client.app.harness import (
    SITE,
    enrolled_device,
    no_horizontal_scroll,
    running_app,
    screenshot,
    screenshots_dir,
    tid,
    unlock,
    wait_for_layout,
)
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture
def device_file(tmp_path: Path, server: ServerProcess) -> Path:
    store = tmp_path / "device.db"
    enrolled_device(store, server.url, server.enrollment_code(SITE)).close()
    return store


def test_all_present_on_a_past_day_asks_then_undo_and_change_before_sending(
    phone: Page, device_file: Path, server: ServerProcess
) -> None:
    yesterday = helsinki_today(datetime.now(UTC)) - timedelta(days=1)
    with running_app(device_file, server_url=server.url) as app:
        unlock(phone, app.url)
        tid(phone, "today-prev").click()
        expect(tid(phone, "today-date")).to_contain_text(f" {fmt_date(yesterday)},")

        # 5. one tap on a past day marks nobody: it shows who would be marked
        tid(phone, "today-all-present").click()
        expect(tid(phone, "all-present-other-day")).to_contain_text("ei tänään")
        expect(tid(phone, "all-present-p-aino")).to_have_text("Aino Virtanen, 4 h")
        shots = screenshots_dir()
        screenshot(phone, shots / "phone-all-present.png")
        tid(phone, "all-present-cancel").click()
        expect(tid(phone, "status-p-aino")).to_have_text("Ei merkitty")
        expect(tid(phone, "sync-pending")).to_have_text("Kaikki lähetetty")
        tid(phone, "today-all-present").click()
        tid(phone, "all-present-confirm").click()
        expect(tid(phone, "status-p-aino")).to_have_text("Läsnä 4 h")

        # 6. not sent yet: undone in one tap, changed without a reason
        tid(phone, "undo-p-aino").click()
        expect(tid(phone, "status-p-aino")).to_have_text("Ei merkitty")
        expect(tid(phone, "notice")).to_contain_text("Kumottu: Aino Virtanen")
        tid(phone, "absent-p-bertil").click()
        tid(phone, "reason-sick").click()
        expect(tid(phone, "status-p-bertil")).to_have_text("Poissa: Oma sairaus")
        expect(tid(phone, "correction-reason")).to_have_count(0)
        screenshot(phone, shots / "phone-undo.png")

        # after sending, a change is a correction: the dialog names whom and which day
        tid(phone, "sync-now").click()
        expect(tid(phone, "sync-pending")).to_have_text("Kaikki lähetetty", timeout=20_000)
        expect(tid(phone, "undo-p-bertil")).to_have_count(0)
        tid(phone, "absent-p-cecilia").click()
        tid(phone, "reason-sick").click()
        weekday = day_name(yesterday.isoweekday(), "fi")
        expect(tid(phone, "correction-subject")).to_have_text(
            f"Cecilia Mäkinen, {weekday} {fmt_date(yesterday)}"
        )
        screenshot(phone, shots / "phone-correction.png")
        tid(phone, "correction-cancel").click()

        phone.set_viewport_size(TABLET)
        wait_for_layout(phone, wide=True)
        expect(tid(phone, "undo-p-daniel")).to_have_count(0)  # all sent
        screenshot(phone, shots / "tablet-mistakes-today.png")
        tid(phone, "today-all-present").click()  # Aino, undone: still a past day
        expect(tid(phone, "all-present-p-aino")).to_have_text("Aino Virtanen, 4 h")
        screenshot(phone, shots / "tablet-all-present.png")
        tid(phone, "all-present-cancel").click()
        assert no_horizontal_scroll(phone)
        phone.set_viewport_size(PHONE)

    versions = server.storage.versions_for("p-aino", yesterday, yesterday)
    assert versions == []  # the undone mark never reached the server
    bertil = server.storage.versions_for("p-bertil", yesterday, yesterday)
    assert len(bertil) == 1  # the change replaced the unsent mark: one version
    head = current_records(bertil)[("p-bertil", yesterday)]
    assert (head.status, head.correction_reason) == (Status.ABSENT, None)


def test_a_month_closes_only_when_over_and_with_its_unrecorded_days_acknowledged(
    phone: Page, device_file: Path, server: ServerProcess
) -> None:
    with running_app(device_file, server_url=server.url) as app:
        unlock(phone, app.url)
        tid(phone, "nav-more").click()
        tid(phone, "more-month").click()
        expect(tid(phone, "month-not-over")).to_contain_text("viimeisen päivän jälkeen")
        expect(tid(phone, "month-close")).to_have_count(0)
        tid(phone, "month-prev").click()
        tid(phone, "month-close").click()
        expect(tid(phone, "month-unmarked-title")).to_contain_text("merkitsemättä")
        expect(tid(phone, "month-unmarked-0")).to_be_visible()
        screenshot(phone, screenshots_dir() / "phone-month-close.png")
        tid(phone, "month-confirm").click()  # not acknowledged yet: nothing happens
        expect(tid(phone, "month-acknowledge")).to_be_visible()
        tid(phone, "month-acknowledge").click()
        screenshot(phone, screenshots_dir() / "phone-month-acknowledged.png")
        tid(phone, "month-confirm").click()
        expect(tid(phone, "month-closed")).to_be_visible()
        phone.set_viewport_size(TABLET)
        wait_for_layout(phone, wide=True)
        screenshot(phone, screenshots_dir() / "tablet-month-closed.png")
        assert no_horizontal_scroll(phone)
