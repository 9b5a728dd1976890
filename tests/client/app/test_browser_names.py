"""Names a screen reader says and targets a finger hits (issue 11): each participant's
actions name the participant, an icon button has one name, every target is ≥ 48 px."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from client.app.texts.i18n import fmt_date, weekday_short
from shared.calendar import helsinki_today
from tests.client.app.harness import SITE, enrolled_device, running_app, tid, unlock
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# A control the screen's scroll cuts at the phone's bottom bar is measured cut (Flutter
# clips a node's rect to what shows): it is taken at full height, not counted as too
# small. The scrolled body ends 12 px above the bar's buttons (their padding and its).
TARGETS = """() => {
  const bar = document.querySelector('[flt-semantics-identifier="nav-today"]');
  const top = bar ? bar.getBoundingClientRect().top : innerHeight;
  const edge = top > innerHeight / 2 ? top - 12 : innerHeight;
  return [...document.querySelectorAll('[role=button]')].map(e => {
    const r = e.getBoundingClientRect();
    const inBar = e.closest('[flt-semantics-identifier^="nav-"]');
    const cut = r.bottom >= edge - 1 && r.top < edge - 1 && !inBar;
    return [e.getAttribute('aria-label') || e.textContent, r.width, cut ? 48 : r.height];
  }).filter(([, w, h]) => w > 0 && h > 0);
}"""


def test_actions_name_the_participant_and_icon_buttons_have_one_name(
    phone: Page, tmp_path: Path, server: ServerProcess
) -> None:
    store = tmp_path / "device.db"
    enrolled_device(store, server.url, server.enrollment_code(SITE)).close()
    with running_app(store) as app:
        unlock(phone, app.url)
        expect(tid(phone, "row-p-aino")).to_be_visible()
        for action in ("Paikalla", "Poissa", "Muu aika"):
            button = phone.get_by_role("button", name=f"{action}: Aino Virtanen", exact=True)
            expect(button).to_have_count(1)
        # issue 11: the whole site's "not held" is one named button of touch size
        site = phone.get_by_role("button", name="Palvelua ei järjestetä: koko paikka", exact=True)
        expect(site).to_have_count(1)
        for name in ("Lukitse", "Edellinen päivä", "Seuraava päivä"):
            expect(phone.get_by_role("button", name=name, exact=True)).to_have_count(1)
            # one name, the button's: no tooltip or label around it says it again
            expect(phone.locator(f'[aria-label*="{name}"]')).to_have_count(0)
        small = [
            (name, w, h) for name, w, h in phone.evaluate(TARGETS) if w < 48 - 0.5 or h < 48 - 0.5
        ]
        assert small == []
        # a mark not sent yet has an undo, named with the participant too (issue 11)
        tid(phone, "present-p-aino").click()
        expect(tid(phone, "undo-p-aino")).to_be_visible()
        undo = phone.get_by_role("button", name="Kumoa: Aino Virtanen", exact=True)
        expect(undo).to_have_count(1)
        box = undo.bounding_box()
        assert box is not None and box["width"] >= 48 - 0.5 and box["height"] >= 48 - 0.5
        # the name search is named in the UI language (issue 11; the overview's grid and
        # search are checked in test_browser_overview.py)
        expect(phone.get_by_role("textbox", name="Hae nimellä", exact=True)).to_have_count(1)
        # a day's history is named with its day (a month lists many days)
        # (Aino was marked present just above)
        expect(tid(phone, "recorded-p-aino")).to_be_visible()
        tid(phone, "open-p-aino").click()
        expect(tid(phone, "participant-plan")).to_be_visible()
        day = helsinki_today(datetime.now(UTC))
        said = f"{weekday_short(day.isoweekday(), 'fi')} {fmt_date(day)}"
        history = phone.get_by_role("button", name=f"Päivän {said} historia", exact=True)
        expect(history).to_have_count(1)
        small = [
            (name, w, h) for name, w, h in phone.evaluate(TARGETS) if w < 48 - 0.5 or h < 48 - 0.5
        ]
        assert small == []
        tid(phone, "nav-today").click()
        # the other participants open in place (the component's own state)
        tid(phone, "today-add-other").click()
        expect(tid(phone, "today-no-others").or_(tid(phone, "show-p-eero"))).to_be_visible()
