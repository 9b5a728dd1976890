"""The Reports page and its downloads through the console: scope, file types, the log."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from sync_server.console import Role
from sync_server.storage import SiteRow
from tests.sync_server.console.harness import ConsoleHarness
from tests.sync_server.console.test_reports import sickness_fortnight
from tests.sync_server.forward import data


def _seed(console: ConsoleHarness) -> None:
    device = data.seed(console.storage, console.clock() - timedelta(days=1))
    data.push(console.storage, device, sickness_fortnight(), console.clock())
    console.storage.import_sites([SiteRow("other", "Toinen paja")], now=console.clock())


def test_coordinator_gets_reports_of_their_site_only(console: ConsoleHarness) -> None:
    _seed(console)
    console.account("cora", Role.COORDINATOR, sites=frozenset({data.SITE}))
    c = console.login("cora")
    page = c.get("/console/reports")
    assert page.status_code == 200 and "Työpaja Rauha" in page.text
    assert "Toinen paja" not in page.text
    assert 'href="/console/reports"' in page.text  # in the main navigation

    due = c.get(f"/console/reports/tt3?site={data.SITE}&start=2025-01-20&lang=sv")
    assert due.status_code == 200
    assert "3 participants due" in due.text and "Osallistuja 2" not in due.text
    assert '"other" absences in a row' in due.text  # p-vamm's three "other" days

    tt3 = c.get(f"/console/reports/tt3.pdf?site={data.SITE}&start=2025-01-13&lang=fi")
    assert tt3.status_code == 200 and tt3.content.startswith(b"%PDF")
    assert tt3.headers["content-type"] == "application/pdf"
    assert tt3.headers["content-disposition"].startswith("attachment; filename=")
    assert tt3.headers["cache-control"] == "no-store"

    month = c.get(f"/console/reports/month?site={data.SITE}&month=2025-01&lang=sv&format=xlsx")
    assert month.status_code == 200
    assert month.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(month.content)).active
    assert sheet is not None and sheet["A1"].value == "Månadsrapport över närvaro"

    pay = c.get("/console/reports/toimintaraha?month=2025-01&format=csv")
    assert pay.status_code == 200 and pay.headers["content-type"] == "text/csv; charset=utf-8"
    assert pay.text.splitlines()[0].startswith("participant_ref,")
    statement = c.get(
        "/console/reports/statement?participant=p-kela&start=2025-01-01&end=2025-01-31&lang=fi"
    )
    assert statement.status_code == 200 and statement.content.startswith(b"%PDF")

    # another site's reports answer as if the site did not exist
    assert c.get("/console/reports/tt3?site=other").status_code == 404
    assert c.get("/console/reports/month?site=other&month=2025-01").status_code == 404
    assert c.get("/console/reports/toimintaraha?site=other&month=2025-01").status_code == 404
    bad = c.get(f"/console/reports/month?site={data.SITE}&month=janvier")
    assert bad.status_code == 422 and "Give a month as YYYY-MM" in bad.text

    log = console.storage.rows(
        "SELECT action, participant_id, detail FROM console_access_log WHERE action = 'report'"
    )
    details = {row["detail"] for row in log}
    assert "report tt3 for p-kela" in details
    assert "report tt3_list for p-vamm" in details
    assert "report month for p-county" in details
    assert "report statement for p-kela" in details
    assert "report toimintaraha for p-county" in details
    assert all(row["participant_id"] for row in log)


def test_a_coordinator_of_another_site_cannot_open_a_statement(console: ConsoleHarness) -> None:
    _seed(console)
    console.account("olli", Role.COORDINATOR, sites=frozenset({"other"}))
    o = console.login("olli")
    page = o.get("/console/reports")
    assert "Osallistuja 1" not in page.text
    refused = o.get("/console/reports/statement?participant=p-kela&start=2025-01-01&end=2025-01-31")
    assert refused.status_code == 404
    assert o.get(f"/console/reports/tt3.pdf?site={data.SITE}&start=2025-01-13").status_code == 404
