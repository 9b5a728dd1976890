"""``ft.observable`` with types, and the shell's frame counter.

Flet's ``@ft.observable`` mixes :class:`flet.Observable` into a class: assigning a
public attribute notifies the components that were given the object, and Flet
re-renders them on the session's event loop. The app's state classes use
:class:`client.app.state.observable.StateObservable` instead (safe from the worker).
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
