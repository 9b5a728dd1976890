from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_server.console.harness import ConsoleHarness, make_harness


@pytest.fixture
def console(tmp_path: Path, database: str) -> Iterator[ConsoleHarness]:
    yield from make_harness(tmp_path, database)
