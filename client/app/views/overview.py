"""The site's week or month: who came when with warnings highlighted, and a chart of
attended days against the plan per participant."""

from __future__ import annotations

from datetime import date

import flet as ft
import flet_charts as fch

from client.app.state import Screen, Span
from client.app.state.overview import Cell, OverviewRow
from client.app.texts.i18n import fmt_date, fmt_short_date, month_name, weekday_short
from client.app.views import theme
from client.app.views.common import TOUCH, Stepper, button, card, heading, tagged
from client.app.views.shell import Shell
from shared.calendar import iso_week
from shared.findings import Severity
from shared.records import Status

CELL = 34
_WARNING = {Severity.ERROR, Severity.NOT_ELIGIBLE, Severity.FLAGGED}


def build_overview(shell: Shell) -> ft.Control:
    state = shell.app.overview
    lang = shell.lang
    if state.span is Span.WEEK:
        title = shell.tr(
            "overview.week_title",
            week=iso_week(state.start)[1],
            start=fmt_date(state.start),
            end=fmt_date(state.end),
        )
    else:
        title = month_name(state.start.year, state.start.month, lang)
    spans = ft.Row(
        [
            button(
                "overview-week",
                shell.tr("overview.week"),
                shell.on(state.set_span, Span.WEEK),
                kind="filled" if state.span is Span.WEEK else "outlined",
                expand=1,
            ),
            button(
                "overview-month",
                shell.tr("overview.month"),
                shell.on(state.set_span, Span.MONTH),
                kind="filled" if state.span is Span.MONTH else "outlined",
                expand=1,
            ),
        ]
    )
    nav = Stepper(
        ("overview-prev", "overview-title", "overview-next"),
        title,
        (shell.tr("overview.prev"), shell.tr("overview.next")),
        shell.on(state.shift, -1),
        shell.on(state.shift, 1),
    )
    rows = [
        _week_row(shell, r) if state.span is Span.WEEK else _month_row(shell, r) for r in state.rows
    ]
    header: list[ft.Control] = []
    if state.span is Span.WEEK and state.rows:
        header.append(
            ft.Row(
                [
                    ft.Container(expand=True),
                    *[
                        ft.Container(
                            ft.Text(
                                f"{weekday_short(d.isoweekday(), lang)}\n{fmt_short_date(d)}",
                                size=11,
                                text_align=ft.TextAlign.CENTER,
                            ),
                            width=CELL,
                        )
                        for d in state.days
                    ],
                ],
                spacing=2,
            )
        )
    return ft.Column(
        [
            spans,
            nav,
            ft.Text(shell.tr("overview.legend"), size=12),
            *header,
            *rows,
            _chart(shell, state.rows),
        ],
        spacing=8,
    )


def _cell(shell: Shell, day: date, cell: Cell, closed: bool) -> ft.Control:
    letter = (
        {
            Status.PRESENT: "cell.present",
            Status.ABSENT: "cell.absent",
            Status.NOT_HELD: "cell.not_held",
        }.get(cell.status)
        if cell.status
        else None
    )
    text = shell.tr(letter) if letter else ("·" if cell.expected else "")
    warn = cell.worst in _WARNING
    if warn:
        text += "!"
    if cell.status is Status.PRESENT and cell.eligible and not warn:
        bg = theme.CELL_PRESENT
    elif warn:
        bg = theme.CELL_WARNING
    elif cell.status is Status.ABSENT:
        bg = theme.CELL_ABSENT
    else:
        bg = theme.CELL_EMPTY
    label = f"{fmt_date(day)}: {text}" if text else fmt_date(day)
    content = ft.Stack(
        [
            ft.Container(
                ft.Text(text, size=13, weight=ft.FontWeight.BOLD, color=theme.CELL_TEXT),
                alignment=ft.Alignment.CENTER,
                width=CELL,
                height=CELL,
            ),
            ft.Container(ft.Icon(ft.Icons.LOCK, size=10), right=1, top=1)
            if closed
            else ft.Container(),
        ]
    )
    return tagged(
        f"cell-{day.isoformat()}",
        ft.Container(
            content,
            width=CELL,
            height=CELL,
            bgcolor=bg,
            border_radius=6,
            border=ft.Border.all(2, theme.CELL_WARNING_EDGE) if warn else None,
        ),
        label,
    )


