"""The grid's letters are readable on their colours (WCAG 2.1 AA: 4.5:1 for text, 3:1
for a frame), and every status has a letter of its own in each language, so colour is
never the only sign (issue 11)."""

from __future__ import annotations

import pytest

from client.app.texts.i18n import LANGUAGES, t
from client.app.views.grid import FRAME, LOOKS, TODAY


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("kind", sorted(LOOKS))
def test_each_letter_has_4_5_to_1_against_its_cell(kind: str) -> None:
    look = LOOKS[kind]
    assert contrast(look.letter, look.background) >= 4.5


def test_the_frame_and_today_stand_out() -> None:
    assert contrast(FRAME, LOOKS["finding"].background) >= 3
    assert contrast(FRAME, "#FFFFFF") >= 3
    assert contrast(TODAY, "#FFFFFF") >= 4.5


@pytest.mark.parametrize("lang", LANGUAGES)
def test_three_statuses_three_letters_in_every_language(lang: str) -> None:
    letters = {t(f"cell.{s}", lang) for s in ("present", "absent", "not_held")}
    assert len(letters) == 3 and all(len(x) == 1 for x in letters)
    assert "·" not in letters and "!" not in letters
