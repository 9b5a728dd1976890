"""Small building blocks every screen uses: labelled, touch-sized, findable controls.

Every interactive control gets a stable ``Semantics(identifier=...)`` (the test id and
a screen reader's anchor) and one name, visible or semantic; touch targets are at
least 48 × 48 px. Colours come from :mod:`client.app.views.theme`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from client.app.state.drafts import Draft
from client.app.texts.i18n import t
from client.app.views import theme
from shared.findings import Finding, Severity
from shared.messages import term

TOUCH = 48
ACTION_HEIGHT = 60  # an icon above a label: see action_button
Handler = Callable[[Any], Awaitable[None]]

SEVERITY_COLOURS = theme.SEVERITY
SEVERITY_ICONS = {
    Severity.ERROR: ft.Icons.ERROR_OUTLINE,
    Severity.NOT_ELIGIBLE: ft.Icons.MONEY_OFF,
    Severity.FLAGGED: ft.Icons.FLAG_OUTLINED,
    Severity.NOTICE: ft.Icons.INFO_OUTLINE,
}


def tagged(identifier: str, control: ft.Control, label: str | None = None) -> ft.Semantics:
    """``control`` findable by ``identifier`` (tests) and ``label`` (screen readers).

    A label the control already shows as text is left out: Flutter joins the two, and
    a screen reader said "Aino Virtanen Aino Virtanen" (issue 11)."""
    if label is not None and _shows(control, label):
        label = None
    return ft.Semantics(identifier=identifier, label=label, content=control)


def _shows(control: Any, text: str) -> bool:
    """Whether ``text`` is one of the texts drawn inside ``control``."""
    if isinstance(control, ft.Text):
        return control.value == text
    inner = getattr(control, "content", None)
    children = list(getattr(control, "controls", None) or [])
    if isinstance(inner, ft.Control):
        children.append(inner)
    return any(_shows(child, text) for child in children)


def button(
    identifier: str,
    text: str,
    on_click: Handler | None,
    *,
    kind: str = "filled",
    icon: ft.IconData | None = None,
    expand: bool | int | None = None,
    disabled: bool = False,
) -> ft.Control:
    makers: dict[str, Any] = {
        "filled": ft.FilledButton,
        "tonal": ft.FilledTonalButton,
        "outlined": ft.OutlinedButton,
        "text": ft.TextButton,
    }
    control = makers[kind](
        content=text, icon=icon, on_click=on_click, height=TOUCH, disabled=disabled
    )
    wrapped = tagged(identifier, control)
    if expand is not None:
        wrapped.expand = expand
    return wrapped


def action_button(
    identifier: str,
    text: str,
    icon: ft.IconData,
    on_click: Handler,
    *,
    kind: str = "filled",
    name: str | None = None,
) -> ft.Control:
    """One of a row of equal actions: the icon above its label, so that three fit side by
    side on a 390 px phone in every language without cutting a word (a long label wraps).
    Put it in a row with ``expand`` set; it is taller than :data:`TOUCH`.

    ``name`` is whom the action is for: a screen reader hears "Present: Aino Virtanen",
    not three "Present" buttons in a row of cards."""
    makers: dict[str, Any] = {
        "filled": ft.FilledButton,
        "tonal": ft.FilledTonalButton,
        "outlined": ft.OutlinedButton,
        "text": ft.TextButton,
    }
    label = ft.Text(
        text,
        size=13,
        text_align=ft.TextAlign.CENTER,
        max_lines=2,
        semantics_label=f"{text}: {name}" if name else None,
    )
    control = makers[kind](
        content=ft.Column(
            [ft.Icon(icon, size=20), label],
            spacing=2,
            tight=True,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        on_click=on_click,
        style=ft.ButtonStyle(
            padding=ft.Padding.symmetric(horizontal=4, vertical=6),
            shape=ft.RoundedRectangleBorder(radius=12),
        ),
        height=ACTION_HEIGHT,
    )
    wrapped = tagged(identifier, control)
    wrapped.expand = 1
    return wrapped


def icon_button(identifier: str, icon: ft.IconData, label: str, on_click: Handler) -> ft.Control:
    """An icon with one name, on the button itself (a tooltip and a semantic label
    besides made screen readers say it twice and left the button nameless)."""
    control = ft.IconButton(
        icon=ft.Icon(icon, semantics_label=label), on_click=on_click, width=TOUCH, height=TOUCH
    )
    return tagged(identifier, control)


def keeps(draft: Draft, name: str) -> Handler:
    """A field's ``on_change``: what is typed goes into the form's draft."""

    async def handler(event: Any) -> None:
        draft.typed(name, event.control.value or "")

    return handler


def field(
    identifier: str,
    label: str,
    value: str,
    on_change: Handler,
    *,
    numeric: bool = False,
    on_submit: Handler | None = None,
    autofocus: bool = False,
    max_length: int | None = None,
) -> ft.Control:
    control = ft.TextField(
        label=label,
        value=value,
        keyboard_type=ft.KeyboardType.NUMBER if numeric else ft.KeyboardType.TEXT,
        on_change=on_change,
        on_submit=on_submit,
        autofocus=autofocus,
        max_length=max_length,
    )
    return tagged(identifier, control)


def pin_field(
    identifier: str,
    label: str,
    value: str,
    on_change: Handler,
    lang: str,
    *,
    on_submit: Handler | None = None,
    autofocus: bool = False,
) -> ft.Control:
    """A PIN field with its own show/hide button, named in ``lang`` after the field
    ("Näytä: PIN-koodi") and 48 px: Flutter's built-in one has no name and is 40 px."""
    names = (t("field.show", lang, field=label), t("field.hide", lang, field=label))
    return tagged(identifier, SecretField(label, value, on_change, names, on_submit, autofocus))


