"""The app's colours, all of them: the Material colour scheme and the status colours,
and every pair of a text (or a control's edge) and what it stands on.

The scheme is fixed here rather than derived from a seed colour at run time, so that
the contrast of each pair is known before the app runs: ``tests/client/app/
test_contrast.py`` checks every pair in :data:`PAIRS` against WCAG 2.1 (4.5:1 for
text, 3:1 for the edges of controls, icons that carry meaning and chart bars). The
values are Material 3's teal scheme as the app showed it before (issue 11), with the
status colours that fell short made darker.

Views take their colours from here only (the test also fails on an ``ft.Colors`` name
anywhere else in ``client/app/views``): a new colour, or a colour on a new background,
is a new entry in :data:`PAIRS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import flet as ft

from shared.findings import Severity

# -- the colour scheme (Material 3 roles) -----------------------------------------------
SEED = "#009688"  # teal: only for the roles not fixed below, none of which the app uses
PRIMARY = "#006A60"
ON_PRIMARY = "#FFFFFF"
PRIMARY_CONTAINER = "#9EF2E4"
ON_PRIMARY_CONTAINER = "#005048"
SECONDARY = "#4A635F"
ON_SECONDARY = "#FFFFFF"
SECONDARY_CONTAINER = "#CCE8E2"
ON_SECONDARY_CONTAINER = "#334B47"
ERROR = "#BA1A1A"
ON_ERROR = "#FFFFFF"
ERROR_CONTAINER = "#FFDAD6"
ON_ERROR_CONTAINER = "#93000A"
SURFACE = "#F4FBF8"  # the page
ON_SURFACE = "#161D1C"
ON_SURFACE_VARIANT = "#3F4947"  # secondary text, field labels, icons
SURFACE_CONTAINER_LOWEST = "#FFFFFF"
SURFACE_CONTAINER_LOW = "#EFF5F2"  # cards, the sync strip
SURFACE_CONTAINER = "#E9EFED"  # the bottom navigation
SURFACE_CONTAINER_HIGH = "#E3EAE7"  # dialogs
SURFACE_CONTAINER_HIGHEST = "#DDE4E1"  # filled fields
OUTLINE = "#6F7977"  # outlined buttons, text fields
OUTLINE_VARIANT = "#BEC9C6"  # a card's edge: decoration, the card is no control

# -- what the app says with colour --------------------------------------------------------
PROBLEM_TEXT = "#B71C1C"  # something refused or to act on
PROBLEM_BACKGROUND = "#FFEBEE"
NOTICE_TEXT = "#1B5E20"  # something done
NOTICE_BACKGROUND = "#E8F5E9"
GOOD = "#1B5E20"  # present, eligible, online (was green 800: 4.4:1 on a dialog)
WARNING = "#A33000"  # not eligible, warnings, holidays (was deep orange 900: 4.4:1)
ABSENT = "#A93A00"  # an absence (was deep orange 800: 4.0:1 on a card)
NOT_HELD = "#455A64"
OFFLINE_BACKGROUND = "#FFF3E0"  # the sync strip while offline

# the participants × days grid: each cell's (background, letter); a finding's frame
# (not text: 3:1 against the page and the cell); today's date above its column
GRID_CELLS: dict[str, tuple[str, str]] = {
    "present": ("#C8E6C9", "#1B5E20"),
    "absent": ("#DCE3E8", "#263238"),
    "not_held": ("#E8E0F5", "#4A2C91"),
    "finding": ("#FFE0B2", "#8A2B00"),
    "blank": ("#F5F5F5", "#424242"),
}
GRID_FRAME = "#BF360C"
GRID_TODAY = "#0D47A1"
BAR_ATTENDED = "#388E3C"  # was green 600: 3.0:1
BAR_PLANNED = "#607D8B"  # was blue grey 200: 1.7:1
NOTE_HINT = "#3E2723"  # "no health details" beside a day's note (brown 900)

# a finding's box: (background, text and icon)
SEVERITY: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: ("#FFCDD2", "#B71C1C"),
    Severity.NOT_ELIGIBLE: ("#FFE0B2", "#8D3300"),  # was deep orange 900: 4.4:1
    Severity.FLAGGED: ("#FFECB3", "#3E2723"),
    Severity.NOTICE: ("#E3F2FD", "#0D47A1"),
}


class Use(StrEnum):
    TEXT = "text"  # 4.5:1
    UI = "ui"  # 3:1: a control's edge or focus ring, an icon that means something, a bar


@dataclass(frozen=True)
class Pair:
    what: str
    fg: str
    bg: str
    use: Use = Use.TEXT


_BACKGROUNDS = {
    "page": SURFACE,
    "card": SURFACE_CONTAINER_LOW,
    "dialog": SURFACE_CONTAINER_HIGH,
}

PAIRS: tuple[Pair, ...] = (
    # the scheme's own pairs, as Material's controls use them
    Pair("filled button", ON_PRIMARY, PRIMARY),
    Pair("tonal button", ON_SECONDARY_CONTAINER, SECONDARY_CONTAINER),
    Pair("secondary", ON_SECONDARY, SECONDARY),
    Pair("title bar", ON_PRIMARY_CONTAINER, PRIMARY_CONTAINER),
    Pair("title bar icon", ON_SURFACE_VARIANT, PRIMARY_CONTAINER, Use.UI),
    Pair("navigation, selected", PRIMARY, SECONDARY_CONTAINER),
    Pair("navigation", PRIMARY, SURFACE_CONTAINER),
    Pair("supervisor chosen", ON_SURFACE, SECONDARY_CONTAINER),
    Pair("error", ON_ERROR, ERROR),
    Pair("error container", ON_ERROR_CONTAINER, ERROR_CONTAINER),
    Pair("filled field", ON_SURFACE, SURFACE_CONTAINER_HIGHEST),
    Pair("filled field label", ON_SURFACE_VARIANT, SURFACE_CONTAINER_HIGHEST),
    *(
        pair
        for where, bg in _BACKGROUNDS.items()
        for pair in (
            Pair(f"text on the {where}", ON_SURFACE, bg),
            Pair(f"secondary text on the {where}", ON_SURFACE_VARIANT, bg),
            Pair(f"outlined and text buttons on the {where}", PRIMARY, bg),
            Pair(f"outlined button's and field's edge on the {where}", OUTLINE, bg, Use.UI),
            Pair(f"focused field's edge on the {where}", PRIMARY, bg, Use.UI),
            Pair(f"a problem said on the {where}", PROBLEM_TEXT, bg),
            Pair(f"present, eligible on the {where}", GOOD, bg),
            Pair(f"a warning on the {where}", WARNING, bg),
            Pair(f"absent on the {where}", ABSENT, bg),
            Pair(f"not held on the {where}", NOT_HELD, bg),
        )
    ),
    Pair("problem box", PROBLEM_TEXT, PROBLEM_BACKGROUND),
    Pair("notice box", NOTICE_TEXT, NOTICE_BACKGROUND),
    Pair("sync strip", ON_SURFACE, SURFACE_CONTAINER_LOW),
    Pair("sync strip, offline", ON_SURFACE, OFFLINE_BACKGROUND),
    Pair("sync strip button, offline", PRIMARY, OFFLINE_BACKGROUND),
    Pair("sync strip warning, offline", PROBLEM_TEXT, OFFLINE_BACKGROUND),
    Pair("online icon", GOOD, SURFACE_CONTAINER_LOW, Use.UI),
    Pair("offline icon", WARNING, OFFLINE_BACKGROUND, Use.UI),
    *(Pair(f"grid cell {name}", fg, bg) for name, (bg, fg) in GRID_CELLS.items()),
    *(
        Pair(f"grid cell {name}'s finding frame", GRID_FRAME, bg, Use.UI)
        for name, (bg, _fg) in GRID_CELLS.items()
    ),
    Pair("grid's finding frame on the page", GRID_FRAME, SURFACE, Use.UI),
    Pair("grid's today on the page", GRID_TODAY, SURFACE),
    Pair("grid's today on a card", GRID_TODAY, SURFACE_CONTAINER_LOW),
    Pair("the version in force", ON_SURFACE, SECONDARY_CONTAINER),
    Pair("the version in force, secondary text", ON_SURFACE_VARIANT, SECONDARY_CONTAINER),
    Pair("a note's hint on a dialog", NOTE_HINT, SURFACE_CONTAINER_HIGH),
    Pair("a note's hint on the page", NOTE_HINT, SURFACE),
    Pair("chart bar attended", BAR_ATTENDED, SURFACE_CONTAINER_LOW, Use.UI),
    Pair("chart bar planned", BAR_PLANNED, SURFACE_CONTAINER_LOW, Use.UI),
    *(Pair(f"finding {s.value}", fg, bg) for s, (bg, fg) in SEVERITY.items()),
)


def app_theme() -> ft.Theme:
    """The page's theme: the scheme above, and touch-sized controls on every platform
    (Flutter's desktop and web density shrinks icon buttons to 40 px)."""
    scheme = ft.ColorScheme(
        primary=PRIMARY,
        on_primary=ON_PRIMARY,
        primary_container=PRIMARY_CONTAINER,
        on_primary_container=ON_PRIMARY_CONTAINER,
        secondary=SECONDARY,
        on_secondary=ON_SECONDARY,
        secondary_container=SECONDARY_CONTAINER,
        on_secondary_container=ON_SECONDARY_CONTAINER,
        error=ERROR,
        on_error=ON_ERROR,
        error_container=ERROR_CONTAINER,
        on_error_container=ON_ERROR_CONTAINER,
        surface=SURFACE,
        on_surface=ON_SURFACE,
        on_surface_variant=ON_SURFACE_VARIANT,
        surface_container_lowest=SURFACE_CONTAINER_LOWEST,
        surface_container_low=SURFACE_CONTAINER_LOW,
        surface_container=SURFACE_CONTAINER,
        surface_container_high=SURFACE_CONTAINER_HIGH,
        surface_container_highest=SURFACE_CONTAINER_HIGHEST,
        outline=OUTLINE,
        outline_variant=OUTLINE_VARIANT,
    )
    return ft.Theme(
        color_scheme_seed=SEED,
        color_scheme=scheme,
        visual_density=ft.VisualDensity.STANDARD,
    )
