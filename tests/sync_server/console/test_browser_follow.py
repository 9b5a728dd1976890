"""Issue 13 end to end in a browser: a week from real devices lands in the county's
exception queue, one finding is settled with codes, a returned day reaches the device
and the app until it is corrected, and a closed month is approved and forwarded final.

Everything goes the real way: Chromium against the server under uvicorn on loopback,
records saved in the devices' encrypted stores and sent by the sync client. The month
is last month, so the server's own clock lets the site close it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from client.app.state import Device as AppDevice
from client.app.state import ParticipantState
from shared.calendar import finnish_holiday, helsinki_today, month_bounds
from shared.plans import add_months
from sync_server.forward import Outbox, decode
from tests.e2e.conftest import Device, enrolled_device
from tests.support.server import ServerProcess
from tests.support.sites import present
from tests.sync_server.console.browser import ADMIN, PASSWORD, Browsing
from tests.sync_server.forward.conftest import Clock, config_for, forwarder

COORDINATOR = "cora.koordinaattori"


def last_months_week(today: date) -> date:
    """The Monday of a Monday–Friday in last month with no public holiday."""
    previous = today.replace(day=1) - timedelta(days=1)
    first, last = month_bounds(previous.year, previous.month)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    while any(finnish_holiday(monday + timedelta(days=i)) for i in range(5)):
        monday += timedelta(weeks=1)
    assert monday + timedelta(days=4) <= last
    return monday


def set_up(page: Page, server: ServerProcess, start: date) -> Browsing:
    """The administrator makes a coordinator; she makes the site, p1 and the plan
    (1–2 days a week, 4–6 hours a day)."""
    admin = Browsing(page, server)
    admin.language("en")
    admin.log_in(ADMIN)
    page.goto(admin.url("/accounts"))
    page.locator("#f-username").fill(COORDINATOR)
    page.locator("#f-display_name").fill("Cora Koordinaattori")
    page.locator("#f-password").fill(PASSWORD)
    page.locator("#f-role").select_option("coordinator")
    page.locator("input[name=all_sites]").check()
    admin.submit("/accounts")
    expect(page.locator("table")).to_contain_text(COORDINATOR)
    admin.log_out()

    cora = Browsing(page, server)
    cora.log_in(COORDINATOR)
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
    page.locator("#f-end").fill((add_months(start, 6) - timedelta(days=1)).isoformat())
    page.locator("#f-days_min").fill("1")
    page.locator("#f-days_max").fill("2")
    page.locator("#f-hours_min").fill("4")
    page.locator("#f-hours_max").fill("6")
    page.locator("#f-allowance_type").select_option("kulukorvaus")
    cora.submit("/participants/p1/plans")
    expect(page).to_have_url(re.compile(r"/console/participants/p1$"))
    return cora


def new_device(page: Page, cora: Browsing, tmp_path: Path, name: str) -> Device:
    page.goto(cora.url("/sites/paja"))
    cora.submit("/sites/paja/enrollment-codes")
    code = page.locator("#enrollment-code").inner_text().strip()
    return enrolled_device(cora.server.url, code, tmp_path, name)


def kinds(page: Page, section: str) -> set[str]:
    items = page.locator(f"[data-testid={section}] li.finding")
    return set(items.evaluate_all("els => els.map(e => e.dataset.kind)"))


def test_a_week_from_devices_is_followed_up_approved_and_forwarded(
    browser: Browser, console_server: ServerProcess, tmp_path: Path
) -> None:
    today = helsinki_today(datetime.now(UTC))
    mon = last_months_week(today)
    year, month = mon.year, mon.month
    ym = f"{year}-{month:02}"
    day = [mon + timedelta(days=i) for i in range(5)]

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    devices: list[Device] = []
    try:
        page = context.new_page()
        cora = set_up(page, console_server, month_bounds(year, month)[0] - timedelta(weeks=1))
        tabletti = new_device(page, cora, tmp_path, "Tabletti")
        devices.append(tabletti)
        puhelin = new_device(page, cora, tmp_path, "Puhelin")
        devices.append(puhelin)

        # The week on the tablet: Tuesday is over the plan's hours (flagged), Wednesday is
        # a third day in a week of two, Thursday is under the plan's hours (not eligible).
        monday = tabletti.attend("p1", day[0], hours=5)
        tabletti.attend("p1", day[1], hours=7)
        tabletti.attend("p1", day[2], hours=5)
        thursday = tabletti.attend("p1", day[3], hours=3)
        assert tabletti.sync().ok
        assert puhelin.sync().ok  # the phone now has Monday as the tablet saved it

        # Both change Monday; the tablet's change arrives first, the phone's conflicts.
        for device, hours, why in ((tabletti, 6, "tunnit"), (puhelin, 4, "toinen")):
            device.save(
                present(
                    day[0],
                    hours,
                    participant="p1",
                    device_id=device.store.device_id,
                    supersedes=monday.id,
                    correction_reason=why,
                )
            )
        assert tabletti.sync().ok
        report = puhelin.sync()
        assert report.ok and report.conflicts == 1, report

        # The supervisor closes the month on the tablet; Friday is recorded after that.
        tabletti.store.close_month(year, month, now=datetime.now(UTC))
        assert tabletti.sync().months_sent == 1
        tabletti.attend("p1", day[4], hours=5)
        assert tabletti.sync().ok

        page.goto(cora.url("/findings"))
        assert kinds(page, "must-fix") == {"conflict", "not_eligible"}
        assert {"flagged", "closed_month_change"} <= kinds(page, "acknowledge")

        # Acknowledge the flagged Tuesday with a reason and a resolution.
        flagged = page.locator("[data-testid=acknowledge] li.finding[data-kind=flagged]").first
        flagged.locator("summary").click()
        flagged.locator("select[name=reason_code]").select_option("plan_changed_retroactively")
        flagged.locator("select[name=resolution_code]").select_option("accepted_as_is")
        flagged.locator("textarea[name=comment]").fill("sovittu")
        flagged.locator("button[value=resolve]").click()
        page.wait_for_load_state()
        settled = page.locator("[data-testid=settled]")
        expect(settled).to_contain_text("Plan changed retroactively")
        expect(settled).to_contain_text("Accepted as is")
        assert "flagged" not in kinds(page, "acknowledge")
        [row] = console_server.storage.rows(
            "SELECT * FROM console_resolutions WHERE action = 'resolved'"
        )
        assert (row["kind"], row["reason_code"], row["resolution_code"], row["made_by"]) == (
            "flagged",
            "plan_changed_retroactively",
            "accepted_as_is",
            COORDINATOR,
        )

        # Return Thursday (under the plan's hours) to the site.
        under = page.locator(
            "[data-testid=must-fix] li.finding[data-kind=not_eligible]",
            has=page.locator(f"input[name=key][value*='{day[3].isoformat()}']"),
        ).first
        under.locator("summary").click()
        under.locator("select[name=return_reason]").select_option("check_hours")
        under.locator("textarea[name=comment]").fill("3 h?")
        under.locator("button[value=return]").click()
        page.wait_for_load_state()
        expect(page.locator("[data-testid=settled]")).to_contain_text("returned to the site")

        # The tablet's next sync brings the request; the app's participant screen has it.
        assert tabletti.sync().ok
        app = AppDevice(tabletti.store, tabletti.client, tabletti.http)
        state = ParticipantState(app)
        state.open("p1", day[3])
        assert list(state.requests) == [day[3]]
        assert (state.requests[day[3]].reason_code, state.requests[day[3]].comment) == (
            "check_hours",
            "3 h?",
        )

        # The supervisor corrects Thursday: the request is answered, here and on the server.
        current = tabletti.store.versions("p1", day[3], day[3], now=datetime.now(UTC))[-1]
        assert current.id == thursday.id
        tabletti.save(
            present(
                day[3],
                4,
                participant="p1",
                device_id=tabletti.store.device_id,
                supersedes=thursday.id,
                correction_reason="tunnit korjattu",
            )
        )
        state.reload()
        assert state.requests == {}
        assert tabletti.sync().ok
        assert tabletti.store.site_requests() == []

        # The closed month waits for approval; the coordinator approves it.
        page.goto(cora.url("/months"))
        pending = page.locator("[data-testid=pending-months]")
        expect(pending).to_contain_text("Puutyöpaja")
        pending.locator(f"form[action$='/sites/paja/months/{ym}/approve'] button").click()
        page.wait_for_load_state()
        expect(page.locator("[data-testid=approved-months]")).to_contain_text(
            f"approved by {COORDINATOR}"
        )
        page.goto(cora.url(f"/sites/paja/months/{ym}"))
        expect(page.locator("[data-testid=month-state]")).to_contain_text(
            f"Approved by {COORDINATOR}"
        )

        # The nightly forward, run on the server's database, sends the month as final.
        storage = console_server.storage
        built = forwarder(
            storage, config_for(drop=tmp_path / "drop"), Clock(datetime.now(UTC))
        ).build()
        sent = decode(Outbox(storage).get(built.built[0]).body)
        days = [d for d in sent["days"] if d["day"].startswith(ym)]
        assert sorted({d["day"] for d in days}) == [d.isoformat() for d in day]
        assert all(d["approved_month"] is True for d in days)
        totals = [t for t in sent["totals"] if t["period_start"].startswith(ym)]
        assert totals and all(t["approved_month"] is True for t in totals)
    finally:
        for device in devices:
            device.close()
        context.close()
