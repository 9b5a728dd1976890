"""Fixtures for the forward: real server storage, a real county stand-in, fixed clocks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sync_server.forward import ForwardConfig, Forwarder, Outbox, hmac_signer
from sync_server.storage import Device, SqliteStorage
from tests.sync_server.forward import data
from tests.sync_server.forward.standin import TEST_KEY_ID, TEST_SECRET, Standin, running_standin


@pytest.fixture
def storage(database: str) -> Iterator[SqliteStorage]:
    store = data.new_storage(database)
    yield store
    store.close()


@pytest.fixture
def device(storage: SqliteStorage) -> Device:
    return data.seed(storage, data.NIGHT_AFTER_JANUARY - timedelta(days=60))


@pytest.fixture
def january(storage: SqliteStorage, device: Device) -> None:
    data.push(
        storage,
        device,
        data.month_of_records(2025, 1),
        data.NIGHT_AFTER_JANUARY - timedelta(minutes=30),
    )


@pytest.fixture
def standin(tmp_path: Path) -> Iterator[Standin]:
    with running_standin(tmp_path / "county.db") as s:
        yield s


def config_for(url: str | None = None, drop: Path | None = None, **kw: Any) -> ForwardConfig:
    settings: dict[str, Any] = {
        "endpoint_url": url,
        "drop_dir": drop,
        "signer": hmac_signer(TEST_KEY_ID, TEST_SECRET.encode()),
        "backoff_initial": 0.01,
        "backoff_max": 0.05,
        "request_timeout": 5.0,
        **kw,
    }
    return ForwardConfig(**settings)


class Clock:
    """A clock the test moves; sleeping advances it instead of waiting."""

    def __init__(self, start: datetime = data.NIGHT_AFTER_JANUARY) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now = self.now + timedelta(seconds=seconds)


def forwarder(
    storage: SqliteStorage,
    config: ForwardConfig,
    clock: Clock | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Forwarder:
    clock = clock or Clock()
    return Forwarder(
        storage,
        Outbox(storage),
        config,
        rule_sets=storage.rule_sets(),
        clock=clock,
        sleep=sleep or clock.sleep,
    )
