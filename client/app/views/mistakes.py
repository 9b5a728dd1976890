"""Issue 11's "kind to mistakes" on screen: "all present" shows who would be marked and
what each mark would break before it marks anyone (on another day, or over a limit),
an unsent record has an undo, and closing a month lists the unrecorded days and wants
them acknowledged. The rules are the state's (``state/all_present.py``,
``state/unsent.py``, ``MonthState.close``); this module only draws them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import flet as ft

from client.app.state import MonthState, TodayRow, TodayState
from client.app.state.all_present import AllPresentPreview
from client.app.state.drafts import Draft
from client.app.texts.i18n import fmt_date, fmt_hours, fmt_short_date
from client.app.views import theme
from client.app.views.common import (
    TOUCH,
    Handler,
    button,
    field,
    finding_box,
    keeps,
    problem_text,
    tagged,
)
from client.app.views.shell import Shell
from shared.bounds import CORRECTION_REASON_MAX_CHARS
from shared.i18n import day_name

# Weekdays inside a sentence are CLDR's ("maanantai", "Monday"), not a heading's.

# Up to this many rows of text a dialog fits a phone without scrolling.
SHORT_DIALOG_ROWS = 14
# About this many characters fit a row of a 360 px wide dialog.
ROW_CHARACTERS = 38


def _rows(control: ft.Control) -> int:
    """About how many rows of text a line of the dialog takes: one per text line,
    wrapped at the dialog's width; anything else (a finding's box) takes three."""
    if isinstance(control, ft.Semantics) and control.content is not None:
        control = control.content  # a tagged line
    if not isinstance(control, ft.Text):
        return 3
    text = (control.value or "") + "".join(span.text or "" for span in control.spans or [])
    return max(1, -(-len(str(text)) // ROW_CHARACTERS))


# Room a dialog's title, actions, padding and footer take from the page's height.
DIALOG_CHROME = 380


def _body(shell: Shell, lines: list[ft.Control], footer: Sequence[ft.Control] = ()) -> ft.Control:
    """A dialog's content. A short one is as tall as its lines (a scrolling column
    would fill the screen's height); a long list scrolls inside a box the page's
    height bounds, so it never runs under the actions, and the footer (the
    acknowledgement) stays in view below it."""
    if sum(_rows(line) for line in lines) <= SHORT_DIALOG_ROWS:
        return ft.Column([*lines, *footer], tight=True, spacing=8, width=360)
    height = max(160, int((shell.page.height or 700) - DIALOG_CHROME))
    listing = ft.Column(lines, spacing=8, scroll=ft.ScrollMode.AUTO)
    return ft.Column(
        [ft.Container(listing, height=height), *footer], tight=True, spacing=8, width=360
    )


def all_present_handler(shell: Shell, today: TodayState) -> Handler:
    """ "Kaikki paikalla": mark at once when nothing is unusual, else ask first."""

    async def handler(_event: Any) -> None:
        preview: AllPresentPreview | None = await shell.run(today.all_present_preview)
        if preview is None or not preview.marks:
            return
        if preview.needs_confirmation:
            _all_present_dialog(shell, today, preview)
        else:
            await _mark_all(shell, today, confirmed=False)

    return handler


async def _mark_all(
    shell: Shell, today: TodayState, *, confirmed: bool, reason: str | None = None
) -> None:
    outcomes = await shell.run(
        today.mark_all_present, confirmed=confirmed, correction_reason=reason
    )
    if outcomes:
        shell.notice = shell.tr("today.saved_many", count=sum(1 for o in outcomes if o.saved))
        shell.render()


def _all_present_dialog(shell: Shell, today: TodayState, preview: AllPresentPreview) -> None:
    lang = shell.lang
    day = today.day
    lines: list[ft.Control] = []
    if preview.other_day:
        lines.append(
            tagged(
                "all-present-other-day",
                ft.Text(
                    shell.tr(
                        "all_present.other_day",
                        weekday=day_name(day.isoweekday(), lang),
                        date=fmt_date(day),
                    ),
                    weight=ft.FontWeight.W_600,
                    color=theme.WARNING,
                ),
            )
        )
    lines.append(ft.Text(shell.tr("all_present.intro", count=len(preview.marks))))
    if preview.breaking:
        lines.append(
            tagged(
                "all-present-breaking",
                ft.Text(
                    shell.tr("all_present.breaking", count=len(preview.breaking)),
                    weight=ft.FontWeight.W_600,
                ),
            )
        )
    for mark in preview.marks:
        pid = mark.participant_id
        lines.append(
            tagged(
                f"all-present-{pid}",
                ft.Text(
                    shell.tr(
                        "all_present.line", name=mark.name, hours=fmt_hours(mark.minutes, lang)
                    ),
                    weight=ft.FontWeight.W_500,
                ),
            )
        )
        for i, finding in enumerate(mark.breaks):
            lines.append(finding_box(f"all-present-{pid}-break-{i}", finding, lang))
    # a closed month: one reason for the group, in view below the list (without it
    # the marks were refused one by one after the confirmation)
    draft = Draft("reason")
    footer: list[ft.Control] = []
    missing = ft.Column([], tight=True)
    if preview.closed:
        footer += [
            tagged(
                "all-present-closed",
                ft.Text(shell.tr("site_day.closed"), weight=ft.FontWeight.W_600),
            ),
            field(
                "all-present-reason",
                shell.tr("site_day.reason"),
                "",
                keeps(draft, "reason"),
                max_length=CORRECTION_REASON_MAX_CHARS,
            ),
            missing,
        ]

    async def confirm(_event: Any) -> None:
        reason = draft["reason"].strip() or None
        if preview.closed and reason is None:
            missing.controls = [
                problem_text("all-present-problem", shell.tr("month.closed_reason_missing"))
            ]
            missing.update()
            return
        shell.close_dialog()
        await _mark_all(shell, today, confirmed=True, reason=reason)

    async def cancel(_event: Any) -> None:
        shell.close_dialog()

    shell.dialog(
        ft.AlertDialog(
            modal=True,
            title=ft.Text(shell.tr("all_present.title")),
            content=_body(shell, lines, footer),
            actions=[
                button("all-present-cancel", shell.tr("dialog.cancel"), cancel, kind="text"),
                button(
                    "all-present-confirm",
                    shell.tr("all_present.confirm", count=len(preview.marks)),
                    confirm,
                ),
            ],
        )
    )


def undo_button(shell: Shell, today: TodayState, row: TodayRow) -> ft.Control:
    """ "Kumoa" on a card whose record has not left the device: named with the
    participant, as the card's other actions are."""
    label = shell.tr("undo.button")

    async def undo(_event: Any) -> None:
        outcome = await shell.run(today.undo, row.participant_id)
        if outcome is not None:
            shell.notice = shell.tr("undo.done", name=row.name)
            shell.render()

    control = ft.TextButton(
        content=ft.Text(label, semantics_label=f"{label}: {row.name}"),
        icon=ft.Icons.UNDO,
        on_click=undo,
        height=TOUCH,
        tooltip=None,
    )
    return tagged(f"undo-{row.participant_id}", control)


