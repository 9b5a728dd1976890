"""Debian's Chromium for the browser tests (the app's and the console's), through Playwright.

One browser serves the whole run: Playwright's sync API allows one instance per thread,
so the app's and the console's tests share the ``browser`` fixture of tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Playwright gives every launch a fresh temporary profile (it refuses
    --user-data-dir for a plain launch) and every test opens its own context, so nothing
    carries over between tests."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Debian's Chromium is needed at {CHROMIUM} (make test installs it).")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
