"""Failure modes, so tests and the demo can see how the sender copes.

* ``ok``: answer normally.
* ``down``: every request gets 503 before anything is stored.
* ``error:N[:STATUS]``: the next N requests get STATUS (default 503), then normal.
* ``slow:SECONDS``: store the batch, then wait before answering (the sender may time
  out, retry, and must get "duplicate" back).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(slots=True)
class Decision:
    status: int | None  # answer with this status before storing, or None to go on
    delay: float  # seconds to wait before answering


class Faults:
    def __init__(self, mode: str = "ok") -> None:
        self._lock = threading.Lock()
        self.mode = "ok"
        self.fail_left = 0
        self.fail_status = 503
        self.delay = 0.0
        self.set(mode)

    def set(self, mode: str) -> None:
        name, _, rest = mode.partition(":")
        with self._lock:
            self.mode, self.fail_left, self.fail_status, self.delay = "ok", 0, 503, 0.0
            if name == "ok":
                return
            if name == "down":
                self.mode = "down"
            elif name == "error":
                count, _, status = rest.partition(":")
                self.mode = "error"
                self.fail_left = int(count or "1")
                self.fail_status = int(status or "503")
            elif name == "slow":
                self.mode = "slow"
                self.delay = float(rest or "2")
            else:
                raise ValueError(f"Unknown mode {mode!r}: use ok, down, error:N[:STATUS], slow:S.")

    def decide(self) -> Decision:
        with self._lock:
            if self.mode == "down":
                return Decision(503, 0.0)
            if self.mode == "error" and self.fail_left > 0:
                self.fail_left -= 1
                return Decision(self.fail_status, 0.0)
            return Decision(None, self.delay if self.mode == "slow" else 0.0)

    def describe(self) -> dict[str, object]:
        with self._lock:
            return {
                "mode": self.mode,
                "fail_left": self.fail_left,
                "fail_status": self.fail_status,
                "delay_seconds": self.delay,
            }
