"""A participant's page, their moves and service end, and their plans with the preview."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from shared.calendar import helsinki_today
from shared.errors import PlanError
from shared.plans import Plan, check_plan
from sync_server.console import plan_form
from sync_server.console.accounts import Session
from sync_server.console.county import PLAN_TYPES, with_version
from sync_server.console.web import (
    PREFIX,
    Console,
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

router = APIRouter()
Page = Response


def _person(c: Console, session: Session, participant_id: str) -> dict[str, Any]:
    person = c.county.participant(participant_id)
    if person is None:
        raise not_found()
    require_site(session.account, person["site_id"])
    return person


@router.get("/participants/{participant_id}")
def participant(request: Request, participant_id: str) -> HTMLResponse:
    session = signed_in(request)
    c = console(request)
    c.county.apply_due(c.now())
    person = _person(c, session, participant_id)
    c.log.write(
        session.account.username,
        "participant_view",
        now=c.now(),
        participant_id=participant_id,
        site_id=person["site_id"],
    )
    plans = c.county.plans_of(participant_id)
    values = {
        "person": person,
        "site": c.county.site_row(person["site_id"]),
        "plans": [(p, c.county.plan_type(p.id)) for p in plans],
        "changes": c.county.changes(participant_id),
        "sites": [s for s in c.county.site_rows() if session.account.sees(s["id"])],
        "today": helsinki_today(c.now()),
        "errors": {},
    }
    return render(request, "participant.html", values, session=session)


@router.post("/participants/{participant_id}/changes")
async def change_participant(request: Request, participant_id: str) -> Page:
    session = changer(request)
    c = console(request)
    person = _person(c, session, participant_id)
    form = await posted(request, session)
    kind = str(form.get("kind", ""))
    _ = gettext(language(request))
    try:
        on = date.fromisoformat(str(form.get(f"{kind}_on_day", "")))
    except ValueError:
        on = None
    target = str(form.get("move_site_id", "")) if kind == "move" else None
    error: tuple[str, str] | None = None
    if kind not in ("move", "end"):
        raise not_found()
    if on is None:
        error = (f"{kind}_on_day", _("Give a date (day, month and year)."))
    elif kind == "move" and (
        not target
        or target == person["site_id"]
        or not session.account.sees(target)
        or c.county.site_row(target) is None
    ):
        error = ("move_site_id", _("Choose another site."))
    if error is not None or on is None:
        values = {
            "person": person,
            "site": c.county.site_row(person["site_id"]),
            "plans": [(p, c.county.plan_type(p.id)) for p in c.county.plans_of(participant_id)],
            "changes": c.county.changes(participant_id),
            "sites": [s for s in c.county.site_rows() if session.account.sees(s["id"])],
            "today": helsinki_today(c.now()),
            "errors": dict([error]) if error else {},
        }
        return render(request, "participant.html", values, session=session, status=422)
    c.county.plan_change(
        participant_id, kind, on, site_id=target, by=session.account.username, now=c.now()
    )
    c.log.write(
        session.account.username,
        f"participant_{kind}",
        now=c.now(),
        participant_id=participant_id,
        site_id=person["site_id"],
        detail=f"from {on.isoformat()}" + (f" to site {target}" if target else ""),
    )
    return redirect(f"{PREFIX}/participants/{participant_id}")


# plans ---------------------------------------------------------------------------------


def _plan_page(
    request: Request,
    session: Session,
    person: dict[str, Any],
    plan: Plan | None,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    status: int = 200,
) -> HTMLResponse:
    c = console(request)
    rule_sets = list(c.storage.rule_sets())
    page = {
        "person": person,
        "plan": plan,
        "form": values,
        "errors": errors,
        "rule_sets": rule_sets,
        "plan_types": PLAN_TYPES,
        "payers": sorted({p for rs in rule_sets for t in rs.allowance_types for p in t.payers}),
    }
    return render(request, "plan_form.html", page, session=session, status=status)


@router.get("/participants/{participant_id}/plans/new")
def new_plan_page(request: Request, participant_id: str) -> HTMLResponse:
    session = changer(request)
    c = console(request)
    person = _person(c, session, participant_id)
    today = helsinki_today(c.now()).isoformat()
    values = {name: "" for name in plan_form.FIELDS} | {
        "valid_from": today,
        "start": today,
        "weekdays": [],
    }
    c.log.write(
        session.account.username,
        "plan_form_view",
        now=c.now(),
        participant_id=participant_id,
        site_id=person["site_id"],
    )
    return _plan_page(request, session, person, None, values, {})


@router.get("/plans/{plan_id}/versions/new")
def new_version_page(request: Request, plan_id: str) -> HTMLResponse:
    session = changer(request)
    c = console(request)
    plan = c.county.plan(plan_id)
    if plan is None:
        raise not_found()
    person = _person(c, session, plan.participant_id)
    today = helsinki_today(c.now())
    current = plan.version_on(today) or plan.latest
    values = plan_form.values_of(plan, c.county.plan_type(plan.id), current)
    values["valid_from"] = max(today, current.start).isoformat()
    c.log.write(
        session.account.username,
        "plan_view",
        now=c.now(),
        participant_id=plan.participant_id,
        site_id=plan.site_id,
        detail=plan.id,
    )
    return _plan_page(request, session, person, plan, values, {})


@router.post("/participants/{participant_id}/plans")
async def save_new_plan(request: Request, participant_id: str) -> Page:
    session = changer(request)
    c = console(request)
    person = _person(c, session, participant_id)
    form = await posted(request, session)
    return _save(request, session, person, None, form)


@router.post("/plans/{plan_id}/versions")
async def save_version(request: Request, plan_id: str) -> Page:
    session = changer(request)
    c = console(request)
    plan = c.county.plan(plan_id)
    if plan is None:
        raise not_found()
    person = _person(c, session, plan.participant_id)
    form = await posted(request, session)
    return _save(request, session, person, plan, form)


def _save(
    request: Request, session: Session, person: dict[str, Any], old: Plan | None, form: Any
) -> Page:
    c = console(request)
    _ = gettext(language(request))
    values = plan_form.form_values(form, [str(w) for w in form.getlist("weekdays")])
    if old is None:  # a new plan's first version is valid from its start
        values["valid_from"] = values["start"]
    rule_sets = c.storage.rule_sets()
    read, errors = plan_form.read_plan(values, rule_sets, _)
    if read is None:
        return _plan_page(request, session, person, old, values, errors, status=422)
    version = read.version
    if old is None:
        new = Plan(
            c.county.new_plan_id(person["id"]),
            person["id"],
            person["site_id"],
            read.rule_set_id,
            (version,),
        )
    else:
        new = replace(with_version(old, version), rule_set_id=read.rule_set_id)
    try:
        check_plan(new, rule_sets)
    except PlanError as exc:
        errors = {exc.field or "form": exc.message(language(request))}
        return _plan_page(request, session, person, old, values, errors, status=422)
    today = helsinki_today(c.now())
    since = version.valid_from
    records = c.storage.versions_for(
        person["id"], since - plan_form.CONTEXT_BEFORE, max(version.end, today)
    )
    shown = plan_form.preview(old, new, records, rule_sets, since=since, today=today)
    if shown.recorded and form.get("confirm") != "yes":
        c.log.write(
            session.account.username,
            "plan_preview_view",
            now=c.now(),
            participant_id=person["id"],
            site_id=person["site_id"],
            detail=new.id,
        )
        page = {
            "person": person,
            "plan": old,
            "new": new,
            "form": values,
            "preview": shown,
        }
        return render(request, "plan_preview.html", page, session=session)
    c.county.save_plan(new, read.plan_type, now=c.now())
    c.log.write(
        session.account.username,
        "plan_create" if old is None else "plan_version_create",
        now=c.now(),
        participant_id=person["id"],
        site_id=person["site_id"],
        detail=f"{new.id} from {since.isoformat()}",
    )
    return redirect(f"{PREFIX}/participants/{person['id']}")
