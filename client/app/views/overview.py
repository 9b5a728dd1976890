"""The site's week or month: who came when with findings marked, in one grid of
participants × days (a whole month on a tablet, a week at a time on a phone), and a
chart of days attended against the plan per participant."""

from __future__ import annotations

import math
from datetime import date

import flet as ft
import flet_charts as fch

from client.app.state import OverviewState, Span
from client.app.state.overview import OverviewRow
from client.app.state.search import SearchState
from client.app.texts.i18n import fmt_date, month_name
from client.app.views import theme
from client.app.views.common import Stepper, button, card, heading, tagged
from client.app.views.grid import content_width, fits_month, participant_grid
from client.app.views.search import no_match, search_field
from client.app.views.shell import Shell, use_shell
from shared.calendar import iso_week

SEARCH = "overview"


@ft.component
def OverviewScreen(overview: OverviewState, search: SearchState) -> ft.Control:
    """The span's grid and chart; drawn again when the span or the name search changes."""
    shell = use_shell()
    lang = shell.lang
    week = overview.span is Span.WEEK
    if week:
        title = shell.tr(
            "overview.week_title",
            week=iso_week(overview.start)[1],
            start=fmt_date(overview.start),
            end=fmt_date(overview.end),
        )
    else:
        title = month_name(overview.start.year, overview.start.month, lang)
    spans = ft.Row(
        [
            button(
                "overview-week",
                shell.tr("overview.week"),
                shell.on(overview.set_span, Span.WEEK),
                kind="filled" if week else "outlined",
                expand=1,
            ),
            button(
                "overview-month",
                shell.tr("overview.month"),
                shell.on(overview.set_span, Span.MONTH),
                kind="filled" if not week else "outlined",
                expand=1,
            ),
        ]
    )
    nav = Stepper(
        ("overview-prev", "overview-title", "overview-next"),
        title,
        (
            shell.tr("overview.prev_week" if week else "overview.prev_month"),
            shell.tr("overview.next_week" if week else "overview.next_month"),
        ),
        shell.on(overview.shift, -1),
        shell.on(overview.shift, 1),
    )
    controls: list[ft.Control] = [spans, nav]
    slots: list[date | None]
    if week or fits_month(shell, len(overview.days)):
        slots = list(overview.days)
    else:
        # a phone: the month a week at a time, its days under their weekdays
        shown = [d for d in overview.page_days if d is not None]
        controls.append(
            Stepper(
                ("grid-prev", "grid-page", "grid-next"),
                shell.tr(
                    "overview.week_title",
                    week=iso_week(shown[0])[1],
                    start=fmt_date(shown[0]),
                    end=fmt_date(shown[-1]),
                ),
                (shell.tr("overview.prev_week"), shell.tr("overview.next_week")),
                shell.on(overview.shift_page, -1),
                shell.on(overview.shift_page, 1),
                title_size=14,
            )
        )
        slots = list(overview.page_days)
    controls.append(search_field(shell, SEARCH, search))
    rows = search.filter(SEARCH, overview.rows, lambda r: r.name)
    for year, month in sorted({(d.year, d.month) for d in overview.days} & overview.closed):
        controls.append(
            tagged(
                f"overview-closed-{year}-{month:02d}",
                ft.Row(
                    [
                        ft.Icon(ft.Icons.LOCK, size=16),
                        ft.Text(shell.tr("month.closed", month=month_name(year, month, lang))),
                    ],
                    spacing=6,
                ),
            )
        )
    if overview.rows and not rows:
        controls.append(no_match(shell, SEARCH, search))
    if rows:
        controls.append(
            ft.Text(
                shell.tr(
                    "grid.legend",
                    present=shell.tr("cell.present"),
                    absent=shell.tr("cell.absent"),
                    not_held=shell.tr("cell.not_held"),
                ),
                size=12,
            )
        )
        controls.append(participant_grid(shell, rows, slots, overview.device.today()))
        controls.append(_chart(shell, rows))
    return ft.Column(controls, spacing=8)


def axis_step(top: int) -> int:
    """Every how many days the left axis is labelled: at most six labels, so that they
    never run into each other on a 220 px chart (every number up to 23 did)."""
    return next(step for step in (1, 2, 5, 10, 20, 50, 100) if top <= step * 5)


def short_name(name: str, room: int) -> str:
    """A participant's first name, or initials when a column is too narrow for it."""
    first = name.split()[0] if name.split() else name
    if room >= 6.5 * min(len(first), 8):  # Roboto at 11 px: under 6.5 px a letter
        return first[:8]
    return "".join(part[:1] for part in name.split()[:2])


def _chart(shell: Shell, rows: list[OverviewRow]) -> ft.Control:
    if not rows:
        return ft.Container()
    top = max([r.planned for r in rows] + [r.attended for r in rows] + [1])
    step = axis_step(top)
    ceiling = step * math.ceil((top + 1) / step)
    # the groups stand evenly spaced (n + 1 gaps): each name stays inside its share
    room = int((content_width(shell) - 24 - 36) / (len(rows) + 1))
    rod = max(4, min(14, room // 3))
    groups = [
        fch.BarChartGroup(
            x=i,
            rods=[
                fch.BarChartRod(
                    to_y=r.attended,
                    width=rod,
                    color=theme.BAR_ATTENDED,
                    tooltip=shell.tr("overview.attended"),
                    border_radius=3,
                ),
                fch.BarChartRod(
                    to_y=r.planned,
                    width=rod,
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
        max_y=ceiling,
        height=220,
        interactive=False,
        left_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(
                    value=v,
                    label=ft.Semantics(
                        content=ft.Text(str(v), size=11), identifier=f"chart-y-{v}", container=True
                    ),
                )
                for v in range(0, ceiling + 1, step)
            ],
            label_spacing=step,
            label_size=36,
            show_max=False,
        ),
        bottom_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(
                    value=i,
                    label=ft.Semantics(
                        content=ft.Text(
                            short_name(r.name, room),
                            size=11,
                            width=max(room - 4, 12),
                            max_lines=1,
                            overflow=ft.TextOverflow.CLIP,
                            text_align=ft.TextAlign.CENTER,
                        ),
                        identifier=f"chart-x-{i}",
                        container=True,
                    ),
                )
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
