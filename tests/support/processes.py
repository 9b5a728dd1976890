"""Our own programs as real processes on loopback: free ports, start, wait, stop.

The sync server, the app, the county stand-in, the demo and the forward's command line
are all started the same way: ``python -m <package>`` from the repository root, with
this checkout first on ``PYTHONPATH``.
"""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 30.0

Process = subprocess.Popen[bytes]
Output = int | IO[bytes] | None


def free_port() -> int:
    """A loopback port nobody listens on (nothing guards it until a process binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_closed(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def child_env(
    env: Mapping[str, str] | None = None, *, without: str | None = None
) -> dict[str, str]:
    """This process's environment, less the names starting with ``without``, plus ``env``;
    the checkout first on ``PYTHONPATH``."""
    out = {k: v for k, v in os.environ.items() if without is None or not k.startswith(without)}
    out.update(env or {})
    out["PYTHONPATH"] = str(ROOT) + os.pathsep + out.get("PYTHONPATH", "")
    return out


def start_module(
    module: str,
    *args: str,
    env: Mapping[str, str] | None = None,
    without: str | None = None,
    log: Path | None = None,
    stdout: Output = None,
    stderr: Output = None,
) -> Process:
    """``python -m module args`` in the repository root. With ``log``, both output streams
    are appended to that file; otherwise ``stdout``/``stderr`` are passed to Popen."""
    command = [sys.executable, "-m", module, *args]
    environment = child_env(env, without=without)
    if log is None:
        return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=stdout, stderr=stderr)
    with log.open("ab") as sink:
        return subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=sink, stderr=subprocess.STDOUT
        )


def answers(url: str, *, verify: ssl.SSLContext | bool = True) -> Callable[[], bool]:
    """A readiness check: ``url`` answers 200 to a GET."""

    def check() -> bool:
        try:
            return httpx.get(url, timeout=1.0, verify=verify).status_code == 200
        except httpx.TransportError:
            return False

    return check


def wait_until(
    process: Process,
    ready: Callable[[], bool],
    *,
    what: str,
    details: Callable[[], str] = lambda: "",
    timeout: float = STARTUP_TIMEOUT,
) -> None:
    """Poll ``ready`` until it holds; fail with ``details()`` if the process exits first
    or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited at start:\n{details()}")
        if ready():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not answer in time:\n{details()}")


def stop(process: Process, timeout: float = 10) -> None:
    """Terminate politely, then kill if it will not go."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
