"""Setting up the device and unlocking it: the screens before any participant data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from client.app.state import AuthMode
from client.app.state.auth import NEW_PIN, pin_fields_to_clear
from client.app.texts.i18n import LANGUAGE_NAMES, LANGUAGES, fmt_time
from client.app.views import theme
from client.app.views.common import (
    TOUCH,
    Handler,
    button,
    field,
    heading,
    pin_field,
    problem_text,
    tagged,
)
from client.app.views.shell import Shell


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


def build_setup(shell: Shell) -> ft.Control:
    auth = shell.app.auth
    if auth.mode is AuthMode.SETUP_PIN:
        return _pin_step(shell)
    if not shell.form.get("server_url") and auth.server_url:
        shell.form["server_url"] = auth.server_url

    async def next_step(_event: Any) -> None:
        await shell.run(
            auth.choose_server,
            shell.value("server_url"),
            shell.value("code"),
            shell.value("device_name"),
        )

    return ft.Column(
        [
            language_row(shell),
            heading(shell.tr("setup.title")),
            ft.Text(shell.tr("setup.intro")),
            field(
                "setup-server-url",
                shell.tr("setup.server_url"),
                shell.value("server_url"),
                shell.keep("server_url"),
            ),
            field(
                "setup-code",
                shell.tr("setup.code"),
                shell.value("code"),
                shell.keep("code"),
                on_submit=next_step,
            ),
            field(
                "setup-device-name",
                shell.tr("setup.device_name"),
                shell.value("device_name") or auth.device_name,
                shell.keep("device_name"),
            ),
            button("setup-next", shell.tr("setup.enroll"), next_step, icon=ft.Icons.LINK),
        ],
        spacing=12,
    )


def _pin_step(shell: Shell) -> ft.Control:
    app = shell.app

    async def create(_event: Any) -> None:
        await shell.run(
            app.create_first_supervisor,
            shell.value("name"),
            shell.value("pin"),
            shell.value("pin_again"),
            busy="setup.creating",
            before_draw=forget_pins(shell, "pin"),
        )

    return ft.Column(
        [
            heading(shell.tr("setup.pin_title")),
            ft.Text(app.auth.server_url),
            field(
                "setup-name",
                shell.tr("setup.name"),
                shell.value("name"),
                shell.keep("name"),
                autofocus=True,
            ),
            *pin_fields(shell, "setup-pin", "pin", on_submit=create),
            ft.Row(
                [
                    button(
                        "setup-back",
                        shell.tr("shell.back"),
                        shell.on(app.auth.back_to_server),
                        kind="outlined",
                    ),
                    button("setup-create", shell.tr("setup.create"), create, icon=ft.Icons.LOCK),
                ],
                wrap=True,
            ),
        ],
        spacing=12,
    )


def build_unlock(shell: Shell) -> ft.Control:
    app = shell.app
    auth = app.auth
    pin_problem = auth.pin_problem
    message: str | None = None
    if pin_problem is not None:
        when = fmt_time(pin_problem.retry_after) if pin_problem.retry_after else ""
        message = shell.tr(pin_problem.key, remaining=pin_problem.remaining, time=when)

    async def unlock(_event: Any) -> None:
        pin = shell.value("unlock_pin")
        shell.form["unlock_pin"] = ""
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
    overdue = app.sync.overdue_days
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
                "",
                shell.keep("unlock_pin"),
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


def build_new_pin(shell: Shell) -> ft.Control:
    """After unlocking with a PIN from before the PIN rules: a new one, before any data."""
    app = shell.app

    async def save(_event: Any) -> None:
        await shell.run(
            app.choose_new_pin,
            shell.value("renew_pin"),
            shell.value("renew_pin_again"),
            busy="setup.creating",
            before_draw=forget_pins(shell, "renew_pin"),
        )

    return ft.Column(
        [
            heading(shell.tr("newpin.title")),
            tagged("newpin-intro", ft.Text(shell.tr("newpin.intro"))),
            *pin_fields(shell, "renew-pin", "renew_pin", on_submit=save),
            button("renew-save", shell.tr("newpin.save"), save, icon=ft.Icons.LOCK),
        ],
        spacing=12,
    )


def forget_pins(shell: Shell, key: str) -> Callable[[], None]:
    """Empty the PIN fields the last try got wrong (or both after a success); keep
    the ones that were right, so that only the wrong one is typed again."""

    def forget() -> None:
        for name in pin_fields_to_clear(shell.failed):
            shell.form.pop(key if name == NEW_PIN else f"{key}_again", None)

    return forget


def pin_fields(shell: Shell, identifier: str, key: str, *, on_submit: Handler) -> list[ft.Control]:
    """A new PIN and the same again (set-up, and a supervisor added later)."""
    return [
        pin_field(identifier, shell.tr("setup.pin"), shell.value(key), shell.keep(key), shell.lang),
        pin_field(
            f"{identifier}-again",
            shell.tr("setup.pin_again"),
            shell.value(f"{key}_again"),
            shell.keep(f"{key}_again"),
            shell.lang,
            on_submit=on_submit,
        ),
    ]
