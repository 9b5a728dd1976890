"""Sites and their participants: list, create, rename, supervisors, close; add, move, end."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from shared.calendar import helsinki_today
from sync_server.console.web import (
    PREFIX,
    changer,
    console,
    gettext,
    language,
    not_found,
    posted,
    redirect,
    render,
    require_site,
    signed_in,
)
from sync_server.errors import AdminError
from sync_server.storage import ParticipantRow

router = APIRouter()
Page = Response


@router.get("/sites")
def sites(request: Request) -> HTMLResponse:
    session = signed_in(request)
    c = console(request)
    c.county.apply_due(c.now())
    visible = [s for s in c.county.site_rows() if session.account.sees(s["id"])]
    return render(request, "sites.html", {"sites": visible, "errors": {}}, session=session)


@router.post("/sites")
async def create_site(request: Request) -> Page:
    session = changer(request)
    c = console(request)
    form = await posted(request, session)
    site_id, name = str(form.get("id", "")).strip(), str(form.get("name", "")).strip()
    supervisors = str(form.get("supervisors", "")).splitlines()
    try:
        c.county.save_site(site_id, name, supervisors, now=c.now(), new=True)
    except AdminError as exc:
        visible = [s for s in c.county.site_rows() if session.account.sees(s["id"])]
        _ = gettext(language(request))
        values = {
            "sites": visible,
            "errors": {"id" if "id" in str(exc) else "name": _(str(exc))},
            "form": {"id": site_id, "name": name, "supervisors": "\n".join(supervisors)},
        }
        return render(request, "sites.html", values, session=session, status=422)
    if not session.account.whole_county:
        c.accounts.grant_site(session.account.id, site_id)
    c.log.write(session.account.username, "site_create", now=c.now(), site_id=site_id)
    return redirect(f"{PREFIX}/sites/{site_id}")


@router.get("/sites/{site_id}")
def site(request: Request, site_id: str) -> HTMLResponse:
    session = signed_in(request)
    require_site(session.account, site_id)
    c = console(request)
    found = c.county.site_row(site_id)
    if found is None:
        raise not_found()
    people = c.storage.participants(site_id)
    plans = {p.participant_id: p for p in c.storage.plans(site_id)}
    c.log.write(session.account.username, "site_participants_view", now=c.now(), site_id=site_id)
    values = {
        "site": found,
        "people": people,
        "plans": plans,
        "devices": c.storage.devices(site_id),
        "errors": {},
        "today": helsinki_today(c.now()),
    }
    return render(request, "site.html", values, session=session)


@router.post("/sites/{site_id}")
async def change_site(request: Request, site_id: str) -> Page:
    session = changer(request)
    require_site(session.account, site_id)
    c = console(request)
    found = c.county.site_row(site_id)
    if found is None:
        raise not_found()
    form = await posted(request, session)
    action = str(form.get("action", "save"))
    if action == "close":
        raw = str(form.get("closed_on", "")).strip()
        on = date.fromisoformat(raw) if raw else helsinki_today(c.now())
        c.county.close_site(site_id, on)
        c.log.write(session.account.username, "site_close", now=c.now(), site_id=site_id)
    elif action == "reopen":
        c.county.close_site(site_id, None)
        c.log.write(session.account.username, "site_reopen", now=c.now(), site_id=site_id)
    else:
        name = str(form.get("name", "")).strip()
        supervisors = str(form.get("supervisors", "")).splitlines()
        try:
            c.county.save_site(site_id, name, supervisors, now=c.now(), new=False)
        except AdminError as exc:
            _ = gettext(language(request))
            values = {
                "site": {**found, "name": name},
                "people": c.storage.participants(site_id),
                "plans": {p.participant_id: p for p in c.storage.plans(site_id)},
                "devices": c.storage.devices(site_id),
                "errors": {"name": _(str(exc))},
                "today": helsinki_today(c.now()),
            }
            return render(request, "site.html", values, session=session, status=422)
        c.log.write(session.account.username, "site_change", now=c.now(), site_id=site_id)
    return redirect(f"{PREFIX}/sites/{site_id}")


@router.post("/sites/{site_id}/participants")
async def add_participant(request: Request, site_id: str) -> Page:
    session = changer(request)
    require_site(session.account, site_id)
    c = console(request)
    found = c.county.site_row(site_id)
    if found is None:
        raise not_found()
    form = await posted(request, session)
    row = ParticipantRow(
        str(form.get("id", "")).strip(),
        site_id,
        str(form.get("display_name", "")).strip(),
        str(form.get("client_ref", "")).strip(),
    )
    try:
        c.county.add_participant(row, now=c.now())
    except AdminError as exc:
        _ = gettext(language(request))
        text = str(exc)
        field = (
            "client_ref"
            if "henkilötunnus" in text or "client reference" in text
            else "display_name"
            if "display name" in text
            else "id"
        )
        values = {
            "site": found,
            "people": c.storage.participants(site_id),
            "plans": {p.participant_id: p for p in c.storage.plans(site_id)},
            "devices": c.storage.devices(site_id),
            "errors": {field: _(text)},
            "person_form": {
                "id": row.id,
                "display_name": row.display_name,
                "client_ref": row.client_ref,
            },
            "today": helsinki_today(c.now()),
        }
        return render(request, "site.html", values, session=session, status=422)
    c.log.write(
        session.account.username,
        "participant_create",
        now=c.now(),
        participant_id=row.id,
        site_id=site_id,
    )
    return redirect(f"{PREFIX}/participants/{row.id}")
