"""Accounts (administrators), one's own API tokens, the access log, imports."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from shared.calendar import helsinki_today
from sync_server.console import access_report
from sync_server.console.accounts import Role, Session
from sync_server.console.web import (
    PREFIX,
    SECURITY_HEADERS,
    administrator,
    changer,
    console,
    forbidden,
    gettext,
    language,
    not_found,
    posted,
    redirect,
    render,
    signed_in,
)
from sync_server.errors import AdminError, ImportRefused
from sync_server.importer import read_participants, read_plans, read_sites

router = APIRouter()
Page = Response
IMPORT_KINDS = ("sites", "participants", "plans")


def _accounts_page(
    request: Request, session: Any, errors: dict[str, str], form: dict[str, Any], status: int
) -> HTMLResponse:
    c = console(request)
    values = {
        "accounts": c.accounts.all(),
        "sites": c.county.site_rows(),
        "roles": list(Role),
        "errors": errors,
        "form": form,
    }
    return render(request, "accounts.html", values, session=session, status=status)


@router.get("/accounts")
def accounts(request: Request) -> HTMLResponse:
    session = administrator(request)
    return _accounts_page(request, session, {}, {"role": "coordinator"}, 200)


@router.post("/accounts")
async def create_account(request: Request) -> Page:
    session = administrator(request)
    c = console(request)
    form = await posted(request, session)
    _ = gettext(language(request))
    values = {k: str(form.get(k, "")) for k in ("username", "display_name", "role")}
    site_ids = frozenset(str(s) for s in form.getlist("sites"))
    role = values["role"]
    if role not in {r.value for r in Role}:
        return _accounts_page(request, session, {"role": _("Choose a role.")}, values, 422)
    try:
        made = c.accounts.create(
            values["username"],
            values["display_name"],
            Role(role),
            str(form.get("password", "")),
            now=c.now(),
            all_sites=form.get("all_sites") == "yes",
            site_ids=site_ids,
        )
    except AdminError as exc:
        text = str(exc)
        field = (
            "password" if "password" in text else "display_name" if "holder" in text else "username"
        )
        return _accounts_page(request, session, {field: _(text)}, values, 422)
    c.log.write(session.account.username, "account_create", now=c.now(), detail=made.username)
    return redirect(f"{PREFIX}/accounts")


@router.post("/accounts/{account_id}")
async def change_account(request: Request, account_id: int) -> Page:
    session = administrator(request)
    c = console(request)
    target = c.accounts.get(account_id)
    if target is None:
        raise not_found()
    form = await posted(request, session)
    action = str(form.get("action", ""))
    if action == "reset_second_factor":
        c.accounts.reset_totp(account_id)
    elif action in ("disable", "enable"):
        if target.id == session.account.id:
            raise forbidden()
        c.accounts.update(
            account_id,
            role=target.role,
            all_sites=target.all_sites,
            site_ids=target.site_ids,
            disabled=action == "disable",
            now=c.now(),
        )
    else:
        raise not_found()
    c.log.write(session.account.username, f"account_{action}", now=c.now(), detail=target.username)
    return redirect(f"{PREFIX}/accounts")


@router.get("/tokens")
def tokens(request: Request) -> HTMLResponse:
    session = signed_in(request)
    c = console(request)
    values = {"tokens": c.accounts.api_tokens(session.account.id), "new_token": None}
    return render(request, "tokens.html", values, session=session)


@router.post("/tokens")
async def create_token(request: Request) -> Page:
    session = signed_in(request)
    c = console(request)
    form = await posted(request, session)
    action = str(form.get("action", "create"))
    if action == "revoke":
        c.accounts.revoke_api_token(session.account.id, int(str(form.get("id", "0"))), c.now())
        c.log.write(session.account.username, "api_token_revoke", now=c.now())
        return redirect(f"{PREFIX}/tokens")
    try:
        token = c.accounts.create_api_token(session.account, str(form.get("name", "")), c.now())
    except AdminError as exc:
        _ = gettext(language(request))
        values: dict[str, Any] = {
            "tokens": c.accounts.api_tokens(session.account.id),
            "new_token": None,
            "errors": {"name": _(str(exc))},
        }
        return render(request, "tokens.html", values, session=session, status=422)
    c.log.write(session.account.username, "api_token_create", now=c.now())
    values = {"tokens": c.accounts.api_tokens(session.account.id), "new_token": token}
    return render(request, "tokens.html", values, session=session)


def _log_reader(request: Request) -> Session:
    """Administrators and whole-county viewers read the access log."""
    session = signed_in(request)
    if not (session.account.is_admin or session.account.role is Role.VIEWER):
        raise forbidden()
    if not session.account.whole_county:
        raise forbidden()
    return session


def _period(start: str, end: str, today: date) -> tuple[date, date] | None:
    try:
        first = date.fromisoformat(start) if start else today - timedelta(days=365)
        last = date.fromisoformat(end) if end else today
    except ValueError:
        return None
    return (first, last) if first <= last else None


@router.get("/access-log")
def access_log(
    request: Request, participant: str = "", account: str = "", start: str = "", end: str = ""
) -> HTMLResponse:
    session = _log_reader(request)
    c = console(request)
    lang = language(request)
    today = helsinki_today(c.now())
    period = _period(start, end, today)
    errors: dict[str, str] = {}
    if period is None:
        errors["start"] = gettext(lang)(access_report.PERIOD_REFUSED)
        period = _period("", "", today)
        assert period is not None
    first, after = access_report.period_bounds(*period)
    rows = c.log.lines(
        participant_id=participant or None,
        account=account or None,
        start=first,
        end=after,
        limit=1000,
    )
    person = c.county.participant(participant) if participant else None
    c.log.write(
        session.account.username,
        "access_log_view",
        now=c.now(),
        participant_id=participant or None,
        detail=f"{period[0].isoformat()}..{period[1].isoformat()}",
    )
    values = {
        "lines": access_report.lines_of(rows, lang),
        "rows": rows,
        "participant": participant,
        "person": person,
        "account_filter": account,
        "start": period[0].isoformat(),
        "end": period[1].isoformat(),
        "errors": errors,
    }
    return render(
        request, "access_log.html", values, session=session, status=422 if errors else 200
    )


@router.get("/access-log.pdf")
def access_log_pdf(request: Request, participant: str, start: str = "", end: str = "") -> Response:
    """The answer to the participant, as a PDF to give them."""
    session = _log_reader(request)
    c = console(request)
    lang = language(request)
    period = _period(start, end, helsinki_today(c.now()))
    person = c.county.participant(participant) if participant else None
    if person is None or period is None:
        raise not_found()
    first, after = access_report.period_bounds(*period)
    rows = c.log.lines(participant_id=participant, start=first, end=after, limit=100_000)
    body = access_report.pdf(
        person,
        *period,
        access_report.lines_of(list(reversed(rows)), lang),
        lang=lang,
        made_at=c.now(),
        made_by=session.account.display_name,
    )
    c.log.write(
        session.account.username,
        "access_log_pdf",
        now=c.now(),
        participant_id=participant,
        site_id=person["site_id"],
        detail=f"{period[0].isoformat()}..{period[1].isoformat()}",
    )
    name = f"access-log-{period[0].isoformat()}-{period[1].isoformat()}.pdf"
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type="application/pdf", headers=headers)


@router.get("/import")
def import_page(request: Request) -> HTMLResponse:
    session = changer(request)
    if not session.account.whole_county:
        raise forbidden()
    return render(request, "import.html", {"errors": [], "done": None}, session=session)


@router.post("/import")
async def import_file(request: Request) -> HTMLResponse:
    session = changer(request)
    if not session.account.whole_county:
        # A file may name any site: only someone who sees the whole county imports.
        raise forbidden()
    c = console(request)
    form = await posted(request, session)
    kind = str(form.get("kind", ""))
    upload = form.get("file")
    _ = gettext(language(request))
    name = str(getattr(upload, "filename", "") or "")
    if kind not in IMPORT_KINDS or upload is None or not hasattr(upload, "read"):
        values: dict[str, Any] = {
            "errors": [_("Choose what the file holds and the file.")],
            "done": None,
        }
        return render(request, "import.html", values, session=session, status=422)
    data: bytes = await upload.read()
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".json"):
        values = {"errors": [_("The file name must end in .csv or .json.")], "done": None}
        return render(request, "import.html", values, session=session, status=422)
    try:
        summary = _import(c, kind, data, suffix)
    except ImportRefused as exc:
        values = {"errors": list(exc.errors), "done": None, "file": name}
        return render(request, "import.html", values, session=session, status=422)
    c.log.write(
        session.account.username, f"import_{kind}", now=c.now(), detail=f"{name}: {summary}"
    )
    values = {"errors": [], "done": {"kind": kind, "file": name, "summary": summary}}
    return render(request, "import.html", values, session=session)


def _import(c: Any, kind: str, data: bytes, suffix: str) -> str:
    # The importer reads files (as the command line does): give it one, briefly.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        storage = c.storage
        if kind == "sites":
            return str(storage.import_sites(read_sites(path), now=c.now()))
        if kind == "participants":
            known = {s["id"] for s in storage.sites()}
            return str(storage.import_participants(read_participants(path, known), now=c.now()))
        people = {
            p["id"]: p["site_id"] for s in storage.sites() for p in storage.participants(s["id"])
        }
        plans = read_plans(path, people, storage.rule_sets())
        return str(storage.import_plans(plans, now=c.now()))
