"""Accessibility: axe-core finds nothing on any console page in Finnish, Swedish or
English (forms with their errors too), and the plan form works with the keyboard alone.

axe-core comes bundled with axe-playwright-python (axe.min.js), so nothing is fetched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from shared.calendar import helsinki_today
from shared.protocol import MonthClose, PushRequest
from sync_server.console import Accounts, Role
from sync_server.console.county import County
from sync_server.push import push
from sync_server.storage import ParticipantRow
from tests.support.processes import ROOT
from tests.support.server import ServerProcess
from tests.support.sites import plan_for, present, workdays_before
from tests.sync_server.console.browser import PASSWORD, Browsing, typed_date

AXE = Axe()
# Screenshots go to a git-ignored folder unless this names another (make screenshots).
SCREENSHOTS_ENV = "LASNA_SCREENSHOTS_DIR"
PLAN_ID = "plan-p1"


@pytest.fixture(scope="module")
def seeded(console_server: ServerProcess) -> ServerProcess:
    """A site with a participant, a plan, and days recorded by an enrolled device."""
    storage = console_server.storage
    now = datetime.now(UTC)
    today = helsinki_today(now)
    county = County(storage)
    county.save_site("paja", "Puutyöpaja", ["Liisa", "Matti"], now=now, new=True)
    county.add_participant(ParticipantRow("p1", "paja", "Aino K.", "ASK-1001"), now=now)
    county.save_plan(plan_for("p1", "paja", today), "aktivointisuunnitelma", now=now)
    code, _ = storage.create_enrollment_code("paja", now=now, valid_for=timedelta(hours=1))
    device = storage.authenticate(storage.enroll(code, "Tabletti", now=now).credential, now=now)
    assert device is not None
    days = workdays_before(today, 3)
    records = tuple(
        present(d, participant="p1", device_id=device.id, recorded_at=now) for d in days
    )
    push(storage, device, PushRequest(records), now=now)
    # A 3-hour day (not eligible) for the queue, a corrected day for the history, and a
    # closed month waiting for approval.
    short = workdays_before(days[0], 1)[0]
    push(
        storage,
        device,
        PushRequest((present(short, 3, participant="p1", device_id=device.id, recorded_at=now),)),
        now=now,
    )
    fixed = present(
        days[0],
        6,
        participant="p1",
        device_id=device.id,
        recorded_at=now,
        supersedes=records[0].id,
        correction_reason="tunnit",
    )
    push(storage, device, PushRequest((fixed,)), now=now)
    storage.close_month(
        device, MonthClose("paja", short.year, short.month, "ohjaaja-1", now), now=now
    )
    return console_server


def month_path(seeded: ServerProcess) -> str:
    [(year, month)] = seeded.storage.closed_months("paja")
    return f"/sites/paja/months/{year}-{month:02d}"


def check(page: Page, what: str) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, f"{what} ({page.url}):\n{results.generate_report()}"


@pytest.fixture
def admin_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_console_page_has_no_axe_violations(
    lang: str, seeded: ServerProcess, admin_page: Page
) -> None:
    page = admin_page
    username = f"axe-{lang}"
    Accounts(seeded.storage).create(
        username, f"Testi {lang}", Role.ADMIN, PASSWORD, now=datetime.now(UTC), all_sites=True
    )
    me = Browsing(page, seeded)
    me.language(lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    check(page, "login")
    page.locator("#f-username").fill(username)
    page.locator("#f-password").fill("not the password")
    me.submit("/login")
    check(page, "login with an error")
    page.goto(me.url("/accessibility"))
    check(page, "accessibility statement, logged out")
    me.log_in(username, at_second_factor=lambda: check(page, "second factor set-up"))

    for path in (
        "/sites",
        "/sites/paja",
        "/participants/p1",
        "/participants/p1/plans/new",
        f"/plans/{PLAN_ID}/versions/new",
        "/devices",
        "/accounts",
        "/tokens",
        "/access-log",
        "/import",
        "/accessibility",
        "/participants/no-such-person",
        "/overview",
        "/findings",
        "/months",
        month_path(seeded),
        "/participants/p1/history",
    ):
        page.goto(me.url(path))
        check(page, path)

    # forms with their errors
    page.goto(me.url("/sites"))
    page.locator("#f-id").fill("-huono")
    page.locator("#f-name").fill("Huono")
    me.submit("/sites")
    check(page, "site form with an error")

    page.goto(me.url("/sites/paja"))
    page.locator("#f-id").fill("p2")
    page.locator("#f-display_name").fill("Eero")
    page.locator("#f-client_ref").fill("010190-123A")
    me.submit("/sites/paja/participants")
    check(page, "participant form with an error")

    page.goto(me.url("/participants/p1/plans/new"))
    page.locator("#f-days_max").fill("9")
    page.locator("#f-hours_min").fill("x")
    me.submit("/participants/p1/plans")
    check(page, "plan form with errors")

    page.goto(me.url(f"/plans/{PLAN_ID}/versions/new"))
    page.locator("#f-days_max").fill("5")
    me.submit("/versions")
    check(page, "plan version beyond its rule set")

    page.goto(me.url(f"/plans/{PLAN_ID}/versions/new"))
    since = helsinki_today(datetime.now(UTC)) - timedelta(days=30)
    page.locator("#f-valid_from").fill(since.isoformat())
    page.locator("#f-days_max").fill("1")
    me.submit("/versions")
    expect(page.locator("form input[name=confirm]")).to_have_count(1)
    check(page, "plan preview")

    page.goto(me.url("/findings"))
    page.locator("[data-testid=must-fix] details summary").first.click()
    page.locator("[data-testid=must-fix] button[value=resolve]").first.click()
    page.wait_for_load_state()
    expect(page.locator(".finding .error")).to_have_count(1)
    check(page, "queue with a settle form's error")

    page.goto(me.url("/months"))
    page.locator("[data-testid=pending-months] button.secondary").first.click()
    page.wait_for_load_state()
    expect(page.locator(".months .error")).to_have_count(1)
    check(page, "reopen without a reason")

    page.goto(me.url("/sites/paja"))
    me.submit("/enrollment-codes")
    check(page, "enrollment code")

    page.goto(me.url("/accounts"))
    page.locator("#f-username").fill(f"uusi-{lang}")
    page.locator("#f-display_name").fill("Uusi")
    page.locator("#f-password").fill("short")
    me.submit("/accounts")
    check(page, "account form with an error")

    page.goto(me.url("/tokens"))
    page.locator("#f-name").fill(" ")
    me.submit("/tokens")
    check(page, "token form with an error")
    page.locator("#f-name").fill("Yöllinen tuonti")
    me.submit("/tokens")
    check(page, "a new token")

    page.goto(me.url("/import"))
    page.locator("input[name=kind][value=sites]").check()
    page.locator("#f-file").set_input_files(
        files=[{"name": "sites.csv", "mimeType": "text/csv", "buffer": b"id,name\n-x,X\n"}]
    )
    me.submit("/import")
    check(page, "import with errors")

    me.log_out()
    me.log_in(username, at_second_factor=lambda: check(page, "second factor code"))


def test_the_plan_form_works_with_the_keyboard_alone(
    seeded: ServerProcess, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fi-FI")
    try:
        page = context.new_page()
        Accounts(seeded.storage).create(
            "keys", "Näppäimistö", Role.COORDINATOR, PASSWORD, now=datetime.now(UTC), all_sites=True
        )
        me = Browsing(page, seeded)
        me.language("en")
        me.log_in("keys")
        today = helsinki_today(datetime.now(UTC))
        page.goto(me.url("/participants/p1"))
        # From the page's start: Tab until the "New plan" link has the focus, then Enter.
        focus_on(page, "a[href$='/participants/p1/plans/new']")
        page.keyboard.press("Enter")
        page.wait_for_url("**/plans/new")
        start = today - timedelta(days=7)
        end = start + timedelta(days=200)
        typed = {
            "#f-plan_type": "aktivointisuunnitelma",
            "#f-rule_set": "kuntouttava",
            "#f-start": typed_date(page, start),
            "#f-end": typed_date(page, end),
            "#f-days_min": "1",
            "#f-days_max": "3",
            "#f-hours_min": "4",
            "#f-hours_max": "6,5",
            "#f-allowance_type": "kulukorvaus",
        }
        for selector, value in typed.items():
            focus_on(page, selector)
            kind = page.eval_on_selector(selector, "e => e.tagName")
            if kind == "SELECT":
                label = page.eval_on_selector(
                    selector, "(e, v) => [...e.options].find(o => o.value === v).text", value
                )
                page.keyboard.type(label)  # a focused select picks the option typed
            else:
                page.keyboard.type(value)
        focus_on(page, "input[name=weekdays][value='1']")
        page.keyboard.press("Space")
        focus_on(page, "input[name=weekdays][value='3']")
        page.keyboard.press("Space")
        focus_on(page, "input[name=weekdays][value='5']")
        page.keyboard.press("Space")
        focus_on(page, "form.plan-form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(".error").all_inner_texts() == []
        # Days were recorded in the plan's period: the preview asks to confirm.
        expect(page.locator("h1")).to_have_text("What the change does")
        focus_on(page, "main form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/participants/p1$"))
        plans = County(seeded.storage).plans_of("p1")
        made = [p for p in plans if p.id != PLAN_ID]
        assert len(made) == 1
        version = made[0].latest
        assert (version.start, version.end) == (start, end)
        assert (version.days_max, version.minutes_max, version.weekdays) == (3, 390, {1, 3, 5})
    finally:
        context.close()


def focus_on(page: Page, selector: str, limit: int = 200) -> None:
    """Press Tab until ``selector`` has the focus (it must be reachable by Tab)."""
    for _ in range(limit):
        if page.eval_on_selector(selector, "e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with the Tab key")


SCREENS = {"desk": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("screen", ["desk", "phone"])
def test_screenshots_of_the_plan_form_and_the_device_list(
    screen: str, seeded: ServerProcess, browser: Browser
) -> None:
    """For docs/console.md (``make screenshots`` writes them to docs/screenshots/)."""
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or ROOT / "tests" / "artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=SCREENS[screen], locale="fi-FI")  # type: ignore[arg-type]
    try:
        page = context.new_page()
        username = f"kuvat-{screen}"
        Accounts(seeded.storage).create(
            username,
            "Kaisa Koordinaattori",
            Role.COORDINATOR,
            PASSWORD,
            now=datetime.now(UTC),
            all_sites=True,
        )
        me = Browsing(page, seeded)
        me.language("fi")
        me.log_in(username)
        page.goto(me.url(f"/plans/{PLAN_ID}/versions/new"))
        page.locator("#f-days_max").fill("5")  # beyond the rule set: the error shows
        me.submit("/versions")
        expect(page.locator("#f-days_max-error")).to_be_visible()
        page.screenshot(path=folder / f"console-plan-form-{screen}.png", full_page=True)
        page.goto(me.url("/devices"))
        page.screenshot(path=folder / f"console-devices-{screen}.png", full_page=True)
        # nothing may stick out sideways on a phone
        wider = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wider
    finally:
        context.close()


@pytest.mark.parametrize("screen", ["desk", "phone"])
def test_screenshots_of_the_queue_approvals_month_and_history(
    screen: str, seeded: ServerProcess, browser: Browser
) -> None:
    """For docs/console.md: the exception queue, month approvals, a site's month and a
    participant's history (``make screenshots``)."""
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or ROOT / "tests" / "artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=SCREENS[screen], locale="fi-FI")  # type: ignore[arg-type]
    try:
        page = context.new_page()
        username = f"seuranta-{screen}"
        Accounts(seeded.storage).create(
            username,
            "Kaisa Koordinaattori",
            Role.COORDINATOR,
            PASSWORD,
            now=datetime.now(UTC),
            all_sites=True,
        )
        me = Browsing(page, seeded)
        me.language("fi")
        me.log_in(username)
        for name, path in (
            ("queue", "/findings"),
            ("months", "/months"),
            ("site-month", month_path(seeded)),
            ("history", "/participants/p1/history"),
        ):
            page.goto(me.url(path))
            if name == "queue":
                page.locator("[data-testid=must-fix] details summary").first.click()
            page.screenshot(path=folder / f"console-{name}-{screen}.png", full_page=True)
            if name != "site-month":  # the month's table scrolls inside its own frame
                wider = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
                assert not wider, path
    finally:
        context.close()
