"""Today: the site's expected participants, one tap each, the whole group in one more."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from client.app.state import Screen, TodayRow
from client.app.state.errors import InputProblem
from client.app.state.times import parse_times
from client.app.texts.i18n import fmt_date, weekday_name
from client.app.texts.words import record_summary
from client.app.views import theme
from client.app.views.common import (
    TOUCH,
    Stepper,
    action_button,
    button,
    card,
    eligibility_text,
    field,
    finding_box,
    tagged,
)
from client.app.views.shell import Shell
from shared.calendar import finnish_holiday, iso_week
from shared.messages import term
from shared.records import AbsenceReason, Status


def build_today(shell: Shell) -> ft.Control:
    today = shell.app.today
    lang = shell.lang
    day = today.day
    week = iso_week(day)[1]
    header = Stepper(
        ("today-prev", "today-date", "today-next"),
        shell.tr(
            "today.weekday_date", weekday=weekday_name(day, lang), date=fmt_date(day), week=week
        ),
        (shell.tr("today.prev_day"), shell.tr("today.next_day")),
        shell.on(today.shift, -1),
        shell.on(today.shift, 1),
        title_size=16,
    )
    controls: list[ft.Control] = [header]
    holiday = finnish_holiday(day, lang)
    extras: list[ft.Control] = []
    if day != shell.app.device.today():
        extras.append(
            button(
                "today-today",
                shell.tr("today.go_today"),
                shell.on(today.go_today),
                kind="text",
                icon=ft.Icons.TODAY,
            )
        )
    if holiday:
        extras.append(ft.Text(holiday, color=theme.WARNING))
    if extras:
        controls.append(ft.Row(extras, wrap=True))
    if today.future:
        controls.append(ft.Text(shell.tr("today.future")))
    unmarked = today.unmarked_expected
    if unmarked and not today.future:
        controls.append(
            button(
                "today-all-present",
                shell.tr("today.all_present", count=len(unmarked)),
                _all_present(shell),
                icon=ft.Icons.DONE_ALL,
            )
        )
    if not today.rows:
        controls.append(ft.Text(shell.tr("today.none_expected")))
    cards = [_row(shell, row) for row in today.rows]
    if shell.drawn_wide:  # a tablet: two cards side by side
        for card_ in cards:
            card_.col = {"xs": 12, "md": 6}
        controls.append(ft.ResponsiveRow(cards, spacing=10, run_spacing=10))
    else:
        controls.extend(cards)
    controls.append(Others(shell, list(today.others), key="today-others"))
    return ft.Column(controls, spacing=10)


def _all_present(shell: Shell) -> Callable[[Any], Awaitable[None]]:
    async def handler(_event: Any) -> None:
        outcomes = await shell.run(shell.app.today.mark_all_present)
        if outcomes:
            saved = sum(1 for o in outcomes if o.saved)
            shell.notice = shell.tr("today.saved_many", count=saved)
            shell.render()

    return handler


def _row(shell: Shell, row: TodayRow) -> ft.Control:
    app = shell.app
    lang = shell.lang
    pid = row.participant_id
    status_colour = (
        {
            Status.PRESENT: theme.GOOD,
            Status.ABSENT: theme.ABSENT,
            Status.NOT_HELD: theme.NOT_HELD,
        }.get(row.record.status, theme.ON_SURFACE_VARIANT)
        if row.record
        else theme.ON_SURFACE_VARIANT
    )
    name = tagged(
        f"open-{pid}",
        ft.Container(
            ft.Text(row.name, size=17, weight=ft.FontWeight.W_600),
            on_click=shell.on(app.go, Screen.PARTICIPANT, pid),
            height=TOUCH,
            alignment=ft.Alignment.CENTER_LEFT,
        ),
        row.name,
    )
    top: list[ft.Control] = [name]
    if row.week_max is not None:
        top.append(
            tagged(
                f"week-{pid}",
                ft.Text(
                    shell.tr("today.week_count", count=row.week_count, max=row.week_max),
                    color=theme.ON_SURFACE_VARIANT,
                ),
            )
        )
    if row.closed:
        top.append(
            tagged(
                f"closed-{pid}",
                ft.Icon(ft.Icons.LOCK, size=18, semantics_label=shell.tr("today.closed_day")),
            )
        )
    lines: list[ft.Control] = [
        ft.Row(top, wrap=True, spacing=12, vertical_alignment=ft.CrossAxisAlignment.CENTER),
        tagged(
            f"status-{pid}",
            ft.Text(
                record_summary(row.record, lang), color=status_colour, weight=ft.FontWeight.W_500
            ),
        ),
    ]
    if row.record is not None and row.record.status is Status.PRESENT and row.result is not None:
        lines.append(eligibility_text(f"eligible-{pid}", row.result.eligible, lang))
    for i, finding in enumerate(row.findings):
        lines.append(finding_box(f"finding-{pid}-{i}", finding, lang))
    for outcome in shell.app.today.last:
        if outcome.participant_id == pid and not outcome.saved:
            for i, finding in enumerate(outcome.errors):
                lines.append(finding_box(f"error-{pid}-{i}", finding, lang))
    if not shell.app.today.future:
        # three equal actions, icon above label: readable at 390 px in fi, sv and en
        lines.append(
            ft.Row(
                [
                    action_button(
                        f"present-{pid}",
                        shell.tr("today.present"),
                        ft.Icons.CHECK,
                        _maybe_reason(
                            shell,
                            row,
                            lambda reason: shell.run(
                                app.today.mark_present, pid, correction_reason=reason
                            ),
                        ),
                        kind="tonal"
                        if row.record and row.record.status is Status.PRESENT
                        else "filled",
                        name=row.name,
                    ),
                    action_button(
                        f"absent-{pid}",
                        shell.tr("today.absent"),
                        ft.Icons.EVENT_BUSY,
                        _absence_dialog(shell, row),
                        kind="outlined",
                        name=row.name,
                    ),
                    action_button(
                        f"times-{pid}",
                        shell.tr("today.times"),
                        ft.Icons.SCHEDULE,
                        _times_dialog(shell, row),
                        kind="outlined",
                        name=row.name,
                    ),
                ],
                spacing=8,
                vertical_alignment=ft.CrossAxisAlignment.START,
            )
        )
    return card(ft.Column(lines, spacing=6), f"row-{pid}")


@ft.component
def Others(
    shell: Shell,
    others: list[tuple[str, str]],
    key: str | None = None,  # Flet takes it (the component's identity): never set here
) -> ft.Control:
    """ "Lisää muu osallistuja": the list of the site's other participants opens in
    place, as this component's own state (``ft.use_state``): no command, no re-draw of
    the screen, the scroll stays where it is."""
    del key
    open_, set_open = ft.use_state(False)

    async def toggle(_event: Any) -> None:
        set_open(not open_)

    items: list[ft.Control] = [
        button(
            "today-add-other",
            shell.tr("today.add_other"),
            toggle,
            kind="text",
            icon=ft.Icons.PERSON_ADD,
        )
    ]
    if open_:
        if not others:
            items.append(tagged("today-no-others", ft.Text(shell.tr("today.no_others"))))
        for pid, name in others:
            items.append(
                button(
                    f"show-{pid}",
                    name,
                    shell.on(shell.app.today.show_participant, pid),
                    kind="outlined",
                )
            )
    return ft.Column(items, spacing=6)


Then = Callable[[str | None], Awaitable[Any]]


def _maybe_reason(shell: Shell, row: TodayRow, then: Then) -> Callable[[Any], Awaitable[None]]:
    """Run ``then`` at once, or first ask why when this is a correction."""

    async def handler(_event: Any) -> None:
        if row.record is not None or row.closed:
            _reason_dialog(shell, then)
        else:
            await then(None)

    return handler


def _reason_dialog(shell: Shell, then: Then) -> None:
    shell.form["correction"] = ""

    async def save(_event: Any) -> None:
        reason = shell.value("correction").strip()
        if not reason:
            return
        shell.close_dialog()
        await then(reason)

    async def cancel(_event: Any) -> None:
        shell.close_dialog()

    shell.dialog(
        ft.AlertDialog(
            modal=True,
            title=ft.Text(shell.tr("correction.title")),
            content=ft.Column(
                [
                    ft.Text(shell.tr("correction.intro")),
                    field(
                        "correction-reason",
                        shell.tr("correction.reason"),
                        "",
                        shell.keep("correction"),
                        on_submit=save,
                        autofocus=True,
                    ),
                ],
                tight=True,
                spacing=12,
                width=360,
            ),
            actions=[
                button("correction-cancel", shell.tr("dialog.cancel"), cancel, kind="text"),
                button("correction-save", shell.tr("dialog.confirm"), save),
            ],
        )
    )


def _absence_dialog(shell: Shell, row: TodayRow) -> Callable[[Any], Awaitable[None]]:
    today = shell.app.today
    pid = row.participant_id

    async def opened(_event: Any) -> None:
        def choose(reason: AbsenceReason | None) -> Callable[[Any], Awaitable[None]]:
            async def go(reason_text: str | None) -> None:
                if reason is None:
                    await shell.run(today.mark_not_held, pid, correction_reason=reason_text)
                else:
                    await shell.run(today.mark_absent, pid, reason, correction_reason=reason_text)

            async def picked(_e: Any) -> None:
                shell.close_dialog()
                await _maybe_reason(shell, row, go)(None)

            return picked

        options: list[ft.Control] = [
            button(
                f"reason-{r.value}",
                term(f"reason.{r.value}", shell.lang),
                choose(r),
                kind="outlined",
            )
            for r in AbsenceReason
        ]
        options.append(
            button(
                "reason-not_held",
                shell.tr("absence.not_held"),
                choose(None),
                kind="text",
                icon=ft.Icons.EVENT_AVAILABLE,
            )
        )

        async def cancel(_event: Any) -> None:
            shell.close_dialog()

        shell.dialog(
            ft.AlertDialog(
                title=ft.Text(shell.tr("absence.title", name=row.name)),
                content=ft.Column(options, tight=True, spacing=8, width=360),
                actions=[button("absence-cancel", shell.tr("dialog.cancel"), cancel, kind="text")],
            )
        )

    return opened


def _times_dialog(shell: Shell, row: TodayRow) -> Callable[[Any], Awaitable[None]]:
    today = shell.app.today
    pid = row.participant_id

    async def opened(_event: Any) -> None:
        for key in ("start", "end", "hours"):
            shell.form[key] = ""
        message = ft.Text("", color=theme.PROBLEM_TEXT)

        async def save(_event: Any) -> None:
            try:
                start, end, minutes = parse_times(
                    shell.value("start"), shell.value("end"), shell.value("hours")
                )
            except InputProblem as exc:
                message.value = exc.text(shell.lang)
                message.update()
                return
            shell.close_dialog()

            async def go(reason: str | None) -> None:
                await shell.run(
                    today.mark_present,
                    pid,
                    start=start,
                    end=end,
                    minutes=minutes,
                    correction_reason=reason,
                )

            await _maybe_reason(shell, row, go)(None)

        async def cancel(_event: Any) -> None:
            shell.close_dialog()

        shell.dialog(
            ft.AlertDialog(
                title=ft.Text(shell.tr("times.title", name=row.name)),
                content=ft.Column(
                    [
                        field(
                            "times-start",
                            shell.tr("times.start"),
                            "",
                            shell.keep("start"),
                            autofocus=True,
                        ),
                        field("times-end", shell.tr("times.end"), "", shell.keep("end")),
                        field(
                            "times-hours",
                            shell.tr("times.hours"),
                            "",
                            shell.keep("hours"),
                            on_submit=save,
                        ),
                        message,
                    ],
                    tight=True,
                    spacing=8,
                    width=360,
                ),
                actions=[
                    button("times-cancel", shell.tr("dialog.cancel"), cancel, kind="text"),
                    button("times-save", shell.tr("times.save"), save),
                ],
            )
        )

    return opened
