"""The county stand-in as a real uvicorn process on a free loopback port."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.processes import answers, free_port, start_module, stop, wait_until

# Test-only values, never used outside the tests.
TEST_KEY_ID = "test-key-1"
TEST_SECRET = "test-only-hmac-secret-not-for-production-0123456789"


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
    env = {"COUNTY_STANDIN_HMAC_SECRET": TEST_SECRET, "COUNTY_STANDIN_KEY_ID": TEST_KEY_ID}
    args = ["--port", str(port), "--db", str(db), "--mode", mode]
    process = start_module(
        "county_standin", *args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"

    def errors() -> str:
        return process.stderr.read().decode(errors="replace") if process.stderr else ""

    try:
        wait_until(process, answers(f"{url}/admin/mode"), what="The stand-in", details=errors)
        yield Standin(url, process)
    finally:
        stop(process)
