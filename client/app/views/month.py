"""Closing the month for the site: the summary first, then a confirmation."""

from __future__ import annotations

from typing import Any

import flet as ft

from client.app.state import MonthState
from client.app.texts.i18n import fmt_date, month_name
from client.app.views import theme
from client.app.views.common import Stepper, button, card, finding_box, heading, tagged
from client.app.views.mistakes import month_close_dialog
from client.app.views.shell import use_shell
from shared.messages import term


@ft.component
def MonthScreen(month: MonthState) -> ft.Control:
    """The month's summary, its close (or why not yet) and what is still open in it."""
    shell = use_shell()
    lang = shell.lang
    name = month_name(*month.month, lang)
    nav = Stepper(
        ("month-prev", "month-name", "month-next"),
        name,
        (shell.tr("overview.prev_month"), shell.tr("overview.next_month")),
        shell.on(month.shift, -1),
        shell.on(month.shift, 1),
    )
    summary: list[ft.Control] = [
        heading(shell.tr("month.summary", month=name), 16),
        ft.Text(shell.tr("month.records", count=month.records)),
        *[
            ft.Text(f"{term(f'severity.{severity.value}', lang)}: {count}")
            for severity, count in month.by_severity().items()
            if count
        ],
        tagged("month-open", ft.Text(shell.tr("month.open_findings", count=len(month.findings)))),
        tagged("month-unmarked", ft.Text(shell.tr("month.unmarked", count=len(month.unmarked)))),
    ]
    if month.closed:
        summary.append(
            tagged(
                "month-closed",
                ft.Row([ft.Icon(ft.Icons.LOCK), ft.Text(shell.tr("month.closed", month=name))]),
            )
        )
    items: list[ft.Control] = [nav, card(ft.Column(summary, spacing=6), "month-summary")]
    if not month.closed:

        async def ask(_event: Any) -> None:
            await shell.run(month.ask_to_close)
            month_close_dialog(shell, month, name)

        if month.over:
            items.append(button("month-close", shell.tr("month.close"), ask, icon=ft.Icons.LOCK))
        else:  # issue 11: only after the month's last day (the server refuses it too)
            items.append(
                tagged(
                    "month-not-over",
                    ft.Text(shell.tr("month.not_over", day=fmt_date(month.first_closing_day))),
                )
            )
    if not month.findings:
        items.append(ft.Text(shell.tr("month.nothing_open")))
    shown: str | None = None
    for i, item in enumerate(month.findings):
        if item.participant_id != shown:
            shown = item.participant_id
            items.append(ft.Text(item.name, weight=ft.FontWeight.W_600))
        day = f"{fmt_date(item.finding.day)}: " if item.finding.day else ""
        box = finding_box(f"month-finding-{i}", item.finding, lang)
        items.append(ft.Column([ft.Text(day, size=12), box], spacing=2) if day else box)
    for gap in month.unmarked[:50]:
        items.append(
            ft.Text(
                f"{gap.name} {fmt_date(gap.day)}: {shell.tr('today.not_marked')}",
                color=theme.ON_SURFACE_VARIANT,
            )
        )
    return ft.Column(items, spacing=10)
