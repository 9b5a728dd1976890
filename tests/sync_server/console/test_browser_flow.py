"""Issue 12 end to end in a browser: the first administrator, a coordinator, a plan on a
real device, and a raised plan reaching the device at its next sync."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, expect

from shared.calendar import helsinki_today
from shared.plans import add_months
from tests.e2e.conftest import enrolled_device
from tests.support.server import ServerProcess
from tests.sync_server.console.browser import ADMIN, PASSWORD, Browsing

COORDINATOR = "cora.koordinaattori"


def test_admin_coordinator_plan_device_and_a_raised_plan(
    browser: Browser, console_server: ServerProcess, tmp_path: Path
) -> None:
    today = helsinki_today(datetime.now(UTC))
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(weeks=3)
    end = add_months(start, 6) - timedelta(days=1)
    worked = [monday - timedelta(days=6), monday - timedelta(days=5)]  # last Tue and Wed

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        admin = Browsing(page, console_server)
        admin.language("en")
        admin.log_in(ADMIN)
        expect(page.locator("header .who")).to_contain_text("Maija Virtanen")

        page.goto(admin.url("/accounts"))
        page.locator("#f-username").fill(COORDINATOR)
        page.locator("#f-display_name").fill("Cora Koordinaattori")
        page.locator("#f-password").fill(PASSWORD)
        page.locator("#f-role").select_option("coordinator")
        page.locator("input[name=all_sites]").check()
        admin.submit("/accounts")
        expect(page.locator("table")).to_contain_text(COORDINATOR)
        admin.log_out()

        cora = Browsing(page, console_server)
        cora.log_in(COORDINATOR)  # the first login sets up the second factor
        assert cora.secret is not None

        page.goto(cora.url("/sites"))
        page.locator("#f-id").fill("paja")
        page.locator("#f-name").fill("Puutyöpaja")
        page.locator("#f-supervisors").fill("Liisa\nMatti")
        cora.submit("/sites")
        page.goto(cora.url("/sites/paja"))
        page.locator("#f-id").fill("p1")
        page.locator("#f-display_name").fill("Aino K.")
        page.locator("#f-client_ref").fill("ASK-1001")
        cora.submit("/sites/paja/participants")

        page.goto(cora.url("/participants/p1/plans/new"))
        page.locator("#f-plan_type").select_option("aktivointisuunnitelma")
        page.locator("#f-rule_set").select_option("kuntouttava")
        page.locator("#f-start").fill(start.isoformat())
        page.locator("#f-end").fill(end.isoformat())
        page.locator("#f-days_min").fill("1")
        page.locator("#f-days_max").fill("2")
        page.locator("#f-hours_min").fill("4")
        page.locator("#f-hours_max").fill("6")
        page.locator("#f-allowance_type").select_option("kulukorvaus")
        cora.submit("/participants/p1/plans")
        expect(page).to_have_url(re.compile(r"/console/participants/p1$"))

        page.goto(cora.url("/sites/paja"))
        cora.submit("/sites/paja/enrollment-codes")
        code = page.locator("#enrollment-code").inner_text().strip()
        expect(page.locator(".qr svg")).to_be_visible()

        # The real sync client enrolls with the code; its first pull brings the plan.
        device = enrolled_device(console_server.url, code, tmp_path, "Tabletti")
        try:
            plan = device.store.plan("p1")
            assert plan is not None and [v.days_max for v in plan.versions] == [2]
            for day in worked:
                device.attend("p1", day)
            assert device.sync().ok

            page.goto(cora.url("/devices"))
            expect(page.locator("table")).to_contain_text("Tabletti")
            expect(page.locator("table")).to_contain_text("not reported")

            # The coordinator raises the days a week from last week on.
            page.goto(cora.url("/participants/p1"))
            page.locator("a[href*='/versions/new']").first.click()
            page.locator("#f-valid_from").fill((monday - timedelta(weeks=1)).isoformat())
            page.locator("#f-days_max").fill("4")
            cora.submit("/versions")
            expect(page.locator("main")).to_contain_text("2 days have been recorded from")
            assert device.store.plan("p1").versions[-1].days_max == 2  # type: ignore[union-attr]
            page.locator("main form button[type=submit]").click()
            expect(page).to_have_url(re.compile(r"/console/participants/p1$"))

            report = device.sync()
            assert report.ok, report.error
            raised = device.store.plan("p1")
            assert raised is not None
            assert [v.days_max for v in raised.versions] == [2, 4]
        finally:
            device.close()
    finally:
        context.close()
