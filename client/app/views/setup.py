"""Setting up the device and unlocking it: the screens before any participant data."""

from __future__ import annotations

from typing import Any

import flet as ft

from client.app.state import AuthMode, AuthState, SyncStatusState
from client.app.state.drafts import Draft
from client.app.texts.i18n import LANGUAGE_NAMES, LANGUAGES, fmt_time
from client.app.views import theme
from client.app.views.common import (
    TOUCH,
    Handler,
    button,
    field,
    heading,
    keeps,
    pin_field,
    problem_text,
    tagged,
)
from client.app.views.shell import Shell, use_shell


def language_row(shell: Shell) -> ft.Control:
    buttons = [
        button(
            f"lang-{lang}",
            LANGUAGE_NAMES[lang],
            shell.on(shell.app.set_language, lang),
            kind="filled" if lang == shell.lang else "outlined",
        )
        for lang in LANGUAGES
    ]
    return tagged("language", ft.Row(buttons, wrap=True, spacing=8), shell.tr("shell.language"))


@ft.component
def SetupScreen(auth: AuthState, setup: Draft, first: Draft) -> ft.Control:
    """The server's address and the one-time code; then the first supervisor's PIN."""
    shell = use_shell()
    if auth.mode is AuthMode.SETUP_PIN:
        return _pin_step(shell, auth, first)

    async def next_step(_event: Any) -> None:
        await shell.run(
            auth.choose_server, setup["server_url"], setup["code"], setup["device_name"]
        )

    return ft.Column(
        [
            language_row(shell),
            heading(shell.tr("setup.title")),
            ft.Text(shell.tr("setup.intro")),
            field(
                "setup-server-url",
                shell.tr("setup.server_url"),
                setup["server_url"],
                keeps(setup, "server_url"),
            ),
            field(
                "setup-code",
                shell.tr("setup.code"),
                setup["code"],
                keeps(setup, "code"),
                on_submit=next_step,
            ),
            field(
                "setup-device-name",
                shell.tr("setup.device_name"),
                setup["device_name"],
                keeps(setup, "device_name"),
            ),
            button("setup-next", shell.tr("setup.enroll"), next_step, icon=ft.Icons.LINK),
        ],
        spacing=12,
    )


def _pin_step(shell: Shell, auth: AuthState, first: Draft) -> ft.Control:
    app = shell.app

    async def create(_event: Any) -> None:
        await shell.run(
            app.create_first_supervisor,
            first["name"],
            first["pin"],
            first["pin_again"],
            busy="setup.creating",
            before_draw=lambda: first.forget_pins(shell.failed),
        )

    return ft.Column(
        [
            heading(shell.tr("setup.pin_title")),
            ft.Text(auth.server_url),
            field(
                "setup-name",
                shell.tr("setup.name"),
                first["name"],
                keeps(first, "name"),
                autofocus=True,
            ),
            *pin_fields(shell, "setup-pin", first, on_submit=create),
            ft.Row(
                [
                    button(
                        "setup-back",
                        shell.tr("shell.back"),
                        shell.on(auth.back_to_server),
                        kind="outlined",
                    ),
                    button("setup-create", shell.tr("setup.create"), create, icon=ft.Icons.LOCK),
                ],
                wrap=True,
            ),
        ],
        spacing=12,
    )


@ft.component
def UnlockScreen(auth: AuthState, sync: SyncStatusState, draft: Draft) -> ft.Control:
    """Who is using the device, and their PIN: nothing of the participants shows here."""
    shell = use_shell()
    app = shell.app
    pin_problem = auth.pin_problem
    message: str | None = None
    if pin_problem is not None:
        when = fmt_time(pin_problem.retry_after) if pin_problem.retry_after else ""
        message = shell.tr(pin_problem.key, remaining=pin_problem.remaining, time=when)

    async def unlock(_event: Any) -> None:
        pin = draft["pin"]
        draft.clear()  # a PIN is typed again after every try, right or wrong
        await shell.run(app.unlock, pin, busy="unlock.checking")

    people = [
        tagged(
            f"unlock-who-{s.id}",
            ft.Container(
                ft.Row(
                    [
                        ft.Icon(ft.Icons.PERSON),
                        ft.Text(s.display_name, expand=True),
                        ft.Icon(ft.Icons.LOCK if s.locked_out else ft.Icons.CHEVRON_RIGHT),
                    ]
                ),
                on_click=shell.on(auth.select, s.id),
                height=TOUCH + 8,
                padding=ft.Padding.symmetric(horizontal=12),
                border_radius=12,
                bgcolor=theme.SECONDARY_CONTAINER
                if s.id == auth.selected
                else theme.SURFACE_CONTAINER_LOW,
            ),
            s.display_name,
        )
        for s in auth.supervisors
    ]
    controls: list[ft.Control] = [language_row(shell)]
    if auth.locked_by_idle:
        controls.append(tagged("idle-locked", ft.Text(shell.tr("unlock.locked_idle"))))
    overdue = sync.overdue_days
    if overdue is not None:
        limit = app.device.offline_limit_days
        text = shell.tr("unlock.overdue", days=overdue, limit=limit)
        controls.append(tagged("unlock-overdue", ft.Text(text, color=theme.PROBLEM_TEXT)))
    controls += [heading(shell.tr("unlock.who")), *people]
    if auth.selected is not None:
        controls += [
            pin_field(
                "unlock-pin",
                shell.tr("unlock.pin"),
                draft["pin"],
                keeps(draft, "pin"),
                shell.lang,
                on_submit=unlock,
                autofocus=True,
            ),
            problem_text("unlock-message", message),
            button("unlock-button", shell.tr("unlock.button"), unlock, icon=ft.Icons.LOCK_OPEN),
        ]
    else:
        controls.append(problem_text("unlock-message", message))
    return ft.Column(controls, spacing=12)


@ft.component
def NewPinScreen(auth: AuthState, draft: Draft) -> ft.Control:
    """After unlocking with a PIN from before the PIN rules: a new one, before any data."""
    shell = use_shell()
    del auth  # observed: its mode decides when this screen is left

    async def save(_event: Any) -> None:
        await shell.run(
            shell.app.choose_new_pin,
            draft["pin"],
            draft["pin_again"],
            busy="setup.creating",
            before_draw=lambda: draft.forget_pins(shell.failed),
        )

    return ft.Column(
        [
            heading(shell.tr("newpin.title")),
            tagged("newpin-intro", ft.Text(shell.tr("newpin.intro"))),
            *pin_fields(shell, "renew-pin", draft, on_submit=save),
            button("renew-save", shell.tr("newpin.save"), save, icon=ft.Icons.LOCK),
        ],
        spacing=12,
    )


def pin_fields(
    shell: Shell, identifier: str, draft: Draft, *, on_submit: Handler
) -> list[ft.Control]:
    """A new PIN and the same again (set-up, and a supervisor added later), kept in the
    draft's ``pin`` and ``pin_again``."""
    return [
        pin_field(identifier, shell.tr("setup.pin"), draft["pin"], keeps(draft, "pin"), shell.lang),
        pin_field(
            f"{identifier}-again",
            shell.tr("setup.pin_again"),
            draft["pin_again"],
            keeps(draft, "pin_again"),
            shell.lang,
            on_submit=on_submit,
        ),
    ]
