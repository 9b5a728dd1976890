"""Logging in (password, then the second factor), setting it up, logging out, language."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from shared.i18n import LANGUAGES
from sync_server.console import recipes
from sync_server.console.web import (
    LANG_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    LoginRequired,
    console,
    gettext,
    language,
    open_session,
    posted,
    redirect,
    render,
    safe_next,
    set_cookie,
    signed_in,
)

router = APIRouter()
Page = Response


@router.get("/login")
def login_page(request: Request, next: str = "") -> Page:
    session = open_session(request)
    if session and session.second_factor_done:
        return redirect(safe_next(next))
    return render(request, "login.html", {"next": safe_next(next), "errors": {}})


@router.post("/login")
async def login(request: Request) -> Page:
    c = console(request)
    form = await posted(request, None)
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    target = safe_next(str(form.get("next", "")))
    _ = gettext(language(request))
    result = c.accounts.check_login(username, password, c.now())
    if result.account is None:
        if result.wait_seconds:
            message = _("Too many failed attempts. Try again in %(seconds)d s.") % {
                "seconds": result.wait_seconds
            }
        else:
            message = _("The user name or password is wrong.")
        values = {"next": target, "username": username, "errors": {"form": message}}
        return render(request, "login.html", values, status=401)
    account = result.account
    done = not account.needs_second_factor
    token = c.accounts.open_session(account, c.now(), second_factor_done=done)
    c.log.write(account.username, "login", now=c.now())
    if done:
        response = redirect(target)
    elif account.totp_confirmed:
        response = redirect(f"{PREFIX}/login/code?next={quote(target, safe='')}")
    else:
        response = redirect(f"{PREFIX}/login/setup?next={quote(target, safe='')}")
    set_cookie(request, response, SESSION_COOKIE, token, max_age=None)
    return response


def _half_session(request: Request) -> Any:
    session = open_session(request)
    if session is None:
        raise LoginRequired()
    return session


@router.get("/login/code")
def code_page(request: Request, next: str = "") -> Page:
    session = _half_session(request)
    if session.second_factor_done:
        return redirect(safe_next(next))
    return render(
        request, "login_code.html", {"next": safe_next(next), "errors": {}}, session=session
    )


@router.post("/login/code")
async def code(request: Request) -> Page:
    c = console(request)
    session = _half_session(request)
    form = await posted(request, session)
    target = safe_next(str(form.get("next", "")))
    _ = gettext(language(request))
    wait = c.accounts.wait_seconds(session.account.username, c.now())
    if wait:
        message = _("Too many failed attempts. Try again in %(seconds)d s.") % {"seconds": wait}
    elif c.accounts.check_totp(session.account, str(form.get("code", "")), c.now()):
        c.accounts.second_factor_passed(session)
        return redirect(target)
    else:
        message = _("The code is wrong or already used. Enter the code your app shows now.")
    values = {"next": target, "errors": {"code": message}}
    return render(request, "login_code.html", values, session=session, status=401)


@router.get("/login/setup")
def setup_page(request: Request, next: str = "") -> Page:
    c = console(request)
    session = _half_session(request)
    if session.account.totp_confirmed:
        return redirect(f"{PREFIX}/login/code?next={quote(safe_next(next), safe='')}")
    secret = c.accounts.totp_secret(session.account.id) or c.accounts.start_totp(session.account.id)
    return _setup(request, session, secret, safe_next(next), {})


def _setup(
    request: Request, session: Any, secret: str, target: str, errors: dict[str, str]
) -> HTMLResponse:
    uri = recipes.totp_uri(secret, session.account.username)
    _ = gettext(language(request))
    values = {
        "next": target,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr": recipes.qr_svg(uri, _("QR code for the authenticator app")),
        "errors": errors,
    }
    return render(
        request, "login_setup.html", values, session=session, status=401 if errors else 200
    )


@router.post("/login/setup")
async def setup(request: Request) -> Page:
    c = console(request)
    session = _half_session(request)
    form = await posted(request, session)
    target = safe_next(str(form.get("next", "")))
    secret = c.accounts.totp_secret(session.account.id)
    if secret is None or session.account.totp_confirmed:
        return redirect(f"{PREFIX}/login/setup")
    _ = gettext(language(request))
    if c.accounts.check_totp(session.account, str(form.get("code", "")), c.now()):
        c.accounts.second_factor_passed(session)
        c.log.write(session.account.username, "second_factor_set_up", now=c.now())
        return redirect(target)
    message = _("The code is wrong. Check the time on your phone and enter the code it shows now.")
    return _setup(request, session, secret, target, {"code": message})


@router.post("/logout")
async def logout(request: Request) -> Page:
    c = console(request)
    session = open_session(request)
    if session is not None:
        await posted(request, session)
        token = request.cookies.get(SESSION_COOKIE, "")
        c.accounts.end_session(token, c.now())
        c.log.write(session.account.username, "logout", now=c.now())
    response = redirect(f"{PREFIX}/login")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


@router.get("/lang/{code}")
def choose_language(request: Request, code: str, next: str = "") -> Page:
    response = redirect(safe_next(next))
    if code in LANGUAGES:
        set_cookie(request, response, LANG_COOKIE, code, max_age=365 * 24 * 3600)
    return response


@router.get("/accessibility")
def accessibility(request: Request) -> HTMLResponse:
    session = open_session(request)
    return render(
        request,
        "accessibility.html",
        session=session if session and session.second_factor_done else None,
    )


@router.get("/")
def home(request: Request) -> Page:
    signed_in(request)
    return redirect(f"{PREFIX}/overview")
