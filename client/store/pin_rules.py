"""What a new PIN must be: the one place the rule lives.

A PIN guards the data key only together with the device secret (docs/security.md):
whoever has both can try every PIN offline, and scrypt only makes each try cost
something. Six digits give 10^6 PINs, a hundred times the 10^4 of four digits; and
the PINs people pick first (one digit repeated, a run, a keypad pattern, a repeated
pair) are the ones an attacker tries first, so they are refused outright.

The store checks every new PIN with :func:`pin_fault`; the app asks the same
function so that it can say why before anything is written. A PIN set before these
rules keeps working, but :func:`pin_fault` on it after an unlock tells the app to
ask for a new one.
"""

from __future__ import annotations

from enum import StrEnum
from itertools import pairwise

MIN_DIGITS = 6
MAX_DIGITS = 12

# The most common 6-digit PINs that are not already one digit repeated or a run
# (from published PIN-frequency studies: keypad columns and diagonals, repeated
# pairs and triples, mirrored halves, number words).
COMMON_PINS = frozenset(
    {
        "101010",
        "102030",
        "110110",
        "111222",
        "112233",
        "121212",
        "123123",
        "123321",
        "123654",
        "131313",
        "147147",
        "147258",
        "147852",
        "159357",
        "159753",
        "202020",
        "258258",
        "258456",
        "369369",
        "456123",
        "520520",
        "521521",
        "654123",
        "666999",
        "696969",
        "741852",
        "753951",
        "789456",
        "852456",
        "951753",
        "963852",
        "987456",
    }
)


class PinFault(StrEnum):
    """Why a new PIN is refused (the app says it in the supervisor's language)."""

    FORMAT = "format"  # not 6–12 digits
    SAME_DIGIT = "same_digit"  # 000000, 777777
    RUN = "run"  # 123456, 654321, 890123
    COMMON = "common"  # on the list above, or a short block repeated (121212, 123123)


def pin_fault(pin: str) -> PinFault | None:
    """Why ``pin`` may not be chosen as a new PIN, or None when it may."""
    if not (pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS):
        return PinFault.FORMAT
    if len(set(pin)) == 1:
        return PinFault.SAME_DIGIT
    if _is_run(pin):
        return PinFault.RUN
    if pin in COMMON_PINS or _repeats_a_block(pin):
        return PinFault.COMMON
    return None


def _is_run(pin: str) -> bool:
    """Each digit one up (or one down) from the last, 9 wrapping to 0 (789012)."""
    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(pin)}
    return steps in ({1}, {9})


def _repeats_a_block(pin: str) -> bool:
    """The same two or three digits over and over (121212, 123123, 9898989898)."""
    return any(len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size) for size in (2, 3))
