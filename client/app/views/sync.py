"""Sync status, always visible, and the sync screen with what needs resolving."""

from __future__ import annotations

from typing import Any

import flet as ft

from client.app.state import AuthMode, AuthState, SyncStatusState
from client.app.state.drafts import Draft
from client.app.state.feedback import Feedback
from client.app.texts.i18n import fmt_date, fmt_datetime
from client.app.texts.problems import needs_action
from client.app.texts.words import record_summary
from client.app.views import theme
from client.app.views.common import (
    TOUCH,
    button,
    card,
    field,
    finding_box,
    heading,
    keeps,
    tagged,
)
from client.app.views.shell import Shell, use_shell


def status_words(shell: Shell, sync: SyncStatusState) -> tuple[str, str, str]:
    """(connection, pending, last sync) as the supervisor reads them."""
    state = sync.state
    if state is None or state.online is None:
        online = shell.tr("sync.unknown")
    else:
        online = shell.tr("sync.online" if state.online else "sync.offline")
    pending = (
        shell.tr("sync.pending", count=sync.pending) if sync.pending else shell.tr("sync.all_sent")
    )
    last = state.last_success if state else None
    when = fmt_datetime(last) if last else shell.tr("sync.never")
    return online, pending, shell.tr("sync.last_success", when=when)


async def sync_now(shell: Shell, *, quiet: bool = False) -> None:
    """Sync with a visible progress indicator; the screen stays usable meanwhile.

    ``quiet`` (the background timer) shows only the strip, no notice or problem."""
    if shell.syncing:
        return
    shell.syncing = True
    shell.redraw()
    try:
        round_ = await shell.sync_worker.run(shell.app.sync.sync_now)
        if not quiet:
            shell.notice = (
                shell.tr("sync.done", pushed=round_.pushed, pulled=round_.pulled)
                if round_.ok
                else None
            )
            shell.problem = (
                None
                if round_.ok
                else shell.tr("sync.failed_because", detail=round_.problem)
                if needs_action(round_.problem)
                else shell.tr("sync.failed")
            )
        await shell.worker.run(shell.app.reload)
    finally:
        shell.syncing = False
    shell.render()


