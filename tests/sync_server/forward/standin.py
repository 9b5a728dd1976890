"""Starting the county stand-in as a real uvicorn process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

# Test-only values, never used outside the tests.
TEST_KEY_ID = "test-key-1"
TEST_SECRET = "test-only-hmac-secret-not-for-production-0123456789"
ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Standin:
    url: str
    process: subprocess.Popen[bytes]

    @property
    def batches_url(self) -> str:
        return f"{self.url}/batches"

    def get(self, path: str) -> Any:
        response = httpx.get(f"{self.url}{path}", timeout=10)
        response.raise_for_status()
        return response.json()

    def mode(self, mode: str) -> None:
        httpx.post(f"{self.url}/admin/mode", json={"mode": mode}, timeout=10).raise_for_status()

    def batches(self) -> list[dict[str, Any]]:
        return list(self.get("/batches"))

    def table(self, name: str) -> list[dict[str, Any]]:
        return list(self.get(f"/tables/{name}"))


@contextmanager
def running_standin(db: Path, *, mode: str = "ok") -> Iterator[Standin]:
    port = free_port()
    env = {
        **os.environ,
        "COUNTY_STANDIN_HMAC_SECRET": TEST_SECRET,
        "COUNTY_STANDIN_KEY_ID": TEST_KEY_ID,
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "county_standin",
            "--port",
            str(port),
            "--db",
            str(db),
            "--mode",
            mode,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"The stand-in exited: {process.stderr.read()!r}"
                    if process.stderr
                    else "The stand-in exited."
                )
            try:
                httpx.get(f"{url}/admin/mode", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield Standin(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
