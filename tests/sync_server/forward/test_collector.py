"""A run builds with Python's cycle collector paused, and leaves it on afterwards."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from sync_server.forward import Outbox
from sync_server.storage import SqliteStorage
from tests.sync_server.forward.conftest import config_for, forwarder


def test_the_collector_is_paused_while_building_and_back_after(
    storage: SqliteStorage, january: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    record_run = Outbox.record_run

    def spy(self: Outbox, *args: Any, **kwargs: Any) -> None:
        seen.append(gc.isenabled())
        record_run(self, *args, **kwargs)

    monkeypatch.setattr(Outbox, "record_run", spy)
    assert gc.isenabled()

    result = forwarder(storage, config_for()).build()

    assert result.built and seen == [False]
    assert gc.isenabled()
