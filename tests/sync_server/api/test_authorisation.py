"""Issue 10's authorisation gaps, each sent exactly as a device would send it, on a real
server: another device's records, another site's record ids, the existence oracle,
month closes and their reopening."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import httpx

from shared.calendar import helsinki_today
from tests.support.server import ServerProcess
from tests.support.sites import count_versions, headers, present, push, workdays_before
from tests.sync_server.conftest import EnrolledSite


def test_a_record_naming_another_device_is_rejected_and_not_stored(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    other = live_server.storage.enroll(
        live_server.enrollment_code(s.site.id), "Toinen", now=datetime.now(UTC)
    )
    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    forged = present(day, participant=s.site.participants[0], device_id=other.device_id)
    response = push(live_server.url, s.credential, [forged], as_given=True)
    assert response.status_code == 200
    (answer,) = response.json()["answers"]
    assert answer["status"] == "rejected"
    assert [f["code"] for f in answer["findings"]] == ["recorded_on_another_device"]
    assert answer["findings"][0]["messages"]["fi"]
    assert count_versions(live_server.storage, "id = ?", [forged.id]) == 0
    # nothing reaches the other device either
    pulled = httpx.get(live_server.url + "/v1/pull", headers=headers(other.credential)).json()
    assert forged.id not in {r["id"] for r in pulled["records"]}


def test_another_sites_record_id_is_refused_without_revealing_that_record(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    a, b = site(), site()
    day = workdays_before(helsinki_today(datetime.now(UTC)), 2)[0]
    # a week's notice or a missing plan day would be findings of A's record: A's answer
    # has findings that B must never see
    original = present(day, participant=a.site.participants[0], note="A:n oma merkintä")
    first = push(live_server.url, a.credential, [original]).json()["answers"][0]
    assert first["status"] == "accepted"
    reuse = replace(
        present(day, participant=b.site.participants[0]), id=original.id, device_id=b.device_id
    )
    (answer,) = push(live_server.url, b.credential, [reuse], as_given=True).json()["answers"]
    assert answer == {
        "id": original.id,
        "status": "rejected",
        "findings": [answer["findings"][0]],
        "current": None,
    }
    assert [f["code"] for f in answer["findings"]] == ["record_id_taken"]
    assert "A:n oma" not in str(answer)
    # A's record is untouched; B's did not silently become "stored"
    kept = live_server.storage.db.execute(
        "SELECT site_id FROM record_versions WHERE id = ?", [original.id]
    ).fetchall()
    assert kept == [(a.site.id,)]


def test_the_same_id_with_other_content_is_refused_the_same_content_is_a_duplicate(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    record = replace(present(day, participant=s.site.participants[0]), device_id=s.device_id)
    assert push(live_server.url, s.credential, [record]).json()["answers"][0]["status"] == (
        "accepted"
    )
    again = push(live_server.url, s.credential, [record]).json()["answers"][0]
    assert again["status"] == "duplicate"
    changed = replace(record, note="toinen sisältö")
    answer = push(live_server.url, s.credential, [changed]).json()["answers"][0]
    assert answer["status"] == "rejected"
    assert [f["code"] for f in answer["findings"]] == ["record_id_taken"]


def test_another_sites_participant_answers_like_an_unknown_one(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    a, b = site(), site()
    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    base = live_server.url + "/v1/participants/{}/records"
    foreign = httpx.get(base.format(a.site.participants[0]), headers=headers(b.credential))
    unknown = httpx.get(base.format(f"{a.site.id}-nobody"), headers=headers(b.credential))
    assert (foreign.status_code, foreign.json()) == (unknown.status_code, unknown.json())
    assert foreign.status_code == 404

    def refusal(participant: str) -> tuple[int, dict[str, object]]:
        record = present(day, participant=participant)
        response = push(live_server.url, b.credential, [record])
        body = response.json()
        for named in body["details"]["records"]:
            named["id"] = "…"
            for f in named["findings"]:
                f["day"] = None
        return response.status_code, body

    assert refusal(a.site.participants[0]) == refusal(f"{a.site.id}-nobody")
    assert refusal(a.site.participants[0])[0] == 422


def _close(
    url: str, s: EnrolledSite, year: int, month: int, by: str = "ohjaaja-1"
) -> httpx.Response:
    body = {
        "site_id": s.site.id,
        "year": year,
        "month": month,
        "closed_by": by,
        "closed_at": datetime.now(UTC).isoformat(),
    }
    return httpx.post(url + "/v1/months/close", json=body, headers=headers(s.credential))


def test_a_month_is_closed_only_when_over_and_by_a_known_supervisor(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    today = helsinki_today(datetime.now(UTC))
    day = workdays_before(today.replace(day=1), 1)[0]  # last month
    push(live_server.url, s.credential, [present(day, participant=s.site.participants[0])])

    current = _close(live_server.url, s, today.year, today.month)
    assert current.status_code == 422
    assert current.json()["error"] == "month_not_over"
    future = _close(live_server.url, s, 2100, 12)
    assert future.status_code == 422 and future.json()["error"] == "month_not_over"

    stranger = _close(live_server.url, s, day.year, day.month, by="joku-muu")
    assert stranger.status_code == 422
    assert stranger.json()["error"] == "closer_unknown"
    assert live_server.storage.closed_months(s.site.id) == set()

    assert _close(live_server.url, s, day.year, day.month).json()["status"] == "closed"
    assert live_server.storage.closed_months(s.site.id) == {(day.year, day.month)}


def test_an_administrator_reopens_a_month_and_the_devices_see_it_at_their_next_pull(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    day = workdays_before(helsinki_today(datetime.now(UTC)).replace(day=1), 1)[0]
    push(live_server.url, s.credential, [present(day, participant=s.site.participants[0])])
    assert _close(live_server.url, s, day.year, day.month).json()["status"] == "closed"
    pulled = httpx.get(live_server.url + "/v1/pull", headers=headers(s.credential)).json()
    assert [(m["year"], m["month"]) for m in pulled["closed_months"]] == [(day.year, day.month)]

    month = f"{day.year}-{day.month:02d}"
    command = [sys.executable, "-m", "sync_server", "reopen-month", "--db"]
    command += [str(live_server.db_path), "--site", s.site.id, "--month", month]
    done = subprocess.run(
        [*command, "--reason", "Väärä kuukausi suljettu", "--by", "admin-1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "open again" in done.stdout
    assert live_server.storage.closed_months(s.site.id) == set()
    (kept,) = live_server.storage.month_reopenings(s.site.id)
    assert (kept["reason"], kept["reopened_by"], kept["closed_by"]) == (
        "Väärä kuukausi suljettu",
        "admin-1",
        "ohjaaja-1",
    )
    pulled = httpx.get(
        live_server.url + "/v1/pull",
        params={"cursor": pulled["cursor"]},
        headers=headers(s.credential),
    ).json()
    assert pulled["closed_months"] == []
    # a month that is not closed: nothing to do, said plainly
    again = subprocess.run([*command, "--reason", "x"], capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "not closed" in again.stdout
    bad = subprocess.run(
        [*command[:-1], "2026-13", "--reason", "x"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr
