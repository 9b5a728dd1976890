"""A run builds with Python's cycle collector paused, and always leaves it as it was."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from sync_server.forward import Outbox
from sync_server.forward.runner import collector_paused
from sync_server.storage import SqliteStorage
from tests.forward.conftest import config_for, forwarder


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


def test_the_pause_gives_the_collector_back_as_it_found_it() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a run that failed half way")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
