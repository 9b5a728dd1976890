"""The week and month grid, the week count and the name search in the real app, in
Chromium, against a real sync server (issue 11, items 9 and 10 and the search)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from client.app.state import Device
from client.app.texts.i18n import month_name
from shared.calendar import helsinki_today, month_bounds, week_bounds
from shared.records import AbsenceReason, current_records
from tests.client.app.conftest import TABLET
from tests.client.app.harness import (
    DEFAULT_SCREENSHOTS,
    SITE,
    enrolled_device,
    no_horizontal_scroll,
    running_app,
    screenshot,
    screenshots_dir,
    tid,
    type_into,
    unlock,
    wait_for_layout,
)
from tests.client.app.test_browser_names import TARGETS
from tests.support.factory import Records
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

WEEKDAYS_FI = ("ma", "ti", "ke", "to", "pe", "la", "su")


def last_month(today: date) -> tuple[date, date]:
    first = today.replace(day=1) - timedelta(days=1)
    return month_bounds(first.year, first.month)


def seed_weeks(device: Device, first: date, last: date) -> None:
    """A site's usual weeks between ``first`` and ``last``: Aino comes five days a week
    on a four-day plan (every Friday earns nothing: a finding), Bertil is off sick on
    Tuesdays, Cecilia's Thursday is not held, Daniel comes Tuesday to Thursday."""
    store = device.store
    now = datetime.now(UTC)
    make = Records(
        recorded_by=store.current_supervisor or "",
        device_id=device.device_id(),
        hours=5,
    )
    known = current_records(store.site_versions(first, last, now=now))
    day = first
    while day <= last:
        wd = day.isoweekday()
        records = []
        if wd <= 5:
            records.append(make.present(day, participant="p-aino"))
        if wd == 2:
            records.append(make.absent(day, AbsenceReason.SICK, participant="p-bertil"))
        elif wd in (1, 3, 5):
            records.append(make.present(day, 4, participant="p-bertil"))
        if wd == 4:
            records.append(make.not_held(day, participant="p-cecilia"))
        elif wd <= 3:
            records.append(make.present(day, participant="p-cecilia"))
        if 2 <= wd <= 4:
            records.append(make.present(day, participant="p-daniel"))
        if wd in (1, 2):
            records.append(make.present(day, participant="p-eero"))
        for record in records:
            if (record.participant_id, record.day) in known:
                continue  # the module's server gave it back from an earlier test's device
            assert store.save_record(record, now=now).saved, record
        day += timedelta(days=1)


@pytest.fixture
def seeded_store(tmp_path: Path, server: ServerProcess) -> Path:
    store = tmp_path / "device.db"
    device = enrolled_device(store, server.url, server.enrollment_code(SITE))
    try:
        today = helsinki_today(datetime.now(UTC))
        first, _ = last_month(today)
        seed_weeks(device, first, today - timedelta(days=1))
    finally:
        device.close()
    return store


def label(page: Page, identifier: str) -> str:
    """What a screen reader says for the control (Flutter puts a label in the node)."""
    return (tid(page, identifier).first.text_content() or "").strip()


def inside(page: Page, identifier: str) -> bool:
    # the semantics tree can trail the drawing on a busy machine: wait for the node
    expect(tid(page, identifier).first).to_be_visible()
    width = page.viewport_size["width"] if page.viewport_size else 0
    for _ in range(25):  # and for its place after a new size's layout (up to 5 s)
        box = tid(page, identifier).first.bounding_box()
        if box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width:
            return True
        page.wait_for_timeout(200)
    return False


def labels_apart(page: Page, prefix: str, *, across: bool) -> int:
    """How many of the chart's axis labels ``prefix``-* there are, after checking that
    no two of them overlap (side by side when ``across``, else one above the other)."""
    boxes = [
        b
        for b in (
            page.locator(f'[flt-semantics-identifier^="{prefix}"]').nth(i).bounding_box()
            for i in range(page.locator(f'[flt-semantics-identifier^="{prefix}"]').count())
        )
        if b is not None
    ]
    start, size = ("x", "width") if across else ("y", "height")
    boxes.sort(key=lambda b: b[start])
    for a, b in itertools.pairwise(boxes):
        assert a[start] + a[size] <= b[start] + 0.5, (prefix, a, b)
    return len(boxes)


