"""The accessibility walk's language check (a11y_walk.wrong_language) catches another
language's words and lets the screen's own, names and numbers pass."""

from __future__ import annotations

import pytest

from client.app.texts.i18n import t
from tests.client.app.a11y_walk import wrong_language


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("Present: Aino Virtanen", "fi"),  # the English action on a Finnish card
        ("Närvarande: Aino Virtanen", "fi"),
        ("Paikalla: Aino Virtanen", "sv"),
        ("Alert", "fi"),  # Flutter's own dialog name
        ("Show password", "sv"),
        (t("today.all_present", "en", count=5), "fi"),  # a filled-in template
        (t("sync.pending", "fi", count=3), "en"),
        ("joulukuu", "sv"),  # CLDR's month name
    ],
)
def test_another_languages_text_is_found(name: str, lang: str) -> None:
    assert wrong_language(name, lang) is not None


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("Paikalla: Aino Virtanen", "fi"),
        ("Aino Virtanen", "sv"),
        (t("today.all_present", "sv", count=5), "sv"),
        (t("sync.pending", "en", count=3), "en"),
        ("Svenska", "fi"),  # the language picker names each language in itself
        ("English", "sv"),
        ("Läsnä", "en"),  # the app's name is the same in every language
        ("1.12.2026", "en"),
    ],
)
def test_the_screens_own_language_passes(name: str, lang: str) -> None:
    assert wrong_language(name, lang) is None
