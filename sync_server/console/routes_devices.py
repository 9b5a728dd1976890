"""Devices: the list, enrollment codes (QR and text), revoking."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sync_server.console import recipes
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

router = APIRouter()
Page = Response


@router.get("/devices")
def devices(request: Request) -> HTMLResponse:
    session = signed_in(request)
    c = console(request)
    sites = {s["id"]: s for s in c.county.site_rows() if session.account.sees(s["id"])}
    found = [d for d in c.storage.devices() if d.site_id in sites]
    rows = [
        {
            "device": d,
            "site": sites[d.site_id],
            # Reported by newer devices only; older ones leave these empty.
            "app_version": getattr(d, "app_version", None),
            "waiting": getattr(d, "waiting_records", None),
        }
        for d in sorted(found, key=lambda d: (sites[d.site_id]["name"], d.name))
    ]
    return render(
        request, "devices.html", {"rows": rows, "sites": list(sites.values())}, session=session
    )


@router.post("/sites/{site_id}/enrollment-codes")
async def enrollment_code(request: Request, site_id: str) -> HTMLResponse:
    session = changer(request)
    require_site(session.account, site_id)
    c = console(request)
    site = c.county.site_row(site_id)
    if site is None:
        raise not_found()
    await posted(request, session)
    hours = c.ctx.config.enrollment_code_hours
    code, expires = c.storage.create_enrollment_code(
        site_id, now=c.now(), valid_for=timedelta(hours=hours)
    )
    c.log.write(session.account.username, "enrollment_code_create", now=c.now(), site_id=site_id)
    _ = gettext(language(request))
    values = {
        "site": site,
        "code": code,
        "expires": expires,
        "qr": recipes.qr_svg(code, _("Enrollment code as a QR code")),
    }
    return render(request, "enrollment_code.html", values, session=session)


@router.post("/devices/{device_id}/revoke")
async def revoke(request: Request, device_id: str) -> Page:
    session = changer(request)
    c = console(request)
    found = next((d for d in c.storage.devices() if d.id == device_id), None)
    if found is None:
        raise not_found()
    require_site(session.account, found.site_id)
    await posted(request, session)
    c.storage.revoke(device_id, now=c.now())
    c.log.write(
        session.account.username,
        "device_revoke",
        now=c.now(),
        site_id=found.site_id,
        detail=device_id,
    )
    return redirect(f"{PREFIX}/devices")
