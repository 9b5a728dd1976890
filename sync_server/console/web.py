"""What every console page needs: templates per language, the session, CSRF, refusals.

Pages are rendered on the server; forms work without JavaScript. Each language has
its own Jinja environment, because installed gettext functions are per environment
and requests in different languages run side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.datastructures import FormData

from shared.i18n import LANGUAGES, day_name, translations
from shared.messages import term
from sync_server.api.deps import ServerContext
from sync_server.console import recipes
from sync_server.console.accounts import Account, Accounts, Session
from sync_server.console.audit import AccessLog
from sync_server.console.county import County
from sync_server.storage import ServerStorage

PREFIX = "/console"
SESSION_COOKIE = "lasna_console"
PRE_COOKIE = "lasna_console_pre"  # CSRF for the login forms, before there is a session
LANG_COOKIE = "lasna_lang"
DEFAULT_LANGUAGE = "fi"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Pages about participants must not stay in a shared browser's cache.
    "Cache-Control": "no-store",
}


class ConsoleRefusal(Exception):
    """Answered as an HTML page (or a redirect to the login) by :func:`refusal_page`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class LoginRequired(ConsoleRefusal):
    def __init__(self) -> None:
        super().__init__(401, "Log in first.")


def forbidden() -> ConsoleRefusal:
    return ConsoleRefusal(403, "Your account may not do this.")


def not_found() -> ConsoleRefusal:
    return ConsoleRefusal(404, "There is no such page, or your account may not see it.")


@dataclass(frozen=True)
class Console:
    """The console's parts, built once per app."""

    ctx: ServerContext
    storage: ServerStorage
    accounts: Accounts
    log: AccessLog
    county: County

    @property
    def dev(self) -> bool:
        return self.ctx.config.dev

    def now(self) -> datetime:
        return self.ctx.clock()


def console(request: Request) -> Console:
    found: Console = request.app.state.lasna_console
    return found


def language(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE, "")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=PackageLoader("sync_server.console", "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["LANGUAGES"] = LANGUAGES
    env.globals["PREFIX"] = PREFIX
    env.filters["day"] = _format_day
    env.filters["moment"] = _format_moment
    env.filters["weekday"] = lambda n: day_name(int(n), lang)
    env.filters["term"] = lambda key: term(key, lang)
    return env


def gettext(lang: str) -> Callable[[str], str]:
    found: Callable[[str], str] = translations(lang).gettext
    return found


def _format_day(value: date | str | None) -> str:
    if value is None or value == "":
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day}.{day.month}.{day.year}"


def _format_moment(value: datetime | str | None) -> str:
    if value is None or value == "":
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    from shared.calendar import HELSINKI

    local = moment.astimezone(HELSINKI)
    return f"{local.day}.{local.month}.{local.year} {local:%H.%M}"


def render(
    request: Request,
    template: str,
    values: Mapping[str, Any] | None = None,
    *,
    session: Session | None = None,
    status: int = 200,
) -> HTMLResponse:
    lang = language(request)
    csrf = session.csrf if session else request.cookies.get(PRE_COOKIE) or recipes.new_token()
    page = environment(lang).get_template(template)
    body = page.render(
        lang=lang,
        request=request,
        path=request.url.path,
        here=_here(request),
        account=session.account if session and session.second_factor_done else None,
        csrf=csrf,
        **(values or {}),
    )
    response = HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)
    if session is None and request.cookies.get(PRE_COOKIE) != csrf:
        set_cookie(request, response, PRE_COOKIE, csrf, max_age=3600)
    return response


def _here(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return request.url.path + query


def redirect(to: str) -> RedirectResponse:
    # 303: after a POST the browser GETs the next page, so reloading repeats nothing.
    return RedirectResponse(to, status_code=303, headers=SECURITY_HEADERS)


def set_cookie(
    request: Request, response: Any, name: str, value: str, *, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        httponly=True,
        secure=not console(request).dev,
        samesite="strict" if name == SESSION_COOKIE else "lax",
    )


def safe_next(target: str | None) -> str:
    """Only a path inside the console: a login link must not send anyone elsewhere."""
    if target and target.startswith(PREFIX + "/") and not target.startswith("//"):
        return target
    return PREFIX + "/"


def login_url(request: Request) -> str:
    return f"{PREFIX}/login?next={quote(_here(request), safe='')}"


def open_session(request: Request) -> Session | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    c = console(request)
    return c.accounts.session(token, c.now())


def signed_in(request: Request) -> Session:
    """The session of a person who has passed both factors, or a refusal."""
    session = open_session(request)
    if session is None or not session.second_factor_done:
        raise LoginRequired()
    return session


def changer(request: Request) -> Session:
    session = signed_in(request)
    if not session.account.can_change:
        raise forbidden()
    return session


def administrator(request: Request) -> Session:
    session = signed_in(request)
    if not session.account.is_admin:
        raise forbidden()
    return session


async def posted(request: Request, session: Session | None) -> FormData:
    """The form, after checking its CSRF token (the session's, or the login cookie's)."""
    form = await request.form()
    given = str(form.get("csrf", ""))
    expected = session.csrf if session else request.cookies.get(PRE_COOKIE, "")
    if not given or not expected or not recipes.same(given, expected):
        raise ConsoleRefusal(
            403,
            "The form was out of date or came from elsewhere. Open the page again and resend.",
        )
    return form


def require_site(account: Account, site_id: str) -> None:
    # Not seeing a site answers as if it did not exist: ids are not to be probed.
    if not account.sees(site_id):
        raise not_found()


def refusal_page(request: Request, exc: ConsoleRefusal) -> HTMLResponse | RedirectResponse:
    if isinstance(exc, LoginRequired):
        if request.method == "GET":
            return redirect(login_url(request))
        exc = ConsoleRefusal(401, exc.message)
    session = open_session(request)
    return render(
        request,
        "refused.html",
        {"status": exc.status, "message": gettext(language(request))(exc.message)},
        session=session if session and session.second_factor_done else None,
        status=exc.status,
    )
