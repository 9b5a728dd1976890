"""Pull over HTTP: the site's reference data and other devices' records, by cursor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.calendar import helsinki_today
from shared.protocol import PullReply
from sync_server.storage import decode_cursor, history_start
from tests.support.server import ServerProcess
from tests.support.sites import enroll, headers, present, push, workdays_before
from tests.sync_server.conftest import EnrolledSite


def _pull(server: ServerProcess, credential: str, **params: Any) -> dict[str, Any]:
    response = httpx.get(server.url + "/v1/pull", params=params, headers=headers(credential))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_new_devices_first_pull_brings_everything_it_needs(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    first = site(people=4)
    days = workdays_before(helsinki_today(datetime.now(UTC)), 2)
    pushed = [present(d, participant=pid) for pid in first.site.participants for d in days]
    push(live_server.url, first.credential, pushed)

    second = enroll(live_server.url, live_server.enrollment_code(first.site.id), "Tabletti 2")
    reply = PullReply.from_dict(_pull(live_server, second["credential"]))
    assert reply.site.id == first.site.id
    assert reply.reference is not None
    assert [p.id for p in reply.reference.participants] == list(first.site.participants)
    assert all(p.client_ref.startswith("REF-") for p in reply.reference.participants)
    assert {p.participant_id for p in reply.reference.plans} == set(first.site.participants)
    assert [r.id for r in reply.reference.rule_sets] == ["kuntouttava"]
    assert {r.id for r in reply.records} == {r.id for r in pushed}
    assert not reply.more


def test_a_device_does_not_get_its_own_records_back_and_the_cursor_moves_on(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    a = site()
    b = enroll(live_server.url, live_server.enrollment_code(a.site.id), "B")
    first = _pull(live_server, a.credential)
    assert first["reference"] is not None
    again = _pull(live_server, a.credential, cursor=first["cursor"])
    assert again["reference"] is None
    assert again["records"] == []

    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    mine = present(day, participant=a.site.participants[0])
    theirs = present(day, participant=a.site.participants[1])
    push(live_server.url, a.credential, [mine])
    push(live_server.url, b["credential"], [theirs])
    news = _pull(live_server, a.credential, cursor=again["cursor"])
    assert [r["id"] for r in news["records"]] == [theirs.id]
    assert decode_cursor(news["cursor"]) > decode_cursor(again["cursor"])


def test_pages_follow_each_other_without_loss(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    a = site(people=3)
    other = enroll(live_server.url, live_server.enrollment_code(a.site.id), "B")
    days = workdays_before(helsinki_today(datetime.now(UTC)), 4)
    pushed = [present(d, participant=pid) for pid in a.site.participants for d in days]
    push(live_server.url, other["credential"], pushed)
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        page = _pull(live_server, a.credential, **params)
        pages += 1
        seen += [r["id"] for r in page["records"]]
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert pages == 3
    assert seen == [r.id for r in pushed]


def test_records_older_than_the_history_window_stay_on_the_server(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    a = site()
    other = enroll(live_server.url, live_server.enrollment_code(a.site.id), "B")
    today = helsinki_today(datetime.now(UTC))
    old_day = history_start(today, 2) - timedelta(days=10)
    old, recent = (
        present(old_day, participant=a.site.participants[0]),
        present(workdays_before(today, 1)[0], participant=a.site.participants[0]),
    )
    answers = push(live_server.url, other["credential"], [old, recent]).json()["answers"]
    assert [x["status"] for x in answers] == ["accepted", "accepted"]
    pulled = [r["id"] for r in _pull(live_server, a.credential)["records"]]
    assert pulled == [recent.id]


def test_a_cursor_the_server_did_not_give_is_refused(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    a = site()
    response = httpx.get(
        live_server.url + "/v1/pull", params={"cursor": "garbage!"}, headers=headers(a.credential)
    )
    assert response.status_code == 400
    assert "Pull without a cursor" in response.json()["message"]


def test_reading_a_participant_is_limited_to_the_devices_own_site(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    a, b = site(), site()
    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    record = present(day, participant=a.site.participants[0])
    push(live_server.url, a.credential, [record])
    path = f"/v1/participants/{a.site.participants[0]}/records"
    own = httpx.get(live_server.url + path, headers=headers(a.credential))
    assert own.status_code == 200
    assert [r["id"] for r in own.json()["records"]] == [record.id]
    foreign = httpx.get(live_server.url + path, headers=headers(b.credential))
    unknown = httpx.get(
        live_server.url + "/v1/participants/nobody/records", headers=headers(b.credential)
    )
    # Issue 10: another site's participant is answered exactly like one that does not
    # exist, so a device cannot learn which ids exist elsewhere.
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
    assert foreign.json()["error"] == "not_found"


def test_reference_changes_reach_devices_on_their_next_pull(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    from sync_server.storage import ParticipantRow
    from tests.support.sites import plan_for

    a = site(people=2)
    cursor = _pull(live_server, a.credential)["cursor"]
    newcomer = f"{a.site.id}-new"
    now = datetime.now(UTC)
    live_server.storage.import_participants(
        [ParticipantRow(newcomer, a.site.id, "Uusi", "REF-NEW")], now=now
    )
    live_server.storage.import_plans([plan_for(newcomer, a.site.id, helsinki_today(now))], now=now)
    reply = _pull(live_server, a.credential, cursor=cursor)
    assert reply["reference"] is not None
    assert newcomer in [p["id"] for p in reply["reference"]["participants"]]


@pytest.mark.parametrize("limit", ["0", "-1", "abc"])
def test_bad_page_sizes_are_refused(
    live_server: ServerProcess, site: Callable[..., EnrolledSite], limit: str
) -> None:
    a = site()
    response = httpx.get(
        live_server.url + "/v1/pull", params={"limit": limit}, headers=headers(a.credential)
    )
    assert response.status_code == 422
    assert response.json()["error"] == "malformed_request"
