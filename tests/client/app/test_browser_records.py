"""Issue 11 in the real app, in Chromium, against a real sync server: a note per day,
who recorded it and its versions, the whole site not held on a day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from shared.calendar import helsinki_today
from shared.records import Status, current_records
from tests.client.app.conftest import PHONE, TABLET
from tests.client.app.harness import (
    PEOPLE,
    SITE,
    SUPERVISOR,
    enrolled_device,
    no_horizontal_scroll,
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


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of its own for each test: the tests mark the same participants today."""
    with running_server(tmp_path / "server", seed=seed_site) as running:
        yield running


@pytest.fixture
def device_file(tmp_path: Path, server: ServerProcess) -> Path:
    store = tmp_path / "device.db"
    enrolled_device(store, server.url, server.enrollment_code(SITE)).close()
    return store


def server_record(server: ServerProcess, participant_id: str) -> object:
    today = helsinki_today(datetime.now(UTC))
    versions = server.storage.versions_for(participant_id, today, today)
    return current_records(versions).get((participant_id, today))


def test_a_note_with_the_health_hint_reaches_the_server(
    phone: Page, device_file: Path, server: ServerProcess
) -> None:
    with running_app(device_file, server_url=server.url) as app:
        unlock(phone, app.url)
        # the absence dialog takes a first mark's note above the reasons
        tid(phone, "absent-p-bertil").click()
        expect(tid(phone, "note-hint")).to_contain_text("Älä kirjoita terveystietoja")
        screenshot(phone, screenshots_dir() / "phone-absence-note.png")
        tid(phone, "absence-cancel").click()
        expect(tid(phone, "note-field")).to_have_count(0)
        tid(phone, "times-p-aino").click()
        expect(tid(phone, "note-hint")).to_contain_text("Älä kirjoita terveystietoja")
        type_into(phone, "times-hours", "5")
        type_into(phone, "note-field", "Tuli bussilla, lähti klo 13")
        screenshot(phone, screenshots_dir() / "phone-note.png")
        tid(phone, "times-save").click()
        expect(tid(phone, "status-p-aino")).to_have_text("Läsnä 5 h")
        tid(phone, "sync-now").click()
        expect(tid(phone, "sync-pending")).to_have_text("Kaikki lähetetty", timeout=20_000)
    record = server_record(server, "p-aino")
    assert record is not None
    assert getattr(record, "note", None) == "Tuli bussilla, lähti klo 13"


def test_who_recorded_and_the_versions_after_a_correction(
    phone: Page, device_file: Path, server: ServerProcess
) -> None:
    iso = helsinki_today(datetime.now(UTC)).isoformat()
    with running_app(device_file, server_url=server.url) as app:
        unlock(phone, app.url)
        tid(phone, "present-p-bertil").click()
        expect(tid(phone, "status-p-bertil")).to_contain_text("Läsnä")
        expect(tid(phone, "recorded-p-bertil")).to_contain_text(f"Merkinnyt {SUPERVISOR} ")
        tid(phone, "sync-now").click()
        expect(tid(phone, "sync-pending")).to_have_text("Kaikki lähetetty", timeout=20_000)
        # a correction: absent, with the reason and a note in the reason dialog
        tid(phone, "absent-p-bertil").click()
        expect(tid(phone, "note-field")).to_have_count(0)  # the note goes with the reason
        tid(phone, "reason-job_related").click()
        expect(tid(phone, "note-hint")).to_contain_text("terveystietoja")
        type_into(phone, "correction-reason", "Työhaastattelu unohtui")
        type_into(phone, "note-field", "Haastattelu klo 10")
        tid(phone, "correction-save").click()
        expect(tid(phone, "status-p-bertil")).to_contain_text("Poissa")
        expect(tid(phone, "sync-pending")).to_have_text("Odottaa lähetystä: 1")

        tid(phone, "open-p-bertil").click()
        expect(tid(phone, f"day-recorded-{iso}")).to_contain_text(f"Merkinnyt {SUPERVISOR} ")
        expect(tid(phone, f"day-note-{iso}")).to_have_text("Muistiinpano: Haastattelu klo 10")
        shots = screenshots_dir()
        for size, viewport in (("phone", PHONE), ("tablet", TABLET)):
            phone.set_viewport_size(viewport)
            wait_for_layout(phone, wide=viewport is TABLET)
            expect(tid(phone, f"day-history-{iso}")).to_be_visible()
            screenshot(phone, shots / f"{size}-participant-day.png")
            assert no_horizontal_scroll(phone)
            tid(phone, f"day-history-{iso}").click()
            newest, oldest = tid(phone, "history-0"), tid(phone, "history-1")
            expect(newest).to_contain_text("Versio 2 · Voimassa")
            expect(newest).to_contain_text(
                "Poissa: Työhaastattelu tai muu työllistymiseen liittyvä"
            )
            expect(newest).to_contain_text("Korjauksen syy: Työhaastattelu unohtui")
            expect(newest).to_contain_text("Muistiinpano: Haastattelu klo 10")
            expect(newest).to_contain_text("Odottaa lähetystä")
            expect(oldest).to_contain_text("Versio 1")
            expect(oldest).to_contain_text("Läsnä")
            expect(oldest).to_contain_text("Ei muistiinpanoa")
            expect(oldest).to_contain_text("Lähetetty")
            expect(oldest).to_contain_text(f"Merkinnyt {SUPERVISOR} ")
            screenshot(phone, shots / f"{size}-history.png")
            tid(phone, "history-close").click()
            expect(tid(phone, "history-list")).to_have_count(0)
    record = server_record(server, "p-bertil")
    assert record is not None and getattr(record, "status", None) is Status.PRESENT


