"""The app's test harness: a seeded site, a device set up on it, the app as a process,
and Playwright helpers for Flutter's accessibility tree (see docs/app.md)."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from client.app.state import Device, open_device
from client.sync import SyncClient
from shared.calendar import helsinki_today
from shared.crypto import KdfParams
from shared.plans import Plan
from sync_server.storage import ParticipantRow, SiteRow, SqliteStorage
from tests.support.factory import plan, version
from tests.support.processes import (
    ROOT,
    answers,
    free_port,
    log_tail,
    start_module,
    stop,
    wait_until,
)

# Screenshots go to a git-ignored folder unless LASNA_SCREENSHOTS_DIR names another
# (``make screenshots`` sets docs/screenshots); a relative path is from the repository.
SCREENSHOTS_ENV = "LASNA_SCREENSHOTS_DIR"
DEFAULT_SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
SITE = "paja"
SITE_NAME = "Kierrätyspaja (Kempele)"
PIN = "246810"
SUPERVISOR = "Sanna Ohjaaja"
# scrypt at full cost belongs to the app processes; the state tests use a light one
LIGHT_KDF = KdfParams(n=2**8, r=1, p=1)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    rule_set: str
    allowance_type: str
    days: tuple[int, int]
    hours: tuple[int, int]
    weekdays: frozenset[int] | None = None


# Every day agreed for the first four, so the browser tests find them on Today whatever
# the weekday they run on; Eero's plan names three weekdays.
EVERY_DAY = frozenset(range(1, 8))
PEOPLE = (
    Person("p-aino", "Aino Virtanen", "kuntouttava", "kulukorvaus", (1, 4), (4, 8), EVERY_DAY),
    Person(
        "p-bertil", "Bertil Lindqvist", "osallistava", "paivakorvaus", (1, 5), (2, 6), EVERY_DAY
    ),
    Person("p-cecilia", "Cecilia Mäkinen", "vammaisten", "tyoosuusraha", (1, 5), (1, 8), EVERY_DAY),
    Person("p-daniel", "Daniel Korhonen", "kuntouttava", "toimintaraha", (1, 4), (4, 8), EVERY_DAY),
    Person(
        "p-eero",
        "Eero Nieminen",
        "kuntouttava",
        "kulukorvaus",
        (2, 3),
        (4, 6),
        frozenset({1, 2, 3}),
    ),
)


def plan_of(person: Person, today: date) -> Plan:
    start = today - timedelta(days=60)
    months = {"kuntouttava": 330, "osallistava": 85, "vammaisten": 330}[person.rule_set]
    agreed = version(
        start=start,
        end=start + timedelta(days=months),
        days=person.days,
        hours=person.hours,
        weekdays=person.weekdays,
        allowance_type=person.allowance_type,
    )
    return plan(agreed, rule_set=person.rule_set, participant=person.id, site=SITE)


def seed_site(storage: SqliteStorage) -> None:
    """One site, four participants under all three rule sets, plans running around today."""
    now = datetime.now(UTC)
    today = helsinki_today(now)
    storage.import_sites([SiteRow(SITE, SITE_NAME)], now=now)
    storage.import_participants(
        [ParticipantRow(p.id, SITE, p.name, f"REF-{p.id}") for p in PEOPLE], now=now
    )
    storage.import_plans([plan_of(p, today) for p in PEOPLE], now=now)


def enrolled_device(
    store: Path, server_url: str, code: str, *, kdf: KdfParams | None = LIGHT_KDF
) -> Device:
    """A device set up on the server the way the set-up screen does it, then synced."""
    device = open_device(store, kdf_params=kdf)
    enrollment = SyncClient.enroll(device.http, server_url, code, device_name="Testitabletti")
    device.store.create_first_supervisor(str(uuid.uuid4()), SUPERVISOR, PIN, now=datetime.now(UTC))
    device.sync.attach(enrollment)
    report = device.sync.sync_once(now=datetime.now(UTC))
    assert report.ok, report.error
    return device


class AppProcess:
    """``python -m client.app`` on a free loopback port (the README's command)."""

    def __init__(
        self, store: Path, *, server_url: str | None = None, idle_seconds: float = 300
    ) -> None:
        self.store = store
        self.port = free_port()
        self.server_url = server_url
        self.idle_seconds = idle_seconds
        self.log_path = store.with_suffix(".app.log")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> AppProcess:
        args = [
            "--store",
            str(self.store),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--idle-seconds",
            str(self.idle_seconds),
        ]
        if self.server_url:
            args += ["--server-url", self.server_url]
        env = {"FLET_WEB_NO_CDN": "1", "FLET_FORCE_WEB_SERVER": "1"}
        self.proc = start_module("client.app", *args, env=env, log=self.log_path)
        wait_until(self.proc, answers(self.url), what="The app", details=self.log_tail)
        return self

    def log_tail(self) -> str:
        return log_tail(self.log_path)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
        self.proc = None


@contextmanager
def running_app(store: Path, **kwargs: object) -> Iterator[AppProcess]:
    app = AppProcess(store, **kwargs)  # type: ignore[arg-type]
    app.start()
    try:
        yield app
    finally:
        app.stop()


# -- Playwright over Flutter's semantics tree -------------------------------------------

ACTIVE_VALUE = "(document.activeElement && document.activeElement.value)"
FOCUSED_INPUT = (
    "() => document.activeElement && ['INPUT', 'TEXTAREA'].includes(document.activeElement.tagName)"
)


def tid(page: Page, identifier: str) -> Locator:
    """The control tagged ``Semantics(identifier=...)`` in the app."""
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')


def open_app(page: Page, url: str, first: str) -> None:
    """Load the app, switch on the accessibility tree, wait for a known first control."""
    page.goto(url)
    page.wait_for_selector("#loading", state="detached", timeout=30_000)
    page.locator("flt-semantics-placeholder").evaluate("e => e.click()")
    expect(tid(page, first)).to_be_visible(timeout=30_000)


def type_into(page: Page, identifier: str, text: str) -> None:
    """Type as a person does: Playwright's fill() does not reach Flutter's password
    fields, and a key at a time fires the same change events as a real keyboard.

    Flutter moves focus to its own editing element after the click; keys typed before
    that are lost, so wait for it, and check the field holds the whole text after (a
    second try starts from an emptied field)."""
    field = tid(page, identifier).locator("input, textarea").first
    for _ in range(3):
        field.click()
        try:
            page.wait_for_function(FOCUSED_INPUT, timeout=3_000)
            page.keyboard.press("Control+A")
            page.keyboard.press("Backspace")
            page.keyboard.type(text, delay=15)
            page.wait_for_function(f"() => {ACTIVE_VALUE} === {text!r}", timeout=3_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"Could not type into the field {identifier!r}.")


def unlock(page: Page, url: str, pin: str = PIN) -> None:
    """Open the app and unlock it (a tab opened while it is unlocked goes straight in)."""
    open_app(page, url, "sync-status")
    if tid(page, "nav-today").count():
        return
    expect(tid(page, "unlock-button")).to_be_visible()
    type_into(page, "unlock-pin", pin)
    tid(page, "unlock-button").click()
    expect(tid(page, "nav-today")).to_be_visible(timeout=15_000)


def no_horizontal_scroll(page: Page) -> bool:
    width: int = page.evaluate("() => document.documentElement.scrollWidth")
    return width <= page.viewport_size["width"] if page.viewport_size else False


def screenshots_dir() -> Path:
    chosen = os.environ.get(SCREENSHOTS_ENV, "").strip()
    if not chosen:
        return DEFAULT_SCREENSHOTS
    path = Path(chosen).expanduser()
    return path if path.is_absolute() else ROOT / path


def actions_side_by_side(page: Page, participant_id: str) -> bool:
    """The three actions of a participant's card on one row, each a full touch target
    with room for its label, inside the screen."""
    found = [
        tid(page, f"{action}-{participant_id}").bounding_box()
        for action in ("present", "absent", "times")
    ]
    boxes = [b for b in found if b is not None]
    width = page.viewport_size["width"] if page.viewport_size else 0
    return len(boxes) == 3 and all(
        b["height"] >= 48
        and b["width"] >= 96
        and b["x"] + b["width"] <= width
        and abs(b["y"] - boxes[0]["y"]) < 1
        for b in boxes
    )


def screenshot(page: Page, path: Path) -> None:
    """Save a screenshot once the canvas has caught up with the semantics tree (skwasm
    paints up to about half a second after it); the caller has asserted what is on it."""
    page.wait_for_timeout(1000)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000, f"{path} looks blank"


def wait_for_layout(page: Page, *, wide: bool) -> None:
    """After a viewport change: wait until the navigation has moved (bottom bar on a
    phone, side column on a tablet), so that the next tap hits the new layout."""
    where = "r.top < 200 && r.left < 100" if wide else "r.top > window.innerHeight - 120"
    page.wait_for_function(
        "() => { const e = document.querySelector('[flt-semantics-identifier=\"nav-today\"]');"
        f" if (!e) return false; const r = e.getBoundingClientRect(); return {where}; }}",
        timeout=10_000,
    )
