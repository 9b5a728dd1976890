"""Push over HTTP: one answer per record, exactly one copy, clear refusals, nothing half-written."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx

from shared.calendar import helsinki_today
from shared.records import AbsenceReason, DayRecord, Status
from tests.support.server import ServerProcess
from tests.support.sites import count_versions, headers, present, push, workdays_before
from tests.sync_server.conftest import MAX_BATCH, MAX_BYTES, EnrolledSite


def _today() -> datetime:
    return datetime.now(UTC)


def _statuses(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [a["status"] for a in response.json()["answers"]]


def test_a_batch_pushed_twice_is_stored_once(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    days = workdays_before(helsinki_today(_today()), 3)
    batch = [present(d, participant=pid) for pid in s.site.participants for d in days]
    assert _statuses(push(live_server.url, s.credential, batch)) == ["accepted"] * len(batch)
    assert _statuses(push(live_server.url, s.credential, batch)) == ["duplicate"] * len(batch)
    stored = count_versions(live_server.storage, "site_id = ?", [s.site.id])
    assert stored == len(batch)


def test_the_same_id_twice_in_one_batch_is_one_copy(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    record = present(
        workdays_before(helsinki_today(_today()), 1)[0], participant=s.site.participants[0]
    )
    assert _statuses(push(live_server.url, s.credential, [record, record])) == [
        "accepted",
        "duplicate",
    ]
    assert count_versions(live_server.storage, "id = ?", [record.id]) == 1


def test_a_record_with_an_error_is_rejected_with_findings_and_not_stored(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    today = helsinki_today(_today())
    good = present(workdays_before(today, 1)[0], participant=s.site.participants[0])
    future = present(today + timedelta(days=3), participant=s.site.participants[1])
    response = push(live_server.url, s.credential, [good, future])
    answers = {a["id"]: a for a in response.json()["answers"]}
    assert answers[good.id]["status"] == "accepted"
    assert answers[future.id]["status"] == "rejected"
    codes = [f["code"] for f in answers[future.id]["findings"]]
    assert "future_date" in codes
    finding = answers[future.id]["findings"][0]
    assert set(finding["messages"]) == {"fi", "sv", "en"}
    assert count_versions(live_server.storage, "id = ?", [future.id]) == 0
    kept = live_server.storage.refused_for(s.site.participants[1])
    assert [r["id"] for r in kept] == [future.id]


def test_findings_that_are_not_errors_are_kept_and_returned(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    day = workdays_before(helsinki_today(_today()), 1)[0]
    long_day = present(day, participant=s.site.participants[0], hours=10)  # plan maximum is 8 h
    answer = push(live_server.url, s.credential, [long_day]).json()["answers"][0]
    assert answer["status"] == "accepted"
    assert "over_max_hours" in [f["code"] for f in answer["findings"]]
    stored = live_server.storage.stored_findings(long_day.id)
    assert "over_max_hours" in [f.code for f in stored]


def test_two_corrections_of_one_version_conflict_and_both_are_kept(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    pid = s.site.participants[0]
    day = workdays_before(helsinki_today(_today()), 1)[0]
    original = present(day, participant=pid)
    push(live_server.url, s.credential, [original])
    now = _today()
    first = original.correct(
        correction_reason="aika korjattu", recorded_by="a", device_id="t1", recorded_at=now
    )
    second = original.correct(
        correction_reason="toinen korjaus",
        recorded_by="b",
        device_id="t2",
        recorded_at=now,
        status=Status.ABSENT,
        start=None,
        end=None,
        minutes=None,
        reason=AbsenceReason.SICK,
    )
    assert _statuses(push(live_server.url, s.credential, [first])) == ["accepted"]
    answer = push(live_server.url, s.credential, [second]).json()["answers"][0]
    assert answer["status"] == "conflict"
    assert answer["current"]["id"] == first.id
    assert "already_superseded" in [f["code"] for f in answer["findings"]]
    assert [r["id"] for r in live_server.storage.refused_for(pid)] == [second.id]
    assert count_versions(live_server.storage, "participant_id = ?", [pid]) == 2


def test_a_second_first_record_for_a_day_is_a_conflict_showing_the_current(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    pid = s.site.participants[0]
    day = workdays_before(helsinki_today(_today()), 1)[0]
    mine, theirs = present(day, participant=pid), present(day, participant=pid, hours=6)
    push(live_server.url, s.credential, [mine])
    answer = push(live_server.url, s.credential, [theirs]).json()["answers"][0]
    assert answer["status"] == "conflict"
    assert answer["current"]["id"] == mine.id


def test_a_device_clock_far_ahead_is_recorded_and_flagged(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    ahead = _today() + timedelta(minutes=20)
    day = workdays_before(helsinki_today(_today()), 1)[0]
    record = present(day, participant=s.site.participants[0], recorded_at=ahead)
    response = push(live_server.url, s.credential, [record], device_time=ahead.isoformat())
    body = response.json()
    assert body["clock_flagged"] is True
    assert body["clock_skew_seconds"] > 15 * 60
    assert body["answers"][0]["status"] == "accepted"
    assert "device_clock_off" in [f["code"] for f in body["answers"][0]["findings"]]
    row = live_server.storage.db.execute(
        "SELECT clock_flagged, received_at, recorded_at FROM record_versions WHERE id = ?",
        [record.id],
    ).fetchone()
    assert row[0] == 1
    assert row[1] < row[2]  # the server's receive time is kept beside the device's time
    device = next(d for d in live_server.storage.devices(s.site.id) if d.id == s.device_id)
    assert device.clock_flagged_at is not None


def test_unknown_participant_refuses_the_whole_batch(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    day = workdays_before(helsinki_today(_today()), 1)[0]
    good = present(day, participant=s.site.participants[0])
    stranger = present(day, participant="nobody-here")
    response = push(live_server.url, s.credential, [good, stranger])
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "unknown_participant"
    assert [r["id"] for r in body["details"]["records"]] == [stranger.id]
    assert count_versions(live_server.storage, "id IN (?, ?)", [good.id, stranger.id]) == 0


def test_another_sites_participant_is_forbidden_and_nothing_is_written(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    mine, other = site(), site()
    day = workdays_before(helsinki_today(_today()), 1)[0]
    good = present(day, participant=mine.site.participants[0])
    foreign = present(day, participant=other.site.participants[0])
    response = push(live_server.url, mine.credential, [good, foreign])
    # Issue 10: refused exactly like an unknown participant (no existence oracle).
    assert response.status_code == 422
    assert response.json()["error"] == "unknown_participant"
    assert count_versions(live_server.storage, "id IN (?, ?)", [good.id, foreign.id]) == 0


def test_a_malformed_body_is_refused_and_nothing_written(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    day = workdays_before(helsinki_today(_today()), 1)[0]
    good = present(day, participant=s.site.participants[0]).to_dict()
    bad = {**present(day, participant=s.site.participants[1]).to_dict(), "status": "maybe"}
    url = live_server.url + "/v1/push"
    response = httpx.post(url, json={"records": [good, bad]}, headers=headers(s.credential))
    assert response.status_code == 422
    assert response.json()["error"] == "malformed_body"
    not_json = httpx.post(
        url,
        content=b"{not json",
        headers={**headers(s.credential), "Content-Type": "application/json"},
    )
    assert not_json.status_code == 422
    bad_id = {**present(day, participant=s.site.participants[1]).to_dict(), "id": "not-a-uuid"}
    response = httpx.post(url, json={"records": [good, bad_id]}, headers=headers(s.credential))
    assert response.status_code == 422
    assert "UUID" in response.json()["message"]
    assert count_versions(live_server.storage, "site_id = ?", [s.site.id]) == 0


def test_an_oversize_batch_gets_413_with_the_limit(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    day = workdays_before(helsinki_today(_today()), 1)[0]
    many = [present(day, participant=s.site.participants[0]) for _ in range(MAX_BATCH + 1)]
    response = push(live_server.url, s.credential, many)
    assert response.status_code == 413
    assert response.json()["details"]["limit_records"] == MAX_BATCH
    huge = json.dumps({"records": [], "pad": "x" * (MAX_BYTES + 10)}).encode()
    response = httpx.post(
        live_server.url + "/v1/push",
        content=huge,
        headers={**headers(s.credential), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["details"]["limit_bytes"] == MAX_BYTES

    def chunks() -> Iterator[bytes]:
        yield b'{"records": [], "pad": "'
        for _ in range(MAX_BYTES // 65536 + 2):
            yield b"x" * 65536
        yield b'"}'

    streamed = httpx.post(
        live_server.url + "/v1/push",
        content=chunks(),
        headers={**headers(s.credential), "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    assert count_versions(live_server.storage, "site_id = ?", [s.site.id]) == 0


def test_months_are_closed_once_and_later_changes_are_flagged(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s, other = site(), site()
    # Issue 10: only a month that is over, in the name of a supervisor the server knows.
    day = workdays_before(helsinki_today(_today()).replace(day=1), 1, skip=1)[0]
    push(live_server.url, s.credential, [present(day, participant=s.site.participants[1])])
    close = {
        "site_id": s.site.id,
        "year": day.year,
        "month": day.month,
        "closed_by": "ohjaaja-1",
        "closed_at": _today().isoformat(),
    }
    url = live_server.url + "/v1/months/close"
    assert httpx.post(url, json=close, headers=headers(s.credential)).json()["status"] == "closed"
    again = httpx.post(url, json=close, headers=headers(s.credential)).json()
    assert again["status"] == "already_closed"
    assert live_server.storage.closed_months(s.site.id) == {(day.year, day.month)}
    answer = push(live_server.url, s.credential, [present(day, participant=s.site.participants[0])])
    codes = [f["code"] for f in answer.json()["answers"][0]["findings"]]
    assert "closed_month_change" in codes
    foreign = httpx.post(url, json=close, headers=headers(other.credential))
    assert foreign.status_code == 403


def test_a_record_without_a_plan_is_rejected_per_record(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    from sync_server.storage import ParticipantRow

    s = site()
    live_server.storage.import_participants(
        [ParticipantRow(f"{s.site.id}-noplan", s.site.id, "Ei suunnitelmaa", "REF-X")],
        now=_today(),
    )
    day = workdays_before(helsinki_today(_today()), 1)[0]
    record = DayRecord(
        f"{s.site.id}-noplan",
        day,
        Status.ABSENT,
        "ohjaaja-1",
        "t1",
        _today(),
        id=str(uuid.uuid4()),
        reason=None,
    )
    answer = push(live_server.url, s.credential, [record]).json()["answers"][0]
    assert answer["status"] == "rejected"
    assert [f["code"] for f in answer["findings"]] == ["unknown_participant"]
