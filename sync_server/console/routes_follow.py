"""Seeing what happened and acting on it (issue 13): the front page's sync health, the
exception queue, month approvals, a site's month as a paper list, and a participant's
history with a chart of their weeks."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from shared import allowance_for_period, evaluate
from shared.calendar import helsinki_today, iso_week, month_bounds, month_is_over
from shared.i18n import day_name, month_name
from shared.messages import format_euros, format_hours, term
from shared.records import Status
from shared.returns import RESOLUTION_REASONS, RESOLUTIONS, RETURN_REASONS
from sync_server.console import charts, findings
from sync_server.console.accounts import Account, Session
from sync_server.console.texts import KIND_TEXTS, STATUS_LETTERS, STATUS_NAMES
from sync_server.console.web import (
    PREFIX,
    SECURITY_HEADERS,
    Console,
    ConsoleRefusal,
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
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _visible_sites(c: Console, account: Account) -> list[dict[str, Any]]:
    return [s for s in c.county.site_rows() if account.sees(s["id"])]


# the front page ------------------------------------------------------------------------


@router.get("/overview")
def overview(request: Request) -> HTMLResponse:
    session = signed_in(request)
    c = console(request)
    now = c.now()
    sites = {s["id"]: s for s in _visible_sites(c, session.account)}
    limit = c.ctx.config.device_silent_days
    silent: list[dict[str, Any]] = []
    for d in c.storage.devices():
        if d.site_id not in sites or d.revoked_at is not None:
            continue
        seen = d.last_seen_at or d.enrolled_at
        if now - seen > timedelta(days=limit):
            silent.append({"device": d, "site": sites[d.site_id], "days": (now - seen).days})
    found = findings.items(c.storage, sites.values(), now)
    values = {
        "silent": sorted(silent, key=lambda r: -r["days"]),
        "limit": limit,
        "devices": [d for d in c.storage.devices() if d.site_id in sites and not d.revoked_at],
        "must_fix": sum(1 for i in found if i.must_fix),
        "acknowledge": sum(1 for i in found if not i.must_fix),
        "waiting_months": len(_months(c, session.account, pending_only=True)),
    }
    return render(request, "overview.html", values, session=session)


# the exception queue -------------------------------------------------------------------


@router.get("/findings")
def queue(request: Request) -> HTMLResponse:
    session = signed_in(request)
    c = console(request)
    return _queue_page(request, session, c, {}, status=200)


def _queue_page(
    request: Request,
    session: Session,
    c: Console,
    errors: dict[str, str],
    *,
    status: int,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    lang = language(request)
    sites = _visible_sites(c, session.account)
    q = request.query_params
    chosen = {
        "site": q.get("site", "") if q.get("site", "") in {s["id"] for s in sites} else "",
        "kind": q.get("kind", "") if q.get("kind", "") in findings.KINDS else "",
        "age": q.get("age", "") if q.get("age", "") in {a[0] for a in findings.AGES} else "",
    }
    today = helsinki_today(c.now())
    shown = findings.filtered(
        findings.items(c.storage, sites, c.now()),
        site=chosen["site"],
        kind=chosen["kind"],
        age=chosen["age"],
        today=today,
    )
    c.log.write(session.account.username, "findings_view", now=c.now(), detail=str(chosen))
    values = {
        "sites": sites,
        "chosen": chosen,
        "kinds": [(k, KIND_TEXTS[k].say(lang)) for k in findings.KINDS],
        "ages": [a[0] for a in findings.AGES],
        "must_fix": [i for i in shown if i.must_fix],
        "acknowledge": [i for i in shown if not i.must_fix],
        "kind_text": {k: t.say(lang) for k, t in KIND_TEXTS.items()},
        "reasons": [(k, t.say(lang)) for k, t in RESOLUTION_REASONS.items()],
        "resolutions": [(k, t.say(lang)) for k, t in RESOLUTIONS.items()],
        "return_reasons": [(k, t.say(lang)) for k, t in RETURN_REASONS.items()],
        "settled": findings.resolutions(c.storage, [s["id"] for s in sites]),
        "settled_text": {
            **{k: t.say(lang) for k, t in RESOLUTION_REASONS.items()},
            **{k: t.say(lang) for k, t in RESOLUTIONS.items()},
            **{k: t.say(lang) for k, t in RETURN_REASONS.items()},
        },
        "today": today,
        "errors": errors,
        "form": form or {},
    }
    return render(request, "findings.html", values, session=session, status=status)


@router.post("/findings/settle")
async def settle(request: Request) -> Page:
    session = changer(request)
    c = console(request)
    form = await posted(request, session)
    _ = gettext(language(request))
    key = str(form.get("key", ""))
    sites = _visible_sites(c, session.account)
    item = next((i for i in findings.items(c.storage, sites, c.now()) if i.key == key), None)
    if item is None:
        raise ConsoleRefusal(
            404, "This finding is no longer open: someone settled it, or the day was corrected."
        )
    action = str(form.get("action", ""))
    comment = str(form.get("comment", "")).strip()[:500]
    values = {"key": key, "comment": comment}
    if action == "return":
        reason = str(form.get("return_reason", ""))
        if reason not in RETURN_REASONS or item.participant_id is None or item.day is None:
            errors = {key: _("Choose why the day goes back to the site.")}
            return _queue_page(request, session, c, errors, status=422, form=values)
        request_id = c.storage.add_site_request(
            item.site_id,
            item.participant_id,
            item.day,
            reason,
            comment,
            by=session.account.username,
            now=c.now(),
        )
        findings.settle(
            c.storage,
            item,
            action="returned",
            reason_code=reason,
            resolution_code=None,
            comment=comment,
            request_id=request_id,
            by=session.account.username,
            now=c.now(),
        )
    elif action == "resolve":
        reason = str(form.get("reason_code", ""))
        resolution = str(form.get("resolution_code", ""))
        if reason not in RESOLUTION_REASONS or resolution not in RESOLUTIONS:
            errors = {key: _("Choose both a reason and a resolution.")}
            return _queue_page(request, session, c, errors, status=422, form=values)
        findings.settle(
            c.storage,
            item,
            action="resolved",
            reason_code=reason,
            resolution_code=resolution,
            comment=comment,
            request_id=None,
            by=session.account.username,
            now=c.now(),
        )
    else:
        raise not_found()
    c.log.write(
        session.account.username,
        f"finding_{action}",
        now=c.now(),
        participant_id=item.participant_id,
        site_id=item.site_id,
        detail=key,
    )
    return redirect(f"{PREFIX}/findings")


# month approvals -----------------------------------------------------------------------


def _months(c: Console, account: Account, *, pending_only: bool) -> list[dict[str, Any]]:
    sites = {s["id"]: s for s in _visible_sites(c, account)}
    if not sites:
        return []
    marks = ",".join("?" * len(sites))
    rows = c.storage.rows(
        "SELECT m.site_id, m.year, m.month, m.closed_by, m.closed_at, a.approved_by, "
        "a.approved_at FROM closed_months m LEFT JOIN month_approvals a ON a.site_id = "
        f"m.site_id AND a.year = m.year AND a.month = m.month WHERE m.site_id IN ({marks}) "
        "ORDER BY m.year DESC, m.month DESC",
        list(sites),
    )
    return [
        {**r, "site": sites[r["site_id"]], "ym": f"{r['year']}-{r['month']:02d}"}
        for r in rows
        if not (pending_only and r["approved_by"])
    ]


@router.get("/months")
def months(request: Request) -> HTMLResponse:
    session = signed_in(request)
    c = console(request)
    lang = language(request)
    rows = _months(c, session.account, pending_only=False)
    for r in rows:
        r["name"] = f"{month_name(r['month'], lang)} {r['year']}"
    values = {
        "pending": [r for r in rows if not r["approved_by"]],
        "approved": [r for r in rows if r["approved_by"]],
        "errors": {},
    }
    return render(request, "months.html", values, session=session)


def _month_of(text: str) -> tuple[int, int]:
    found = MONTH.match(text)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise not_found()
    return int(found.group(1)), int(found.group(2))


@router.post("/sites/{site_id}/months/{ym}/approve")
async def approve(request: Request, site_id: str, ym: str) -> Page:
    session = changer(request)
    require_site(session.account, site_id)
    c = console(request)
    year, month = _month_of(ym)
    await posted(request, session)
    if (year, month) not in c.storage.closed_months(site_id):
        raise ConsoleRefusal(
            409, "The site has not closed this month: it can be approved once it is closed."
        )
    with c.storage.write() as db:
        db.execute(
            "INSERT OR IGNORE INTO month_approvals (site_id, year, month, approved_by, "
            "approved_at) VALUES (?, ?, ?, ?, ?)",
            [site_id, year, month, session.account.username, c.now().isoformat()],
        )
    c.log.write(session.account.username, "month_approve", now=c.now(), site_id=site_id, detail=ym)
    return redirect(f"{PREFIX}/months")


@router.post("/sites/{site_id}/months/{ym}/reopen")
async def reopen(request: Request, site_id: str, ym: str) -> Page:
    session = changer(request)
    require_site(session.account, site_id)
    c = console(request)
    year, month = _month_of(ym)
    form = await posted(request, session)
    reason = str(form.get("reason", "")).strip()[:500]
    if not reason:
        lang = language(request)
        rows = _months(c, session.account, pending_only=False)
        for r in rows:
            r["name"] = f"{month_name(r['month'], lang)} {r['year']}"
        values = {
            "pending": [r for r in rows if not r["approved_by"]],
            "approved": [r for r in rows if r["approved_by"]],
            "errors": {f"{site_id}-{ym}": gettext(lang)("Say why the month is opened again.")},
        }
        return render(request, "months.html", values, session=session, status=422)
    if (
        c.storage.reopen_month(
            site_id, year, month, reason=reason, by=session.account.username, now=c.now()
        )
        is None
    ):
        raise ConsoleRefusal(409, "The month is not closed.")
    with c.storage.write() as db:
        db.execute(
            "DELETE FROM month_approvals WHERE site_id = ? AND year = ? AND month = ?",
            [site_id, year, month],
        )
    c.log.write(
        session.account.username,
        "month_reopen",
        now=c.now(),
        site_id=site_id,
        detail=f"{ym}: {reason}",
    )
    return redirect(f"{PREFIX}/months")


# a site's month ------------------------------------------------------------------------


@router.get("/sites/{site_id}/months/{ym}")
def site_month(request: Request, site_id: str, ym: str) -> HTMLResponse:
    session = signed_in(request)
    require_site(session.account, site_id)
    c = console(request)
    site = c.county.site_row(site_id)
    if site is None:
        raise not_found()
    year, month = _month_of(ym)
    lang = language(request)
    first, last = month_bounds(year, month)
    today = helsinki_today(c.now())
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    rule_sets = c.storage.rule_sets()
    names = {p["id"]: p["display_name"] for p in c.storage.participants(site_id)}
    plans: dict[str, list[Any]] = defaultdict(list)
    for plan in c.storage.plans(site_id):
        plans[plan.participant_id].append(plan)
    rows = []
    payers: dict[str, int] = defaultdict(int)
    for pid in sorted(plans, key=lambda p: names.get(p, p)):
        versions = c.storage.versions_for(pid, first - findings.CONTEXT, last + timedelta(days=7))
        cells: dict[date, dict[str, Any]] = {}
        amount = 0
        for plan in plans[pid]:
            judged = evaluate(plan, versions, rule_sets, today=today, start=first, end=last)
            for day, result in judged.days.items():
                if result.record is None:
                    continue
                status = result.record.status
                shown = [f for f in result.findings if f.severity.value != "notice"]
                cells[day] = {
                    "letter": STATUS_LETTERS[status.value].say(lang),
                    "name": STATUS_NAMES[status.value].say(lang),
                    "status": status.value,
                    # as recorded: a day under the minimum counts nothing, yet was worked
                    "hours": format_hours(result.record.present_minutes, lang)
                    if status is Status.PRESENT
                    else "",
                    "eligible": result.eligible,
                    "findings": [f.message(lang) for f in shown],
                }
            summary = allowance_for_period(
                plan, versions, rule_sets, period_start=first, period_end=last, today=today
            )
            for line in summary.lines:
                payers[line.payer] += line.amount_cents
                amount += line.amount_cents
        rows.append(
            {
                "id": pid,
                "name": names.get(pid, pid),
                "cells": cells,
                "present": sum(1 for x in cells.values() if x["status"] == "present"),
                "eligible": sum(1 for x in cells.values() if x["eligible"]),
                "absent": sum(1 for x in cells.values() if x["status"] == "absent"),
                "amount": format_euros(amount, lang),
            }
        )
    closed = c.storage.rows(
        "SELECT closed_by, closed_at FROM closed_months WHERE site_id = ? AND year = ? "
        "AND month = ?",
        [site_id, year, month],
    )
    approved = c.storage.rows(
        "SELECT approved_by, approved_at FROM month_approvals WHERE site_id = ? AND year = ? "
        "AND month = ?",
        [site_id, year, month],
    )
    prev_index = year * 12 + month - 2
    next_index = year * 12 + month
    c.log.write(
        session.account.username, "site_month_view", now=c.now(), site_id=site_id, detail=ym
    )
    values = {
        "site": site,
        "ym": ym,
        "month_name": f"{month_name(month, lang)} {year}",
        "days": days,
        "short_days": {n: day_name(n, lang, short=True) for n in range(1, 8)},
        "rows": rows,
        "payers": [
            (_payer_name(p, lang), format_euros(v, lang)) for p, v in sorted(payers.items())
        ],
        "closed": closed[0] if closed else None,
        "approved": approved[0] if approved else None,
        "over": month_is_over(year, month, today),
        "legend": [
            (STATUS_LETTERS[k].say(lang), STATUS_NAMES[k].say(lang), k) for k in STATUS_NAMES
        ],
        "prev": f"{prev_index // 12}-{prev_index % 12 + 1:02d}",
        "next": f"{next_index // 12}-{next_index % 12 + 1:02d}",
    }
    return render(request, "site_month.html", values, session=session)


# a participant's history ---------------------------------------------------------------


def _participant(c: Console, session: Session, participant_id: str) -> dict[str, Any]:
    person = c.county.participant(participant_id)
    if person is None:
        raise not_found()
    require_site(session.account, person["site_id"])
    return person


def _weeks(c: Console, participant_id: str) -> list[dict[str, Any]]:
    """Per ISO week of the plans' periods up to today: present, eligible and the plan."""
    today = helsinki_today(c.now())
    plans = c.county.plans_of(participant_id)
    rule_sets = c.storage.rule_sets()
    weeks: dict[tuple[int, int], dict[str, Any]] = {}
    for plan in plans:
        start = min(v.start for v in plan.versions)
        end = min(max(v.end for v in plan.versions), today)
        if end < start:
            continue
        versions = c.storage.versions_for(participant_id, start - findings.CONTEXT, end)
        judged = evaluate(plan, versions, rule_sets, today=today, start=start, end=end)
        day = start
        while day <= end:
            week = iso_week(day)
            version = plan.version_on(day)
            entry = weeks.setdefault(
                week,
                {
                    "week": week,
                    "monday": day - timedelta(days=day.weekday()),
                    "present": 0,
                    "eligible": 0,
                    "plan_max": 0,
                    "plan_min": 0,
                },
            )
            if version is not None:
                entry["plan_max"] = max(entry["plan_max"], version.days_max)
                entry["plan_min"] = max(entry["plan_min"], version.days_min)
            result = judged.days.get(day)
            if result is not None and result.record is not None:
                if result.record.status is Status.PRESENT:
                    entry["present"] += 1
                if result.eligible:
                    entry["eligible"] += 1
            day += timedelta(days=1)
    ordered = [weeks[k] for k in sorted(weeks)]
    # From a few weeks before the first recorded day, at most half a year (fits a screen).
    used = next((i for i, w in enumerate(ordered) if w["present"] or w["eligible"]), None)
    begin = used - 3 if used is not None else len(ordered) - 8
    return ordered[max(begin, 0) :][-26:]


