"""A coordinator's day: site, participant, plan, enrollment code, a raised plan with preview."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from shared.protocol import PushRequest
from sync_server.console import Role
from sync_server.push import push
from tests.support.sites import present
from tests.sync_server.console.harness import ConsoleHarness, csrf_of

PLAN = {
    "plan_type": "aktivointisuunnitelma",
    "rule_set": "kuntouttava",
    "start": "2026-02-02",
    "end": "2026-08-01",
    "days_min": "1",
    "days_max": "2",
    "hours_min": "4",
    "hours_max": "6",
    "allowance_type": "kulukorvaus",
    "payer": "",
}
WEEK = [date(2026, 2, 23), date(2026, 2, 24), date(2026, 2, 25), date(2026, 2, 26)]


def post_form(c: TestClient, page_path: str, action: str, data: dict[str, str]) -> object:
    token = csrf_of(c.get(page_path).text)
    return c.post(action, data={"csrf": token, **data})


def set_up_site_with_plan(console: ConsoleHarness, c: TestClient) -> None:
    post_form(
        c,
        "/console/sites",
        "/console/sites",
        {"id": "paja", "name": "Paja", "supervisors": "Liisa\nMatti"},
    )
    post_form(
        c,
        "/console/sites/paja",
        "/console/sites/paja/participants",
        {"id": "p1", "display_name": "Aino K.", "client_ref": "ASK-1"},
    )
    reply = post_form(
        c, "/console/participants/p1/plans/new", "/console/participants/p1/plans", PLAN
    )
    assert reply.status_code == 303, reply.text  # type: ignore[attr-defined]


def test_coordinator_plan_enrollment_and_a_raised_plan(console: ConsoleHarness) -> None:
    console.account("cora", Role.COORDINATOR, all_sites=True)
    c = console.login("cora")
    set_up_site_with_plan(console, c)
    [plan] = console.storage.plans("paja")
    assert (plan.latest.days_min, plan.latest.days_max) == (1, 2)

    page = post_form(c, "/console/sites/paja", "/console/sites/paja/enrollment-codes", {})
    code = re.search(r'id="enrollment-code">([A-Z0-9-]+)<', page.text)  # type: ignore[attr-defined]
    assert code and "<svg" in page.text  # type: ignore[attr-defined]
    reply = console.storage.enroll(code.group(1), "Tabletti", now=console.clock())
    device = console.storage.authenticate(reply.credential, now=console.clock())
    assert device is not None
    first = console.storage.pull(device, None, now=console.clock(), limit=100)
    assert first.reference is not None
    [pulled] = first.reference.plans
    assert pulled.latest.days_max == 2

    records = [
        present(d, participant="p1", device_id=device.id, recorded_at=console.clock()) for d in WEEK
    ]
    push(console.storage, device, PushRequest(tuple(records)), now=console.clock())

    raised = {**PLAN, "valid_from": "2026-02-23", "days_max": "4"}
    preview = post_form(
        c, f"/console/plans/{plan.id}/versions/new", f"/console/plans/{plan.id}/versions", raised
    )
    text = preview.text  # type: ignore[attr-defined]
    assert preview.status_code == 200  # type: ignore[attr-defined]
    assert "4 days have been recorded from 23.2.2026 on." in text
    assert re.search(r"2 recorded days become eligible", text)
    confirm = c.post(
        f"/console/plans/{plan.id}/versions",
        data={"csrf": csrf_of(text), "confirm": "yes", **raised},
    )
    assert confirm.status_code == 303
    [stored] = console.storage.plans("paja")
    assert [v.days_max for v in stored.versions] == [2, 4]
    later = console.storage.pull(device, first.cursor, now=console.clock(), limit=100)
    assert later.reference is not None
    assert [v.days_max for v in later.reference.plans[0].versions] == [2, 4]


def test_lowering_days_lists_the_days_that_become_not_eligible(console: ConsoleHarness) -> None:
    console.account("cora", Role.COORDINATOR, all_sites=True)
    c = console.login("cora")
    set_up_site_with_plan(console, c)
    [plan] = console.storage.plans("paja")
    post_form(
        c,
        f"/console/plans/{plan.id}/versions/new",
        f"/console/plans/{plan.id}/versions",
        {**PLAN, "valid_from": "2026-02-02", "days_max": "4"},
    )
    code, _ = console.storage.create_enrollment_code(
        "paja", now=console.clock(), valid_for=__import__("datetime").timedelta(hours=1)
    )
    reply = console.storage.enroll(code, "T", now=console.clock())
    device = console.storage.authenticate(reply.credential, now=console.clock())
    assert device is not None
    push(
        console.storage,
        device,
        PushRequest(
            tuple(
                present(d, participant="p1", device_id=device.id, recorded_at=console.clock())
                for d in WEEK
            )
        ),
        now=console.clock(),
    )
    [plan] = console.storage.plans("paja")
    lowered = {**PLAN, "valid_from": "2026-02-16", "days_max": "1"}
    preview = post_form(
        c, f"/console/plans/{plan.id}/versions/new", f"/console/plans/{plan.id}/versions", lowered
    )
    text = preview.text  # type: ignore[attr-defined]
    assert re.search(r"3 recorded days become not eligible", text)
    for day in ("24.2.2026", "25.2.2026", "26.2.2026"):
        assert day in text
    # nothing saved before the confirmation
    [still] = console.storage.plans("paja")
    assert still.latest.days_max == 4


def test_plan_limits_are_checked_against_the_rule_set(console: ConsoleHarness) -> None:
    console.account("cora", Role.COORDINATOR, all_sites=True)
    c = console.login("cora")
    set_up_site_with_plan(console, c)
    reply = post_form(
        c,
        "/console/participants/p1/plans/new",
        "/console/participants/p1/plans",
        {**PLAN, "days_max": "5"},
    )
    assert reply.status_code == 422  # type: ignore[attr-defined]
    assert "maximum of 4" in reply.text  # type: ignore[attr-defined]
    assert 'aria-describedby="f-days_max-error"' in reply.text  # type: ignore[attr-defined]
    c.cookies.set("lasna_lang", "fi")
    reply = post_form(
        c,
        "/console/participants/p1/plans/new",
        "/console/participants/p1/plans",
        {**PLAN, "hours_min": "3,5"},
    )
    assert reply.status_code == 422  # type: ignore[attr-defined]
    said = "Tunteja päivässä vähintään (3,5 h) on vähemmän kuin sääntökokoelman"
    assert said in reply.text  # type: ignore[attr-defined]
    assert 'aria-describedby="f-hours_min-error"' in reply.text  # type: ignore[attr-defined]


def test_a_personal_identity_code_is_refused(console: ConsoleHarness) -> None:
    console.account("cora", Role.COORDINATOR, all_sites=True)
    c = console.login("cora")
    post_form(c, "/console/sites", "/console/sites", {"id": "paja", "name": "Paja"})
    reply = post_form(
        c,
        "/console/sites/paja",
        "/console/sites/paja/participants",
        {"id": "p9", "display_name": "Eero", "client_ref": "010190-123A"},
    )
    assert reply.status_code == 422  # type: ignore[attr-defined]
    assert console.storage.participants("paja") == []


def test_every_participant_page_and_change_is_in_the_access_log(console: ConsoleHarness) -> None:
    console.account("cora", Role.COORDINATOR, all_sites=True)
    c = console.login("cora")
    set_up_site_with_plan(console, c)
    c.get("/console/participants/p1")
    actions = [
        line["action"]
        for line in console.storage.rows(
            "SELECT action FROM console_access_log WHERE participant_id = 'p1' ORDER BY id"
        )
    ]
    assert actions[0] == "participant_create"
    assert "plan_create" in actions and actions[-1] == "participant_view"
    assert all(
        line["account"] == "cora"
        for line in console.storage.rows(
            "SELECT account FROM console_access_log WHERE participant_id = 'p1'"
        )
    )


def test_an_import_refused_in_the_console_names_line_and_column(console: ConsoleHarness) -> None:
    console.account("cora", Role.COORDINATOR, all_sites=True)
    c = console.login("cora")
    token = csrf_of(c.get("/console/import").text)
    bad = "id,name\npaja,Paja\n-huono,Huono\n"
    reply = c.post(
        "/console/import",
        data={"csrf": token, "kind": "sites"},
        files={"file": ("sites.csv", bad.encode(), "text/csv")},
    )
    assert reply.status_code == 422
    assert "line 3, column 1 (id): &#39;id&#39; &#39;-huono&#39; must be" in reply.text
    assert console.storage.sites() == []
