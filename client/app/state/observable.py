"""The base of the app's state classes: Flet 1.0 observables that the store's worker
thread may change.

A state class's methods are its commands; assigning one of its public attributes
notifies the components drawn from it (``@ft.component`` views given the object), and
Flet re-renders them on the session's event loop. Flet expects that assignment on the
loop, inside the session (the notification looks the session's page up in a context
variable), but the commands run on the store's worker thread. So a change made off
the loop is only noted; :func:`flush` (which :meth:`client.app.worker.Worker.run`
calls on the loop once a command has finished) sends the notes, each in the context
of the session its object was bound to. A component therefore never sees a command
half-done. Unbound (the state tests, which need no Flet page) an object notifies at
once, with nobody listening. This module is the state's only tie to Flet.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading

import flet as ft

_lock = threading.Lock()
_pending: dict[int, tuple[StateObservable, set[str | None]]] = {}


class StateObservable(ft.Observable):
    """Base of the app's state classes (their methods are the commands)."""

    _loop: asyncio.AbstractEventLoop | None = None
    _context: contextvars.Context | None = None

    def bind(self) -> None:
        """Call on the session's loop, inside the session (its ``main``)."""
        self.bind_to(asyncio.get_running_loop(), contextvars.copy_context())

    def bind_to(self, loop: asyncio.AbstractEventLoop, context: contextvars.Context) -> None:
        self._loop, self._context = loop, context

    def _notify(self, field: str | None) -> None:
        if self._loop is None or _running_loop() is self._loop:
            super()._notify(field)
            return
        with _lock:
            _pending.setdefault(id(self), (self, set()))[1].add(field)

    def _send(self, field: str | None) -> None:
        super()._notify(field)


def flush() -> None:
    """On the loop: send the notifications noted while commands ran on other threads."""
    with _lock:
        noted = list(_pending.values())
        _pending.clear()
    for state, fields in noted:
        context = state._context
        for field in fields:
            if context is None:
                state._send(field)
            else:
                context.copy().run(state._send, field)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