@router.get("/participants/{participant_id}/history")
def history(request: Request, participant_id: str) -> HTMLResponse:
    session = signed_in(request)
    c = console(request)
    person = _participant(c, session, participant_id)
    lang = language(request)
    plans = c.county.plans_of(participant_id)
    records = c.storage.versions_for(participant_id, date.min, date.max)
    superseded = {r.supersedes for r in records if r.supersedes}
    devices = {d.id: d.name for d in c.storage.devices()}
    by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_day[r.day].append(
            {
                "record": r,
                "status": STATUS_NAMES[r.status.value].say(lang),
                "current": r.id not in superseded,
                "device": devices.get(r.device_id, r.device_id),
                "hours": format_hours(r.present_minutes, lang) if r.present_minutes else "",
            }
        )
    refused = c.storage.refused_for(participant_id)
    events: list[dict[str, Any]] = []
    for plan in plans:
        for v in plan.versions:
            events.append({"kind": "plan", "day": v.valid_from, "plan": plan, "version": v})
    for day, versions in by_day.items():
        events.append({"kind": "day", "day": day, "versions": versions})
    for row in refused:
        events.append(
            {
                "kind": "refused",
                "day": date.fromisoformat(row["day"]),
                "row": row,
                "device": devices.get(row["pushed_by"], row["pushed_by"]),
            }
        )
    events.sort(key=lambda e: (e["day"], e["kind"] != "plan"), reverse=True)
    c.log.write(
        session.account.username,
        "participant_history_view",
        now=c.now(),
        participant_id=participant_id,
        site_id=person["site_id"],
    )
    values = {"person": person, "events": events, "weeks": _weeks(c, participant_id)}
    return render(request, "history.html", values, session=session)


@router.get("/participants/{participant_id}/weeks.svg")
def weeks_chart(request: Request, participant_id: str) -> Response:
    session = signed_in(request)
    c = console(request)
    person = _participant(c, session, participant_id)
    c.log.write(
        session.account.username,
        "participant_chart_view",
        now=c.now(),
        participant_id=participant_id,
        site_id=person["site_id"],
    )
    svg = charts.weeks_svg(_weeks(c, participant_id), gettext(language(request)))
    headers = dict(SECURITY_HEADERS)
    # An image: its own styles only, never a script.
    headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return Response(svg, media_type="image/svg+xml", headers=headers)


def _payer_name(code: str | None, lang: str) -> str:
    """The payer's name in the console's language; a code the texts do not know stays a code."""
    if not code:
        return "—"
    try:
        return term(f"payer.{code}", lang)
    except KeyError:
        return code
