"""The data's generation over HTTP: pulls tell it, pushes naming another are refused, and
a cursor from other data starts over (a restore from a backup: storage/generation.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from shared.calendar import helsinki_today
from shared.protocol import SealedPushRequest
from sync_server.storage import decode_cursor, encode_cursor
from tests.support.server import ServerProcess
from tests.support.sites import count_versions, enroll, headers, present, push, workdays_before
from tests.sync_server.conftest import EnrolledSite

OTHER = "00c0ffee00c0ffee"  # a generation no database has (they are random)


def _pull(server: ServerProcess, credential: str, cursor: str | None = None) -> dict[str, Any]:
    params = {"cursor": cursor} if cursor else None
    response = httpx.get(server.url + "/v1/pull", params=params, headers=headers(credential))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_push_naming_another_generation_is_refused_and_nothing_is_decided(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    generation = _pull(live_server, s.credential)["generation"]
    assert generation == live_server.storage.generation() and generation != OTHER
    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    record = present(day, participant=s.site.participants[0])

    refused = push(live_server.url, s.credential, [record], generation=OTHER)
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["error"] == "server_restored"
    assert body["details"] == {"generation": generation}
    assert "restored from a backup" in body["message"]
    sealed = SealedPushRequest((), datetime.now(UTC), generation=OTHER).to_dict()
    response = httpx.post(
        live_server.url + "/v1/push-sealed", json=sealed, headers=headers(s.credential)
    )
    assert response.status_code == 409 and response.json()["error"] == "server_restored"
    assert count_versions(live_server.storage, "site_id = ?", [s.site.id]) == 0

    taken = push(live_server.url, s.credential, [record], generation=generation)
    assert taken.status_code == 200 and taken.json()["answers"][0]["status"] == "accepted"
    unnamed = push(live_server.url, s.credential, [record])  # a device from before: no check
    assert unnamed.json()["answers"][0]["status"] == "duplicate"


def test_a_cursor_from_other_data_starts_the_pull_over(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    first = site()
    days = workdays_before(helsinki_today(datetime.now(UTC)), 2)
    pushed = [present(d, participant=pid) for pid in first.site.participants for d in days]
    assert push(live_server.url, first.credential, pushed).status_code == 200
    second = enroll(live_server.url, live_server.enrollment_code(first.site.id), "Tabletti 2")
    credential = second["credential"]

    whole = _pull(live_server, credential)
    assert len(whole["records"]) == len(pushed) and whole["reference"] is not None
    again = _pull(live_server, credential, whole["cursor"])
    assert again["records"] == [] and again["reference"] is None

    seen = decode_cursor(whole["cursor"])
    other_data = encode_cursor(*seen, OTHER)
    ahead = encode_cursor(seen[0] + 10**9, seen[1])  # from before generations, but past head
    for cursor in (other_data, ahead):
        restart = _pull(live_server, credential, cursor)
        assert sorted(r["id"] for r in restart["records"]) == sorted(r.id for r in pushed)
        assert restart["reference"] is not None
        assert decode_cursor(restart["cursor"]) == seen
