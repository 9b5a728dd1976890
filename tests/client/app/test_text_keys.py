"""Every text key the app's code names exists in the texts.

A screen whose builder asks for a key that is gone raises while it is drawn, and the
renderer then keeps the previous screen: the tap seems to do nothing. This finds such a
key without a browser."""

from __future__ import annotations

import re
from pathlib import Path

from client.app.texts.i18n import _TEXTS

APP = Path(__file__).resolve().parents[3] / "client" / "app"
# tr("key" / t("key" / shell.tr("key" — a literal key as the first argument
_KEY = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def test_every_key_named_in_the_app_exists() -> None:
    named = {
        (path.relative_to(APP).as_posix(), key)
        for path in APP.rglob("*.py")
        for key in _KEY.findall(path.read_text(encoding="utf-8"))
    }
    assert len(named) > 100  # the pattern still finds the app's keys
    missing = sorted((where, key) for where, key in named if key not in _TEXTS)
    assert missing == []
