"""Translated texts from the gettext catalogues in ``shared/locale`` (fi, sv, en).

The msgids are the English source texts; Finnish is the default language. The
catalogues are read as ``.po`` and compiled in memory, so there is no build step and
no compiled file to go stale beside its source.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("fi", "sv", "en")
DOMAIN = "lasna"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@cache
def translations(language: str) -> Translations:
    """The catalogue for ``language`` (one of :data:`LANGUAGES`), compiled once."""
    if language not in LANGUAGES:
        raise ValueError(f"No texts in {language!r}; the languages are {', '.join(LANGUAGES)}.")
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
