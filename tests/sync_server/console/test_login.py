"""Logging in: password, the second factor, sessions, CSRF and growing delays."""

from __future__ import annotations

from sync_server.console import Role
from sync_server.console.recipes import totp_code
from tests.sync_server.console.harness import PASSWORD, ConsoleHarness, csrf_of


def test_no_page_answers_without_a_session(console: ConsoleHarness) -> None:
    c = console.client()
    for path in (
        "/console/",
        "/console/sites",
        "/console/devices",
        "/console/accounts",
        "/console/tokens",
        "/console/import",
        "/console/access-log",
    ):
        reply = c.get(path)
        assert reply.status_code == 303, path
        assert reply.headers["location"].startswith("/console/login?next=")
    assert c.post("/console/sites", data={"id": "x", "name": "X"}).status_code in (401, 403)


def test_admin_sets_up_totp_at_first_login_then_needs_the_code(console: ConsoleHarness) -> None:
    console.account("ada", Role.ADMIN)
    c = console.login("ada")
    assert c.get("/console/accounts").status_code == 200
    assert console.accounts.by_username("ada").totp_confirmed  # type: ignore[union-attr]

    again = console.client()
    page = again.get("/console/login")
    reply = again.post(
        "/console/login", data={"csrf": csrf_of(page.text), "username": "ada", "password": PASSWORD}
    )
    assert reply.headers["location"].startswith("/console/login/code")
    # password alone is not enough
    assert again.get("/console/sites").status_code == 303
    code_page = again.get(reply.headers["location"])
    wrong = again.post(
        "/console/login/code", data={"csrf": csrf_of(code_page.text), "code": "000000"}
    )
    assert wrong.status_code == 401
    secret = console.accounts.totp_secret(console.accounts.by_username("ada").id)  # type: ignore[union-attr]
    console.clock.advance(seconds=30)
    ok = again.post(
        "/console/login/code",
        data={"csrf": csrf_of(code_page.text), "code": totp_code(secret or "", console.clock())},
    )
    assert ok.status_code == 303
    assert again.get("/console/sites").status_code == 200


def test_session_cookie_is_httponly_samesite_and_expires_when_idle(console: ConsoleHarness) -> None:
    console.account("vera", Role.VIEWER)
    c = console.client()
    page = c.get("/console/login")
    reply = c.post(
        "/console/login",
        data={"csrf": csrf_of(page.text), "username": "vera", "password": PASSWORD},
    )
    cookie = reply.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    assert c.get("/console/sites").status_code == 200
    console.clock.advance(minutes=31)
    assert c.get("/console/sites").status_code == 303


def test_post_without_csrf_token_is_refused(console: ConsoleHarness) -> None:
    console.account("cora", Role.COORDINATOR, all_sites=True)
    c = console.login("cora")
    reply = c.post("/console/sites", data={"id": "s1", "name": "Paja"})
    assert reply.status_code == 403
    assert console.storage.site("s1") is None
    page = c.get("/console/sites")
    ok = c.post("/console/sites", data={"csrf": csrf_of(page.text), "id": "s1", "name": "Paja"})
    assert ok.status_code == 303
    assert console.storage.site("s1") is not None


def test_repeated_bad_logins_slow_down(console: ConsoleHarness) -> None:
    console.account("vera", Role.VIEWER)
    c = console.client()
    token = csrf_of(c.get("/console/login").text)

    def attempt(password: str) -> str:
        reply = c.post(
            "/console/login", data={"csrf": token, "username": "vera", "password": password}
        )
        return reply.text

    for _ in range(3):
        assert "wrong" in attempt("nope") or "väärin" in attempt("nope")
    text = attempt(PASSWORD)  # even the right password waits now
    assert "s." in text and ("Try again in" in text or "uudelleen" in text)
    console.clock.advance(seconds=600)
    reply = c.post("/console/login", data={"csrf": token, "username": "vera", "password": PASSWORD})
    assert reply.status_code == 303


def test_unknown_user_names_are_delayed_too(console: ConsoleHarness) -> None:
    for _ in range(4):
        result = console.accounts.check_login("nobody", "x", console.clock())
    assert result.wait_seconds > 0 or console.accounts.wait_seconds("nobody", console.clock()) > 0
