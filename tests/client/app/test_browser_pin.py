"""A PIN from before the PIN rules, in the real app in Chromium: unlock, choose a new
PIN on a screen without data, then Today; More says where the device key is."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.client.app.harness import (
    open_app,
    running_app,
    tid,
    type_into,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_an_old_pin_leads_to_a_new_one_before_today(phone: Page, old_pin_device: Path) -> None:
    with running_app(old_pin_device) as app:
        open_app(phone, app.url, "unlock-button")
        type_into(phone, "unlock-pin", "4711")
        tid(phone, "unlock-button").click()
        expect(tid(phone, "newpin-intro")).to_be_visible(timeout=15_000)
        expect(tid(phone, "nav-today")).to_have_count(0)
        expect(tid(phone, "row-p-aino")).to_have_count(0)
        type_into(phone, "renew-pin", "123456")
        type_into(phone, "renew-pin-again", "123456")
        tid(phone, "renew-save").click()
        expect(phone.get_by_text("numerojono ylös- tai alaspäin", exact=False)).to_be_visible()
        # two PINs that differ: said so, and only the repeat is typed again (issue 11)
        type_into(phone, "renew-pin", "580213")
        type_into(phone, "renew-pin-again", "580231")
        tid(phone, "renew-save").click()
        expect(tid(phone, "problem")).to_have_text("PIN-koodit eivät täsmää.")
        type_into(phone, "renew-pin-again", "580213")
        tid(phone, "renew-save").click()
        expect(tid(phone, "row-p-aino")).to_be_visible(timeout=15_000)
        tid(phone, "nav-more").click()
        expect(tid(phone, "more-secret-place")).to_contain_text("tiedostossa")
