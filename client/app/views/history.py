"""Who recorded a day and when, its note, and the list of its versions (issue 11)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import flet as ft

from client.app.state import AppError, AppState
from client.app.state.history import DayHistory, SyncPlace, VersionLine, day_history
from client.app.texts.i18n import fmt_date, weekday_short
from client.app.texts.recorded import place_text, recorded_line
from client.app.texts.words import record_summary
from client.app.views import theme
from client.app.views.common import TOUCH, button, tagged
from client.app.views.shell import Shell
from client.store import StoreError, StoreLocked
from shared.records import DayRecord

PLACE_ICONS = {
    SyncPlace.WAITING: ft.Icons.SCHEDULE_SEND,
    SyncPlace.SENT: ft.Icons.CLOUD_DONE_OUTLINED,
    SyncPlace.FROM_SERVER: ft.Icons.CLOUD_DOWNLOAD_OUTLINED,
}


def recorded_text(
    shell: Shell, identifier: str, record: DayRecord | None, names: Mapping[str, str]
) -> list[ft.Control]:
    """ "Merkinnyt Sanna Ohjaaja 1.12. klo 9.14" under a day's record (nothing unrecorded)."""
    if record is None:
        return []
    line = recorded_line(record, names, shell.lang, today=shell.app.device.today())
    return [tagged(identifier, ft.Text(line, size=13, color=theme.ON_SURFACE_VARIANT))]


def day_details(
    shell: Shell, participant_id: str, record: DayRecord | None, names: Mapping[str, str]
) -> list[ft.Control]:
    """A day's card on the participant's page: who recorded it, its note, its history."""
    if record is None:
        return []
    iso = record.day.isoformat()
    out = recorded_text(shell, f"day-recorded-{iso}", record, names)
    if record.note:
        out.append(tagged(f"day-note-{iso}", ft.Text(shell.tr("note.shown", note=record.note))))
    out.append(history_button(shell, participant_id, record.day))
    return out


def history_button(shell: Shell, participant_id: str, day: date) -> ft.Control:
    """ "Historia", named with its day for a screen reader (a month has many)."""
    said = f"{weekday_short(day.isoweekday(), shell.lang)} {fmt_date(day)}"
    label = ft.Text(
        shell.tr("history.open"), semantics_label=shell.tr("history.open_name", date=said)
    )

    async def opened(_event: Any) -> None:
        history = await _read(shell, participant_id, day)
        if history is not None:
            _show(shell, history)

    control = ft.TextButton(
        content=ft.Row([ft.Icon(ft.Icons.HISTORY, size=20), label], spacing=6, tight=True),
        on_click=opened,
        height=TOUCH,
    )
    return ft.Row([tagged(f"day-history-{day.isoformat()}", control)])


async def _read(shell: Shell, participant_id: str, day: date) -> DayHistory | None:
    """The day's versions, read on the store's thread without re-drawing the screen
    (a re-draw would take the page back to its top under the dialog)."""
    try:
        history: DayHistory = await shell.worker.run(_history, shell.app, participant_id, day)
        return history
    except StoreLocked:
        await shell.run(shell.app.check_idle)
    except (AppError, StoreError):
        # said in the screen's words by the shell's usual path
        await shell.run(_history, shell.app, participant_id, day)
    return None


def _history(app: AppState, participant_id: str, day: date) -> DayHistory:
    app.touch()
    return day_history(app.device, participant_id, day)


def _show(shell: Shell, history: DayHistory) -> None:
    lang = shell.lang
    said = f"{weekday_short(history.day.isoweekday(), lang)} {fmt_date(history.day)}"
    items: list[ft.Control] = [_version(shell, line, i) for i, line in enumerate(history.lines)]
    if not items:
        items.append(ft.Text(shell.tr("history.empty")))

    async def close(_event: Any) -> None:
        shell.close_dialog()

    shell.dialog(
        ft.AlertDialog(
            title=ft.Text(shell.tr("history.title", name=history.name, date=said)),
            content=tagged("history-list", ft.Column(items, tight=True, spacing=8, width=360)),
            scrollable=True,
            actions=[button("history-close", shell.tr("history.close"), close, kind="text")],
        )
    )


def _version(shell: Shell, line: VersionLine, index: int) -> ft.Control:
    lang = shell.lang
    record = line.record
    names = {record.recorded_by: line.who} if line.who else {}
    title = shell.tr("history.version", number=line.number)
    if line.current:
        title = f"{title} · {shell.tr('history.current')}"
    rows: list[ft.Control] = [
        ft.Text(title, weight=ft.FontWeight.W_600),
        ft.Text(record_summary(record, lang)),
        ft.Text(recorded_line(record, names, lang, today=shell.app.device.today()), size=13),
    ]
    if record.correction_reason:
        rows.append(
            ft.Text(shell.tr("history.correction", reason=record.correction_reason), size=13)
        )
    note = shell.tr("note.shown", note=record.note) if record.note else None
    rows.append(ft.Text(note or shell.tr("history.no_note"), size=13))
    rows.append(
        ft.Row(
            [
                ft.Icon(PLACE_ICONS[line.place], size=18),
                ft.Text(place_text(line.place, lang), size=13),
            ],
            spacing=6,
        )
    )
    return tagged(
        f"history-{index}",
        ft.Container(
            ft.Column(rows, spacing=2),
            padding=10,
            border_radius=8,
            bgcolor=theme.SECONDARY_CONTAINER if line.current else None,
            border=ft.Border.all(1, theme.OUTLINE_VARIANT),
        ),
    )
