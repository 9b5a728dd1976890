"""Today's "not held: whole site" action and its confirmation (issue 11)."""

from __future__ import annotations

from typing import Any

import flet as ft

from client.app.state import TodayState
from client.app.state.drafts import Draft
from client.app.state.site_day import SiteDayPlan, mark_site_not_held, plan_not_held
from client.app.texts.i18n import fmt_date, weekday_short
from client.app.views.common import button, field, keeps, problem_text
from client.app.views.shell import Shell
from shared.bounds import CORRECTION_REASON_MAX_CHARS

REASON_KEY = "site_day_reason"


def site_day_controls(shell: Shell, today: TodayState) -> list[ft.Control]:
    """The action, when there is someone expected on the shown day to mark."""
    plan = plan_not_held(today)
    if not plan.possible:
        return []

    async def opened(_event: Any) -> None:
        _confirm(shell, today, plan_not_held(today))

    return [
        button(
            "today-site-not-held",
            shell.tr("site_day.button"),
            opened,
            kind="outlined",
            icon=ft.Icons.EVENT_BUSY,
        )
    ]


def _confirm(shell: Shell, today: TodayState, plan: SiteDayPlan) -> None:
    """Name the day and how many, say who keeps their record, ask a reason where one is
    needed; only then mark."""
    lang = shell.lang
    said = f"{weekday_short(plan.day.isoweekday(), lang)} {fmt_date(plan.day)}"
    draft = Draft(REASON_KEY)
    message = problem_text("site-day-problem", None)
    lines: list[ft.Control] = []
    if plan.unmarked:
        lines.append(ft.Text(shell.tr("site_day.confirm", count=len(plan.unmarked), date=said)))
        if plan.marked:
            lines.append(ft.Text(shell.tr("site_day.keep", count=len(plan.marked))))
    else:
        lines.append(ft.Text(shell.tr("site_day.only_marked", count=len(plan.marked), date=said)))
    if plan.closed:
        lines.append(ft.Text(shell.tr("site_day.closed"), weight=ft.FontWeight.W_600))
    if plan.closed or plan.marked:
        lines.append(
            field(
                "site-day-reason",
                shell.tr("site_day.reason" if plan.closed else "site_day.reason_marked"),
                "",
                keeps(draft, REASON_KEY),
                max_length=CORRECTION_REASON_MAX_CHARS,
            )
        )
    holder = ft.Column([message], tight=True)
    lines.append(holder)

    def go(include_marked: bool) -> Any:
        async def handler(_event: Any) -> None:
            reason = draft[REASON_KEY].strip()
            if plan.needs_reason(include_marked=include_marked) and not reason:
                holder.controls = [
                    problem_text("site-day-problem", shell.tr("site_day.reason_missing"))
                ]
                holder.update()
                return
            shell.close_dialog()
            outcomes = await shell.run(
                mark_site_not_held,
                today,
                plan,
                include_marked=include_marked,
                correction_reason=reason or None,
            )
            if outcomes:
                saved = sum(1 for o in outcomes if o.saved)
                shell.notice = shell.tr("site_day.done", count=saved)
                shell.render()

        return handler

    async def cancel(_event: Any) -> None:
        shell.close_dialog()

    actions: list[ft.Control] = [
        button("site-day-cancel", shell.tr("dialog.cancel"), cancel, kind="text")
    ]
    if plan.marked:
        actions.append(
            button(
                "site-day-all",
                shell.tr("site_day.mark_all", count=len(plan.unmarked) + len(plan.marked)),
                go(True),
                kind="outlined",
            )
        )
    if plan.unmarked:
        actions.append(
            button(
                "site-day-confirm",
                shell.tr("site_day.mark", count=len(plan.unmarked)),
                go(False),
            )
        )
    shell.dialog(
        ft.AlertDialog(
            modal=True,
            title=ft.Text(shell.tr("site_day.title", date=said)),
            content=ft.Column(lines, tight=True, spacing=12, width=360),
            scrollable=True,
            actions=actions,
        )
    )
