"""The PIN rules (issue 10): at least six digits, nothing trivially guessed; and a PIN
set before the rules opens the store once more, then must be replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from client.store import (
    MIN_DIGITS,
    ErrorCode,
    PinFault,
    Store,
    SupervisorError,
    WeakPin,
    WrongPin,
    pin_fault,
)
from client.store import keyring as slots

from .builders import NOW, PIN, SECRET, SUPERVISOR
from .conftest import LIGHT, OpenStore

GOOD = ["246813", "905172", "3141592", "271828182845", "480516"]


@pytest.mark.parametrize("pin", GOOD)
def test_six_to_twelve_digits_without_a_pattern_are_fine(pin: str) -> None:
    assert pin_fault(pin) is None


@pytest.mark.parametrize(
    ("pin", "fault"),
    [
        ("", PinFault.FORMAT),
        ("4711", PinFault.FORMAT),
        ("47112", PinFault.FORMAT),
        ("4711 9", PinFault.FORMAT),
        (" 471129", PinFault.FORMAT),
        ("47112a", PinFault.FORMAT),
        ("４７１１２９", PinFault.FORMAT),  # full-width digits: not on a PIN pad
        ("1234567890123", PinFault.FORMAT),
        ("000000", PinFault.SAME_DIGIT),
        ("7777777", PinFault.SAME_DIGIT),
        ("123456", PinFault.RUN),
        ("654321", PinFault.RUN),
        ("234567", PinFault.RUN),
        ("987654", PinFault.RUN),
        ("890123", PinFault.RUN),
        ("1234567890", PinFault.RUN),
        ("121212", PinFault.COMMON),
        ("112233", PinFault.COMMON),
        ("123123", PinFault.COMMON),
        ("696969", PinFault.COMMON),
        ("159753", PinFault.COMMON),
        ("147258", PinFault.COMMON),
        ("520520", PinFault.COMMON),
        ("9898989898", PinFault.COMMON),
    ],
)
def test_short_or_trivial_pins_are_refused_with_the_reason(pin: str, fault: PinFault) -> None:
    assert pin_fault(pin) is fault


@pytest.mark.parametrize("pin", ["4711", "123456", "000000", "121212"])
def test_every_way_to_a_new_pin_asks_the_rules(open_store: OpenStore, pin: str) -> None:
    fresh = open_store()
    with pytest.raises(WeakPin) as first:
        fresh.create_first_supervisor(SUPERVISOR, "Maija", pin, now=NOW)
    assert first.value.code is ErrorCode.WEAK_PIN
    assert first.value.params == {"min_length": MIN_DIGITS, "fault": pin_fault(pin)}
    fresh.create_first_supervisor(SUPERVISOR, "Maija", PIN, now=NOW)
    with pytest.raises(WeakPin):
        fresh.add_supervisor("sup-2", "Ville", pin, now=NOW)
    with pytest.raises(WeakPin):
        fresh.change_pin(PIN, pin, now=NOW)
    fresh.add_supervisor("sup-2", "Ville", "864297", now=NOW)
    with pytest.raises(WeakPin):
        fresh.reset_supervisor("sup-2", pin, now=NOW)
    fresh.lock()
    fresh.unlock(SUPERVISOR, PIN, now=NOW)  # nothing was changed by the refusals
    fresh.unlock("sup-2", "864297", now=NOW)


def give_old_pin(path: Path, supervisor_id: str, pin: str, old_pin: str) -> None:
    """Re-wrap a supervisor's key under ``old_pin`` straight in the file, as the
    release before the PIN rules (4 digits and up, anything) could have."""
    db = Database(path)
    try:
        row = slots.supervisor_by_id(db, supervisor_id)
        private = slots.open_pin_slot(row, pin, SECRET)
        with db.atomic():
            slots.rewrap(db, SECRET, LIGHT, supervisor_id, old_pin, private)
    finally:
        db.close()


@pytest.fixture
def old_pin_store(open_store: OpenStore, db_path: Path) -> Store:
    first = open_store()
    first.create_first_supervisor(SUPERVISOR, "Maija", PIN, now=NOW)
    first.close()
    give_old_pin(db_path, SUPERVISOR, PIN, "4711")
    return open_store()


def test_an_old_pin_opens_but_must_be_replaced(old_pin_store: Store, db_path: Path) -> None:
    store = old_pin_store
    store.unlock(SUPERVISOR, "4711", now=NOW)
    assert store.pin_change_required()
    with pytest.raises(WeakPin):
        store.replace_refused_pin("4712", now=NOW)
    store.replace_refused_pin("380614", now=NOW)
    assert not store.pin_change_required()
    store.lock()
    with pytest.raises(WrongPin):
        store.unlock(SUPERVISOR, "4711", now=NOW)
    store.unlock(SUPERVISOR, "380614", now=NOW)
    assert not store.pin_change_required()


def test_a_good_pin_needs_no_change_and_cannot_skip_the_old_one(
    open_store: OpenStore,
) -> None:
    store = open_store()
    store.create_first_supervisor(SUPERVISOR, "Maija", PIN, now=NOW)
    store.lock()
    store.unlock(SUPERVISOR, PIN, now=NOW)
    assert not store.pin_change_required()
    # without a just-proven refused PIN, a new PIN needs the current one
    with pytest.raises(SupervisorError) as refused:
        store.replace_refused_pin("380614", now=NOW)
    assert refused.value.code is ErrorCode.OWN_PIN


def test_the_demand_ends_with_the_session(old_pin_store: Store) -> None:
    store = old_pin_store
    store.unlock(SUPERVISOR, "4711", now=NOW)
    store.lock()
    assert not store.pin_change_required()
    store.unlock(SUPERVISOR, "4711", now=NOW)  # still the old PIN: asked again
    assert store.pin_change_required()
    store.change_pin("4711", "380614", now=NOW)  # the ordinary way clears it too
    assert not store.pin_change_required()
