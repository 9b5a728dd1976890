"""A day's note in the mark and correction dialogs: the field, its limit, and the hint
beside it that no health detail belongs there (domain: reason codes only)."""

from __future__ import annotations

import flet as ft

from client.app.state.drafts import Draft
from client.app.views import theme
from client.app.views.common import keeps, tagged
from client.app.views.shell import Shell
from shared.bounds import NOTE_MAX_CHARS

NOTE_FORM_KEY = "note"


def note_draft(note: str | None, *names: str) -> Draft:
    """A dialog's draft with the day's note as it stands (editable) and ``names``."""
    return Draft(*names, **{NOTE_FORM_KEY: note or ""})


def note_controls(shell: Shell, draft: Draft) -> list[ft.Control]:
    """The note field (the draft's, from :func:`note_draft`) and the hint under it.

    The field stops at the server's limit (``NOTE_MAX_CHARS``) and counts towards it;
    the store refuses a longer text too, since the server would refuse the push."""
    field = ft.TextField(
        label=shell.tr("note.label"),
        value=draft[NOTE_FORM_KEY],
        multiline=True,
        min_lines=1,
        max_lines=4,
        max_length=NOTE_MAX_CHARS,
        on_change=keeps(draft, NOTE_FORM_KEY),
    )
    hint = ft.Row(
        [
            ft.Icon(ft.Icons.HEALTH_AND_SAFETY_OUTLINED, size=18, color=theme.NOTE_HINT),
            ft.Text(shell.tr("note.hint"), color=theme.NOTE_HINT, size=13, expand=True),
        ],
        spacing=6,
        vertical_alignment=ft.CrossAxisAlignment.START,
    )
    return [tagged("note-field", field), tagged("note-hint", hint)]


def typed_note(draft: Draft) -> str:
    """What the note field holds now ("" empties the day's note)."""
    return draft[NOTE_FORM_KEY]
