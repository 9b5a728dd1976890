"""Devices and the server together: records flow within a site and never across sites.

Each test makes its own sites on the module's server, so they stay independent.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from client.sync import SyncClient
from client.sync.errors import EnrollmentError
from shared.calendar import helsinki_today
from shared.records import AbsenceReason, Status
from sync_server.storage import ParticipantRow
from tests.e2e.conftest import SMALL_BATCH_LIMIT, MakeDevice
from tests.support.server import ServerProcess
from tests.support.sites import count_versions, headers, make_site, plan_for, workdays_before

_ids = itertools.count(1)


def _site(server: ServerProcess, people: int = 3) -> tuple[str, tuple[str, ...]]:
    site = make_site(server.storage, f"e2e{next(_ids)}", people)
    return site.id, site.participants


def _today() -> datetime:
    return datetime.now(UTC)


def test_records_flow_within_a_site_and_never_to_another(
    e2e_server: ServerProcess, devices: MakeDevice
) -> None:
    site1, people1 = _site(e2e_server)
    site2, people2 = _site(e2e_server, 2)
    a = devices(e2e_server.url, e2e_server.enrollment_code(site1), "A")
    b = devices(e2e_server.url, e2e_server.enrollment_code(site1), "B")
    c = devices(e2e_server.url, e2e_server.enrollment_code(site2), "C")
    assert a.participant_ids() == b.participant_ids() == sorted(people1)
    assert c.participant_ids() == sorted(people2)

    days = workdays_before(helsinki_today(_today()), 3)
    made = [a.attend(pid, d) for pid in people1 for d in days]
    theirs = c.attend(people2[0], days[0])
    report = a.sync()
    assert report.ok and report.accepted == len(made)
    assert a.store.outbox_count() == 0
    c.sync()

    pulled = b.sync()
    assert pulled.pulled_records == len(made)
    seen = b.store.site_versions(days[0], days[-1], now=_today())
    assert {r.id for r in seen} == {r.id for r in made}
    assert theirs.id not in {r.id for r in seen}
    assert c.store.site_versions(days[0], days[-1], now=_today()) == [theirs]

    credential = c.store.get_secret("device_credential")
    assert credential is not None
    refused = httpx.get(
        f"{e2e_server.url}/v1/participants/{people1[0]}/records",
        headers=headers(credential.decode()),
    )
    assert refused.status_code == 404  # issue 10: answered like an unknown participant


def test_a_lost_reply_is_sent_again_and_stored_once(
    e2e_server: ServerProcess, devices: MakeDevice
) -> None:
    from tests.support.proxy import CuttingProxy

    site, people = _site(e2e_server)
    proxy = CuttingProxy(e2e_server.port)
    try:
        a = devices(proxy.url, e2e_server.enrollment_code(site), "A")
        days = workdays_before(helsinki_today(_today()), 2)
        made = [a.attend(pid, d) for pid in people for d in days]
        proxy.cut_next_reply()  # the push's reply: the server commits, the device never hears
        report = a.sync()
        assert proxy.cuts == 1
        assert report.ok, report.error
        assert report.duplicates == len(made)  # the retry was answered "duplicate"
        assert len(a.sleeps) == 1
        assert a.store.outbox_count() == 0
        ids = [r.id for r in made]
        marks = ",".join("?" * len(ids))
        assert count_versions(e2e_server.storage, f"id IN ({marks})", ids) == len(made)
    finally:
        proxy.close()


def test_oversize_batches_are_split_to_the_servers_limit(
    e2e_server: ServerProcess, devices: MakeDevice
) -> None:
    site, people = _site(e2e_server, 10)
    a = devices(e2e_server.url, e2e_server.enrollment_code(site), "A", batch_size=200)
    days = workdays_before(helsinki_today(_today()), 8)
    made = [a.attend(pid, d) for pid in people for d in days]
    assert len(made) > SMALL_BATCH_LIMIT
    report = a.sync()
    assert report.ok, report.error
    assert report.accepted == len(made)
    assert a.store.outbox_count() == 0
    assert count_versions(e2e_server.storage, "site_id = ?", [site]) == len(made)


def test_corrections_made_offline_on_two_devices_conflict_and_both_are_kept(
    e2e_server: ServerProcess, devices: MakeDevice
) -> None:
    site, people = _site(e2e_server)
    a = devices(e2e_server.url, e2e_server.enrollment_code(site), "A")
    b = devices(e2e_server.url, e2e_server.enrollment_code(site), "B")
    day = workdays_before(helsinki_today(_today()), 1)[0]
    original = a.attend(people[0], day)
    a.sync()
    b.sync()
    now = _today()
    fix_a = a.save(
        original.correct(
            correction_reason="tuli myöhässä",
            recorded_by="ohjaaja-1",
            device_id=a.store.device_id,
            recorded_at=now,
            minutes=240,
            end=original.start.replace(hour=original.start.hour + 4) if original.start else None,
        )
    )
    fix_b = b.save(
        original.correct(
            correction_reason="olikin sairaana",
            recorded_by="ohjaaja-1",
            device_id=b.store.device_id,
            recorded_at=now,
            status=Status.ABSENT,
            start=None,
            end=None,
            minutes=None,
            reason=AbsenceReason.SICK,
        )
    )
    assert a.sync().accepted == 1
    lost = b.sync()
    assert lost.conflicts == 1
    assert b.store.outbox_count() == 0
    [item] = b.store.attention()
    assert item.status == "conflict"
    assert item.record.id == fix_b.id
    assert item.current is not None and item.current.id == fix_a.id
    assert "already_superseded" in [f.code for f in item.findings]
    assert b.client.state().conflicts == 1
    assert [r["id"] for r in e2e_server.storage.refused_for(people[0])] == [fix_b.id]
    stored = {r.id for r in e2e_server.storage.versions_for(people[0], day, day)}
    assert stored == {original.id, fix_a.id}


def test_a_participant_moved_away_sets_their_records_aside_and_the_rest_go(
    e2e_server: ServerProcess, devices: MakeDevice
) -> None:
    site, people = _site(e2e_server)
    elsewhere, _ = _site(e2e_server, 1)
    a = devices(e2e_server.url, e2e_server.enrollment_code(site), "A")
    day = workdays_before(helsinki_today(_today()), 1)[0]
    stays = a.attend(people[0], day)
    moved = a.attend(people[1], day)
    now = _today()
    e2e_server.storage.import_participants(
        [ParticipantRow(people[1], elsewhere, "Henkilö", f"REF-{people[1]}")], now=now
    )
    report = a.sync()
    assert report.ok, report.error
    assert report.accepted == 1 and report.rejected == 1
    assert a.store.outbox_count() == 0
    [item] = a.store.attention()
    assert item.record.id == moved.id and item.status == "rejected"
    assert count_versions(e2e_server.storage, "id = ?", [stays.id]) == 1
    assert people[1] not in a.participant_ids()  # the new reference data came with the pull


def test_a_revoked_device_keeps_its_data_and_says_why(
    e2e_server: ServerProcess, devices: MakeDevice
) -> None:
    site, people = _site(e2e_server)
    a = devices(e2e_server.url, e2e_server.enrollment_code(site), "A")
    a.attend(people[0], workdays_before(helsinki_today(_today()), 1)[0])
    device_id = a.store.get_meta("device_id")
    assert device_id
    e2e_server.storage.revoke(device_id, now=_today())
    report = a.sync()
    assert not report.ok
    state = a.client.state()
    assert state.pending == 1
    assert state.last_error is not None and "revoked" in state.last_error
    assert state.online is True
    assert a.sleeps == []  # a 4xx is not retried


def test_an_unreachable_server_is_retried_then_reported(devices: MakeDevice) -> None:
    from tests.support.processes import free_port

    with pytest.raises(EnrollmentError, match="cannot be reached"):
        SyncClient.enroll(
            httpx.Client(timeout=2.0), f"http://127.0.0.1:{free_port()}", "ABCD", device_name="x"
        )
    with pytest.raises(EnrollmentError, match="https://"):
        SyncClient.enroll(httpx.Client(), "http://lasna.example.fi", "ABCD", device_name="x")


def test_closed_months_reach_the_server(e2e_server: ServerProcess, devices: MakeDevice) -> None:
    site, people = _site(e2e_server)
    a = devices(e2e_server.url, e2e_server.enrollment_code(site), "A")
    today = helsinki_today(_today())
    # issue 10: the server takes a close from a supervisor whose records it holds
    a.attend(people[0], workdays_before(today, 1)[0])
    last_month = today.replace(day=1).toordinal() - 1
    previous = datetime.fromordinal(last_month).date()
    a.store.close_month(previous.year, previous.month, now=_today())
    report = a.sync()
    assert report.months_sent == 1
    assert e2e_server.storage.closed_months(site) == {(previous.year, previous.month)}
    assert a.sync().months_sent == 0


def test_a_new_plan_reaches_the_devices(e2e_server: ServerProcess, devices: MakeDevice) -> None:
    site, _ = _site(e2e_server, 1)
    a = devices(e2e_server.url, e2e_server.enrollment_code(site), "A")
    newcomer = f"{site}-uusi"
    now = _today()
    e2e_server.storage.import_participants(
        [ParticipantRow(newcomer, site, "Uusi Osallistuja", "REF-U")], now=now
    )
    e2e_server.storage.import_plans([plan_for(newcomer, site, helsinki_today(now))], now=now)
    assert a.sync().reference_updated
    assert newcomer in a.participant_ids()
    assert a.store.plan(newcomer) is not None


def test_a_reopened_month_opens_on_the_devices_at_their_next_sync(
    e2e_server: ServerProcess, devices: MakeDevice
) -> None:
    site, people = _site(e2e_server)
    a = devices(e2e_server.url, e2e_server.enrollment_code(site), "A")
    b = devices(e2e_server.url, e2e_server.enrollment_code(site), "B")
    today = helsinki_today(_today())
    previous = today.replace(day=1) - timedelta(days=1)
    a.attend(people[0], workdays_before(today, 1)[0])
    a.store.close_month(previous.year, previous.month, now=_today())
    a.store.close_month(today.year, today.month, now=_today())  # not over: the server waits
    report = a.sync()
    assert report.ok and report.months_sent == 1
    assert e2e_server.storage.closed_months(site) == {(previous.year, previous.month)}
    assert b.sync().ok
    assert (previous.year, previous.month) in b.store.closed_months()  # the site's close

    e2e_server.storage.reopen_month(
        site, previous.year, previous.month, reason="Korjattavaa", by="admin", now=_today()
    )
    report = a.sync()
    assert report.ok and report.months_reopened == 1
    assert a.store.closed_months() == {(today.year, today.month)}  # still waiting to be sent
    assert b.sync().months_reopened == 1
    assert b.store.closed_months() == set()
    assert a.sync().months_sent == 0  # a reopened month is not sent again by itself
