"""The whole app's state for one open screen: which screen, which language, and the
state of each screen. Views read it; their handlers call its commands."""

from __future__ import annotations

import asyncio
import contextvars
from enum import StrEnum

from client.app.state.auth import AuthMode, AuthState
from client.app.state.device import Device
from client.app.state.drafts import Drafts
from client.app.state.errors import InputProblem
from client.app.state.feedback import Feedback
from client.app.state.month import MonthState
from client.app.state.observable import StateObservable
from client.app.state.overview import OverviewState
from client.app.state.participant import ParticipantState
from client.app.state.search import SearchState
from client.app.state.sync_status import SyncStatusState
from client.app.state.today import TodayState
from client.app.texts.i18n import LANGUAGES


class Screen(StrEnum):
    SETUP = "setup"
    UNLOCK = "unlock"
    NEW_PIN = "new_pin"  # a PIN from before the rules: replaced before any data shows
    TODAY = "today"
    PARTICIPANT = "participant"
    OVERVIEW = "overview"
    SYNC = "sync"
    MONTH = "month"
    MORE = "more"


# Screens that show participant data: only while unlocked.
_SEALED = {Screen.TODAY, Screen.PARTICIPANT, Screen.OVERVIEW, Screen.MONTH, Screen.MORE}


class AppState(StateObservable):
    def __init__(self, device: Device) -> None:
        self.device = device
        self.lang = device.language()
        self.screen = Screen.SETUP
        self.auth = AuthState(device)
        self.sync = SyncStatusState(device)
        self.feedback = Feedback()  # the last command's problem or notice, the busy ring
        self._forget_screens()

    def _forget_screens(self) -> None:
        """Fresh screen states: at start and whenever the store locks, so that nothing
        read while unlocked stays in memory and the next unlock starts on today."""
        device = self.device
        self.today = TodayState(device)
        self.participant = ParticipantState(device)
        self.overview = OverviewState(device)
        self.month = MonthState(device)
        self.search = SearchState()  # each screen's name filter (issue 11)
        self.drafts = Drafts()  # the forms' text: no PIN typed before a lock outlives it
        self.drafts.reenroll.set(server_url=self.sync.server_url())
        self.back_to = Screen.TODAY
        self.site_name: str | None = None
        self._bind_parts()

    def bind_to(self, loop: asyncio.AbstractEventLoop, context: contextvars.Context) -> None:
        """The app's state and each screen's, bound to the session's loop."""
        super().bind_to(loop, context)
        self._bind_parts()

    def _bind_parts(self) -> None:
        if self._loop is not None and self._context is not None:
            parts = (self.auth, self.sync, self.feedback, self.today, self.participant)
            for part in (*parts, self.overview, self.month, self.search, *self.drafts.all()):
                part.bind_to(self._loop, self._context)

    def start(self) -> None:
        """Pick the first screen: set-up, unlock, or today when already unlocked."""
        self.auth.refresh()
        self.sync.refresh()
        # the forms start from what the device knows (a set-up interrupted, re-enrolment)
        self.drafts.setup.fill("server_url", self.auth.server_url)
        self.drafts.setup.fill("device_name", self.auth.device_name)
        self._follow_auth()

    @property
    def secret_place_key(self) -> str:
        """The settings line saying where the device secret is (keyring, file, phone)."""
        return f"more.secret_{self.device.secret_place}"

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise InputProblem("shell.language")
        self.lang = lang
        self.device.set_language(lang)

    def go(self, screen: Screen, participant_id: str | None = None) -> None:
        """Open ``screen``; sealed screens fall back to the unlock screen when locked."""
        self.auth.refresh()
        if screen in _SEALED and self.auth.mode is not AuthMode.UNLOCKED:
            self._follow_auth()
            return
        if screen is Screen.NEW_PIN and self.auth.mode is not AuthMode.PIN_CHANGE:
            self._follow_auth()
            return
        if screen is Screen.PARTICIPANT:
            if participant_id is None:
                raise InputProblem("participant.no_plan")
            if self.screen is not Screen.PARTICIPANT:
                self.back_to = self.screen
            self.participant.open(participant_id, self.today.day)
        elif screen is Screen.TODAY:
            self.today.load()
        elif screen is Screen.OVERVIEW:
            self.overview.load()
        elif screen is Screen.MONTH:
            self.month.load()
        elif screen is Screen.MORE:
            site = self.device.store.site()
            self.site_name = site[1] if site else None
        elif screen is Screen.SYNC:
            self.sync.refresh()
            if self.auth.mode is AuthMode.UNLOCKED:
                self.sync.load_attention()
        self.screen = screen

    def reload(self) -> None:
        """Read the current screen again (after a sync brought new data)."""
        person = self.participant.participant
        if self.screen is Screen.PARTICIPANT and person is not None:
            self.auth.refresh()
            if self.auth.mode is AuthMode.UNLOCKED:
                self.participant.reload()
                return
        self.go(self.screen)

    def record_day(self, participant_id: str) -> None:
        """From a participant's page to Today with their card, expected that day or not."""
        self.today.extra.add(participant_id)
        self.go(Screen.TODAY)

    def back(self) -> None:
        self.go(self.back_to)

    # -- commands that change who may see data ---------------------------------------------
    def create_first_supervisor(self, name: str, pin: str, pin_again: str) -> None:
        self.auth.create_first_supervisor(name, pin, pin_again)
        self.sync.sync_now()  # the site's participants and plans; offline is fine
        self.go(Screen.TODAY)

    def unlock(self, pin: str) -> bool:
        if not self.auth.unlock(pin):
            return False
        self.device.kick()
        self._forget_screens()  # an unlock starts on today, whatever was viewed before
        self._follow_auth()
        return True

    def choose_new_pin(self, pin: str, pin_again: str) -> None:
        self.auth.choose_new_pin(pin, pin_again)
        self.go(Screen.TODAY)

    def lock(self) -> None:
        self.auth.lock()
        self._forget_screens()
        self._follow_auth()

    def check_idle(self) -> bool:
        if self.auth.check_idle():
            self._forget_screens()
            self._follow_auth()
            return True
        return False

    def touch(self) -> None:
        self.auth.touch()

    def _follow_auth(self) -> None:
        mode = self.auth.mode
        if mode in (AuthMode.SETUP_SERVER, AuthMode.SETUP_PIN):
            self.screen = Screen.SETUP
        elif mode is AuthMode.UNLOCK:
            self.screen = Screen.UNLOCK
        elif mode is AuthMode.PIN_CHANGE:
            self.screen = Screen.NEW_PIN
        else:
            self.go(Screen.TODAY)
