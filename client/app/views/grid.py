"""The site as one grid: a row a participant, a column a day (issue 11).

Names stay in a fixed column on the left; above the days, ISO week numbers, weekday
initials and the day of the month. A day is a letter on a colour (present, absent, not
held; "·" an agreed day not recorded), a finding adds "!" and a frame, and each cell
tells a screen reader the whole of it ("Aino Virtanen, ti 3.11.: läsnä"). The columns
share the width (each cell expands), so a tablet shows a whole month and a phone a
week, and nothing is cut off at the right edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

import flet as ft

from client.app.state import Screen
from client.app.state.overview import Cell, OverviewRow
from client.app.texts.i18n import fmt_short_date, weekday_short
from client.app.views import theme
from client.app.views.common import TOUCH, tagged
from client.app.views.shell import Shell
from shared.calendar import iso_week
from shared.findings import Severity
from shared.records import Status

ROW_HEIGHT = TOUCH  # the name opens the participant: a whole touch target high
CELL_HEIGHT = 40
MIN_DAY_WIDTH = 19  # a bold letter and "!" at 12 px; below this a month is paged by week
NAME_WIDTH_PHONE = 124
NAME_WIDTH_TABLET = 150

WARNINGS = frozenset({Severity.ERROR, Severity.NOT_ELIGIBLE, Severity.FLAGGED})


@dataclass(frozen=True)
class Look:
    """A cell's background and letter colour (their contrast is at least 4.5:1, checked
    in tests/client/app/test_grid_colours.py) and whether it is framed."""

    background: str
    letter: str
    framed: bool = False


LOOKS = {
    name: Look(bg, fg, framed=name == "finding") for name, (bg, fg) in theme.GRID_CELLS.items()
}
FRAME = theme.GRID_FRAME
TODAY = theme.GRID_TODAY

_LETTERS = {
    Status.PRESENT: "cell.present",
    Status.ABSENT: "cell.absent",
    Status.NOT_HELD: "cell.not_held",
}
_WORDS = {
    Status.PRESENT: "grid.present",
    Status.ABSENT: "grid.absent",
    Status.NOT_HELD: "grid.not_held",
}
_FINDINGS = {
    Severity.ERROR: "grid.error",
    Severity.NOT_ELIGIBLE: "grid.not_eligible",
    Severity.FLAGGED: "grid.flagged",
}


def look_of(cell: Cell) -> Look:
    if cell.worst in WARNINGS:
        return LOOKS["finding"]
    if cell.status is not None:
        return LOOKS[cell.status.value]
    return LOOKS["blank"]


def letter_of(shell: Shell, cell: Cell) -> str:
    if cell.status is not None:
        text = shell.tr(_LETTERS[cell.status])
    else:
        text = "·" if cell.expected else ""
    return text + "!" if cell.worst in WARNINGS else text


def cell_label(shell: Shell, name: str, day: date, cell: Cell) -> str:
    """What a screen reader says for one cell: who, which day, what, and a finding."""
    if cell.status is not None:
        status = shell.tr(_WORDS[cell.status])
    else:
        status = shell.tr("grid.not_recorded" if cell.expected else "grid.not_agreed")
    params = {
        "name": name,
        "weekday": weekday_short(day.isoweekday(), shell.lang),
        "date": fmt_short_date(day),
        "status": status,
    }
    if cell.worst in WARNINGS:
        return shell.tr("grid.cell_finding", finding=shell.tr(_FINDINGS[cell.worst]), **params)
    return shell.tr("grid.cell", **params)


def name_width(shell: Shell) -> int:
    return NAME_WIDTH_TABLET if shell.drawn_wide else NAME_WIDTH_PHONE


def content_width(shell: Shell) -> float:
    """The screen's width left for a screen's body: less the side navigation on a
    tablet, the body's padding and room for a scroll bar."""
    width = shell.page.width or 0
    navigation = 201 if shell.drawn_wide else 0  # the side column and its divider
    return width - navigation - 24 - 16


def fits_month(shell: Shell, days: int = 31) -> bool:
    """Whether a whole month's columns fit the screen at :data:`MIN_DAY_WIDTH` each
    (a tablet held across); otherwise the month is shown a week at a time."""
    room = content_width(shell) - name_width(shell)
    return shell.drawn_wide and room >= days * MIN_DAY_WIDTH


def _column(content: ft.Control | None, span: int = 1, **style: object) -> ft.Control:
    return ft.Container(content, expand=span, alignment=ft.Alignment.CENTER, **style)  # type: ignore[arg-type]