def chart_readable(page: Page, shot: Path) -> None:
    # Flutter scrolls its own canvas: the wheel over the body, not the DOM, moves it
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.mouse.move(width - 60, 500)
    page.mouse.wheel(0, 2000)
    expect(tid(page, "chart-x-0")).to_be_visible()
    assert labels_apart(page, "chart-x-", across=True) == 5
    assert labels_apart(page, "chart-y-", across=False) >= 2
    screenshot(page, shot)


def test_month_grid_phone_a_week_at_a_time_tablet_whole_month(
    phone: Page, seeded_store: Path
) -> None:
    today = helsinki_today(datetime.now(UTC))
    first, last = last_month(today)
    with running_app(seeded_store) as app:
        unlock(phone, app.url)
        tid(phone, "nav-overview").click()
        tid(phone, "overview-month").click()
        expect(tid(phone, "overview-title")).to_have_text(month_name(today.year, today.month, "fi"))
        tid(phone, "overview-prev").click()
        expect(tid(phone, "overview-title")).to_have_text(month_name(first.year, first.month, "fi"))
        # the phone pages the month by week: the first page holds the 1st
        monday = week_bounds(first)[0]
        expect(tid(phone, f"grid-day-{first.isoformat()}")).to_be_visible()
        for name in ("Edellinen viikko", "Seuraava viikko"):
            button = phone.get_by_role("button", name=name, exact=True)
            expect(button).to_have_count(1)
            box = button.bounding_box()
            assert box is not None and box["width"] >= 47.5 and box["height"] >= 47.5
        tid(phone, "grid-next").click()
        second = monday + timedelta(days=7)
        expect(tid(phone, f"grid-day-{second.isoformat()}")).to_be_visible()
        sunday = second + timedelta(days=6)
        # letter and colour are not all: each cell says who, which day and what
        assert label(phone, f"cell-p-aino-{second.isoformat()}") == (
            f"Aino Virtanen, ma {second.day}.{second.month}.: läsnä"
        )
        friday = second + timedelta(days=4)
        assert label(phone, f"cell-p-aino-{friday.isoformat()}") == (
            f"Aino Virtanen, pe {friday.day}.{friday.month}.: läsnä, ei korvattava"
        )
        assert label(phone, f"cell-p-bertil-{(second + timedelta(days=1)).isoformat()}").endswith(
            ": poissa"
        )
        assert inside(phone, f"cell-p-eero-{sunday.isoformat()}")
        assert inside(phone, f"grid-day-{sunday.isoformat()}")
        assert no_horizontal_scroll(phone)
        shots = screenshots_dir()
        phone.mouse.move(0, 0)  # no hover shade on the last button pressed
        screenshot(phone, shots / "phone-month.png")
        chart_readable(phone, DEFAULT_SCREENSHOTS / "phone-month-chart.png")

        phone.set_viewport_size(TABLET)
        wait_for_layout(phone, wide=True)
        tid(phone, "nav-today").click()
        tid(phone, "nav-overview").click()  # the overview keeps the month it showed
        expect(tid(phone, "overview-title")).to_have_text(month_name(first.year, first.month, "fi"))
        # a tablet shows the whole month at once, its last day inside the screen
        expect(tid(phone, f"grid-day-{last.isoformat()}")).to_be_visible()
        expect(tid(phone, "grid-next")).to_have_count(0)
        assert inside(phone, f"grid-day-{last.isoformat()}")
        assert inside(phone, f"cell-p-eero-{last.isoformat()}")
        assert no_horizontal_scroll(phone)
        phone.mouse.move(0, 0)
        screenshot(phone, shots / "tablet-month.png")
        chart_readable(phone, DEFAULT_SCREENSHOTS / "tablet-month-chart.png")

        # the week on a tablet: Sunday's column is inside the screen (it was cut off)
        tid(phone, "overview-week").click()
        expect(tid(phone, "overview-title")).to_contain_text(f"{monday.day}.{monday.month}.")
        tid(phone, "overview-next").click()
        expect(tid(phone, "overview-title")).to_contain_text(f"{second.day}.{second.month}.")
        # one "next week" only: the grid's own pager is gone on a tablet (waits for the
        # tablet's layout, which may trail the title's change)
        expect(phone.get_by_role("button", name="Seuraava viikko", exact=True)).to_have_count(1)
        expect(tid(phone, f"grid-day-{sunday.isoformat()}")).to_be_visible()
        assert inside(phone, f"grid-day-{sunday.isoformat()}")
        assert inside(phone, f"cell-p-aino-{sunday.isoformat()}")
        assert no_horizontal_scroll(phone)
        phone.mouse.move(0, 0)
        screenshot(phone, shots / "tablet-week.png")


