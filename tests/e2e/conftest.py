"""Devices made of the real parts: an encrypted store file, the sync client, httpx.

They talk to a real sync server (uvicorn subprocess, SQLite file) on loopback. No
test here sleeps for a backoff: the client's sleep is injected.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from client.store import KdfParams, Store
from client.sync import Backoff, SyncClient, SyncReport
from shared.records import DayRecord
from tests.support.server import ServerProcess, running_server
from tests.support.sites import present

LIGHT_KDF = KdfParams(n=2**8, r=1, p=1)  # tests only: the real cost is in client.store
PIN = "246813"
SMALL_BATCH_LIMIT = 40  # the server's limit; clients start at 200 and must adapt


@dataclass
class Device:
    name: str
    store: Store
    client: SyncClient
    http: httpx.Client
    sleeps: list[float] = field(default_factory=list)

    def sync(self, *, full: bool = False) -> SyncReport:
        return self.client.sync_once(now=datetime.now(UTC), full=full)

    def save(self, record: DayRecord) -> DayRecord:
        result = self.store.save_record(record, now=datetime.now(UTC))
        assert result.saved, [f.code for f in result.findings]
        return record

    def attend(self, participant_id: str, day: date, **kw: Any) -> DayRecord:
        return self.save(
            present(day, participant=participant_id, device_id=self.store.device_id, **kw)
        )

    def participant_ids(self) -> list[str]:
        return sorted(p.id for p in self.store.participants(now=datetime.now(UTC)))

    def close(self) -> None:
        self.http.close()
        self.store.close()


MakeDevice = Callable[..., Device]


def new_device(
    directory: Path,
    name: str,
    *,
    sleep: Callable[[float], None] | None = None,
    attempts: int = 3,
    batch_size: int = 200,
) -> Device:
    store = Store.open(directory / f"{name}.db", os.urandom(32), kdf_params=LIGHT_KDF)
    store.create_first_supervisor("ohjaaja-1", "Maija Ohjaaja", PIN, now=datetime.now(UTC))
    http = httpx.Client(timeout=httpx.Timeout(10.0, connect=5.0))
    sleeps: list[float] = []

    def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if sleep is not None:
            sleep(seconds)

    client = SyncClient(
        store,
        http,
        batch_size=batch_size,
        rng=random.Random(4),
        sleep=record_sleep,
        backoff=Backoff(attempts=attempts, base=0.01, cap=0.05),
    )
    return Device(name, store, client, http, sleeps)


def enrolled_device(server_url: str, code: str, directory: Path, name: str, **kw: Any) -> Device:
    device = new_device(directory, name, **kw)
    enrollment = SyncClient.enroll(device.http, server_url, code, device_name=name)
    device.client.attach(enrollment)
    report = device.sync()
    assert report.ok, report.error
    return device


@pytest.fixture(scope="module")
def e2e_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {"LASNA_MAX_BATCH_RECORDS": str(SMALL_BATCH_LIMIT)}
    with running_server(tmp_path_factory.mktemp("e2e-server"), env=env) as server:
        yield server


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[MakeDevice]:
    made: list[Device] = []

    def make(server_url: str, code: str, name: str, **kw: Any) -> Device:
        device = enrolled_device(server_url, code, tmp_path, name, **kw)
        made.append(device)
        return device

    yield make
    for d in made:
        d.close()
