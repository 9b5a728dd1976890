"""``ft.observable`` with types, and a frame counter a session's view re-renders on.

Flet's ``@ft.observable`` mixes :class:`flet.Observable` into a class: assigning a
public attribute notifies the components that were given the object, and Flet
re-renders them on the session's event loop. ``ft.observable`` itself is untyped;
:func:`observable` keeps the class's type for mypy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

import flet as ft

C = TypeVar("C", bound=type)
_mix_in = cast(Callable[[type], type], ft.observable)


def observable(cls: C) -> C:
    """``@ft.observable`` keeping the decorated class's type."""
    return cast(C, _mix_in(cls))


@observable
class Frame:
    """What a session's shell draws besides the app's state: bumped by every command
    and timer that changed something, read by the shell's component."""

    def __init__(self) -> None:
        self.version = 0

    def bump(self) -> None:
        self.version += 1