def _header(shell: Shell, slots: list[date | None], today: date) -> list[ft.Control]:
    lang = shell.lang
    left = name_width(shell)
    weeks: list[ft.Control] = [
        ft.Container(
            ft.Text(shell.tr("grid.week_row"), size=11, color=theme.ON_SURFACE_VARIANT),
            width=left,
        )
    ]
    # a week's number over its days; the days outside the span keep their place
    known = [s for s in slots if s is not None]
    for number, group in groupby(slots, key=lambda s: iso_week(s or known[0])[1]):
        span = len(list(group))
        weeks.append(
            _column(
                ft.Text(str(number), size=11, weight=ft.FontWeight.W_600),
                span,
                border=ft.Border.only(bottom=ft.BorderSide(1, theme.OUTLINE_VARIANT)),
                margin=ft.Margin.symmetric(horizontal=1),
            )
        )
    initials: list[ft.Control] = [ft.Container(width=left)]
    numbers: list[ft.Control] = [ft.Container(width=left)]
    for slot in slots:
        if slot is None:
            initials.append(_column(None))
            numbers.append(_column(None))
            continue
        now = slot == today
        colour = TODAY if now else None
        weight = ft.FontWeight.BOLD if now else ft.FontWeight.W_500
        initial = weekday_short(slot.isoweekday(), lang)[:1].upper()
        said = f"{weekday_short(slot.isoweekday(), lang)} {fmt_short_date(slot)}"
        initials.append(
            tagged(
                f"grid-day-{slot.isoformat()}",
                _column(
                    ft.Text(initial, size=12, color=colour, weight=weight, semantics_label=said)
                ),
            )
        )
        initials[-1].expand = 1
        numbers.append(_column(ft.Text(str(slot.day), size=11, color=colour, weight=weight)))
    return [
        ft.Row(weeks, spacing=0),
        ft.Row(initials, spacing=0),
        # the day's number is in the initial's label already
        ft.Semantics(content=ft.Row(numbers, spacing=0), exclude_semantics=True),
    ]


def _cell(shell: Shell, row: OverviewRow, day: date) -> ft.Control:
    cell = row.cells[day]
    look = look_of(cell)
    box = ft.Container(
        ft.Text(
            letter_of(shell, cell),
            size=12,
            weight=ft.FontWeight.BOLD,
            color=look.letter,
            no_wrap=True,
            semantics_label=cell_label(shell, row.name, day, cell),  # said instead of the letter
        ),
        alignment=ft.Alignment.CENTER,
        height=CELL_HEIGHT,
        bgcolor=look.background,
        border_radius=4,
        border=ft.Border.all(2, FRAME) if look.framed else None,
        margin=ft.Margin.symmetric(horizontal=1),
    )
    wrapped = tagged(f"cell-{row.participant_id}-{day.isoformat()}", box)
    wrapped.expand = 1
    wrapped.key = day.isoformat()
    return wrapped


def _name(shell: Shell, row: OverviewRow) -> ft.Control:
    """The participant's name (opens their page) and the span's counts: present days and
    those earning the allowance, apart (issue 11). A screen reader hears one sentence,
    the name's label; the short counts under it are for the eye."""
    count = {"present": row.present, "eligible": row.attended, "max": row.planned}
    return tagged(
        f"overview-open-{row.participant_id}",
        ft.Container(
            ft.Column(
                [
                    ft.Text(
                        row.name,
                        weight=ft.FontWeight.W_600,
                        size=13,
                        max_lines=1,
                        overflow=ft.TextOverflow.ELLIPSIS,
                        semantics_label=shell.tr("grid.count_label", name=row.name, **count),
                    ),
                    ft.Semantics(
                        content=ft.Text(
                            shell.tr("grid.count", **count),
                            size=11,
                            color=theme.ON_SURFACE_VARIANT,
                            max_lines=1,
                            overflow=ft.TextOverflow.ELLIPSIS,
                        ),
                        exclude_semantics=True,
                    ),
                ],
                spacing=0,
                tight=True,
                alignment=ft.MainAxisAlignment.CENTER,
            ),
            on_click=shell.on(shell.app.go, Screen.PARTICIPANT, row.participant_id),
            width=name_width(shell),
            height=ROW_HEIGHT,
            padding=ft.Padding.only(right=4),
        ),
    )


def participant_grid(
    shell: Shell, rows: list[OverviewRow], slots: list[date | None], today: date
) -> ft.Control:
    """Participants × ``slots`` (None: a day outside the span, an empty column);
    ``today``'s column is marked. Part of :func:`~client.app.views.overview.OverviewScreen`,
    drawn from what it is given (plain functions: the grid holds no state of its own)."""
    lines: list[ft.Control] = _header(shell, slots, today)
    for row in rows:
        cells = [_cell(shell, row, s) if s is not None else _column(None) for s in slots]
        line = tagged(
            f"overview-row-{row.participant_id}",
            ft.Row(
                [_name(shell, row), *cells],
                spacing=0,
                height=ROW_HEIGHT,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
        )
        # matched by participant and day when the search or the page changes what is
        # drawn: a control drawn again in another's place kept the other's test id
        line.key = row.participant_id
        lines.append(line)
    return tagged("overview-grid", ft.Column(lines, spacing=2))
