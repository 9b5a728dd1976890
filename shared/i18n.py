"""The translation catalogues (gettext, through Babel) and the reader's names of days and months.

Every text a person reads is a message in ``shared/locale/<lang>/LC_MESSAGES/lasna.po``
(fi, sv, en). A message's id is its English source text, so a translator working in
Poedit or Weblate sees English; the ``en`` catalogue carries the same texts as
translations, so English wording can change without touching code.

Code marks texts where they are written, so that Babel's extractor finds them
(``make texts``; keywords in :data:`KEYWORDS`):

- ``N_("Text")``, ``NP_("context", "Text")``: a text kept in a table and said later;
- ``NN_("{n} day", "{n} days", "n")``: a text whose wording follows a count, the third
  argument naming the parameter that holds the count; ``NNP_`` adds a context;
- ``tr(lang, "Text", **params)``, ``ntr``, ``ptr``, ``nptr``: said at once.

Those names differ from ``gettext``/``ngettext`` on purpose: they take the language
first, which the extractor would misread under the standard names. Templates use the
standard names through ``jinja2.ext.i18n`` and :func:`translations`.

The ``.po`` files are read as they are, with Babel's pure-Python reader, the first time
a language is asked for: no compiled ``.mo`` files to build or to forget to rebuild, for
the tests, the server or the phone package. Reading all three takes a few tens of
milliseconds, once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.dates import get_day_names, get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
DOMAIN = "lasna"
LOCALE_DIR = Path(__file__).with_name("locale")

# Extraction keywords beyond Babel's defaults (which already know N_, gettext, ngettext,
# pgettext, npgettext and _). Babel's spec: argument positions, "c" marks the context.
# The Makefile's `texts` target passes the same list; a test keeps the two equal.
KEYWORDS: Mapping[str, tuple[int | tuple[int, str], ...]] = {
    "NP_": ((1, "c"), 2),
    "NN_": (1, 2),
    "NNP_": ((1, "c"), 2, 3),
    "tr": (2,),
    "ntr": (2, 3),
    "ptr": ((2, "c"), 3),
    "nptr": ((2, "c"), 3, 4),
}


def language_of(language: str) -> str:
    """``language`` if there is a catalogue for it, otherwise Finnish."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(language: str) -> Translations:
    """The catalogue of ``language`` (Finnish for a language without one), read once.

    Has ``gettext``, ``ngettext``, ``pgettext`` and ``npgettext``, and can be handed to
    ``jinja2.ext.i18n``'s ``install_gettext_translations``. A message without a
    translation comes out as its English id."""
    return _load(language_of(language))


@functools.cache
def _load(language: str) -> Translations:
    with catalogue_path(language).open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    # Babel's Translations reads the compiled form; compiling in memory keeps .mo files
    # out of the repository and out of every build step.
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _fill(template: str, params: Mapping[str, Any]) -> str:
    # No parameters, no formatting: a text may then hold a literal brace.
    return template.format(**params) if params else template


def tr(language: str, msgid: str, **params: Any) -> str:
    """``msgid`` in ``language``, with ``params`` filled in (``str.format`` fields)."""
    return _fill(translations(language).gettext(msgid), params)


def ntr(language: str, singular: str, plural: str, n: int, **params: Any) -> str:
    """The form for ``n`` in ``language`` (1 day, 2 days), with ``params`` filled in."""
    return _fill(translations(language).ngettext(singular, plural, n), params)


def ptr(language: str, context: str, msgid: str, **params: Any) -> str:
    """Like :func:`tr` for a text whose English is shared with a differently said one."""
    return _fill(str(translations(language).pgettext(context, msgid)), params)


def nptr(language: str, context: str, singular: str, plural: str, n: int, **params: Any) -> str:
    return _fill(str(translations(language).npgettext(context, singular, plural, n)), params)


@dataclass(frozen=True, slots=True)
class Text:
    """A text marked for translation and said later, in whichever language is asked for."""

    msgid: str
    plural: str | None = None
    count: str | None = None  # the parameter whose number picks the plural form
    context: str | None = None

    def template(self, language: str, n: int = 1) -> str:
        """The translation before filling in (for a plural text, the form for ``n``)."""
        catalogue = translations(language)
        if self.plural is None:
            if self.context is None:
                return catalogue.gettext(self.msgid)
            return str(catalogue.pgettext(self.context, self.msgid))
        if self.context is None:
            return catalogue.ngettext(self.msgid, self.plural, n)
        return str(catalogue.npgettext(self.context, self.msgid, self.plural, n))

    def say(self, language: str, **params: Any) -> str:
        """The text in ``language`` with ``params`` filled in; the count names the form."""
        n = 1 if self.count is None else int(params[self.count])
        return _fill(self.template(language, n), params)


# Marks, named as gettext tools expect (N_ is Babel's default "no-op" keyword).


def N_(msgid: str) -> Text:
    return Text(msgid)


def NP_(context: str, msgid: str) -> Text:
    return Text(msgid, context=context)


def NN_(singular: str, plural: str, count: str) -> Text:
    return Text(singular, plural, count)


def NNP_(context: str, singular: str, plural: str, count: str) -> Text:
    return Text(singular, plural, count, context)


class _ByLanguage(Mapping[str, str]):
    """One text as ``{language: template}``, read from the catalogues when looked at."""

    __slots__ = ("_text",)

    def __init__(self, text: Text) -> None:
        self._text = text

    def __getitem__(self, language: str) -> str:
        if language not in LANGUAGES:
            raise KeyError(language)
        # a plural text shows its form for many, which names every parameter
        return self._text.template(language, n=2)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


def by_language(table: Mapping[str, Text]) -> Mapping[str, Mapping[str, str]]:
    """A table of marked texts as ``{key: {language: template}}``, for code that reads
    texts per language (checks, the wire's ``messages``) rather than saying one."""
    return {key: _ByLanguage(text) for key, text in table.items()}


# Names of days and months come from CLDR through Babel. Stand-alone forms: Finnish
# "maanantai" and "tammikuu", not the in-sentence "maanantaina", "tammikuuta".


@functools.cache
def _day_names(language: str, width: Literal["abbreviated", "wide"]) -> tuple[str, ...]:
    names = get_day_names(width, "stand-alone", locale=language)
    return tuple(names[i] for i in range(7))  # CLDR counts from Monday = 0


@functools.cache
def _month_names(language: str) -> tuple[str, ...]:
    names = get_month_names("wide", "stand-alone", locale=language)
    return tuple(names[i] for i in range(1, 13))


def day_name(iso_weekday: int, language: str, *, short: bool = False) -> str:
    """ISO weekday 1–7 as "maanantai"/"måndag"/"Monday" (short: "ma"/"mån"/"Mon")."""
    return _day_names(language_of(language), "abbreviated" if short else "wide")[iso_weekday - 1]


def month_name(month: int, language: str) -> str:
    """Month 1–12 as "tammikuu"/"januari"/"January"."""
    return _month_names(language_of(language))[month - 1]


def language_name(language: str) -> str:
    """A language named in itself ("Suomi", "Svenska", "English"), for the language menu."""
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]
