"""Sealed pushes over HTTP: opened with the server's key, then judged exactly like a push."""

from __future__ import annotations

import base64
import stat
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from shared.calendar import helsinki_today
from shared.protocol import SealedEntry, SealedPushRequest
from shared.sealed_push import seal_record
from sync_server.sealing import key_path
from tests.support.server import ServerProcess
from tests.support.sites import count_versions, headers, present, workdays_before
from tests.sync_server.conftest import EnrolledSite


def _server_key(url: str, credential: str) -> bytes:
    pulled = httpx.get(url + "/v1/pull", headers=headers(credential), timeout=10)
    assert pulled.status_code == 200, pulled.text
    return base64.b64decode(pulled.json()["server_key"])


def _push_sealed(url: str, credential: str, entries: list[SealedEntry]) -> httpx.Response:
    body = SealedPushRequest(tuple(entries), datetime.now(UTC)).to_dict()
    return httpx.post(url + "/v1/push-sealed", json=body, headers=headers(credential), timeout=30)


def test_sealed_entries_are_judged_and_stored_once_like_a_push(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    key = _server_key(live_server.url, s.credential)
    days = workdays_before(helsinki_today(datetime.now(UTC)), 2)
    # in this device's own name, as a device seals them (issue 10: only its own)
    records = [present(d, participant=s.site.participants[0], device_id=s.device_id) for d in days]
    entries = [SealedEntry(r.id, seal_record(key, r, s.device_id)) for r in records]
    first = _push_sealed(live_server.url, s.credential, entries)
    assert first.status_code == 200, first.text
    assert [a["status"] for a in first.json()["answers"]] == ["accepted", "accepted"]
    again = _push_sealed(live_server.url, s.credential, entries)
    assert [a["status"] for a in again.json()["answers"]] == ["duplicate", "duplicate"]
    assert count_versions(live_server.storage, "site_id = ?", [s.site.id]) == 2
    if not live_server.database.startswith("postgresql"):  # beside the SQLite file only
        key_file = key_path(live_server.db_path)
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_tampered_or_misdirected_entry_refuses_the_batch_and_stores_nothing(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    other = site()
    key = _server_key(live_server.url, s.credential)
    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    good = present(day, participant=s.site.participants[0], device_id=s.device_id)
    changed = present(day, participant=s.site.participants[1], device_id=s.device_id)
    box = bytearray(seal_record(key, changed, s.device_id))
    box[60] ^= 0x01
    tampered = [
        SealedEntry(good.id, seal_record(key, good, s.device_id)),
        SealedEntry(changed.id, bytes(box)),
    ]
    # a box sealed for another device, sent with this device's credential
    misdirected = [SealedEntry(good.id, seal_record(key, good, other.device_id))]
    for entries in (tampered, misdirected):
        response = _push_sealed(live_server.url, s.credential, entries)
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["error"] == "sealed_unreadable"
        assert "could not be opened" in body["message"]
        assert body["details"]["records"] == [entries[-1].id]
    assert count_versions(live_server.storage, "site_id = ?", [s.site.id]) == 0


def test_the_enrollment_reply_announces_the_same_key_as_the_pull(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    code = live_server.enrollment_code(s.site.id)
    reply = httpx.post(
        live_server.url + "/v1/enroll",
        json={"code": code, "device_name": "Toinen"},
        headers=headers(),
        timeout=10,
    ).json()
    assert base64.b64decode(reply["server_key"]) == _server_key(live_server.url, s.credential)


def test_a_sealed_record_naming_another_device_is_rejected_like_a_push(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    other = live_server.storage.enroll(
        live_server.enrollment_code(s.site.id), "Toinen", now=datetime.now(UTC)
    )
    key = _server_key(live_server.url, s.credential)
    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    # sealed by this device, in the other device's name: the box opens, push() refuses
    forged = present(day, participant=s.site.participants[0], device_id=other.device_id)
    entries = [SealedEntry(forged.id, seal_record(key, forged, s.device_id))]
    response = _push_sealed(live_server.url, s.credential, entries)
    assert response.status_code == 200, response.text
    (answer,) = response.json()["answers"]
    assert answer["status"] == "rejected"
    assert [f["code"] for f in answer["findings"]] == ["recorded_on_another_device"]
    assert count_versions(live_server.storage, "id = ?", [forged.id]) == 0


def test_a_sealed_push_is_bounded_like_a_push(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    body = {"device_time": "1900-01-01T00:00:00+00:00", "entries": []}
    response = httpx.post(
        live_server.url + "/v1/push-sealed", json=body, headers=headers(s.credential), timeout=10
    )
    assert response.status_code == 422, response.text
    assert "2000-01-01" in response.json()["message"]
