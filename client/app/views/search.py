"""The name search above a screen's list of participants (Today, the overviews).

Typing filters at once, without the worker and without resetting the screen's scroll
(the screen's component re-draws from the search state it was given, not a command's
:meth:`Shell.render`): the field stays the same control, so it keeps the focus and
the cursor between keys.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from client.app.state.search import SearchState
from client.app.views.common import TOUCH, icon_button, tagged
from client.app.views.shell import Shell


def search_field(shell: Shell, where: str, search: SearchState) -> ft.Control:
    """``search-<where>``: a text field named "Hae nimellä", and while it holds text a
    48 px button that empties it (``search-clear-<where>``).

    ``search`` is the state the screen's component was given: a change re-draws that
    screen alone (not the shell, and not with a command's scroll to the top)."""

    async def changed(event: Any) -> None:
        search.set_query(where, event.control.value or "")

    async def cleared(_event: Any) -> None:
        search.clear(where)

    text = tagged(
        f"search-{where}",
        ft.TextField(
            label=shell.tr("search.label"),
            value=search.query(where),
            on_change=changed,
            prefix_icon=ft.Icons.SEARCH,
            dense=True,
            height=TOUCH,
        ),
    )
    text.expand = True
    parts: list[ft.Control] = [text]
    if search.active(where):
        parts.append(
            icon_button(f"search-clear-{where}", ft.Icons.CLEAR, shell.tr("search.clear"), cleared)
        )
    return ft.Row(parts, spacing=4, vertical_alignment=ft.CrossAxisAlignment.CENTER)


def no_match(shell: Shell, where: str, search: SearchState) -> ft.Control:
    """Said when the search hides everyone, so an empty screen is not mistaken for data."""
    query = search.query(where)
    return tagged(f"search-none-{where}", ft.Text(shell.tr("search.none", query=query.strip())))