def _name(shell: Shell, row: OverviewRow) -> ft.Control:
    wrapper = tagged(
        f"overview-open-{row.participant_id}",
        ft.Container(
            ft.Column(
                [
                    ft.Text(row.name, weight=ft.FontWeight.W_600, no_wrap=False, size=14),
                    ft.Text(
                        shell.tr("overview.count", count=row.attended, max=row.planned), size=12
                    ),
                ],
                spacing=0,
                tight=True,
            ),
            on_click=shell.on(shell.app.go, Screen.PARTICIPANT, row.participant_id),
            height=TOUCH,
            alignment=ft.Alignment.CENTER_LEFT,
        ),
        row.name,
    )
    wrapper.expand = True
    return wrapper


def _week_row(shell: Shell, row: OverviewRow) -> ft.Control:
    closed = shell.app.overview.closed
    cells = [_cell(shell, d, c, (d.year, d.month) in closed) for d, c in row.cells.items()]
    return tagged(
        f"overview-row-{row.participant_id}", ft.Row([_name(shell, row), *cells], spacing=2)
    )


def _month_row(shell: Shell, row: OverviewRow) -> ft.Control:
    """The month as a calendar: one line per ISO week, Monday first."""
    closed = shell.app.overview.closed
    lang = shell.lang
    days = list(row.cells)
    lead = days[0].isoweekday() - 1
    slots: list[date | None] = [None] * lead + days
    slots += [None] * (-len(slots) % 7)
    header = ft.Row(
        [
            ft.Container(
                ft.Text(weekday_short(i, lang), size=10), width=CELL, alignment=ft.Alignment.CENTER
            )
            for i in range(1, 8)
        ],
        spacing=3,
    )
    weeks: list[ft.Control] = [header]
    for start in range(0, len(slots), 7):
        line: list[ft.Control] = []
        for slot in slots[start : start + 7]:
            if slot is None:
                line.append(ft.Container(width=CELL, height=CELL))
                continue
            cell = _cell(shell, slot, row.cells[slot], (slot.year, slot.month) in closed)
            line.append(
                ft.Stack(
                    [
                        cell,
                        ft.Container(
                            ft.Text(str(slot.day), size=10, color=theme.CELL_TEXT), left=3, top=1
                        ),
                    ],
                    width=CELL,
                    height=CELL,
                )
            )
        weeks.append(ft.Row(line, spacing=3))
    warnings: list[ft.Control] = (
        [ft.Text(shell.tr("overview.warnings", count=row.warnings), color=theme.WARNING)]
        if row.warnings
        else []
    )
    return card(
        ft.Column([ft.Row([_name(shell, row), *warnings]), *weeks], spacing=4),
        f"overview-row-{row.participant_id}",
    )


def _chart(shell: Shell, rows: list[OverviewRow]) -> ft.Control:
    if not rows:
        return ft.Container()
    top = max([r.planned for r in rows] + [r.attended for r in rows] + [1])
    groups = [
        fch.BarChartGroup(
            x=i,
            rods=[
                fch.BarChartRod(
                    to_y=r.attended,
                    width=14,
                    color=theme.BAR_ATTENDED,
                    tooltip=shell.tr("overview.attended"),
                    border_radius=3,
                ),
                fch.BarChartRod(
                    to_y=r.planned,
                    width=14,
                    color=theme.BAR_PLANNED,
                    tooltip=shell.tr("overview.planned"),
                    border_radius=3,
                ),
            ],
        )
        for i, r in enumerate(rows)
    ]
    chart = fch.BarChart(
        groups=groups,
        max_y=top + 1,
        height=220,
        interactive=False,
        left_axis=fch.ChartAxis(label_size=28),
        bottom_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(value=i, label=ft.Text(r.name.split()[0][:8], size=11))
                for i, r in enumerate(rows)
            ],
            label_size=24,
        ),
    )
    summary = "; ".join(
        shell.tr("overview.row", name=r.name, count=r.attended, max=r.planned) for r in rows
    )
    legend = ft.Row(
        [
            ft.Container(width=14, height=14, bgcolor=theme.BAR_ATTENDED, border_radius=3),
            ft.Text(shell.tr("overview.attended"), size=12),
            ft.Container(width=14, height=14, bgcolor=theme.BAR_PLANNED, border_radius=3),
            ft.Text(shell.tr("overview.planned"), size=12),
        ],
        wrap=True,
    )
    return card(
        ft.Column(
            [
                heading(shell.tr("overview.chart_title"), 16),
                legend,
                tagged("chart", chart, summary),
            ],
            spacing=8,
        )
    )
