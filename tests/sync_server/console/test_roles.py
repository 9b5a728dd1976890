"""Roles and site scopes: what is not offered is also refused when forged."""

from __future__ import annotations

from sync_server.console import Role
from tests.sync_server.console.harness import ConsoleHarness, csrf_of
from tests.sync_server.console.test_flow import PLAN, post_form, set_up_site_with_plan


def test_viewer_is_not_offered_forms_and_forged_posts_are_refused(console: ConsoleHarness) -> None:
    console.account("cora", Role.COORDINATOR, all_sites=True)
    set_up_site_with_plan(console, console.login("cora"))
    console.account("vera", Role.VIEWER, all_sites=True)
    v = console.login("vera")
    page = v.get("/console/sites/paja")
    assert page.status_code == 200
    assert '/participants"' not in page.text and "enrollment-codes" not in page.text
    person = v.get("/console/participants/p1")
    assert person.status_code == 200 and "plans/new" not in person.text
    token = csrf_of(page.text)  # the logout form's token: a valid one for this session
    for path, data in (
        ("/console/sites", {"id": "x", "name": "X"}),
        ("/console/sites/paja/participants", {"id": "p2", "display_name": "B", "client_ref": "R"}),
        ("/console/participants/p1/plans", PLAN),
        ("/console/sites/paja/enrollment-codes", {}),
    ):
        assert v.post(path, data={"csrf": token, **data}).status_code == 403, path
    assert v.get("/console/participants/p1/plans/new").status_code == 403
    assert v.get("/console/accounts").status_code == 403
    assert len(console.storage.participants("paja")) == 1


def test_coordinator_of_site_a_cannot_see_or_change_site_b(console: ConsoleHarness) -> None:
    console.account("ada", Role.COORDINATOR, all_sites=True)
    a = console.login("ada")
    post_form(a, "/console/sites", "/console/sites", {"id": "a", "name": "Paja A"})
    post_form(a, "/console/sites", "/console/sites", {"id": "b", "name": "Paja B"})
    post_form(
        a,
        "/console/sites/b",
        "/console/sites/b/participants",
        {"id": "pb", "display_name": "Bea", "client_ref": "R-B"},
    )
    console.account("cora", Role.COORDINATOR, sites=frozenset({"a"}))
    c = console.login("cora")
    listing = c.get("/console/sites").text
    assert "Paja A" in listing and "Paja B" not in listing
    assert c.get("/console/sites/b").status_code == 404
    assert c.get("/console/participants/pb").status_code == 404
    token = csrf_of(c.get("/console/sites/a").text)
    assert (
        c.post(
            "/console/sites/b/participants",
            data={"csrf": token, "id": "px", "display_name": "X", "client_ref": "R"},
        ).status_code
        == 404
    )
    assert c.post("/console/sites/b", data={"csrf": token, "name": "Renamed"}).status_code == 404
    assert (
        c.post(
            "/console/participants/pb/changes",
            data={"csrf": token, "kind": "end", "end_on_day": "2026-03-01"},
        ).status_code
        == 404
    )
    assert c.post("/console/sites/b/enrollment-codes", data={"csrf": token}).status_code == 404
    assert console.storage.site("b").name == "Paja B"  # type: ignore[union-attr]
    # a participant of A cannot be moved into B either
    post_form(
        c,
        "/console/sites/a",
        "/console/sites/a/participants",
        {"id": "pa", "display_name": "Aki", "client_ref": "R-A"},
    )
    moved = c.post(
        "/console/participants/pa/changes",
        data={"csrf": token, "kind": "move", "move_site_id": "b", "move_on_day": "2026-03-01"},
    )
    assert moved.status_code == 422
    assert console.storage.participants("b")[0]["id"] == "pb"


def test_admin_creates_a_coordinator_who_must_set_up_totp(console: ConsoleHarness) -> None:
    console.account("root", Role.ADMIN)
    a = console.login("root")
    reply = post_form(
        a,
        "/console/accounts",
        "/console/accounts",
        {
            "username": "cora",
            "display_name": "Cora",
            "role": "coordinator",
            "password": "another long password",
            "all_sites": "yes",
        },
    )
    assert reply.status_code == 303  # type: ignore[attr-defined]
    made = console.accounts.by_username("cora")
    assert made is not None and made.role is Role.COORDINATOR and made.whole_county


def test_api_token_is_shown_once_stored_hashed_and_revocable(console: ConsoleHarness) -> None:
    console.account("root", Role.ADMIN)
    a = console.login("root")
    page = post_form(
        a, "/console/tokens", "/console/tokens", {"action": "create", "name": "nightly"}
    )
    import re

    token = re.search(r'id="new-token">([^<]+)<', page.text).group(1)  # type: ignore[attr-defined,union-attr]
    assert token not in str(console.storage.rows("SELECT * FROM console_api_tokens"))
    assert console.accounts.by_api_token(token, console.clock()) is not None
    listing = a.get("/console/tokens").text
    assert token not in listing
    [row] = console.storage.rows("SELECT id FROM console_api_tokens")
    a.post(
        "/console/tokens", data={"csrf": csrf_of(listing), "action": "revoke", "id": str(row["id"])}
    )
    assert console.accounts.by_api_token(token, console.clock()) is None
