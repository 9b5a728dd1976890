"""The Reports page and its downloads (issue 13).

Every report is asked for with a plain GET form, so it works without JavaScript and
a download can be bookmarked. Each site is checked against the account's scope (a
coordinator sees only their sites; not seeing a site answers as if it did not exist),
and every participant a report names is written to the access log.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from shared.calendar import helsinki_today
from shared.i18n import LANGUAGES
from shared.messages import term
from sync_server.console.accounts import Session
from sync_server.console.reports import pdf, sheets
from sync_server.console.reports.data import (
    InterruptRule,
    Judged,
    Person,
    ReportData,
    SiteMonth,
    due_fortnight,
    month_span,
    tt3_forms,
)
from sync_server.console.web import (
    SECURITY_HEADERS,
    Console,
    console,
    gettext,
    language,
    not_found,
    render,
    require_site,
    signed_in,
)
from sync_server.forward.config import ForwardConfig
from sync_server.forward.errors import ForwardConfigError
from sync_server.forward.periods import PeriodScheme
from sync_server.forward.settings import forward_config
from sync_server.logs import event

router = APIRouter()

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
# Kela's TT3 exists in Finnish and Swedish; the other reports also in English.
TT3_LANGUAGES = ("fi", "sv")


# settings -----------------------------------------------------------------------------


def _section(c: Console) -> dict[str, Any]:
    found = (c.ctx.config.extra or {}).get("reports", {})
    return dict(found) if isinstance(found, dict) else {}


def interrupt_rule(c: Console) -> InterruptRule:
    return InterruptRule.from_settings(_section(c))


def organiser(c: Console) -> str:
    return str(_section(c).get("organiser", "")).strip()


def _forward(c: Console) -> ForwardConfig:
    try:
        return forward_config(c.ctx.config)
    except ForwardConfigError as exc:
        # The server refuses to start with a broken [forward]; this only guards tests
        # and tools that build the app without starting the forward.
        event("reports.forward_config", logging.WARNING, reason=str(exc))
        return ForwardConfig()


def absence_scheme(c: Console) -> PeriodScheme:
    return _forward(c).absence_periods


def payment_scheme(c: Console) -> PeriodScheme:
    return _forward(c).payment_periods


# helpers ------------------------------------------------------------------------------


def _data(c: Console) -> ReportData:
    return ReportData(c.storage, today=helsinki_today(c.now()))


def _visible_sites(c: Console, session: Session) -> list[dict[str, Any]]:
    return [s for s in c.county.site_rows() if session.account.sees(s["id"])]


def _site(c: Console, session: Session, site_id: str) -> dict[str, Any]:
    require_site(session.account, site_id)
    found = c.county.site_row(site_id)
    if found is None:
        raise not_found()
    return found


def _report_lang(request: Request, asked: str | None, allowed: Sequence[str]) -> str:
    if asked in allowed:
        return str(asked)
    page = language(request)
    return page if page in allowed else allowed[0]


def _log(c: Console, session: Session, kind: str, people: Sequence[Person]) -> None:
    for person in people:
        c.log.write(
            session.account.username,
            "report",
            now=c.now(),
            participant_id=person.id,
            site_id=person.site_id,
            detail=f"report {kind} for {person.id}",
        )


def _download(body: bytes, media_type: str, filename: str) -> Response:
    headers = {
        **SECURITY_HEADERS,
        "Content-Disposition": f'attachment; filename="{filename}"',
    }
    return Response(body, media_type=media_type, headers=headers)


def _payer_names(lang: str) -> dict[str, str]:
    return {
        p: term(f"payer.{p}", lang) for p in ("kela", "unemployment_fund", "county", "organiser")
    }


def _allowance_names(c: Console, lang: str) -> dict[str, str]:
    return {
        t.id: t.name.get(lang, t.name.get("fi", t.id))
        for rs in c.storage.rule_sets()
        for t in rs.allowance_types
    }


def _page(
    request: Request,
    session: Session,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    *,
    status: int = 200,
) -> HTMLResponse:
    c = console(request)
    sites = _visible_sites(c, session)
    people = [
        (s, sorted(c.storage.participants(s["id"]), key=lambda p: str(p["display_name"])))
        for s in sites
    ]
    today = helsinki_today(c.now())
    start, _end = due_fortnight(absence_scheme(c), today)
    this_month = date(today.year, today.month, 1)
    month_before = (this_month - timedelta(days=1)).replace(day=1)
    values = {
        "sites": sites,
        "people": people,
        "errors": errors or {},
        "form": {
            "tt3_start": start.isoformat(),
            "month": f"{month_before:%Y-%m}",
            "statement_start": month_before.isoformat(),
            "statement_end": (this_month - timedelta(days=1)).isoformat(),
            **(form or {}),
        },
        "languages": LANGUAGES,
        "tt3_languages": TT3_LANGUAGES,
        "default_report_lang": _report_lang(request, None, LANGUAGES),
        "default_tt3_lang": _report_lang(request, None, TT3_LANGUAGES),
    }
    return render(request, "reports.html", values, session=session, status=status)


def _refuse(request: Request, session: Session, field: str, message: str) -> HTMLResponse:
    # The month's field keeps what was typed; the rest start again from their defaults.
    form = {"month": str(request.query_params.get("month", ""))} if field == "month" else {}
    return _page(request, session, {field: message}, form, status=422)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


# pages --------------------------------------------------------------------------------


@router.get("/reports")
def reports_page(request: Request) -> HTMLResponse:
    session = signed_in(request)
    return _page(request, session)


@router.get("/reports/tt3", response_model=None)
def tt3_list(
    request: Request, site: str = "", start: str = "", lang: str = ""
) -> HTMLResponse | Response:
    session = signed_in(request)
    c = console(request)
    _ = gettext(language(request))
    if not site:
        return _refuse(request, session, "tt3_site", _("Choose a site."))
    row = _site(c, session, site)
    day = _day(start) if start else helsinki_today(c.now())
    if day is None:
        return _refuse(request, session, "tt3_start", _("Give a date (day, month and year)."))
    scheme = absence_scheme(c)
    first, last = scheme.period_of(day)
    report_lang = _report_lang(request, lang, TT3_LANGUAGES)
    forms = tt3_forms(_data(c), site, first, last, interrupt_rule(c))
    _log(c, session, "tt3_list", [f.person for f in forms])
    before = scheme.period_of(first - timedelta(days=1))[0]
    after = last + timedelta(days=1)
    values = {
        "site": row,
        "start": first,
        "end": last,
        "forms": forms,
        "rule": interrupt_rule(c),
        "report_lang": report_lang,
        "tt3_languages": TT3_LANGUAGES,
        "before": before,
        "after": after,
    }
    return render(request, "reports_tt3.html", values, session=session)


@router.get("/reports/tt3.pdf", response_model=None)
def tt3_pdf(
    request: Request, site: str = "", start: str = "", lang: str = "", participant: str = ""
) -> Response:
    session = signed_in(request)
    c = console(request)
    row = _site(c, session, site)
    day = _day(start)
    if day is None:
        raise not_found()
    first, last = absence_scheme(c).period_of(day)
    report_lang = _report_lang(request, lang, TT3_LANGUAGES)
    forms = tt3_forms(_data(c), site, first, last, interrupt_rule(c))
    if participant:
        forms = [f for f in forms if f.person.id == participant]
        if not forms:
            raise not_found()
    _log(c, session, "tt3", [f.person for f in forms])
    body = pdf.tt3_pdf(
        forms,
        lang=report_lang,
        organiser=organiser(c),
        site_name=str(row["name"]),
        made_on=helsinki_today(c.now()),
    )
    who = f"-{participant}" if participant else ""
    return _download(body, PDF, f"tt3-{site}-{first.isoformat()}{who}-{report_lang}.pdf")


@router.get("/reports/month", response_model=None)
def month_report(
    request: Request, site: str = "", month: str = "", lang: str = "", format: str = "pdf"
) -> HTMLResponse | Response:
    session = signed_in(request)
    c = console(request)
    _ = gettext(language(request))
    if not site:
        return _refuse(request, session, "month_site", _("Choose a site."))
    row = _site(c, session, site)
    try:
        start, end = month_span(month)
    except ValueError:
        return _refuse(request, session, "month", _("Give a month as YYYY-MM, e.g. 2026-02."))
    report_lang = _report_lang(request, lang, LANGUAGES)
    people = _data(c).judge_site(site, start, end)
    people.sort(key=lambda j: (j.person.display_name.casefold(), j.person.id))
    _log(c, session, "month", [j.person for j in people])
    found = SiteMonth(site, str(row["name"]), start, end, tuple(people))
    made_on = helsinki_today(c.now())
    name = f"attendance-{site}-{start:%Y-%m}-{report_lang}"
    if format == "xlsx":
        body = sheets.month_xlsx(
            found, lang=report_lang, payer_names=_payer_names(report_lang), made_on=made_on
        )
        return _download(body, XLSX, f"{name}.xlsx")
    body = pdf.month_pdf(
        found, lang=report_lang, made_on=made_on, payer_names=_payer_names(report_lang)
    )
    return _download(body, PDF, f"{name}.pdf")


@router.get("/reports/statement", response_model=None)
def statement(
    request: Request, participant: str = "", start: str = "", end: str = "", lang: str = ""
) -> HTMLResponse | Response:
    session = signed_in(request)
    c = console(request)
    _ = gettext(language(request))
    found = c.county.participant(participant) if participant else None
    if found is None:
        return _refuse(request, session, "participant", _("Choose a participant."))
    require_site(session.account, str(found["site_id"]))
    first, last = _day(start), _day(end)
    if first is None or last is None or last < first:
        return _refuse(
            request,
            session,
            "statement_end",
            _("Give the period's first and last day; the last may not be before the first."),
        )
    if (last - first).days > 366:
        return _refuse(request, session, "statement_end", _("A statement covers at most a year."))
    person = Person(
        str(found["id"]),
        str(found["site_id"]),
        str(found["display_name"]),
        str(found["client_ref"] or found["id"]),
    )
    report_lang = _report_lang(request, lang, LANGUAGES)
    judged = _data(c).judge_one(person, first, last)
    _log(c, session, "statement", [person])
    site = c.county.site_row(person.site_id) or {"name": person.site_id}
    body = pdf.statement_pdf(
        judged,
        lang=report_lang,
        site_name=str(site["name"]),
        made_on=helsinki_today(c.now()),
        made_by=session.account.display_name,
        allowance_names=_allowance_names(c, report_lang),
    )
    return _download(body, PDF, f"statement-{person.id}-{first.isoformat()}-{last.isoformat()}.pdf")


@router.get("/reports/toimintaraha", response_model=None)
def payment_list(
    request: Request, site: str = "", month: str = "", lang: str = "", format: str = "csv"
) -> HTMLResponse | Response:
    session = signed_in(request)
    c = console(request)
    _ = gettext(language(request))
    sites = [_site(c, session, site)] if site else _visible_sites(c, session)
    try:
        first, last = month_span(month)
    except ValueError:
        return _refuse(request, session, "pay_month", _("Give a month as YYYY-MM, e.g. 2026-02."))
    # The forward's payment periods that start in the month (the month itself by default).
    periods = [p for p in payment_scheme(c).periods_between(first, last) if p[0] >= first]
    data = _data(c)
    people: list[Judged] = []
    for s in sites:
        for start, end in periods:
            people.extend(data.judge_site(str(s["id"]), start, end))
    people.sort(key=lambda j: (j.person.client_ref, j.start))
    paid = [j for j in people if any(line.payer == "county" for line in j.lines)]
    _log(c, session, "toimintaraha", list({j.person.id: j.person for j in paid}.values()))
    name = f"toimintaraha-{site or 'all'}-{first:%Y-%m}"
    if format == "xlsx":
        report_lang = _report_lang(request, lang, LANGUAGES)
        return _download(sheets.payment_xlsx(paid, lang=report_lang), XLSX, f"{name}.xlsx")
    return _download(sheets.payment_csv(paid), CSV, f"{name}.csv")