def test_the_whole_site_not_held_after_a_confirmation(
    phone: Page, device_file: Path, server: ServerProcess
) -> None:
    today = helsinki_today(datetime.now(UTC))
    expected = [p.id for p in PEOPLE if p.weekdays is None or today.isoweekday() in p.weekdays]
    with running_app(device_file, server_url=server.url) as app:
        unlock(phone, app.url)
        tid(phone, "present-p-aino").click()
        expect(tid(phone, "status-p-aino")).to_contain_text("Läsnä")
        expect(tid(phone, "recorded-p-aino")).to_contain_text(f"Merkinnyt {SUPERVISOR} ")
        for size, viewport in (("tablet", TABLET), ("phone", PHONE)):
            phone.set_viewport_size(viewport)
            wait_for_layout(phone, wide=viewport is TABLET)
            # below the cards on a working day (at the top on a public holiday)
            tid(phone, "today-site-not-held").scroll_into_view_if_needed()
            expect(tid(phone, "today-site-not-held")).to_be_in_viewport()
            screenshot(phone, screenshots_dir() / f"{size}-today-records.png")
            assert no_horizontal_scroll(phone)
        tid(phone, "today-site-not-held").click()
        unmarked = len(expected) - 1
        expect(
            phone.get_by_text(f"merkitäänkö {unmarked} odotetulle osallistujalle")
        ).to_be_visible()
        expect(
            phone.get_by_text("1 osallistujalla on jo päivän merkintä, ja se säilyy.")
        ).to_be_visible()
        screenshot(phone, screenshots_dir() / "phone-site-not-held.png")
        tid(phone, "site-day-confirm").click()
        expect(tid(phone, "notice")).to_have_text(
            f"Palvelua ei järjestetä: {unmarked} osallistujaa merkitty"
        )
        for pid in expected:
            if pid != "p-aino":
                expect(tid(phone, f"status-{pid}")).to_have_text("Palvelua ei järjestetä")
        expect(tid(phone, "status-p-aino")).to_contain_text("Läsnä")  # kept
        expect(tid(phone, "sync-pending")).to_have_text(f"Odottaa lähetystä: {len(expected)}")
        # the action stays for the one already marked, who is changed only with a reason
        tid(phone, "today-site-not-held").click()
        expect(tid(phone, "site-day-confirm")).to_have_count(0)
        tid(phone, "site-day-all").click()
        expect(tid(phone, "site-day-problem")).to_contain_text("Kirjoita syy")
        type_into(phone, "site-day-reason", "Paja suljettiin vesivahingon takia")
        tid(phone, "site-day-all").click()
        expect(tid(phone, "status-p-aino")).to_have_text("Palvelua ei järjestetä")
        expect(tid(phone, "today-site-not-held")).to_have_count(0)
        tid(phone, "sync-now").click()
        expect(tid(phone, "sync-pending")).to_have_text("Kaikki lähetetty", timeout=20_000)
    for pid in expected:
        record = server_record(server, pid)
        assert getattr(record, "status", None) is Status.NOT_HELD, pid
    aino = server_record(server, "p-aino")
    assert getattr(aino, "correction_reason", None) == "Paja suljettiin vesivahingon takia"