def correction_subject(shell: Shell, day: date, row: TodayRow) -> ft.Control:
    """Whose day a correction is about: the dialog names the participant and the day."""
    return tagged(
        "correction-subject",
        ft.Text(
            shell.tr(
                "correction.for",
                name=row.name,
                weekday=day_name(day.isoweekday(), shell.lang),
                date=fmt_date(day),
            ),
            weight=ft.FontWeight.W_600,
        ),
    )


def month_close_dialog(shell: Shell, state: MonthState, name: str) -> None:
    """The month's close: its unrecorded days listed, a tick that they were seen, and a
    button that says what it does ("Sulje maaliskuu 2026"), not a plain "Vahvista"."""
    unmarked = state.unmarked
    # "Sulje marraskuu 2026": the month's name inside a phrase is not a heading's
    in_phrase = name if shell.lang == "en" else name[:1].lower() + name[1:]
    content: list[ft.Control] = [ft.Text(shell.tr("month.confirm", month=in_phrase))]
    close_button = ft.FilledButton(
        content=shell.tr("month.close_now", month=in_phrase),
        icon=ft.Icons.LOCK,
        height=TOUCH,
        disabled=bool(unmarked),
    )
    # the tick is the dialog's own state: the checkbox holds what was ticked
    tick = ft.Checkbox(value=False)
    footer: list[ft.Control] = []
    if unmarked:
        content.append(
            tagged(
                "month-unmarked-title",
                ft.Text(
                    shell.tr("month.unmarked_title", count=len(unmarked)),
                    weight=ft.FontWeight.W_600,
                ),
            )
        )
        by_person: dict[str, list[date]] = {}
        for gap in unmarked:
            by_person.setdefault(gap.name, []).append(gap.day)
        for i, (person, days) in enumerate(by_person.items()):
            dates = ", ".join(fmt_short_date(d) for d in days)
            content.append(
                tagged(
                    f"month-unmarked-{i}",
                    ft.Text(
                        spans=[
                            ft.TextSpan(
                                f"{person} ({len(days)}): ",
                                style=ft.TextStyle(weight=ft.FontWeight.W_600),
                            ),
                            ft.TextSpan(dates),
                        ]
                    ),
                )
            )

        async def ticked(_event: Any) -> None:
            close_button.disabled = not tick.value
            close_button.update()

        # a label of a set width wraps; a bare one runs past the dialog's edge and its
        # padding makes the whole row a 48 px target
        tick.label = ft.Container(
            ft.Text(shell.tr("month.acknowledge", count=len(unmarked))),
            width=270,
            padding=ft.Padding.symmetric(vertical=14),
        )
        tick.on_change = ticked

        footer.append(tagged("month-acknowledge", tick))

    async def yes(_event: Any) -> None:
        if unmarked and not tick.value:
            return
        shell.close_dialog()
        await shell.run(state.close, acknowledged=True)

    async def no(_event: Any) -> None:
        shell.close_dialog()
        await shell.run(state.cancel)

    close_button.on_click = yes
    shell.dialog(
        ft.AlertDialog(
            modal=True,
            title=ft.Text(shell.tr("month.close")),
            content=_body(shell, content, footer),
            actions=[
                button("month-cancel", shell.tr("dialog.cancel"), no, kind="text"),
                tagged("month-confirm", close_button),
            ],
        )
    )
