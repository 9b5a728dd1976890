"""Blocking work off the event loop: the store's SQLite and scrypt, and HTTP.

The store's connection belongs to one thread, so every store command runs on one
dedicated worker thread, in the order the supervisor gave them; the screen's event
loop only awaits the result and never blocks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from client.app.state.observable import flush

T = TypeVar("T")


class Worker:
    def __init__(self, name: str = "lasna-store") -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, partial(fn, *args, **kwargs))
        finally:
            flush()  # the command is done: its state changes re-render their views now

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """From a plain thread (start-up, shut-down): wait for the result."""
        return self._pool.submit(fn, *args, **kwargs).result()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
