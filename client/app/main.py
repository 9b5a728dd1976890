"""The Flet entry point: one shell per Flet session (a browser tab) over one device per process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import flet as ft

from client.app.secret import secret_source
from client.app.state import AppState, AuthMode, Device, Screen, default_store_path, open_device
from client.app.views.month import MonthScreen
from client.app.views.more import MoreScreen
from client.app.views.overview import OverviewScreen
from client.app.views.participant import ParticipantScreen
from client.app.views.setup import NewPinScreen, SetupScreen, UnlockScreen
from client.app.views.shell import ScreenComponent, Shell
from client.app.views.sync import SyncScreen, SyncStrip
from client.app.views.theme import app_theme
from client.app.views.today import TodayScreen
from client.app.worker import Worker
from client.device_secret import DeviceSecret

log = logging.getLogger(__name__)

# Each screen is a component given the parts of the app's state it is drawn from:
# Flet draws it again when one of them changes.
SCREENS: dict[Screen, ScreenComponent] = {
    Screen.SETUP: lambda app: SetupScreen(app.auth, app.drafts.setup, app.drafts.first_supervisor),
    Screen.UNLOCK: lambda app: UnlockScreen(app.auth, app.sync, app.drafts.unlock),
    Screen.NEW_PIN: lambda app: NewPinScreen(app.auth, app.drafts.new_pin),
    Screen.TODAY: lambda app: TodayScreen(app.today, app.search),
    Screen.PARTICIPANT: lambda app: ParticipantScreen(app.participant),
    Screen.OVERVIEW: lambda app: OverviewScreen(app.overview, app.search),
    Screen.SYNC: lambda app: SyncScreen(app.sync, app.auth, app.drafts.reenroll),
    Screen.MONTH: lambda app: MonthScreen(app.month),
    Screen.MORE: lambda app: MoreScreen(app, app.drafts.add_supervisor, app.drafts.change_pin),
}


def sync_strip(app: AppState) -> ft.Control:
    return SyncStrip(app.sync, app.auth, app.feedback)


TICK_SECONDS = 1.0  # how often the idle lock is checked
STATUS_EVERY = 2  # ticks between sync-strip refreshes
Main = Callable[[ft.Page], Awaitable[None]]


def make_main(device: Device, worker: Worker, sync_worker: Worker) -> Main:
    """Web and desktop: one device for the process, a shell per connected page."""

    async def main(page: ft.Page) -> None:
        await serve_page(page, device, worker, sync_worker)

    return main


def phone_main(store_path: Path | None = None) -> Main:
    """The packaged phone app (``flet build apk|ipa``): one page, the device secret in the
    platform's secure storage, the database under FLET_APP_STORAGE_DATA."""

    async def main(page: ft.Page) -> None:
        path = store_path or default_store_path()
        platform = page.platform.value if page.platform is not None else None
        source = secret_source(platform, path)
        secret = DeviceSecret(await source.load_or_create(), source.place)
        worker, sync_worker = Worker("lasna-store"), Worker("lasna-sync")
        device = await worker.run(open_device, path, secret=secret)
        device.start_background_sync()
        await serve_page(page, device, worker, sync_worker)

    return main


async def serve_page(page: ft.Page, device: Device, worker: Worker, sync_worker: Worker) -> None:
    """Draw the app on ``page`` and keep its idle lock and sync strip up to date."""
    page.title = "Läsnä"
    page.padding = 0
    page.spacing = 0
    page.theme = app_theme()  # every colour and its contrast: client/app/views/theme.py
    page.theme_mode = ft.ThemeMode.LIGHT
    app = AppState(device)
    app.bind()  # its changes re-render this session's components
    await worker.run(app.start)
    shell = Shell(page, app, worker, SCREENS, sync_strip, sync_worker=sync_worker)
    shell.mount()
    timers = SessionTimers(page, app, shell, device, worker)

    async def resized(_event: Any) -> None:
        if shell.wide != shell.drawn_wide:
            shell.render()

    async def connected(_event: Any) -> None:
        await timers.tick(force=True)  # a reload or reconnect: lock or redraw at once

    async def closed(_event: Any) -> None:
        timers.stop()

    async def lifecycle(event: Any) -> None:
        if "resume" in str(getattr(event, "state", "")).lower():
            device.kick()  # phones do not sync in the background: catch up now

    page.on_resize = resized
    page.on_connect = connected
    # A lost connection is not the end of the session: a reload of the tab, or the
    # network coming back, reconnects the same session without running main again.
    # The timers end only when Flet closes the session (it expired unconnected).
    page.on_close = closed
    page.on_app_lifecycle_state_change = lifecycle
    page.run_task(timers.run)


class SessionTimers:
    """The idle lock and the sync strip of one Flet session: they start with the
    session and end with it, never with one connection of it.

    While the session is disconnected the ticks go on (what they draw is sent with the
    whole page when the tab reconnects), so a tab that comes back after the idle
    limit shows the unlock screen, never the data it showed before."""

    def __init__(
        self, page: ft.Page, app: AppState, shell: Shell, device: Device, worker: Worker
    ) -> None:
        self.page = page
        self.app = app
        self.shell = shell
        self.device = device
        self.worker = worker
        self.alive = True
        self.ticks = 0
        self.seen = device.generation

    def stop(self) -> None:
        self.alive = False

    async def run(self) -> None:
        while self.alive:
            await asyncio.sleep(TICK_SECONDS)
            self.ticks += 1
            try:
                await self.tick()
            except Exception:  # one bad tick must not end the lock for the session
                log.exception("session timer tick failed")

    async def tick(self, *, force: bool = False) -> None:
        app, shell = self.app, self.shell
        if await self.worker.run(app.check_idle):
            if shell.dialog_open:
                shell.close_dialog()
            shell.render()
            return
        if self.device.generation != self.seen and app.auth.mode is AuthMode.UNLOCKED:
            self.seen = self.device.generation
            await self.worker.run(app.reload)
            shell.render()
            return
        if (force or self.ticks % STATUS_EVERY == 0) and not shell.syncing:
            # the strip observes app.sync: it re-draws itself when the counts changed
            await self.worker.run(app.sync.refresh)
            if force:
                shell.render()


def run_web(device: Device, *, host: str, port: int) -> None:
    """Serve the app until interrupted; the device is closed by the caller."""
    worker, sync_worker = Worker("lasna-store"), Worker("lasna-sync")
    try:
        main = make_main(device, worker, sync_worker)
        with contextlib.suppress(KeyboardInterrupt):
            ft.run(main, view=ft.AppView.WEB_BROWSER, host=host, port=port, no_cdn=True)
    finally:
        sync_worker.shutdown()
        worker.shutdown()
