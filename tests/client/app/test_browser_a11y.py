"""The accessibility walk over every screen and dialog, in Finnish, Swedish and English
(issue 11): every control named, in the screen's language, said once, at least 48 px;
every dialog announced by its title. See a11y_walk.py for what is checked.

To cover a screen added later: reach it in the walk below and add one
``look("name")`` there."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from client.app.state import AppState
from client.app.texts.i18n import fmt_date, t
from shared.calendar import helsinki_today
from shared.messages import term
from shared.records import AbsenceReason
from tests.client.app.a11y_walk import check
from tests.client.app.conftest import TABLET
from tests.client.app.harness import (
    PIN,
    SITE,
    SUPERVISOR,
    enrolled_device,
    open_app,
    running_app,
    screenshot,
    screenshots_dir,
    seed_site,
    tid,
    type_into,
    unlock,
    wait_for_layout,
)
from tests.support.server import ServerProcess, running_server

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# the screens and dialogs the walk reaches, in order (asserted, so none is skipped quietly)
SCREENS = (
    "setup",
    "setup-pin",
    "today",
    "today-others",
    "absence-dialog",
    "today-unsent",
    "correction-dialog",
    "times-dialog",
    "site-not-held-dialog",
    "all-present-dialog",
    "participant",
    "history-dialog",
    "overview-week",
    "overview-month",
    "sync",
    "more",
    "month-close",
    "month-confirm-dialog",
    "today-tablet",
    "unlock",
)

SHOTS = {
    "site-not-held-dialog",
    "all-present-dialog",
    "history-dialog",
    "today-others",
    "month-confirm-dialog",
    "setup-pin",
    "absence-dialog",
    "overview-month",
    "more",
    "unlock",
}


def dialog_closed(page: Page, identifier: str) -> None:
    expect(tid(page, identifier)).to_have_count(0, timeout=10_000)


def show_span(page: Page, button: str, enough: Callable[[int], bool]) -> None:
    """Show the week or the month on the overview (Aino's row has 7 or 28+ day cells);
    a tap that lands while the screen is re-drawn is lost, so tap again then."""
    cells = tid(page, "overview-row-p-aino").locator('[flt-semantics-identifier^="cell-"]')
    for _ in range(3):
        for _ in range(25):
            if enough(cells.count()):
                return
            page.wait_for_timeout(200)
        tid(page, button).click()
    raise AssertionError(f"The overview shows {cells.count()} days after tapping {button}.")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of its own for each language: the walk sends a mark, which a shared
    server would hand the next language's device as a day already recorded."""
    with running_server(tmp_path / "server", seed=seed_site) as running:
        yield running


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_screen_named_in_its_language_and_large_enough(
    phone: Page, server: ServerProcess, tmp_path: Path, lang: str
) -> None:
    seen: list[str] = []
    visited: list[str] = []

    def look(screen: str) -> None:
        check(phone, lang, screen, seen, visited)
        if lang == "fi" and screen in SHOTS:  # to look at: colours, the PIN's button
            screenshot(phone, screenshots_dir() / f"a11y-{screen}.png")

    click: Callable[[str], None] = lambda identifier: tid(phone, identifier).click()  # noqa: E731
    code = server.enrollment_code("paja")
    with running_app(tmp_path / "device.db", server_url=server.url) as app:
        open_app(phone, app.url, "setup-next")
        click(f"lang-{lang}")
        expect(tid(phone, "setup-next")).to_have_text(t("setup.enroll", lang))
        look("setup")
        type_into(phone, "setup-code", code)
        click("setup-next")
        expect(tid(phone, "setup-create")).to_be_visible(timeout=15_000)
        look("setup-pin")
        type_into(phone, "setup-name", SUPERVISOR)
        type_into(phone, "setup-pin", PIN)
        # the PIN's own show/hide button: named after its field, keeps what was typed
        label = t("setup.pin", lang)
        pin = tid(phone, "setup-pin").locator("input")
        expect(pin).to_have_attribute("type", "password")
        phone.get_by_role("button", name=t("field.show", lang, field=label)).click()
        expect(pin).to_have_attribute("type", "text")
        expect(pin).to_have_value(PIN)
        phone.get_by_role("button", name=t("field.hide", lang, field=label)).click()
        expect(pin).to_have_attribute("type", "password")
        type_into(phone, "setup-pin-again", PIN)
        click("setup-create")
        expect(tid(phone, "row-p-aino")).to_be_visible(timeout=30_000)
        look("today")
        click("today-add-other")
        expect(tid(phone, "today-no-others").or_(tid(phone, "show-p-eero"))).to_be_visible()
        look("today-others")

        click("absent-p-aino")
        expect(tid(phone, "reason-sick")).to_be_visible()
        # announced by its title in the screen's language, not Flutter's "Alert"
        title = t("absence.title", lang, name="Aino Virtanen")
        expect(phone.locator(f'[role=alertdialog] [aria-label="{title}"]')).to_have_count(1)
        look("absence-dialog")
        click("reason-sick")
        dialog_closed(phone, "reason-sick")
        expect(tid(phone, "status-p-aino")).to_contain_text(term("reason.sick", lang))
        expect(tid(phone, "undo-p-aino")).to_be_visible()
        look("today-unsent")  # a mark not sent yet, with its undo
        click("sync-now")
        expect(tid(phone, "sync-pending")).to_have_text(t("sync.all_sent", lang), timeout=20_000)
        expect(tid(phone, "undo-p-aino")).to_have_count(0, timeout=10_000)  # Today knows it
        # a day whose record has left the device: a correction asks why (a tap that lands
        # while the sync's notice moves the cards is lost: tap again then)
        for _ in range(3):
            click("present-p-aino")
            try:
                expect(tid(phone, "correction-save")).to_be_visible(timeout=5_000)
                break
            except AssertionError:
                continue
        expect(tid(phone, "correction-save")).to_be_visible()
        look("correction-dialog")
        click("correction-cancel")
        dialog_closed(phone, "correction-save")
        click("times-p-bertil")
        expect(tid(phone, "times-save")).to_be_visible()
        look("times-dialog")
        click("times-cancel")
        dialog_closed(phone, "times-save")
        click("today-site-not-held")
        expect(tid(phone, "site-day-cancel")).to_be_visible()
        look("site-not-held-dialog")
        click("site-day-cancel")
        dialog_closed(phone, "site-day-cancel")
        # back to the top of Today (the whole-site action sits below the cards)
        phone.mouse.move(195, 400)
        phone.mouse.wheel(0, -5000)
        expect(tid(phone, "today-prev")).to_be_in_viewport()
        click("today-prev")  # another day: "all present" shows who first
        yesterday = helsinki_today(datetime.now(UTC)) - timedelta(days=1)
        shown = f"{yesterday.day}.{yesterday.month}.{yesterday.year}"
        expect(tid(phone, "today-date")).to_contain_text(shown)
        expect(tid(phone, "today-all-present")).to_be_visible()
        click("today-all-present")
        expect(tid(phone, "all-present-confirm")).to_be_visible()
        look("all-present-dialog")
        click("all-present-cancel")
        dialog_closed(phone, "all-present-confirm")
        click("today-next")
        expect(tid(phone, "undo-p-aino").or_(tid(phone, "recorded-p-aino"))).to_be_visible()

        click("open-p-aino")
        expect(tid(phone, "participant-plan")).to_be_visible()
        look("participant")
        day = helsinki_today(datetime.now(UTC)).isoformat()
        click(f"day-history-{day}")
        expect(tid(phone, "history-close")).to_be_visible()
        look("history-dialog")
        click("history-close")
        dialog_closed(phone, "history-close")
        click("nav-overview")
        expect(tid(phone, "overview-week")).to_be_visible()
        show_span(phone, "overview-week", lambda n: n == 7)
        look("overview-week")
        click("overview-month")
        # a phone shows the month a week at a time, paged by its own stepper
        paged = tid(phone, "grid-next")
        show_span(phone, "overview-month", lambda n: n >= 28 or (0 < n <= 7 and paged.count() > 0))
        look("overview-month")
        click("nav-sync")
        expect(tid(phone, "sync-card")).to_be_visible()
        look("sync")
        click("nav-more")
        expect(tid(phone, "more-month")).to_be_visible()
        look("more")
        click("more-month")
        expect(tid(phone, "month-summary")).to_be_visible()
        expect(tid(phone, "month-not-over")).to_be_visible()  # this month is not over yet
        look("month-close")
        click("month-prev")  # last month can be closed: its dialog lists the unmarked days
        expect(tid(phone, "month-close")).to_be_visible()
        click("month-close")
        expect(tid(phone, "month-confirm")).to_be_visible()
        look("month-confirm-dialog")
        click("month-cancel")
        dialog_closed(phone, "month-confirm")

        phone.set_viewport_size(TABLET)
        wait_for_layout(phone, wide=True)
        click("nav-today")
        expect(tid(phone, "row-p-aino")).to_be_visible()
        look("today-tablet")
        click("lock")
        expect(tid(phone, "unlock-button")).to_be_visible(timeout=10_000)
        look("unlock")

    assert seen == [], "\n".join(seen)
    assert tuple(visited) == SCREENS


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_new_pin_screen_too(phone: Page, old_pin_device: Path, lang: str) -> None:
    """A PIN from before the PIN rules leads to the new-PIN screen (no navigation)."""
    seen: list[str] = []
    visited: list[str] = []
    with running_app(old_pin_device) as app:
        open_app(phone, app.url, "unlock-button")
        tid(phone, f"lang-{lang}").click()
        expect(tid(phone, "unlock-button")).to_have_text(t("unlock.button", lang))
        check(phone, lang, "unlock-chosen", seen, visited)
        type_into(phone, "unlock-pin", "4711")
        tid(phone, "unlock-button").click()
        expect(tid(phone, "newpin-intro")).to_be_visible(timeout=15_000)
        check(phone, lang, "new-pin", seen, visited)
    assert seen == [], "\n".join(seen)
    assert visited == ["unlock-chosen", "new-pin"]


# the states the first walk does not reach, each set up on the server and the device
TROUBLE = (
    "sync-conflict",
    "sync-reenrol",
    "today-closed-month",
    "closed-month-correction",
    "closed-month-all-present",
)


def conflicted_device(server: ServerProcess, tmp_path: Path) -> tuple[Path, str, date]:
    """A tablet whose change to Cecilia's day waits to be sent while another tablet
    corrected the same version first (so its next sync gets a conflict), and whose
    last month is closed. Returns its store, its id and the last day of that month."""
    store = tmp_path / "device.db"
    mine = enrolled_device(store, server.url, server.enrollment_code(SITE))
    other = enrolled_device(tmp_path / "other.db", server.url, server.enrollment_code(SITE))
    try:
        here, there = AppState(mine), AppState(other)
        here.start()
        there.start()
        assert here.today.mark_present("p-cecilia").saved
        assert here.sync.sync_now().ok
        assert there.sync.sync_now().ok
        there.today.load()
        there.today.mark_absent("p-cecilia", AbsenceReason.SICK, correction_reason="Lähti kotiin")
        assert there.sync.sync_now().ok
        here.today.mark_not_held("p-cecilia", correction_reason="Paja suljettu")
        last_month_end = mine.today().replace(day=1) - timedelta(days=1)
        mine.store.close_month(last_month_end.year, last_month_end.month, now=datetime.now(UTC))
        return store, mine.device_id(), last_month_end
    finally:
        mine.close()
        other.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_conflict_a_revoked_device_and_a_closed_month_too(
    phone: Page, server: ServerProcess, tmp_path: Path, lang: str
) -> None:
    """What needs the supervisor's attention: a conflict on the sync screen, the card
    that enrols a revoked device again, and a change to a day of a closed month."""
    seen: list[str] = []
    visited: list[str] = []

    def look(screen: str) -> None:
        check(phone, lang, screen, seen, visited)
        if lang == "fi":
            screenshot(phone, screenshots_dir() / f"a11y-{screen}.png")

    click: Callable[[str], None] = lambda identifier: tid(phone, identifier).click()  # noqa: E731
    store, device_id, closed_day = conflicted_device(server, tmp_path)
    with running_app(store) as app:
        unlock(phone, app.url)
        click("nav-more")
        click(f"lang-{lang}")
        expect(tid(phone, "more-month")).to_have_text(t("month.title", lang))
        click("nav-sync")
        click("sync-now-big")
        conflict = phone.locator('[flt-semantics-identifier^="attention-"]')
        expect(conflict.first).to_be_visible(timeout=20_000)
        look("sync-conflict")

        server.storage.revoke(device_id, now=datetime.now(UTC))
        click("sync-now-big")
        expect(tid(phone, "reenroll")).to_be_visible(timeout=20_000)
        look("sync-reenrol")

        # back to the last day of the closed month, a tap a day (Aino is expected
        # every day of the week)
        click("nav-today")
        shown = f"{closed_day.day}.{closed_day.month}.{closed_day.year}"
        for _ in range((helsinki_today(datetime.now(UTC)) - closed_day).days):
            before = tid(phone, "today-date").inner_text()
            click("today-prev")
            expect(tid(phone, "today-date")).not_to_have_text(before)
        expect(tid(phone, "today-date")).to_contain_text(shown)
        expect(tid(phone, "closed-p-aino")).to_be_visible()
        look("today-closed-month")
        click("present-p-aino")  # a first mark in a closed month asks why too
        expect(tid(phone, "correction-save")).to_be_visible()
        expect(tid(phone, "correction-subject")).to_contain_text(fmt_date(closed_day))
        # the day has no record: the dialog says the month is closed, not "already marked"
        expect(tid(phone, "correction-intro")).to_have_text(t("correction.intro_closed", lang))
        look("closed-month-correction")
        click("correction-cancel")
        dialog_closed(phone, "correction-save")
        # the whole group at once: one reason for all, asked in the dialog
        phone.mouse.move(195, 400)
        phone.mouse.wheel(0, -5000)
        click("today-all-present")
        expect(tid(phone, "all-present-reason")).to_be_visible()
        look("closed-month-all-present")
        click("all-present-confirm")  # no reason yet: nobody is marked
        expect(tid(phone, "all-present-problem")).to_have_text(
            t("month.closed_reason_missing", lang)
        )
        type_into(phone, "all-present-reason", "Paperilista")
        click("all-present-confirm")
        dialog_closed(phone, "all-present-confirm")
        expect(tid(phone, "today-all-present")).to_have_count(0, timeout=10_000)
        expect(tid(phone, "status-p-aino")).not_to_have_text(t("today.not_marked", lang))

    assert seen == [], "\n".join(seen)
    assert tuple(visited) == TROUBLE