@ft.component
def SecretField(
    label: str,
    value: str,
    on_change: Handler,
    names: tuple[str, str],
    on_submit: Handler | None,
    autofocus: bool,
) -> ft.Control:
    """The PIN hidden until its button shows it (the component's own state): showing
    it keeps what was typed, and a screen drawn anew starts hidden again."""
    shown, set_shown = ft.use_state(False)
    typed = ft.use_ref(value)
    given = ft.use_ref(value)
    if value != given.current:  # the screen emptied or filled the field
        typed.current = given.current = value

    async def changed(event: Any) -> None:
        typed.current = event.control.value or ""
        await on_change(event)

    async def toggle(_event: Any) -> None:
        set_shown(not shown)

    reveal = ft.IconButton(
        icon=ft.Icon(
            ft.Icons.VISIBILITY_OFF if shown else ft.Icons.VISIBILITY,
            semantics_label=names[1] if shown else names[0],
        ),
        on_click=toggle,
        width=TOUCH,
        height=TOUCH,
    )
    return ft.TextField(
        label=label,
        value=typed.current or "",
        password=not shown,
        keyboard_type=ft.KeyboardType.NUMBER,
        on_change=changed,
        on_submit=on_submit,
        autofocus=autofocus,
        suffix_icon=reveal,
    )


def heading(text: str, size: int = 20) -> ft.Text:
    return ft.Text(text, size=size, weight=ft.FontWeight.BOLD)


def problem_text(identifier: str, text: str | None) -> ft.Control:
    if not text:
        return ft.Container(height=0)
    return tagged(
        identifier,
        ft.Container(
            content=ft.Text(text, color=theme.PROBLEM_TEXT),
            bgcolor=theme.PROBLEM_BACKGROUND,
            padding=10,
            border_radius=8,
        ),
    )


def finding_box(identifier: str, finding: Finding, lang: str) -> ft.Control:
    """One finding in the supervisor's language, coloured by what it means for the money."""
    background, colour = SEVERITY_COLOURS[finding.severity]
    return tagged(
        identifier,
        ft.Container(
            content=ft.Row(
                [
                    ft.Icon(SEVERITY_ICONS[finding.severity], color=colour, size=20),
                    ft.Text(
                        f"{term(f'severity.{finding.severity.value}', lang)}: "
                        f"{finding.message(lang)}",
                        color=colour,
                        expand=True,
                    ),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            bgcolor=background,
            padding=8,
            border_radius=8,
        ),
    )


def eligibility_text(identifier: str, eligible: bool, lang: str) -> ft.Control:
    key = "eligibility.eligible" if eligible else "eligibility.not_eligible"
    colour = theme.GOOD if eligible else theme.WARNING
    icon = ft.Icons.CHECK_CIRCLE_OUTLINE if eligible else ft.Icons.MONEY_OFF
    return tagged(
        identifier,
        ft.Row(
            [ft.Icon(icon, color=colour, size=18), ft.Text(term(key, lang), color=colour)],
            spacing=4,
            tight=True,
        ),
    )


def card(content: ft.Control, identifier: str | None = None) -> ft.Control:
    box = ft.Container(
        content=content,
        padding=12,
        border_radius=12,
        bgcolor=theme.SURFACE_CONTAINER_LOW,
        border=ft.Border.all(1, theme.OUTLINE_VARIANT),
    )
    return tagged(identifier, box) if identifier else box


def text_key(key: str, lang: str, **params: Any) -> ft.Text:
    return ft.Text(t(key, lang, **params))


@ft.component
def Stepper(
    ids: tuple[str, str, str],
    title: str,
    labels: tuple[str, str],
    on_prev: Handler,
    on_next: Handler,
    *,
    title_size: int | None = None,
) -> ft.Control:
    """Previous / title / next: the one stepper of days, weeks and months.

    ``ids`` are the test ids of the previous button, the title and the next button;
    ``labels`` the names of the two buttons."""
    prev_id, title_id, next_id = ids
    title_box = tagged(
        title_id,
        ft.Text(
            title,
            size=title_size,
            weight=ft.FontWeight.W_600,
            text_align=ft.TextAlign.CENTER,
        ),
    )
    title_box.expand = True
    return ft.Row(
        [
            icon_button(prev_id, ft.Icons.CHEVRON_LEFT, labels[0], on_prev),
            title_box,
            icon_button(next_id, ft.Icons.CHEVRON_RIGHT, labels[1], on_next),
        ],
    )
