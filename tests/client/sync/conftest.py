"""A real device store (light KDF for speed) for the sync client's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from client.store import KdfParams, Store

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)  # a Monday; 14.00 in Helsinki
LIGHT_KDF = KdfParams(n=2**8, r=1, p=1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "device.db", os.urandom(32), kdf_params=LIGHT_KDF)
    s.create_first_supervisor("ohjaaja-1", "Maija Ohjaaja", "246813", now=NOW)
    yield s
    s.close()