@ft.component
def SyncStrip(sync: SyncStatusState, auth: AuthState, feedback: Feedback) -> ft.Control:
    """The strip under the title on every screen, re-drawn when what it says changes
    (the session's timer reads the counts every two seconds)."""
    shell = use_shell()
    del feedback  # observed: a round starting or ending (read as shell.syncing)
    online, pending, last = status_words(shell, sync)
    state = sync.state
    offline = bool(state and state.online is False)
    icon = (
        ft.Icons.CLOUD_OFF
        if offline
        else (ft.Icons.CLOUD_DONE if state and state.online else ft.Icons.CLOUD_QUEUE)
    )
    attention = (state.conflicts + state.rejections) if state else 0

    async def now(_event: Any) -> None:
        await sync_now(shell)

    words: list[ft.Control] = [
        tagged("sync-online", ft.Text(online, weight=ft.FontWeight.W_600)),
        tagged("sync-pending", ft.Text(pending)),
    ]
    if attention:
        words.append(
            tagged(
                "sync-attention",
                ft.Text(
                    shell.tr("sync.attention_title", count=attention), color=theme.PROBLEM_TEXT
                ),
            )
        )
    overdue = sync.overdue_days
    if overdue is not None:  # the stated offline limit: may miss the night's forward
        words.append(
            tagged(
                "sync-overdue",
                ft.Text(shell.tr("sync.overdue", days=overdue), color=theme.PROBLEM_TEXT),
            )
        )
    if needs_action(sync.problem):  # a revoked device, an app too old: the sync screen says why
        words.append(
            tagged(
                "sync-needs-action",
                ft.Text(shell.tr("sync.needs_action"), color=theme.PROBLEM_TEXT),
            )
        )
    if auth.mode is not AuthMode.UNLOCKED:  # sync needs the unlocked store
        action: ft.Control = ft.Container()
    elif shell.syncing:
        action = tagged(
            "sync-progress",
            ft.Row([ft.ProgressRing(width=20, height=20), ft.Text(shell.tr("sync.in_progress"))]),
        )
    else:
        action = button("sync-now", shell.tr("sync.now"), now, kind="text", icon=ft.Icons.SYNC)
    return tagged(
        "sync-status",
        ft.Container(
            ft.Row(
                [
                    ft.Icon(icon, color=theme.WARNING if offline else theme.GOOD),
                    ft.Row(words, wrap=True, spacing=10, expand=True),
                    action,
                ],
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            bgcolor=theme.OFFLINE_BACKGROUND if offline else theme.SURFACE_CONTAINER_LOW,
            padding=ft.Padding.symmetric(horizontal=12, vertical=4),
            height=None,
        ),
        f"{online}. {pending}. {last}",
    )


@ft.component
def SyncScreen(sync: SyncStatusState, auth: AuthState, reenroll: Draft) -> ft.Control:
    """Where the device stands with the server, and what the server refused."""
    shell = use_shell()
    state = sync.state
    lang = shell.lang
    online, pending, last = status_words(shell, sync)

    async def now(_event: Any) -> None:
        await sync_now(shell)

    lines: list[ft.Control] = [
        tagged("sync-screen-online", ft.Text(online, size=18, weight=ft.FontWeight.W_600)),
        tagged("sync-screen-pending", ft.Text(pending, size=16)),
        tagged("sync-screen-last", ft.Text(last)),
    ]
    if state and state.online is False:
        lines.append(tagged("sync-offline-calm", ft.Text(shell.tr("sync.offline_calm"))))
    problem = sync.problem
    if problem is not None:
        urgent = needs_action(problem)
        lines.append(
            tagged(
                "sync-last-error",
                ft.Text(
                    shell.tr("sync.last_error", detail=problem),
                    color=theme.PROBLEM_TEXT if urgent else theme.ON_SURFACE_VARIANT,
                    size=14 if urgent else 12,
                ),
            )
        )
    if state:
        lines.append(
            ft.Text(
                f"{shell.tr('sync.conflicts', count=state.conflicts)} · "
                f"{shell.tr('sync.rejections', count=state.rejections)}"
            )
        )
    lines.append(
        ft.Container(
            tagged(
                "sync-progress-big",
                ft.Row(
                    [ft.ProgressRing(width=24, height=24), ft.Text(shell.tr("sync.in_progress"))]
                ),
            )
            if shell.syncing
            else button("sync-now-big", shell.tr("sync.now"), now, icon=ft.Icons.SYNC),
            height=TOUCH + 8,
        )
    )
    items: list[ft.Control] = [card(ft.Column(lines, spacing=8), "sync-card")]
    if sync.revoked and auth.mode is AuthMode.UNLOCKED:
        items.append(_reenroll(shell, sync, reenroll))
    if auth.mode is AuthMode.UNLOCKED:
        items.append(heading(shell.tr("sync.attention_title", count=len(sync.attention)), 16))
        if not sync.attention:
            items.append(ft.Text(shell.tr("sync.attention_none")))
        names = sync.names
        for item in sync.attention:
            record = item.record
            status_key = (
                "sync.status_conflict" if item.status == "conflict" else "sync.status_rejected"
            )
            who = names.get(record.participant_id, "")
            parts: list[ft.Control] = [
                ft.Text(
                    f"{shell.tr(status_key)}: {who} {fmt_date(record.day)}",
                    weight=ft.FontWeight.W_600,
                    color=theme.PROBLEM_TEXT,
                ),
                ft.Text(shell.tr("sync.yours", summary=record_summary(record, lang))),
            ]
            if item.current is not None:
                parts.append(
                    tagged(
                        f"theirs-{record.id}",
                        ft.Text(
                            shell.tr("sync.theirs", summary=record_summary(item.current, lang))
                        ),
                    )
                )
            parts += [
                finding_box(f"attention-finding-{record.id}-{i}", f, lang)
                for i, f in enumerate(item.findings)
            ]
            parts.append(ft.Text(shell.tr("sync.resolve_hint"), size=12))
            parts.append(
                button(
                    f"resolve-{record.id}",
                    shell.tr("sync.resolve"),
                    shell.on(sync.resolve, record.id),
                    kind="outlined",
                )
            )
            items.append(card(ft.Column(parts, spacing=6), f"attention-{record.id}"))
    return ft.Column(items, spacing=10)


def _reenroll(shell: Shell, sync: SyncStatusState, draft: Draft) -> ft.Control:
    """A revoked device joins again with a new code; its unsent records stay and go.
    The address starts as the one the device knows (:meth:`AppState.start`)."""

    async def connect(_event: Any) -> None:
        def forget_code() -> None:
            if shell.failed is None:
                draft.clear("code")

        round_ = await shell.run(
            sync.reenroll,
            draft["server_url"],
            draft["code"],
            busy="sync.reenrolling",
            before_draw=forget_code,
        )
        if round_ is not None:
            if round_.ok:
                shell.notice = shell.tr("sync.done", pushed=round_.pushed, pulled=round_.pulled)
            else:
                shell.problem = shell.tr("sync.failed")
            await shell.worker.run(shell.app.reload)
            shell.render()

    return card(
        ft.Column(
            [
                heading(shell.tr("sync.reenroll_title"), 16),
                ft.Text(shell.tr("sync.reenroll_intro")),
                field(
                    "reenroll-server-url",
                    shell.tr("setup.server_url"),
                    draft["server_url"],
                    keeps(draft, "server_url"),
                ),
                field(
                    "reenroll-code",
                    shell.tr("setup.code"),
                    draft["code"],
                    keeps(draft, "code"),
                    on_submit=connect,
                ),
                button(
                    "reenroll-button",
                    shell.tr("sync.reenroll_button"),
                    connect,
                    icon=ft.Icons.LINK,
                ),
            ],
            spacing=10,
        ),
        "reenroll",
    )
