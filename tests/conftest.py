"""Fixtures shared by every test package (keep this file light: it loads for all)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# CI runs on two cores: keep property tests thorough but bounded.
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# The app keeps its device secret in the system keyring when there is one: tests (and
# the app processes they start) must not write into the keyring of the machine running
# them, so by default there is none; tests/client/app/test_secret_keyring.py brings its own.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, once per run, for every browser test (the app's and the
    console's): Playwright's sync API allows only one instance at a time."""
    from tests.support.chromium import chromium  # playwright loads only when asked for

    with chromium() as launched:
        yield launched
