"""One participant: the plan in plain words, the week and month against the limits, and
each day's findings and eligibility beside its record."""

from __future__ import annotations

from typing import Any

import flet as ft

from client.app.state import ParticipantState
from client.app.texts.i18n import fmt_date, month_name, weekday_short
from client.app.texts.words import plan_lines, record_summary
from client.app.views.common import (
    Stepper,
    button,
    card,
    eligibility_text,
    finding_box,
    heading,
    tagged,
)
from client.app.views.history import day_details
from client.app.views.shell import use_shell
from shared.calendar import week_bounds
from shared.returns import return_reason_text


@ft.component
def ParticipantScreen(state: ParticipantState) -> ft.Control:
    """The participant the state holds, its month's days, drawn again when it changes."""
    shell = use_shell()
    lang = shell.lang
    person = state.participant
    if person is None:
        return ft.Text(shell.tr("participant.no_plan"))
    plan = card(
        ft.Column(
            [
                heading(shell.tr("participant.plan"), 16),
                *[ft.Text(line) for line in plan_lines(state.version, state.rule_set, lang)],
            ],
            spacing=4,
        ),
        "participant-plan",
    )
    week = state.week
    counts: list[ft.Control] = []
    if week.limit is not None:
        counts.append(
            tagged(
                "participant-week",
                ft.Text(
                    shell.tr(
                        "participant.week",
                        week=week.label[1],
                        present=week.present,
                        count=week.eligible,
                        max=week.limit,
                    ),
                    size=16,
                    weight=ft.FontWeight.W_600,
                ),
            )
        )
    month = state.month_count
    counts.append(
        tagged(
            "participant-month",
            ft.Text(
                shell.tr(
                    "participant.month",
                    month=month_name(*state.month, lang),
                    count=month.present,
                    eligible=month.eligible,
                )
            ),
        )
    )
    if state.closed:
        counts.append(
            ft.Row([ft.Icon(ft.Icons.LOCK, size=18), ft.Text(shell.tr("month.is_closed"))])
        )

    async def record_day(_event: Any) -> None:
        await shell.run(shell.app.record_day, person.id)

    nav = Stepper(
        ("participant-prev-month", "participant-month", "participant-next-month"),
        month_name(*state.month, lang),
        (shell.tr("participant.prev_month"), shell.tr("participant.next_month")),
        shell.on(state.shift_month, -1),
        shell.on(state.shift_month, 1),
    )
    days: list[ft.Control] = []
    for result in state.days:
        day = result.day
        iso = day.isoformat()
        lines: list[ft.Control] = [
            ft.Row(
                [
                    ft.Text(
                        f"{weekday_short(day.isoweekday(), lang)} {fmt_date(day)}",
                        weight=ft.FontWeight.W_600,
                    ),
                    ft.Text(record_summary(result.record, lang)),
                ],
                wrap=True,
                spacing=12,
            ),
        ]
        if result.record is not None:
            lines.append(eligibility_text(f"day-eligible-{iso}", result.eligible, lang))
        lines += day_details(shell, person.id, result.record, state.names)
        lines += [
            finding_box(f"day-finding-{iso}-{i}", f, lang) for i, f in enumerate(result.findings)
        ]
        returned = state.requests.get(day)
        if returned is not None:
            said = shell.tr(
                "participant.returned", reason=return_reason_text(returned.reason_code, lang)
            )
            if returned.comment:
                said += f" – {returned.comment}"
            lines.append(tagged(f"day-returned-{iso}", ft.Text(said, weight=ft.FontWeight.W_600)))
        days.append(card(ft.Column(lines, spacing=4), f"day-{iso}"))
    if not days:
        days.append(ft.Text(shell.tr("participant.no_days")))
    this_week = week_bounds(state.day)[0].isoformat()
    current = [f for f in state.week_findings if f.params.get("week_start") == this_week]
    earlier = [f for f in state.week_findings if f.params.get("week_start") != this_week]
    counts += [finding_box(f"week-finding-now-{i}", f, lang) for i, f in enumerate(current)]
    weekly = [finding_box(f"week-finding-{i}", f, lang) for i, f in enumerate(earlier)]
    return ft.Column(
        [
            heading(person.display_name, 22),
            plan,
            *counts,
            button(
                "participant-record-day",
                shell.tr("participant.log_day"),
                record_day,
                kind="tonal",
                icon=ft.Icons.EDIT_CALENDAR,
            ),
            nav,
            *days,
            *weekly,
        ],
        spacing=10,
    )
