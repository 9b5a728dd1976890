"""Today: the site's expected participants, one tap each, the whole group in one more."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from client.app.state import Screen, TodayRow, TodayState
from client.app.state.errors import InputProblem
from client.app.state.search import SearchState
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
    keeps,
    tagged,
)
from client.app.views.history import recorded_text
from client.app.views.mistakes import all_present_handler, correction_subject, undo_button
from client.app.views.notes import note_controls, note_draft, typed_note
from client.app.views.search import no_match, search_field
from client.app.views.shell import Shell, use_shell
from client.app.views.site_day import site_day_controls
from shared.bounds import CORRECTION_REASON_MAX_CHARS
from shared.calendar import finnish_holiday, iso_week
from shared.messages import term
from shared.records import AbsenceReason, Status


@ft.component
def TodayScreen(today: TodayState, search: SearchState) -> ft.Control:
    """The shown day's expected participants as cards, drawn again when the day's
    state or the name search changes."""
    shell = use_shell()
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
        extras += site_day_controls(shell, today)  # the whole site not held: at hand on a holiday
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
                all_present_handler(shell, today),
                icon=ft.Icons.DONE_ALL,
            )
        )
    if not today.rows:
        controls.append(ft.Text(shell.tr("today.none_expected")))
    # the name search (issue 11): its state and view live in search.py
    rows = search.filter("today", today.rows, lambda r: r.name)
    if today.rows or today.others:
        controls.append(search_field(shell, "today", search))
    if today.rows and not rows:
        controls.append(no_match(shell, "today", search))
    cards = [_row(shell, today, row) for row in rows]
    for card_, row in zip(cards, rows, strict=True):
        # matched by participant when the search hides some: a card drawn again in
        # another's place kept the other's test ids in the browser
        card_.key = f"row-{row.participant_id}"
    if shell.drawn_wide:  # a tablet: two cards side by side
        for card_ in cards:
            card_.col = {"xs": 12, "md": 6}
        controls.append(ft.ResponsiveRow(cards, spacing=10, run_spacing=10))
    else:
        controls.extend(cards)
    if not holiday:  # a rare action: below the cards, not above them every day (issue 11)
        controls += site_day_controls(shell, today)
    others = search.filter("today", today.others, lambda o: o[1])
    controls.append(Others(today, others, key="today-others"))
    return ft.Column(controls, spacing=10)


def _row(shell: Shell, today: TodayState, row: TodayRow) -> ft.Control:
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
            on_click=shell.on(shell.app.go, Screen.PARTICIPANT, pid),
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
                    shell.tr(
                        "today.week_count",
                        present=row.week_present,
                        count=row.week_count,
                        max=row.week_max,
                    ),
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
    status: ft.Control = tagged(
        f"status-{pid}",
        ft.Text(record_summary(row.record, lang), color=status_colour, weight=ft.FontWeight.W_500),
    )
    if row.record is not None and row.unsent and not today.future:
        # not sent yet: taken back in one tap (issue 11)
        status = ft.Row(
            [status, undo_button(shell, today, row)],
            wrap=True,
            spacing=8,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
    lines: list[ft.Control] = [
        ft.Row(top, wrap=True, spacing=12, vertical_alignment=ft.CrossAxisAlignment.CENTER),
        status,
        *recorded_text(shell, f"recorded-{pid}", row.record, today.names),
    ]
    if row.record is not None and row.record.status is Status.PRESENT and row.result is not None:
        lines.append(eligibility_text(f"eligible-{pid}", row.result.eligible, lang))
    for i, finding in enumerate(row.findings):
        lines.append(finding_box(f"finding-{pid}-{i}", finding, lang))
    for outcome in today.last:
        if outcome.participant_id == pid and not outcome.saved:
            for i, finding in enumerate(outcome.errors):
                lines.append(finding_box(f"error-{pid}-{i}", finding, lang))
    if not today.future:
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
                            today,
                            row,
                            lambda reason, note: shell.run(
                                today.mark_present, pid, correction_reason=reason, note=note
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
                        _absence_dialog(shell, today, row),
                        kind="outlined",
                        name=row.name,
                    ),
                    action_button(
                        f"times-{pid}",
                        shell.tr("today.times"),
                        ft.Icons.SCHEDULE,
                        _times_dialog(shell, today, row),
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
    today: TodayState,
    others: list[tuple[str, str]],
    key: str | None = None,  # Flet takes it (the component's identity): never set here
) -> ft.Control:
    """ "Lisää muu osallistuja": the list of the site's other participants opens in
    place, as this component's own state (``ft.use_state``): no command, no re-draw of
    the screen, the scroll stays where it is."""
    del key
    shell = use_shell()
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
                    shell.on(today.show_participant, pid),
                    kind="outlined",
                )
            )
    return ft.Column(items, spacing=6)


Then = Callable[[str | None, str | None], Awaitable[Any]]  # (correction reason, note)


def _maybe_reason(
    shell: Shell, today: TodayState, row: TodayRow, then: Then, note: str | None = None
) -> Callable[[Any], Awaitable[None]]:
    """Run ``then`` at once, or first ask why when this is a correction (the note is
    then edited in that dialog; ``note`` is what a first mark's dialog took)."""

    async def handler(_event: Any) -> None:
        if row.asks_reason:
            _reason_dialog(shell, today, row, then, row.record.note if row.record else None)
        else:
            await then(None, note)

    return handler


def _reason_dialog(
    shell: Shell, today: TodayState, row: TodayRow, then: Then, note: str | None
) -> None:
    draft = note_draft(note, "correction")

    async def save(_event: Any) -> None:
        reason = draft["correction"].strip()
        if not reason:
            return
        shell.close_dialog()
        await then(reason, typed_note(draft))

    async def cancel(_event: Any) -> None:
        shell.close_dialog()

    shell.dialog(
        ft.AlertDialog(
            modal=True,
            title=ft.Text(shell.tr("correction.title")),
            content=ft.Column(
                [
                    correction_subject(shell, today.day, row),
                    tagged("correction-intro", ft.Text(shell.tr(_intro_key(row)))),
                    field(
                        "correction-reason",
                        shell.tr("correction.reason"),
                        "",
                        keeps(draft, "correction"),
                        on_submit=save,
                        autofocus=True,
                        max_length=CORRECTION_REASON_MAX_CHARS,
                    ),
                    *note_controls(shell, draft),
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


def _absence_dialog(
    shell: Shell, today: TodayState, row: TodayRow
) -> Callable[[Any], Awaitable[None]]:
    pid = row.participant_id

    async def opened(_event: Any) -> None:
        draft = note_draft(_note(row))

        def choose(reason: AbsenceReason | None) -> Callable[[Any], Awaitable[None]]:
            async def go(reason_text: str | None, note: str | None) -> None:
                if reason is None:
                    await shell.run(
                        today.mark_not_held, pid, correction_reason=reason_text, note=note
                    )
                else:
                    await shell.run(
                        today.mark_absent, pid, reason, correction_reason=reason_text, note=note
                    )

            async def picked(_e: Any) -> None:
                shell.close_dialog()
                note = None if row.asks_reason else typed_note(draft)
                await _maybe_reason(shell, today, row, go, note)(None)

            return picked

        # a first mark takes its note here; a correction in the reason dialog after
        options: list[ft.Control] = [] if row.asks_reason else note_controls(shell, draft)
        options += [
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
                scrollable=True,
                content=ft.Column(options, tight=True, spacing=8, width=360),
                actions=[button("absence-cancel", shell.tr("dialog.cancel"), cancel, kind="text")],
            )
        )

    return opened


def _times_dialog(
    shell: Shell, today: TodayState, row: TodayRow
) -> Callable[[Any], Awaitable[None]]:
    pid = row.participant_id

    async def opened(_event: Any) -> None:
        draft = note_draft(_note(row), "start", "end", "hours")
        message = ft.Text("", color=theme.PROBLEM_TEXT)

        async def save(_event: Any) -> None:
            try:
                start, end, minutes = parse_times(draft["start"], draft["end"], draft["hours"])
            except InputProblem as exc:
                message.value = exc.text(shell.lang)
                message.update()
                return
            shell.close_dialog()

            async def go(reason: str | None, note: str | None) -> None:
                await shell.run(
                    today.mark_present,
                    pid,
                    start=start,
                    end=end,
                    minutes=minutes,
                    correction_reason=reason,
                    note=note,
                )

            note = None if row.asks_reason else typed_note(draft)
            await _maybe_reason(shell, today, row, go, note)(None)

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
                            keeps(draft, "start"),
                            autofocus=True,
                        ),
                        field("times-end", shell.tr("times.end"), "", keeps(draft, "end")),
                        field(
                            "times-hours",
                            shell.tr("times.hours"),
                            "",
                            keeps(draft, "hours"),
                            on_submit=save,
                        ),
                        *([] if row.asks_reason else note_controls(shell, draft)),
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


def _intro_key(row: TodayRow) -> str:
    """A closed month asks why even for a first mark: "already has a record" would be wrong."""
    return "correction.intro_closed" if row.closed else "correction.intro"


def _note(row: TodayRow) -> str | None:
    """The day's note as it stands: a change of a mark not sent yet starts from it."""
    return row.record.note if row.record is not None else None
