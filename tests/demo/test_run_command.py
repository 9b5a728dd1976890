"""The README's `make run`: server, county stand-in, a first forward and the app, all
on loopback, stopped cleanly by Ctrl-C."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.processes import ROOT, free_port, port_closed, start_module

pytestmark = pytest.mark.e2e


def _launch(tmp: Path, *extra: str) -> tuple[subprocess.Popen[bytes], Path, dict[str, int]]:
    ports = {name: free_port() for name in ("app", "server", "county")}
    out = tmp / "demo.out"
    args = [
        "--dir",
        str(tmp / "state"),
        *(f"--{name}-port={port}" for name, port in ports.items()),
        *extra,
    ]
    proc = start_module("demo", *args, without="LASNA_", log=out)
    return proc, out, ports


def _wait_for(out: Path, text: str, proc: subprocess.Popen[bytes], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = out.read_text(errors="replace")
        if text in content:
            return content
        assert proc.poll() is None, content
        time.sleep(0.3)
    raise AssertionError(f"{text!r} not printed in {timeout} s:\n{out.read_text()}")


def test_run_command_starts_everything_and_forwards_to_the_county(tmp_path: Path) -> None:
    proc, out, ports = _launch(tmp_path)
    try:
        printed = _wait_for(out, "Läsnä is running", proc, timeout=120)
        assert f"http://127.0.0.1:{ports['app']}" in printed
        code = re.search(r"one-time code\s+(\S+)", printed)
        assert code and re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code.group(1))
        assert "acknowledged by the county, 0 failed" in printed
        county = f"http://127.0.0.1:{ports['county']}"
        (batch,) = httpx.get(f"{county}/batches", timeout=10).json()
        receipt = batch["receipt"]
        assert receipt["status"] == "accepted" and receipt["days"] > 0
        assert receipt["totals_matching"] == receipt["totals_checked"] > 0
        health = httpx.get(f"http://127.0.0.1:{ports['server']}/health", timeout=10)
        assert health.status_code == 200
        app = httpx.get(f"http://127.0.0.1:{ports['app']}/", timeout=10)
        assert app.status_code == 200 and "flutter" in app.text.lower()
        secret = tmp_path / "state" / "forward-hmac.key"
        assert secret.stat().st_mode & 0o077 == 0  # made on first run, readable by us only
        assert secret.read_text() not in printed
    finally:
        proc.send_signal(signal.SIGINT)
        # within the whole suite on a loaded 2-core machine the stop has taken over 30 s
        proc.wait(timeout=90)
    deadline = time.monotonic() + 15
    while not all(port_closed(p) for p in ports.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert all(port_closed(p) for p in ports.values()), "a demo process outlived Ctrl-C"


def test_run_command_says_which_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "demo",
                "--dir",
                str(tmp_path),
                f"--server-port={port}",
                "--no-app",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert f"port {port} (server) is in use" in done.stderr
    assert "--server-port" in done.stderr
