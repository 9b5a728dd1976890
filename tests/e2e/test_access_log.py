"""The access log answers for devices: what a device pushed, pulled and read through the
API, and what its supervisors viewed and changed on it (uploaded with sync), each line
with the device (and the supervisor) as the actor (issue 13)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import httpx

from shared.calendar import helsinki_today
from tests.e2e.conftest import MakeDevice
from tests.support.server import ServerProcess
from tests.support.sites import headers, make_site, workdays_before

_ids = itertools.count(1)


def _lines(server: ServerProcess, participant_id: str) -> list[dict[str, Any]]:
    return server.storage.access_lines(participant_id=participant_id, limit=1000)


def test_device_views_changes_pushes_and_pulls_are_in_the_access_log(
    e2e_server: ServerProcess, devices: MakeDevice
) -> None:
    site = make_site(e2e_server.storage, f"acc{next(_ids)}", 2)
    first, second = site.participants
    a = devices(e2e_server.url, e2e_server.enrollment_code(site.id), "A")
    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    assert a.participant_ids() == sorted(site.participants)  # a supervisor's list
    a.attend(first, day)
    a.store.versions(first, day, day, now=datetime.now(UTC))  # a supervisor's view
    report = a.sync()
    assert report.ok, report.error
    assert report.audit_sent > 0

    lines = _lines(e2e_server, first)
    device_id = a.store.get_meta("device_id")
    pushes = [r for r in lines if r["action"] == "push"]
    assert len(pushes) == 1  # one row per participant per request
    assert pushes[0]["via"] == "api" and pushes[0]["device_id"] == device_id
    assert pushes[0]["account"] == ""
    by_supervisor = {r["action"] for r in lines if r["via"] == "device"}
    assert {"list", "change", "view"} <= by_supervisor
    for r in lines:
        if r["via"] == "device":
            assert r["device_id"] == device_id and r["supervisor"] == "Maija Ohjaaja"
            assert r["device_name"] == "A"
    # The first pull (at enrollment) sent both participants' data to the device.
    assert any(r["action"] == "pull" and r["device_id"] == device_id for r in lines)
    assert any(r["action"] == "pull" for r in _lines(e2e_server, second))
    assert not [r for r in _lines(e2e_server, second) if r["action"] == "push"]

    # A second round sends only what is new; an entry sent again is kept once.
    count = len([r for r in _lines(e2e_server, first) if r["via"] == "device"])
    again = a.sync()
    assert again.ok and again.audit_sent == 0
    assert len([r for r in _lines(e2e_server, first) if r["via"] == "device"]) == count

    # Another device's pull of the site's records names the participant with that device.
    b = devices(e2e_server.url, e2e_server.enrollment_code(site.id), "B")
    b_id = b.store.get_meta("device_id")
    pulled = [r for r in _lines(e2e_server, first) if r["device_id"] == b_id]
    assert [r["action"] for r in pulled] == ["pull"]

    # An API read of the participant's records.
    credential = a.store.get_secret("device_credential")
    assert credential is not None
    got = httpx.get(
        f"{e2e_server.url}/v1/participants/{first}/records",
        headers=headers(credential.decode()),
    )
    assert got.status_code == 200
    reads = [r for r in _lines(e2e_server, first) if r["action"] == "records_read"]
    assert len(reads) == 1 and reads[0]["device_id"] == device_id and reads[0]["via"] == "api"
