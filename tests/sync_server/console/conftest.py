from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import ServerProcess
from tests.sync_server.console.browser import ADMIN, create_admin
from tests.sync_server.console.harness import ConsoleHarness, make_harness


@pytest.fixture
def console(tmp_path: Path) -> Iterator[ConsoleHarness]:
    yield from make_harness(tmp_path)


@pytest.fixture(scope="module")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The real server with its first administrator made by ``lasna-server create-admin``."""
    folder = tmp_path_factory.mktemp("console-server")
    said = create_admin(folder / "server.db", ADMIN, "Maija Virtanen")
    assert f"Administrator '{ADMIN}' created" in said
    server = ServerProcess(folder / "server.db").start()
    try:
        yield server
    finally:
        server.close()
