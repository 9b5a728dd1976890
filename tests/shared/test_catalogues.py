"""The translation catalogues against the code: every text the code marks is translated
into Finnish, Swedish and English (every plural form), and no catalogue keeps a text
the code no longer uses. The code is read with Babel's own extractor and the same
babel.cfg and keywords as `make texts`, so what is tested is what a translator gets."""

from __future__ import annotations

import re
import string
import subprocess
import sys
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from client.app.texts.dates import month_name, weekday_name, weekday_short
from client.app.texts.i18n import t
from shared import i18n
from shared.findings import finding

ROOT = Path(__file__).resolve().parents[2]

MessageKey = tuple[str, str | None]  # (msgid, context)


@cache
def used() -> dict[MessageKey, tuple[str, ...]]:
    """What the code marks for translation: {(msgid, context): (msgid, plural?)}."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    found: dict[MessageKey, tuple[str, ...]] = {}
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords={**DEFAULT_KEYWORDS, **i18n.KEYWORDS}
    ):
        ids = (message,) if isinstance(message, str) else tuple(message)
        found[(ids[0], context)] = ids
    return found


@cache
def catalogue(language: str) -> Catalog:
    with i18n.catalogue_path(language).open("rb") as po:
        return read_po(po, locale=language, domain=i18n.DOMAIN)


def entries(language: str) -> dict[MessageKey, tuple[tuple[str, ...], tuple[str, ...], bool]]:
    """{(msgid, context): (ids, translations, fuzzy)} without the header."""
    out = {}
    for m in catalogue(language):
        if not m.id:
            continue
        ids = (m.id,) if isinstance(m.id, str) else tuple(m.id)
        strings = (m.string,) if isinstance(m.string, str) else tuple(m.string)
        out[(ids[0], m.context)] = (ids, strings, m.fuzzy)
    return out


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_extractor_sees_the_code() -> None:
    assert len(used()) > 150
    assert ("Set up this device", None) in used()
    assert used()[("{max} day a week", None)] == ("{max} day a week", "{max} days a week")


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_text_the_code_uses_is_translated(language: str) -> None:
    have = entries(language)
    missing = sorted(key for key in used() if key not in have)
    assert missing == [], f"{language}: not in the catalogue (run make texts): {missing}"
    for key, ids in used().items():
        got_ids, strings, fuzzy = have[key]
        assert got_ids == ids, f"{language}: {key} changed its plural (run make texts)"
        assert not fuzzy, f"{language}: {key} is marked fuzzy: check the translation"
        assert len(strings) == (2 if len(ids) == 2 else 1), (language, key)
        assert all(s.strip() for s in strings), f"{language}: {key} has no translation"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_no_catalogue_keeps_a_text_no_code_uses(language: str) -> None:
    unused = sorted(key for key in entries(language) if key not in used())
    assert unused == [], f"{language}: no code uses (run make texts): {unused}"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_translations_fill_in_the_same_blanks(language: str) -> None:
    for key, (ids, strings, _) in entries(language).items():
        blanks = set().union(*(fields(i) for i in ids))
        for text in strings:
            assert fields(text) <= blanks, f"{language}: {key}: unknown blank in {text!r}"
        if len(ids) == 1:
            assert fields(strings[0]) == blanks, f"{language}: {key}: a blank is left out"
        else:  # the form for many names every blank; "one day" may say the one in words
            assert fields(strings[-1]) == blanks, f"{language}: {key}: a blank is left out"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_headers_name_the_language_and_its_plural_rule(language: str) -> None:
    cat = catalogue(language)
    headers = dict(cat.mime_headers)
    assert headers["Language"] == language
    # fi, sv and en alike: one form for exactly 1, another for 0, 2, 3, … (CLDR)
    assert headers["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert headers["Content-Type"] == "text/plain; charset=utf-8"


def test_the_makefile_extracts_with_the_same_keywords() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    line = re.search(r"^TEXT_KEYWORDS := (.*)$", makefile, re.MULTILINE)
    assert line is not None
    specs = re.findall(r"-k (\S+)", line.group(1))
    assert parse_keywords(specs) == dict(i18n.KEYWORDS)


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("fi", "Joulukuu 2026: 1 läsnäolopäivä, korvattavia 1", "läsnäolopäivää"),
        ("sv", "December 2026: 1 närvarodag, ersättningsberättigade 1", "närvarodagar"),
        ("en", "December 2026: 1 day present, 1 eligible", "days present"),
    ],
)
def test_a_count_picks_the_plural_form(language: str, one: str, two: str) -> None:
    month = month_name(2026, 12, language)
    assert t("participant.month", language, month=month, count=1, eligible=1) == one
    assert two in t("participant.month", language, month=month, count=2, eligible=1)
    assert two in t("participant.month", language, month=month, count=0, eligible=0)


def test_findings_follow_the_count_too() -> None:
    ends = finding("plan_ends_soon", date(2026, 12, 6), end="2026-12-07", days=1)
    assert ends.message("en") == "The plan ends on 7.12.2026 (in 1 day)."
    assert ends.message("sv") == "Planen upphör 7.12.2026 (om 1 dag)."
    clock = finding("device_clock_off", date(2026, 12, 6), minutes=1)
    assert clock.message("fi") == "Laitteen kello oli 1 minuutin edellä palvelimen kelloa."
    week = finding("under_weekly_min", date(2026, 12, 6), week="49/2026", count=2, min=3)
    assert week.message("fi").startswith("Viikolla 49/2026 on 2 läsnäolopäivää,")


def test_day_and_month_names_come_from_cldr() -> None:
    assert [weekday_short(d, "fi") for d in (1, 4, 7)] == ["ma", "to", "su"]
    assert [weekday_short(d, "sv") for d in (1, 4, 7)] == ["mån", "tors", "sön"]
    assert [weekday_short(d, "en") for d in (1, 4, 7)] == ["Mon", "Thu", "Sun"]
    assert weekday_name(date(2026, 12, 6), "fi") == "Sunnuntai"  # stand-alone, not "sunnuntaina"
    assert month_name(2026, 1, "fi") == "Tammikuu 2026"  # not "tammikuuta"
    assert month_name(2026, 5, "sv") == "Maj 2026"


def test_translations_serve_templates_and_fall_back_to_finnish() -> None:
    """The console hands translations() to jinja2.ext.i18n: the gettext names must work."""
    sv = i18n.translations("sv")
    assert sv.gettext("Cancel") == "Avbryt"
    assert sv.ngettext("{max} day a week", "{max} days a week", 1) == "{max} dag i veckan"
    assert sv.pgettext("button", "Close the month") == "Stäng månaden"
    assert i18n.translations("de") is i18n.translations("fi")
    assert i18n.tr("en", "Saved: {name}", name="Aino") == "Saved: Aino"
    # (the overview's "3/4 pv" became present and eligible days apart: issue 11)
    grid = "{present} present, {eligible}/{max} eligible"
    assert i18n.ntr("fi", grid, grid, 4, present=4, eligible=3, max=4) == "läsnä 4, korv. 3/4"
    assert i18n.ptr("fi", "screen title", "Unlock") == "Avaa lukitus"
    assert i18n.tr("fi", "A text no catalogue has") == "A text no catalogue has"


def test_four_locale_data_files_are_enough(tmp_path: Path) -> None:
    """The phone build keeps only these of Babel's CLDR files (docs/app.md)."""
    import babel.localedata

    source = Path(babel.localedata._dirname)
    for name in ("root", "fi", "sv", "en"):
        (tmp_path / f"{name}.dat").write_bytes((source / f"{name}.dat").read_bytes())
    script = f"""
import babel.localedata
babel.localedata._dirname = {str(tmp_path)!r}
from datetime import date
from client.app.texts.dates import month_name, weekday_name, weekday_short
from client.app.texts.i18n import LANGUAGE_NAMES, t
from shared.findings import finding
for lang in ("fi", "sv", "en"):
    print(LANGUAGE_NAMES[lang], weekday_name(date(2026, 1, 5), lang), weekday_short(4, lang),
          month_name(2026, 1, lang), t("participant.days_per_week_one", lang, max=1),
          finding("plan_ends_soon", date(2026, 1, 5), end="2026-01-07", days=2).message(lang))
"""
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "Suomi Maanantai to Tammikuu 2026 1 päivä viikossa" in run.stdout
    assert "Svenska Måndag tors Januari 2026 1 dag i veckan" in run.stdout
