"""The answer to a participant who asks who has processed their data (issue 13): the
access log's page for a participant and a period, with console views, reports and
devices as actors, and the same as a PDF in the reader's language."""

from __future__ import annotations

import re
import zlib
from datetime import timedelta

import pytest

from sync_server.console import Role
from sync_server.console.audit import VIA_REPORT, log_access
from tests.sync_server.console.harness import START, ConsoleHarness
from tests.sync_server.console.test_flow import post_form, set_up_site_with_plan


def _pdf_text_maps(body: bytes) -> bytes:
    """The PDF's streams, inflated (the font's ToUnicode map names the characters used)."""
    out = b""
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            out += zlib.decompress(raw)
        except zlib.error:
            out += raw
    return out


@pytest.fixture
def seeded(console: ConsoleHarness) -> ConsoleHarness:
    console.account("cora", Role.COORDINATOR, all_sites=True)
    c = console.login("cora")
    set_up_site_with_plan(console, c)
    post_form(
        c,
        "/console/sites/paja",
        "/console/sites/paja/participants",
        {"id": "p2", "display_name": "Åsa Ärlig-Öberg", "client_ref": "ASK-2"},
    )
    console.clock.advance(minutes=5)
    assert c.get("/console/participants/p2").status_code == 200  # a console view
    console.account("ada", Role.ADMIN)
    return console


def test_the_page_lists_console_views_and_reports_with_their_actors(seeded: ConsoleHarness) -> None:
    # A report that names the participant logs itself as a report would.
    log_access(
        seeded.storage, "raija", "p2", "report_tt3", VIA_REPORT, seeded.clock(), detail="TT3 3/2026"
    )
    admin = seeded.login("ada")
    day = seeded.clock().date()
    page = admin.get(
        "/console/access-log",
        params={"participant": "p2", "start": (day - timedelta(days=2)).isoformat(), "end": day},
    )
    assert page.status_code == 200, page.text
    text = page.text
    assert "Who has processed the data of Åsa Ärlig-Öberg" in text
    assert "opened the participant&#39;s page" in text and "cora" in text
    assert "made a report that names the participant" in text and "raija" in text
    assert "TT3 3/2026" in text
    rows = seeded.storage.access_lines(participant_id="p2")
    actors = {(r["action"], r["account"], r["via"]) for r in rows}
    assert ("participant_view", "cora", "console") in actors
    assert ("report_tt3", "raija", "report") in actors
    assert ("access_log_view", "ada", "console") in actors  # reading the log is logged too

    # A period before the view shows none of it.
    early = admin.get(
        "/console/access-log",
        params={"participant": "p2", "start": "2020-01-01", "end": "2020-12-31"},
    )
    assert "cora" not in early.text.split("<tbody>")[1]


def test_the_answer_as_a_pdf_in_the_readers_language(seeded: ConsoleHarness) -> None:
    admin = seeded.login("ada")
    admin.cookies.set("lasna_lang", "fi")
    day = seeded.clock().date()
    reply = admin.get(
        "/console/access-log.pdf",
        params={"participant": "p2", "start": START.date().isoformat(), "end": day.isoformat()},
    )
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/pdf"
    body = reply.content
    assert body.startswith(b"%PDF-")
    assert b"DejaVu" in body and b"/FontFile2" in body  # the font travels inside the file
    maps = _pdf_text_maps(body).upper()
    for code in (b"00C5", b"00C4", b"00D6"):  # Å, Ä, Ö of the name, in the font's map
        assert code in maps, code
    rows = seeded.storage.access_lines(participant_id="p2")
    assert any(r["action"] == "access_log_pdf" and r["account"] == "ada" for r in rows)


def test_only_administrators_and_whole_county_viewers_read_it(seeded: ConsoleHarness) -> None:
    cora = seeded.login("cora")
    assert cora.get("/console/access-log", params={"participant": "p2"}).status_code == 403
    assert cora.get("/console/access-log.pdf", params={"participant": "p2"}).status_code == 403
    seeded.account("vic", Role.VIEWER, sites=frozenset({"paja"}))
    assert seeded.login("vic").get("/console/access-log").status_code == 403
    seeded.account("vera", Role.VIEWER, all_sites=True)
    vera = seeded.login("vera")
    assert vera.get("/console/access-log", params={"participant": "p2"}).status_code == 200
    assert vera.get("/console/access-log.pdf", params={"participant": "nobody"}).status_code == 404
