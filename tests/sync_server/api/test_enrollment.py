"""Enrollment codes, device credentials, revocation and the protocol header, over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.support.server import ServerProcess
from tests.support.sites import enroll, headers, make_site
from tests.sync_server.conftest import EnrolledSite


def _devices(server: ServerProcess) -> int:
    return len(server.storage.devices())


def test_a_code_gives_a_device_its_own_credential(live_server: ServerProcess) -> None:
    site = make_site(live_server.storage, "enr-a")
    reply = enroll(live_server.url, live_server.enrollment_code(site.id), "Tabletti 1")
    assert reply["protocol"] == 1
    assert reply["site"] == {"id": "enr-a", "name": "Paja enr-a"}
    me = httpx.get(live_server.url + "/v1/device", headers=headers(reply["credential"]))
    assert me.status_code == 200
    assert me.json()["device_id"] == reply["device_id"]
    assert me.json()["name"] == "Tabletti 1"


def test_a_code_works_once(live_server: ServerProcess) -> None:
    site = make_site(live_server.storage, "enr-once")
    code = live_server.enrollment_code(site.id)
    enroll(live_server.url, code)
    before = _devices(live_server)
    again = httpx.post(
        live_server.url + "/v1/enroll",
        json={"code": code, "device_name": "toinen"},
        headers=headers(),
    )
    assert again.status_code == 403
    assert again.json()["error"] == "enrollment_refused"
    assert again.json()["details"]["reason"] == "used"
    assert "already been used" in again.json()["message"]
    assert _devices(live_server) == before


def test_an_expired_code_is_refused(live_server: ServerProcess) -> None:
    site = make_site(live_server.storage, "enr-old")
    code, _ = live_server.storage.create_enrollment_code(
        site.id, now=datetime.now(UTC) - timedelta(hours=3), valid_for=timedelta(hours=1)
    )
    before = _devices(live_server)
    response = httpx.post(
        live_server.url + "/v1/enroll", json={"code": code, "device_name": "x"}, headers=headers()
    )
    assert response.status_code == 403
    assert response.json()["details"]["reason"] == "expired"
    assert _devices(live_server) == before


def test_codes_are_typed_loosely_but_unknown_ones_are_refused(live_server: ServerProcess) -> None:
    site = make_site(live_server.storage, "enr-typed")
    code = live_server.enrollment_code(site.id)
    sloppy = code.replace("-", " ").lower()
    assert enroll(live_server.url, sloppy)["site"]["id"] == site.id
    response = httpx.post(
        live_server.url + "/v1/enroll",
        json={"code": "AAAA-BBBB-CCCC", "device_name": "x"},
        headers=headers(),
    )
    assert response.status_code == 403
    assert response.json()["details"]["reason"] == "unknown"


def test_a_revoked_device_is_refused_at_once(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    url = live_server.url + "/v1/pull"
    assert httpx.get(url, headers=headers(s.credential)).status_code == 200
    live_server.storage.revoke(s.device_id, now=datetime.now(UTC))
    refused = httpx.get(url, headers=headers(s.credential))
    assert refused.status_code == 401
    assert refused.json()["error"] == "not_authenticated"
    assert "revoked" in refused.json()["message"]


def test_a_bad_or_missing_credential_is_refused(live_server: ServerProcess) -> None:
    url = live_server.url + "/v1/pull"
    assert httpx.get(url, headers=headers("lsd1_not-a-real-one")).status_code == 401
    missing = httpx.get(url, headers=headers())
    assert missing.status_code == 401
    assert "credential" in missing.json()["message"]


def test_no_credential_or_code_is_stored_in_the_clear(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    if live_server.storage.engine != "sqlite":
        pytest.skip("Reads the SQLite file's bytes; PostgreSQL stores the same hashed columns.")
    s = site()
    unused_code = live_server.enrollment_code(s.site.id)
    live_server.storage.db.execute("PRAGMA wal_checkpoint(FULL)")
    files = [live_server.db_path, live_server.db_path.with_name(live_server.db_path.name + "-wal")]
    raw = b"".join(p.read_bytes() for p in files if p.exists())
    assert s.credential.encode() not in raw
    assert unused_code.replace("-", "").encode() not in raw
    assert unused_code.encode() not in raw


def test_every_request_must_name_a_supported_protocol(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    url = live_server.url + "/v1/pull"
    old = httpx.get(url, headers=headers(s.credential, protocol="0"))
    assert old.status_code == 426
    assert old.json()["error"] == "protocol_unsupported"
    assert "Update the app" in old.json()["message"]
    assert old.headers["Lasna-Protocol"] == "1"
    missing = httpx.get(url, headers={"Authorization": f"Bearer {s.credential}"})
    assert missing.status_code == 400
    assert missing.json()["error"] == "protocol_missing"


def test_health_and_openapi_are_served(live_server: ServerProcess) -> None:
    health = httpx.get(live_server.url + "/health")
    assert health.json() == {"status": "ok", "protocol": 1, "supported_protocols": [1]}
    assert health.headers["Lasna-Protocol"] == "1"
    spec = httpx.get(live_server.url + "/openapi.json").json()
    assert {"/v1/push", "/v1/pull", "/v1/enroll", "/v1/months/close"} <= set(spec["paths"])
