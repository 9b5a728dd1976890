"""Every text in Finnish, Swedish and English; every key the code uses exists."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from client.app.texts import i18n
from client.app.texts.i18n import (
    LANGUAGES,
    TEXTS,
    fmt_date,
    fmt_datetime,
    month_name,
    t,
    weekday_name,
)
from client.store import STORE_PROBLEMS
from client.sync import SYNC_PROBLEMS
from shared.messages import TERMS

APP = Path(i18n.__file__).parent


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_key_has_all_three_languages_with_the_same_blanks(key: str) -> None:
    texts = TEXTS[key]
    assert set(texts) == set(LANGUAGES), f"{key} is missing {set(LANGUAGES) - set(texts)}"
    assert all(texts[lang].strip() for lang in LANGUAGES), f"{key} has an empty text"
    assert fields(texts["sv"]) == fields(texts["fi"]) == fields(texts["en"]), key


def test_every_key_the_app_names_has_texts() -> None:
    namespaces = {key.split(".")[0] for key in TEXTS}
    alternatives = "|".join(sorted(namespaces))
    pattern = re.compile(r"""["']((?:""" + alternatives + r""")\.[a-z_]+)["']""")
    used: dict[str, str] = {}
    for source in APP.rglob("*.py"):
        for key in pattern.findall(source.read_text("utf-8")):
            used.setdefault(key, source.name)
    assert len(used) > 100  # the scan really sees the screens
    missing = {k: where for k, where in used.items() if k not in TEXTS and k not in TERMS}
    assert missing == {}, f"keys without texts: {missing}"


def test_every_code_of_the_store_and_the_sync_client_has_texts() -> None:
    """Their codes name texts at run time (client.app.texts.problems), out of the scan's sight."""
    codes = [f"sync_error.{c.value}" for c in SYNC_PROBLEMS]
    codes += [f"store_error.{c.value}" for c in STORE_PROBLEMS]
    codes += ["sync_error.unknown", "store_error.unknown"]
    assert [key for key in codes if key not in TEXTS] == []
    problem_keys = {k for k in TEXTS if k.startswith(("sync_error.", "store_error."))}
    assert problem_keys == set(codes)  # and no text for a code that no longer exists


def test_nothing_falls_back_silently_for_an_unknown_key() -> None:
    with pytest.raises(KeyError):
        t("no.such_key", "fi")


def test_dates_as_in_finland() -> None:
    day = date(2026, 1, 5)
    assert fmt_date(day) == "5.1.2026"
    assert weekday_name(day, "fi") == "Maanantai"
    assert weekday_name(day, "sv") == "Måndag"
    assert month_name(2026, 12, "sv") == "December 2026"
    # 22:30 UTC on New Year's Eve is already the next day in Helsinki
    assert fmt_datetime(datetime(2026, 12, 31, 22, 30, tzinfo=UTC)) == "1.1.2027 0.30"
    # present and eligible days apart (issue 11: "1/3" for someone present twice)
    week = {"present": 2, "count": 1, "max": 3}
    assert t("today.week_count", "en", **week) == "Present 2 days, 1 of 3 eligible this week"
    assert t("today.week_count", "fi", **week) == "Läsnä 2 pv, korvattavia 1/3 pv tällä viikolla"
