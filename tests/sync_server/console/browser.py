"""The console in a real browser: Debian's Chromium (Playwright) against the real server.

The server runs under uvicorn on loopback (``tests.support.server``); the first
administrator is made with the ``lasna-server create-admin`` command, as a county would.
Second-factor codes come from the secret the set-up page shows, computed with pyotp as
an authenticator app would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyotp
from playwright.sync_api import Page, expect

from sync_server.console.recipes import TOTP_STEP
from tests.support.processes import ROOT
from tests.support.server import ServerProcess

PASSWORD = "correct horse battery"  # a test value, not a secret
ADMIN = "maija.virtanen"


def create_admin(db_path: Path, username: str, name: str) -> str:
    """``lasna-server create-admin`` with the first password from a file; its output."""
    password_file = db_path.with_name(f"{username}.password")
    password_file.write_text(PASSWORD + "\n", "utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LASNA_")}
    environment["PYTHONPATH"] = str(ROOT)
    if not db_path.exists():  # a county starts a new database with init, then the admin
        subprocess.run(
            [sys.executable, "-m", "sync_server", "init", "--db", str(db_path)],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            timeout=60,
            check=True,
        )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sync_server",
            "create-admin",
            username,
            "--name",
            name,
            "--password-file",
            str(password_file),
            "--db",
            str(db_path),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


class Browsing:
    """One person at the console in one browser page; remembers their TOTP secret."""

    def __init__(self, page: Page, server: ServerProcess) -> None:
        self.page = page
        self.server = server
        self.secret: str | None = None

    def url(self, path: str) -> str:
        return f"{self.server.url}/console{path}"

    def language(self, lang: str, then: str = "/login") -> None:
        self.page.goto(self.url(f"/lang/{lang}?next=/console{then}"))

    def log_in(
        self,
        username: str,
        password: str = PASSWORD,
        *,
        at_second_factor: Callable[[], None] | None = None,
    ) -> None:
        """The login form, then the second factor: set up at the first login, else asked."""
        page = self.page
        page.goto(self.url("/login"))
        page.locator("#f-username").fill(username)
        page.locator("#f-password").fill(password)
        page.locator("form[action$='/login'] button[type=submit]").click()
        page.wait_for_url(re.compile(r"/console/login/(setup|code)"))
        again = "/login/code" in page.url
        if not again:
            self.secret = page.locator("code.secret").inner_text().replace(" ", "").strip()
        assert self.secret is not None, "a second login needs the secret of the first"
        if at_second_factor is not None:
            at_second_factor()
        # Each code works once. Logging in again within the same 30 seconds takes the next
        # step's code, which the server accepts as from a phone whose clock runs a little
        # ahead: no test waits for the clock.
        ahead = TOTP_STEP if again else 0
        page.locator("#f-code").fill(pyotp.TOTP(self.secret).at(time.time() + ahead))
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/console/(sites|overview|$)"))

    def log_out(self) -> None:
        self.page.locator("form.logout button").click()
        expect(self.page.locator("#f-username")).to_be_visible()

    def submit(self, form: str) -> None:
        """Press the submit button of the form whose action ends with ``form``."""
        self.page.locator(f"form[action$='{form}'] button[type=submit]").last.click()
        self.page.wait_for_load_state()


def typed_date(page: Page, day: date) -> str:
    """What to type into a focused date field for ``day``: the field's segments follow the
    browser's own language (month first in a headless Chromium whatever the page's
    locale), so ask a scratch field which order it takes."""
    probe = page.context.new_page()
    try:
        probe.set_content('<input id="d" type="date">')
        probe.focus("#d")
        probe.keyboard.type("01022003")
        month_first = probe.input_value("#d") == "2003-01-02"
    finally:
        probe.close()
    if month_first:
        return f"{day.month:02}{day.day:02}{day.year}"
    return f"{day.day:02}{day.month:02}{day.year}"
