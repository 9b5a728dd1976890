"""Issue 13's follow-up pages in-process: the queue, returning a day, approving a month,
the site's month, a participant's history and the front page's sync health."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from shared.protocol import MonthClose, PushRequest
from shared.records import DayRecord
from sync_server.forward import Outbox, decode
from sync_server.months import close_month
from sync_server.push import push
from sync_server.storage import Device
from tests.support.sites import present
from tests.sync_server.console.harness import ConsoleHarness, csrf_of
from tests.sync_server.console.test_flow import post_form, set_up_site_with_plan
from tests.sync_server.forward.conftest import config_for, forwarder

MON = date(2026, 2, 23)


def week_with_findings(console: ConsoleHarness) -> Device:
    """Site 'paja', participant p1 (1–2 days a week, 4–6 h), a week of February with a
    flagged day, two not-eligible ones, a conflict and a change after February closed."""
    c = console.login("cora")
    set_up_site_with_plan(console, c)
    code, _ = console.storage.create_enrollment_code(
        "paja", now=console.clock(), valid_for=timedelta(hours=1)
    )
    reply = console.storage.enroll(code, "Tabletti", now=console.clock())
    device = console.storage.authenticate(reply.credential, now=console.clock())
    assert device is not None
    at = console.clock()

    def rec(day: date, hours: float, **kw: Any) -> DayRecord:
        return present(day, hours, participant="p1", device_id=device.id, recorded_at=at, **kw)

    monday = rec(MON, 5)
    records = [monday, rec(MON + timedelta(1), 7), rec(MON + timedelta(2), 5)]
    records.append(rec(MON + timedelta(3), 3))
    push(console.storage, device, PushRequest(tuple(records)), now=at)
    first = rec(MON, 6, supersedes=monday.id, correction_reason="tunnit")
    second = rec(MON, 4, supersedes=monday.id, correction_reason="toinen")
    push(console.storage, device, PushRequest((first,)), now=at)
    answer = push(console.storage, device, PushRequest((second,)), now=at)
    assert answer.answers[0].status.value == "conflict"
    close = MonthClose("paja", 2026, 2, "ohjaaja-1", at)
    assert close_month(console.storage, device, close, now=at)
    late = rec(
        MON + timedelta(4),
        5,
    )
    push(console.storage, device, PushRequest((late,)), now=at)
    return device


def kinds(html: str, section: str) -> list[str]:
    part = html.split(f'data-testid="{section}"', 1)
    if len(part) < 2:
        return []
    return re.findall(r'data-kind="([a-z_]+)"', part[1].split("</ul>", 1)[0])


def test_the_queue_splits_findings_and_settles_one_with_codes(console: ConsoleHarness) -> None:
    from sync_server.console import Role

    console.account("cora", Role.COORDINATOR, all_sites=True)
    week_with_findings(console)
    c = console.login("cora")
    page = c.get("/console/findings")
    assert page.status_code == 200
    must, ack = kinds(page.text, "must-fix"), kinds(page.text, "acknowledge")
    assert sorted(set(must)) == ["conflict", "not_eligible"]
    assert {"flagged", "closed_month_change"} <= set(ack)
    only = c.get("/console/findings?kind=conflict").text
    assert kinds(only, "must-fix") == ["conflict"] and kinds(only, "acknowledge") == []

    key = re.search(r'data-kind="flagged".*?name="key" value="([^"]+)"', page.text, re.S)
    assert key
    missing = c.post(
        "/console/findings/settle",
        data={"csrf": csrf_of(page.text), "key": key.group(1), "action": "resolve"},
    )
    assert missing.status_code == 422 and "Choose both a reason and a resolution." in missing.text
    done = c.post(
        "/console/findings/settle",
        data={
            "csrf": csrf_of(page.text),
            "key": key.group(1),
            "action": "resolve",
            "reason_code": "plan_changed_retroactively",
            "resolution_code": "accepted_as_is",
            "comment": "sovittu",
        },
    )
    assert done.status_code == 303
    [row] = console.storage.rows("SELECT * FROM console_resolutions")
    assert (row["reason_code"], row["resolution_code"], row["made_by"]) == (
        "plan_changed_retroactively",
        "accepted_as_is",
        "cora",
    )
    after = c.get("/console/findings").text
    assert "flagged" not in kinds(after, "acknowledge")
    assert "Plan changed retroactively" in after and "Accepted as is" in after


def test_a_returned_day_reaches_the_device_until_it_is_corrected(console: ConsoleHarness) -> None:
    from sync_server.console import Role

    console.account("cora", Role.COORDINATOR, all_sites=True)
    device = week_with_findings(console)
    c = console.login("cora")
    page = c.get("/console/findings?kind=not_eligible").text
    keys = re.findall(r'name="key" value="(not_eligible:under_min_hours:[^"]+)"', page)
    assert keys
    reply = c.post(
        "/console/findings/settle",
        data={
            "csrf": csrf_of(page),
            "key": keys[0],
            "action": "return",
            "return_reason": "check_hours",
            "comment": "3 h?",
        },
    )
    assert reply.status_code == 303
    pulled = console.storage.pull(device, None, now=console.clock(), limit=100)
    [request] = pulled.requests
    assert (request.participant_id, request.day, request.reason_code) == (
        "p1",
        MON + timedelta(3),
        "check_hours",
    )
    assert "returned to the site" in c.get("/console/findings").text

    current = [r for r in console.storage.versions_for("p1", request.day, request.day)][-1]
    fixed = present(
        request.day,
        4,
        participant="p1",
        device_id=device.id,
        recorded_at=console.clock(),
        supersedes=current.id,
        correction_reason="tunnit korjattu",
    )
    push(console.storage, device, PushRequest((fixed,)), now=console.clock())
    assert console.storage.pull(device, None, now=console.clock(), limit=100).requests == ()


def test_a_closed_month_is_approved_and_the_forward_marks_it_final(
    console: ConsoleHarness, tmp_path: Path
) -> None:
    from sync_server.console import Role

    console.account("cora", Role.COORDINATOR, all_sites=True)
    week_with_findings(console)
    c = console.login("cora")
    page = c.get("/console/months").text
    assert 'data-testid="pending-months"' in page and "February 2026" in page
    month = c.get("/console/sites/paja/months/2026-02").text
    assert "waiting for approval" in month
    assert post_form(c, "/console/months", "/console/sites/paja/months/2026-02/approve", {})
    assert console.storage.approved_months("paja") == {(2026, 2)}
    assert "Approved by cora" in c.get("/console/sites/paja/months/2026-02").text

    built = forwarder(console.storage, config_for(drop=tmp_path / "drop")).build()
    sent = decode(Outbox(console.storage).get(built.built[0]).body)
    february = [d for d in sent["days"] if d["day"].startswith("2026-02")]
    assert february and all(d["approved_month"] for d in february)
    assert all(t["approved_month"] for t in sent["totals"] if t["period_start"] < "2026-03")


def test_reopening_needs_a_reason_and_reaches_the_devices(console: ConsoleHarness) -> None:
    from sync_server.console import Role

    console.account("cora", Role.COORDINATOR, all_sites=True)
    device = week_with_findings(console)
    c = console.login("cora")
    action = "/console/sites/paja/months/2026-02/reopen"
    refused = post_form(c, "/console/months", action, {"reason": " "})
    assert refused.status_code == 422
    assert "Say why the month is opened again." in refused.text
    done = post_form(c, "/console/months", action, {"reason": "tunnit tarkistetaan"})
    assert done.status_code == 303
    assert console.storage.pull(device, None, now=console.clock(), limit=100).closed_months == ()
    [row] = console.storage.month_reopenings("paja")
    assert (row["reopened_by"], row["reason"]) == ("cora", "tunnit tarkistetaan")


def test_the_site_month_reads_like_a_paper_list(console: ConsoleHarness) -> None:
    from sync_server.console import Role

    console.account("cora", Role.COORDINATOR, all_sites=True)
    week_with_findings(console)
    c = console.login("cora")
    page = c.get("/console/sites/paja/months/2026-02")
    assert page.status_code == 200
    html = page.text
    row = html.split('href="/console/participants/p1/history">Aino K.</a></th>', 1)[1]
    row = row.split("</tr>", 1)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    totals = cells[-4:]
    # 5 present days (24.–27. and the corrected Monday); 2 eligible a week at most
    assert totals[:3] == ["5", "2", "0"]
    assert totals[3] == "€18.00"  # two days of kulukorvaus, shared.allowance's figure
    assert "<s>P</s>" in row and "*" in row  # not eligible is struck through; findings marked
    assert 'data-testid="payers"' in html
    payers = html.split('data-testid="payers"', 1)[1].split("</table>", 1)[0]
    assert "<td>Kela</td>" in payers and "<td>kela</td>" not in payers  # the name, not the code


def test_history_shows_every_version_and_the_weeks_chart(console: ConsoleHarness) -> None:
    from sync_server.console import Role

    console.account("cora", Role.COORDINATOR, all_sites=True)
    week_with_findings(console)
    c = console.login("cora")
    page = c.get("/console/participants/p1/history").text
    assert "correction reason" in page and "tunnit" in page and "device Tabletti" in page
    assert "a conflicting version was kept aside" in page
    assert 'data-testid="weeks-table"' in page
    chart = c.get("/console/participants/p1/weeks.svg")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in chart.content
    log = console.storage.rows("SELECT action FROM console_access_log WHERE participant_id = 'p1'")
    assert {"participant_history_view", "participant_chart_view"} <= {r["action"] for r in log}


def test_front_page_names_silent_devices(console: ConsoleHarness) -> None:
    from sync_server.console import Role

    console.account("cora", Role.COORDINATOR, all_sites=True)
    week_with_findings(console)
    c = console.login("cora")
    assert c.get("/console/").headers["location"] == "/console/overview"
    page = c.get("/console/overview").text
    assert 'data-testid="silent-devices-none"' in page
    assert "findings must be fixed" in page
    console.clock.advance(days=4)
    c = console.login("cora")
    page = c.get("/console/overview").text
    assert 'data-testid="silent-devices"' in page and "Tabletti" in page and "4 days" in page


def test_roles_and_scopes(console: ConsoleHarness) -> None:
    from sync_server.console import Role

    console.account("cora", Role.COORDINATOR, all_sites=True)
    week_with_findings(console)
    console.account("vera", Role.VIEWER, sites=frozenset({"paja"}))
    viewer = console.login("vera")
    page = viewer.get("/console/findings").text
    assert kinds(page, "must-fix") and "Mark settled" not in page
    refused = viewer.post(
        "/console/findings/settle", data={"csrf": csrf_of(page), "key": "x", "action": "resolve"}
    )
    assert refused.status_code == 403
    assert viewer.get("/console/sites/paja/months/2026-02").status_code == 200
    assert '/approve"' not in viewer.get("/console/months").text

    cora = console.login("cora")
    post_form(
        cora, "/console/sites", "/console/sites", {"id": "muu", "name": "Muu", "supervisors": ""}
    )
    console.account("otto", Role.COORDINATOR, sites=frozenset({"muu"}))
    other = console.login("otto")
    assert kinds(other.get("/console/findings").text, "must-fix") == []
    assert other.get("/console/sites/paja/months/2026-02").status_code == 404
    assert other.get("/console/participants/p1/history").status_code == 404
    assert other.get("/console/participants/p1/weeks.svg").status_code == 404
    assert "February 2026" not in other.get("/console/months").text
    form = other.get("/console/months").text
    approve = other.post("/console/sites/paja/months/2026-02/approve", data={"csrf": csrf_of(form)})
    assert approve.status_code == 404
    assert isinstance(other, TestClient)
