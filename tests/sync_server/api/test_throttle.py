"""Issue 10: repeated bad enrollment codes and bad credentials from one address are
throttled (429 with Retry-After); successes never count. A server of its own, with
limits lowered through the environment as an administrator would set them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess, running_server
from tests.support.sites import enroll, headers, make_site


@pytest.fixture
def strict_server(tmp_path: Path) -> Iterator[ServerProcess]:
    env = {
        "LASNA_ENROLL_FAILURE_LIMIT": "3 per 10 minutes",
        "LASNA_CREDENTIAL_FAILURE_LIMIT": "4 per 10 minutes",
    }
    with running_server(tmp_path, env=env) as server:
        yield server


def _enroll(url: str, code: str) -> httpx.Response:
    body = {"code": code, "device_name": "Tabletti"}
    return httpx.post(url + "/v1/enroll", json=body, headers=headers(), timeout=10)


def test_bad_enrollment_codes_are_throttled_successes_are_not(
    strict_server: ServerProcess,
) -> None:
    url = strict_server.url
    site = make_site(strict_server.storage, "kaupunki", 1)
    # many good codes from one address: an office enrolling its tablets is never slowed
    for _ in range(6):
        enroll(url, strict_server.enrollment_code(site.id))
    for _ in range(3):
        assert _enroll(url, "WRONG-CODE").status_code == 403
    throttled = _enroll(url, "WRONG-CODE")
    assert throttled.status_code == 429
    assert throttled.json()["error"] == "too_many_failures"
    wait = int(throttled.headers["Retry-After"])
    assert 1 <= wait <= 600
    assert throttled.json()["details"]["retry_after_seconds"] == wait
    # while throttled, a right code waits too: the throttle must slow guessing
    assert _enroll(url, strict_server.enrollment_code(site.id)).status_code == 429


def test_bad_credentials_are_throttled_and_good_ones_do_not_count(
    strict_server: ServerProcess,
) -> None:
    url = strict_server.url
    site = make_site(strict_server.storage, "kylä", 1)
    credential = enroll(url, strict_server.enrollment_code(site.id))["credential"]
    for _ in range(10):
        ok = httpx.get(url + "/v1/device", headers=headers(credential), timeout=10)
        assert ok.status_code == 200
    for _ in range(4):
        bad = httpx.get(url + "/v1/pull", headers=headers("not-a-credential"), timeout=10)
        assert bad.status_code == 401
    throttled = httpx.get(url + "/v1/pull", headers=headers("not-a-credential"), timeout=10)
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) >= 1
    assert "Try again in" in throttled.json()["message"]
    # enrollment has its own count: a code still works from this address
    assert _enroll(url, strict_server.enrollment_code(site.id)).status_code == 200
