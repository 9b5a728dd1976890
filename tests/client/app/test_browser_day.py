"""A supervisor's day in the real app, in Chromium, against a real sync server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from shared.calendar import helsinki_today
from shared.records import AbsenceReason, Status, current_records
from tests.client.app.conftest import PHONE, TABLET
from tests.client.app.harness import (
    PIN,
    SUPERVISOR,
    actions_side_by_side,
    no_horizontal_scroll,
    open_app,
    running_app,
    screenshot,
    screenshots_dir,
    tid,
    type_into,
    wait_for_layout,
)
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_enroll_mark_three_present_one_sick_and_sync(
    phone: Page, server: ServerProcess, tmp_path: Path
) -> None:
    code = server.enrollment_code("paja")
    with running_app(tmp_path / "device.db", server_url=server.url) as app:
        open_app(phone, app.url, "setup-next")
        # the address comes from --server-url; the administrator's code is typed
        type_into(phone, "setup-code", code)
        tid(phone, "setup-next").click()
        type_into(phone, "setup-name", SUPERVISOR)
        type_into(phone, "setup-pin", PIN)
        type_into(phone, "setup-pin-again", PIN)
        tid(phone, "setup-create").click()
        expect(tid(phone, "row-p-aino")).to_be_visible(timeout=30_000)

        tid(phone, "absent-p-daniel").click()
        tid(phone, "reason-sick").click()
        expect(tid(phone, "status-p-daniel")).to_have_text("Poissa: Oma sairaus")
        for pid in ("p-aino", "p-bertil", "p-cecilia"):
            tid(phone, f"present-{pid}").click()
            expect(tid(phone, f"status-{pid}")).to_contain_text("Läsnä")
        expect(tid(phone, "eligible-p-aino")).to_have_text("Korvattava päivä")
        expect(tid(phone, "week-p-aino")).to_contain_text("/4 pv tällä viikolla")
        expect(tid(phone, "sync-pending")).to_have_text("Odottaa lähetystä: 4")
        # touch targets: the three actions side by side, each at least 48 px high
        assert actions_side_by_side(phone, "p-bertil")

        tid(phone, "sync-now").click()
        expect(tid(phone, "sync-pending")).to_have_text("Kaikki lähetetty", timeout=20_000)
        expect(tid(phone, "sync-online")).to_have_text("Yhteys")

        shots = screenshots_dir()
        for size, viewport in (("phone", PHONE), ("tablet", TABLET)):
            phone.set_viewport_size(viewport)
            wait_for_layout(phone, wide=viewport is TABLET)
            tid(phone, "nav-today").click()
            expect(tid(phone, "status-p-daniel")).to_have_text("Poissa: Oma sairaus")
            screenshot(phone, shots / f"{size}-today.png")
            assert no_horizontal_scroll(phone)
            assert actions_side_by_side(phone, "p-aino")
            tid(phone, "open-p-aino").click()
            expect(tid(phone, "participant-plan")).to_contain_text("Kuntouttava työtoiminta")
            expect(tid(phone, "participant-week")).to_contain_text("/4 päivää")
            screenshot(phone, shots / f"{size}-participant.png")
            assert no_horizontal_scroll(phone)
            tid(phone, "nav-sync").click()
            expect(tid(phone, "sync-screen-pending")).to_have_text("Kaikki lähetetty")
            screenshot(phone, shots / f"{size}-sync.png")
            assert no_horizontal_scroll(phone)

    today = helsinki_today(datetime.now(UTC))
    found = {}
    for pid in ("p-aino", "p-bertil", "p-cecilia", "p-daniel"):
        found.update(current_records(server.storage.versions_for(pid, today, today)))
    statuses = {pid: (r.status, r.reason) for (pid, _), r in found.items()}
    assert statuses == {
        "p-aino": (Status.PRESENT, None),
        "p-bertil": (Status.PRESENT, None),
        "p-cecilia": (Status.PRESENT, None),
        "p-daniel": (Status.ABSENT, AbsenceReason.SICK),
    }
    # one tap used each plan's agreed minimum hours
    assert found[("p-aino", today)].present_minutes == 4 * 60
    assert found[("p-bertil", today)].present_minutes == 2 * 60
