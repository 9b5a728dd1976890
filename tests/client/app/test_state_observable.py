"""The state classes are Flet observables the worker thread may change: a change made
off the loop is sent on the loop once the command is done, in the bound session's
context (issue 11)."""

from __future__ import annotations

import asyncio
import contextvars
import threading

from client.app.state.observable import StateObservable
from client.app.worker import Worker

SESSION: contextvars.ContextVar[str] = contextvars.ContextVar("session", default="none")


class Counter(StateObservable):
    def __init__(self) -> None:
        self.count = 0
        self.names: list[str] = []

    def add(self, name: str) -> None:
        self.count += 1
        self.names.append(name)


def test_changes_on_the_worker_reach_listeners_on_the_loop_after_the_command() -> None:
    heard: list[tuple[str | None, str, bool, int]] = []

    async def main() -> None:
        SESSION.set("tab-1")
        counter = Counter()
        counter.bind()
        loop_thread = threading.current_thread()

        def listener(sender: object, field: str | None) -> None:
            # on the loop, in the session's context, with the command complete
            on_loop = threading.current_thread() is loop_thread
            heard.append((field, SESSION.get(), on_loop, counter.count))

        counter.subscribe(listener)
        worker = Worker("test-observable")
        try:
            await worker.run(counter.add, "Aino")
        finally:
            worker.shutdown()
        counter.count = 5  # on the loop: at once
        assert heard[-1] == ("count", "tab-1", True, 5)

    # a loop of its own, in a thread of its own (a browser test may hold this one's)
    runner = threading.Thread(target=asyncio.run, args=(main(),))
    runner.start()
    runner.join(timeout=30)
    assert sorted(h[0] or "" for h in heard[:-1]) == ["count", "names"]
    assert all(h[1:] == ("tab-1", True, 1) for h in heard[:-1])


def test_unbound_state_notifies_at_once() -> None:
    counter = Counter()
    heard: list[str | None] = []

    def listener(_sender: object, field: str | None) -> None:
        heard.append(field)

    counter.subscribe(listener)  # Flet keeps listeners weakly: this one stays referenced
    counter.add("Bertil")
    assert heard == ["count", "names"]
