"""docs/admin.md and docs/protocol.md say what the code does (they cannot drift)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from sync_server.cli import build_parser
from sync_server.config import setting_names
from sync_server.importer import PARTICIPANT_COLUMNS, PLAN_COLUMNS, PLAN_OPTIONAL, SITE_COLUMNS
from tests.support.server import ServerProcess

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_admin_command_and_setting_is_documented() -> None:
    text = (DOCS / "admin.md").read_text("utf-8")
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands is not None
    documented = set(re.findall(r"^\| `([a-z-]+)[ `]", text, flags=re.MULTILINE))
    assert set(commands) <= documented, set(commands) - documented
    settings = set(re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)? \|", text, flags=re.MULTILINE))
    named = {name for pair in settings for name in pair if name}
    assert set(setting_names()) <= named, set(setting_names()) - named
    for columns in (SITE_COLUMNS, PARTICIPANT_COLUMNS, PLAN_COLUMNS + PLAN_OPTIONAL):
        assert all(c in text for c in columns)


def test_every_endpoint_is_documented(live_server: ServerProcess) -> None:
    text = (DOCS / "protocol.md").read_text("utf-8")
    spec = httpx.get(live_server.url + "/openapi.json").json()
    mine = {p for p in spec["paths"] if not p.startswith("/admin/")}
    documented = set(re.findall(r"`(?:GET|POST) (/[^ `?]*)", text))
    assert mine == documented
