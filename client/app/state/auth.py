"""Setting up the device, unlocking, locking and adding supervisors.

Setting up asks for the server address and the administrator's one-time code, then
for the supervisor's own name and PIN. Nothing reaches the server until the PIN is
chosen: the code is spent only when the whole set-up can finish on this device, so
a half-done set-up never wastes it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from client.app.state.device import Device
from client.app.state.errors import AppError, InputProblem, NotReady
from client.app.state.observable import StateObservable
from client.app.texts.problems import sync_problem
from client.store import PinFault, PinLockedOut, SupervisorInfo, TooEarly, WrongPin, pin_fault
from client.sync import Enrollment, EnrollmentError, SyncClient, check_server_url

# What the screen says for each reason the PIN rules (client.store.pin_rules) refuse a PIN.
PIN_FAULT_KEYS = {
    PinFault.FORMAT: "error.pin_format",
    PinFault.SAME_DIGIT: "error.pin_same_digit",
    PinFault.RUN: "error.pin_run",
    PinFault.COMMON: "error.pin_common",
}


# The fields of a form that asks for a new PIN (InputProblem.wrong_field names them).
NAME, NEW_PIN, PIN_AGAIN = "name", "pin", "pin_again"


class AuthMode(StrEnum):
    SETUP_SERVER = "setup_server"  # step 1: server address and code
    SETUP_PIN = "setup_pin"  # step 2: own name and PIN
    UNLOCK = "unlock"
    PIN_CHANGE = "pin_change"  # unlocked with a PIN the rules now refuse: choose a new one
    UNLOCKED = "unlocked"


@dataclass(frozen=True)
class PinProblem:
    """Why an unlock failed, for the screen to say: i18n key plus parameters."""

    key: str
    remaining: int | None = None
    retry_after: datetime | None = None


class AuthState(StateObservable):
    def __init__(self, device: Device) -> None:
        self.device = device
        self.mode = AuthMode.SETUP_SERVER
        self.supervisors: list[SupervisorInfo] = []
        self.selected: str | None = None
        self.server_url = device.default_server_url or ""
        self.code = ""
        self.device_name = device.device_name
        self.locked_by_idle = False
        self.pin_problem: PinProblem | None = None
        self.enrollment: Enrollment | None = None
        self.current: str | None = None  # the unlocked supervisor's id
        self.enrolled = False

    # -- reading -------------------------------------------------------------------------
    def refresh(self) -> None:
        store = self.device.store
        self.enrolled = self.device.enrolled()
        if not store.is_initialised():
            self.mode = AuthMode.SETUP_PIN if self.code else AuthMode.SETUP_SERVER
            return
        self.supervisors = store.supervisors()
        self.current = store.current_supervisor
        if store.is_unlocked(now=self.device.now()):
            self.mode = self._unlocked_mode()
        else:
            self.mode = AuthMode.UNLOCK
            ids = [s.id for s in self.supervisors]
            if self.selected not in ids:
                self.selected = ids[0] if len(ids) == 1 else None

    @property
    def supervisor_name(self) -> str:
        return next((s.display_name for s in self.supervisors if s.id == self.current), "")

    # -- setting up --------------------------------------------------------------------------
    def choose_server(self, server_url: str, code: str, device_name: str = "") -> None:
        """Step 1: check the address and code as typed; nothing is sent yet."""
        if not server_url.strip():
            raise InputProblem("error.url_missing")
        try:
            url = check_server_url(server_url)
        except EnrollmentError as exc:
            raise InputProblem("error.enroll_failed", detail=sync_problem(exc)) from None
        if not code.strip():
            raise InputProblem("error.code_missing")
        self.server_url, self.code = url, code.strip()
        self.device_name = device_name.strip() or self.device.device_name
        self.mode = AuthMode.SETUP_PIN

    def back_to_server(self) -> None:
        self.mode = AuthMode.SETUP_SERVER

    def create_first_supervisor(self, name: str, pin: str, pin_again: str) -> Enrollment:
        """Step 2: enroll with the server, create the supervisor and store the credential.

        Raises :class:`InputProblem` for a bad name or PIN (nothing sent) and for a
        refused enrollment (nothing written on the device).
        """
        if not self.code:
            raise NotReady("error.not_enrolled")
        display_name = _check_name_and_pin(name, pin, pin_again)
        try:
            enrollment = SyncClient.enroll(
                self.device.http, self.server_url, self.code, device_name=self.device_name
            )
        except EnrollmentError as exc:
            raise InputProblem("error.enroll_failed", detail=sync_problem(exc)) from exc
        now = self.device.now()
        store = self.device.store
        store.create_first_supervisor(str(uuid.uuid4()), display_name, pin, now=now)
        self.device.sync.attach(enrollment)
        self.enrollment = enrollment
        self.code = ""
        self.refresh()
        return enrollment

    def add_supervisor(self, name: str, pin: str, pin_again: str) -> str:
        """Another supervisor on a shared tablet, with their own PIN (needs an unlock)."""
        display_name = _check_name_and_pin(name, pin, pin_again)
        self.device.store.add_supervisor(
            str(uuid.uuid4()), display_name, pin, now=self.device.now()
        )
        self.supervisors = self.device.store.supervisors()
        return display_name

    # -- unlocking -------------------------------------------------------------------------
    def select(self, supervisor_id: str) -> None:
        self.selected = supervisor_id
        self.pin_problem = None

    def unlock(self, pin: str) -> bool:
        """Try the PIN of the selected supervisor; on failure ``pin_problem`` says why."""
        if self.selected is None:
            self.pin_problem = PinProblem("unlock.pick_supervisor")
            return False
        try:
            self.device.store.unlock(self.selected, pin, now=self.device.now())
        except WrongPin as exc:
            key = "unlock.wrong_pin_wait" if exc.retry_after else "unlock.wrong_pin"
            self.pin_problem = PinProblem(key, exc.remaining, exc.retry_after)
            self.supervisors = self.device.store.supervisors()
            return False
        except TooEarly as exc:
            self.pin_problem = PinProblem("unlock.too_early", retry_after=exc.retry_after)
            return False
        except PinLockedOut:
            self.pin_problem = PinProblem("unlock.locked_out")
            self.supervisors = self.device.store.supervisors()
            return False
        self.pin_problem = None
        self.locked_by_idle = False
        self.mode = self._unlocked_mode()
        self.current = self.device.store.current_supervisor
        return True

    def _unlocked_mode(self) -> AuthMode:
        # no participant data until a PIN from before the rules is replaced
        if self.device.store.pin_change_required():
            return AuthMode.PIN_CHANGE
        return AuthMode.UNLOCKED

    # -- changing one's own PIN ----------------------------------------------------------------
    def choose_new_pin(self, pin: str, pin_again: str) -> None:
        """Replace a PIN the rules refuse, right after unlocking with it."""
        _check_pin(pin, pin_again)
        self.device.store.replace_refused_pin(pin, now=self.device.now())
        self.mode = AuthMode.UNLOCKED

    def change_pin(self, old_pin: str, pin: str, pin_again: str) -> None:
        """A new PIN for the signed-in supervisor; a wrong old PIN counts as a wrong PIN."""
        _check_pin(pin, pin_again)
        self.device.store.change_pin(old_pin, pin, now=self.device.now())

    def lock(self) -> None:
        self.device.store.lock()
        self.locked_by_idle = False
        self.pin_problem = None
        self.refresh()

    def touch(self) -> None:
        """The supervisor did something: restart the idle timer."""
        if self.mode in (AuthMode.UNLOCKED, AuthMode.PIN_CHANGE):
            self.device.store.touch(now=self.device.now())

    def check_idle(self) -> bool:
        """Lock when idle too long; True when this call found the app just locked."""
        if self.mode not in (AuthMode.UNLOCKED, AuthMode.PIN_CHANGE):
            return False
        if self.device.store.is_unlocked(now=self.device.now()):
            return False
        self.refresh()
        self.locked_by_idle = True
        return True


def _check_name_and_pin(name: str, pin: str, pin_again: str) -> str:
    display_name = " ".join(name.split())
    if not display_name:
        raise InputProblem("error.name_missing", wrong_field=NAME)
    _check_pin(pin, pin_again)
    return display_name


def _check_pin(pin: str, pin_again: str) -> None:
    """The store's PIN rules, said before anything is written; then the repeat."""
    fault = pin_fault(pin)
    if fault is not None:
        raise InputProblem(PIN_FAULT_KEYS[fault], wrong_field=NEW_PIN)
    if pin != pin_again:
        raise InputProblem("error.pin_mismatch", wrong_field=PIN_AGAIN)


def pin_fields_to_clear(problem: AppError | None) -> tuple[str, ...]:
    """After a try with a new PIN and its repeat: which of the two fields to empty.

    Say what is wrong, keep what is right: a refused PIN empties both (its repeat is
    no use), a repeat that differs empties only the repeat, a problem elsewhere (the
    name, the server) keeps both, and a success empties both."""
    if problem is None or problem.wrong_field == NEW_PIN:
        return (NEW_PIN, PIN_AGAIN)
    if problem.wrong_field == PIN_AGAIN:
        return (PIN_AGAIN,)
    return ()


__all__ = ["AppError", "AuthMode", "AuthState", "PinProblem", "pin_fields_to_clear"]
