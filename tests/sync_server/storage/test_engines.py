"""The PostgreSQL half of the suite fails, not skips, when ``make test`` requires it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.processes import ROOT, child_env

TARGET = "tests/sync_server/storage/test_changed_days.py"


def _run(mode: str) -> subprocess.CompletedProcess[str]:
    env = child_env({"LASNA_TEST_POSTGRES": mode, "LASNA_PG_BINDIR": "/nonexistent/bin"})
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "postgres", TARGET],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(("mode", "code", "says"), [("required", 1, "error"), ("", 0, "skipped")])
def test_a_cluster_that_cannot_start(mode: str, code: int, says: str) -> None:
    done = _run(mode)
    assert done.returncode == code, done.stdout[-2000:]
    assert f"1 {says}" in done.stdout
