"""More: language, closing the month, another supervisor on a shared tablet."""

from __future__ import annotations

from typing import Any

import flet as ft

from client.app.state import AppState, AuthMode, Screen
from client.app.state.drafts import Draft
from client.app.views.common import button, card, field, heading, keeps, pin_field, tagged
from client.app.views.setup import language_row, pin_fields
from client.app.views.shell import use_shell


@ft.component
def MoreScreen(app: AppState, added: Draft, changed: Draft) -> ft.Control:
    """Language, the month's close, another supervisor, one's own PIN, the settings."""
    shell = use_shell()
    minutes = int(app.device.idle_timeout.total_seconds() // 60)

    async def add(_event: Any) -> None:
        name = await shell.run(
            app.auth.add_supervisor,
            added["name"],
            added["pin"],
            added["pin_again"],
            before_draw=lambda: added.forget_pins(shell.failed),
        )
        if name:
            added.clear()
            shell.notice = shell.tr("more.supervisor_added", name=name)
            shell.render()

    supervisor = card(
        ft.Column(
            [
                heading(shell.tr("more.add_supervisor"), 16),
                field("new-name", shell.tr("setup.name"), added["name"], keeps(added, "name")),
                *pin_fields(shell, "new-pin", added, on_submit=add),
                button(
                    "new-add", shell.tr("more.add"), add, kind="tonal", icon=ft.Icons.PERSON_ADD
                ),
            ],
            spacing=10,
        )
    )

    def forget_changed() -> None:
        if shell.problem is not None and shell.failed is None:
            changed.clear("old_pin")  # the current PIN was wrong: the new one may stay
            return
        if shell.problem is None:
            changed.clear("old_pin")
        changed.forget_pins(shell.failed)

    async def change(_event: Any) -> None:
        await shell.run(
            app.auth.change_pin,
            changed["old_pin"],
            changed["pin"],
            changed["pin_again"],
            busy="setup.creating",
            before_draw=forget_changed,
        )
        if shell.problem is None and app.auth.mode is AuthMode.UNLOCKED:
            shell.notice = shell.tr("more.pin_changed")
            shell.render()

    own_pin = card(
        ft.Column(
            [
                heading(shell.tr("more.change_pin"), 16),
                pin_field(
                    "old-pin",
                    shell.tr("more.current_pin"),
                    changed["old_pin"],
                    keeps(changed, "old_pin"),
                    shell.lang,
                ),
                *pin_fields(shell, "changed-pin", changed, on_submit=change),
                button(
                    "change-pin",
                    shell.tr("more.change_pin"),
                    change,
                    kind="tonal",
                    icon=ft.Icons.PASSWORD,
                ),
            ],
            spacing=10,
        )
    )
    info: list[ft.Control] = [ft.Text(shell.tr("shell.signed_in", name=app.auth.supervisor_name))]
    if app.site_name:
        info.append(ft.Text(shell.tr("more.site", site=app.site_name)))
    info.append(ft.Text(shell.tr("more.idle", minutes=max(minutes, 1))))
    days = app.device.offline_limit_days
    info.append(tagged("more-offline-limit", ft.Text(shell.tr("more.offline_limit", days=days))))
    info.append(tagged("more-secret-place", ft.Text(shell.tr(app.secret_place_key))))
    return ft.Column(
        [
            heading(shell.tr("shell.language"), 16),
            language_row(shell),
            button(
                "more-month",
                shell.tr("month.title"),
                shell.on(app.go, Screen.MONTH),
                kind="outlined",
                icon=ft.Icons.LOCK_CLOCK,
            ),
            supervisor,
            own_pin,
            card(ft.Column(info, spacing=4)),
        ],
        spacing=12,
    )
