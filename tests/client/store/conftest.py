"""A real store on a real SQLite file, with a light scrypt cost so that tests stay fast."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from client.store import KdfParams, Store

from .builders import NOW, PIN, SECRET, SUPERVISOR, load_site

LIGHT = KdfParams(n=2**8, r=1, p=1)

OpenStore = Callable[..., Store]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "device" / "store.db"


@pytest.fixture
def open_store(db_path: Path) -> Iterator[OpenStore]:
    """Open (or reopen) the store at ``db_path``; every store opened is closed at the end."""
    opened: list[Store] = []

    def _open(**options: Any) -> Store:
        options.setdefault("kdf_params", LIGHT)
        secret = options.pop("secret", SECRET)
        store = Store.open(options.pop("path", db_path), secret, **options)
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: OpenStore) -> Store:
    """An unlocked store with one supervisor and the site's participants and plans."""
    s = open_store()
    s.create_first_supervisor(SUPERVISOR, "Maija Ohjaaja", PIN, now=NOW)
    load_site(s)
    return s
