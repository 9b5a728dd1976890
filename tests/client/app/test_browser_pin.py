"""A PIN from before the PIN rules, in the real app in Chromium: unlock, choose a new
PIN on a screen without data, then Today; More says where the device key is."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlite_utils import Database

from client.app.secret import key_file_for
from client.store import keyring as slots
from tests.client.app.harness import (
    LIGHT_KDF,
    PIN,
    SITE,
    enrolled_device,
    open_app,
    running_app,
    tid,
    type_into,
)
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture
def old_pin_device(tmp_path: Path, server: ServerProcess) -> Path:
    """A set-up device whose supervisor still has a 4-digit PIN from an older release."""
    store = tmp_path / "device.db"
    device = enrolled_device(store, server.url, server.enrollment_code(SITE))
    supervisor = device.store.supervisors()[0].id
    device.close()
    secret = key_file_for(store).read_bytes()
    db = Database(store)
    try:
        private = slots.open_pin_slot(slots.supervisor_by_id(db, supervisor), PIN, secret)
        with db.atomic():
            slots.rewrap(db, secret, LIGHT_KDF, supervisor, "4711", private)
    finally:
        db.close()
    return store


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
