"""The device: one encrypted store, one sync client and the clock, shared by every
screen of the running app. Opening it reads or creates the device secret."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

from client.app.secret import key_file_for, keyring_entry_for
from client.app.state.clock import Clock, system_clock
from client.app.texts.i18n import DEFAULT_LANGUAGE, LANGUAGES
from client.device_secret import DeviceSecret, SecretPlace, load_or_create_desktop_secret
from client.store import KdfParams, Store
from client.sync import Backoff, SyncClient, SyncReport, SyncScheduler
from shared.calendar import helsinki_today

DEFAULT_IDLE = timedelta(minutes=5)
# Unsent records older than this many days are warned about (issue 11): by then they
# may have missed the night's forward to the county.
DEFAULT_OFFLINE_LIMIT_DAYS = 3
SYNC_INTERVAL = timedelta(minutes=3)
# A slow or absent network never holds the screen (sync runs off the event loop), and
# a "sync now" tap should answer within seconds: two tries with a short wait, then the
# failure shows in the status strip and the background schedule tries again later.
HTTP_TIMEOUT = httpx.Timeout(15.0, connect=4.0)
SYNC_BACKOFF = Backoff(attempts=2, base=0.5, cap=2.0)
STORE_NAME = "lasna.db"


@dataclass
class Device:
    store: Store
    sync: SyncClient
    http: httpx.Client
    clock: Clock = system_clock
    idle_timeout: timedelta = DEFAULT_IDLE
    offline_limit_days: int = DEFAULT_OFFLINE_LIMIT_DAYS
    default_server_url: str | None = None
    device_name: str = "Läsnä"
    secret_place: SecretPlace = SecretPlace.FILE  # said on the settings screen
    generation: int = 0  # bumped when a background sync brought news: screens re-read
    # rounds: "sync now" in the caller's thread, and the background schedule once started
    scheduler: SyncScheduler = field(init=False, repr=False)
    _background: bool = field(default=False, repr=False)
    _closed: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        # self.now, not self.clock: tests move the clock after the device is made
        self.scheduler = SyncScheduler(
            self.sync, interval=SYNC_INTERVAL, clock=self.now, on_round=self.on_round
        )

    def on_round(self, report: SyncReport) -> None:
        """Called by the scheduler's thread after each background round."""
        if report.pulled_records or report.reference_updated:
            self.generation += 1

    def start_background_sync(self, interval: timedelta = SYNC_INTERVAL) -> None:
        """Sync at start, every few minutes when something waits, and nightly."""
        if not self._background:
            self._background = True
            self.scheduler.interval = interval
            self.scheduler.start()

    def kick(self) -> None:
        """Sync soon in the background (after an unlock, or the app came back)."""
        if self._background:
            self.scheduler.trigger_now()

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return helsinki_today(self.clock())

    def device_id(self) -> str:
        """The id the server gave this device, or the store's own before enrollment."""
        return self.store.device_id

    def sync_server_url(self) -> str | None:
        """The server this device was set up with (clear bookkeeping, not sealed)."""
        return self.store.get_meta("server_url")

    def enrolled(self) -> bool:
        return self.store.get_meta("device_id") is not None

    def language(self) -> str:
        lang = self.store.get_meta("language")
        return lang if lang in LANGUAGES else DEFAULT_LANGUAGE

    def set_language(self, lang: str) -> None:
        self.store.set_meta("language", lang)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            if self._background:
                self.scheduler.stop()
            self.http.close()
            self.store.close()


def default_store_path() -> Path:
    """Where the database lives when ``--store`` is not given: the platform's app data
    folder (FLET_APP_STORAGE_DATA, kept across app updates) or the working folder."""
    base = os.environ.get("FLET_APP_STORAGE_DATA")
    return Path(base) / STORE_NAME if base else Path(STORE_NAME)


def open_device(
    store_path: Path,
    *,
    secret: DeviceSecret | None = None,
    clock: Clock = system_clock,
    idle_timeout: timedelta = DEFAULT_IDLE,
    offline_limit_days: int = DEFAULT_OFFLINE_LIMIT_DAYS,
    server_url: str | None = None,
    device_name: str = "Läsnä",
    http: httpx.Client | None = None,
    kdf_params: KdfParams | None = None,
) -> Device:
    """Open (or create) the store at ``store_path``.

    ``secret`` is the device secret from the platform's secure storage; without it the
    system keyring holds it, or where there is none a 0600 key file beside the database.
    """
    if secret is None:
        secret = load_or_create_desktop_secret(
            key_file_for(store_path), keyring_entry_for(store_path), store_path
        )
    value = secret.value
    if kdf_params is None:
        store = Store.open(store_path, value, idle_timeout=idle_timeout)
    else:
        store = Store.open(store_path, value, idle_timeout=idle_timeout, kdf_params=kdf_params)
    client = http or httpx.Client(timeout=HTTP_TIMEOUT)
    return Device(
        store=store,
        sync=SyncClient(store, client, timeout=HTTP_TIMEOUT, backoff=SYNC_BACKOFF),
        http=client,
        clock=clock,
        idle_timeout=idle_timeout,
        offline_limit_days=offline_limit_days,
        default_server_url=server_url,
        device_name=device_name,
        secret_place=secret.place,
    )
