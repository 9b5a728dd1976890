"""A supervisor's day in the real app, in Chromium, against a real sync server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from shared.calendar import helsinki_today
from shared.records import AbsenceReason, Status, current_records
from tests.app.harness import PIN, SUPERVISOR, running_app, tid, type_into
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_enroll_mark_three_present_one_sick_and_sync(
    phone: Page, server: ServerProcess, tmp_path: Path
) -> None:
    code = server.enrollment_code("paja")
    with running_app(tmp_path / "device.db", server_url=server.url) as app:
        phone.goto(app.url)
        phone.wait_for_selector("#loading", state="detached", timeout=30_000)
        phone.locator("flt-semantics-placeholder").evaluate("e => e.click()")
        expect(tid(phone, "setup-next")).to_be_visible(timeout=30_000)
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
        expect(tid(phone, "sync-pending")).to_have_text("Odottaa lähetystä: 4")

        tid(phone, "sync-now").click()
        expect(tid(phone, "sync-pending")).to_have_text("Kaikki lähetetty", timeout=20_000)
        expect(tid(phone, "sync-online")).to_have_text("Yhteys")

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