def test_week_count_says_present_and_eligible_days_apart(phone: Page, seeded_store: Path) -> None:
    """Last week Aino came Monday to Friday on a four-day plan: Today's card and the
    overview say five present, four earning the allowance (the card said "4/4")."""
    today = helsinki_today(datetime.now(UTC))
    with running_app(seeded_store) as app:
        unlock(phone, app.url)
        expect(tid(phone, "row-p-aino")).to_be_visible()
        # back to last week's Sunday, a day at a time
        for back in range(1, today.isoweekday() + 1):
            tid(phone, "today-prev").click()
            day = today - timedelta(days=back)
            expect(tid(phone, "today-date")).to_contain_text(f"{day.day}.{day.month}.{day.year}")
        expect(tid(phone, "week-p-aino")).to_have_text(
            "Läsnä 5 pv, korvattavia 4/4 pv tällä viikolla"
        )
        tid(phone, "nav-overview").click()
        tid(phone, "overview-prev").click()
        monday = week_bounds(today)[0] - timedelta(days=7)
        expect(tid(phone, "overview-title")).to_contain_text(f"{monday.day}.{monday.month}.")
        # the name opens Aino's page: a button that says the counts in full
        said = "Aino Virtanen: läsnä 5 päivää, korvattavia 4, enintään 4"
        expect(tid(phone, "overview-open-p-aino")).to_have_text(said)
        expect(phone.get_by_role("button", name=said, exact=True)).to_have_count(1)


def test_search_by_name_on_today_and_in_the_overview(phone: Page, seeded_store: Path) -> None:
    with running_app(seeded_store) as app:
        unlock(phone, app.url)
        expect(tid(phone, "row-p-aino")).to_be_visible()
        field = phone.get_by_role("textbox", name="Hae nimellä", exact=True)
        expect(field).to_have_count(1)
        type_into(phone, "search-today", "makinen")  # no accent typed: Mäkinen is found
        expect(tid(phone, "row-p-aino")).to_have_count(0)
        expect(tid(phone, "row-p-cecilia")).to_be_visible()
        # the field kept the focus and the text while the list changed under it
        assert phone.evaluate("document.activeElement.value") == "makinen"
        clear = phone.get_by_role("button", name="Tyhjennä haku", exact=True)
        expect(clear).to_have_count(1)
        clear.click()
        expect(tid(phone, "row-p-aino")).to_be_visible()
        expect(tid(phone, "row-p-cecilia")).to_be_visible()

        tid(phone, "nav-overview").click()
        expect(tid(phone, "overview-row-p-aino")).to_be_visible()
        type_into(phone, "search-overview", "eero")
        expect(tid(phone, "overview-row-p-aino")).to_have_count(0)
        expect(tid(phone, "overview-row-p-eero")).to_be_visible()
        type_into(phone, "search-overview", "zz")
        expect(tid(phone, "search-none-overview")).to_have_text(
            "Kenenkään nimi ei vastaa hakua ”zz”."
        )
        # every target on the overview is a whole touch target, and named
        small = [
            (name, w, h) for name, w, h in phone.evaluate(TARGETS) if w < 48 - 0.5 or h < 48 - 0.5
        ]
        assert small == []
        assert all(name for name, _w, _h in phone.evaluate(TARGETS))
        # Today keeps its own search: nothing typed there
        tid(phone, "nav-today").click()
        expect(tid(phone, "row-p-aino")).to_be_visible()
