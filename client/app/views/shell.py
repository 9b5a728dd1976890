"""The frame around every screen: sync status always visible, navigation, the body.

The page is drawn by Flet's renderer from components given the observable state
(UI = function of state): each screen is a component of the state objects it is
given (``SCREENS`` in ``client.app.main``), and a command's changes re-draw what was
drawn from them. The shell is what a screen needs besides its state (the words of
the screen's language, running a command, a dialog), provided to the components as
a context (:func:`use_shell`); a command ends with :meth:`Shell.render`, which also
starts the screen's scroll at the top. Commands run on the store's worker thread;
the event loop only awaits them, so scrypt, SQLite and HTTP never freeze the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

import flet as ft

from client.app.state import AppError, AppState, Screen
from client.app.state.feedback import Feedback
from client.app.texts.i18n import LANGUAGES, t
from client.app.texts.problems import store_problem
from client.app.ui.observable import Frame
from client.app.views import theme
from client.app.views.common import TOUCH, Handler, icon_button, problem_text, tagged
from client.app.worker import Worker
from client.store import StoreError, StoreLocked

TABLET_WIDTH = 700
NAV = (
    (Screen.TODAY, "nav.today", ft.Icons.TODAY),
    (Screen.OVERVIEW, "nav.overview_short", ft.Icons.CALENDAR_VIEW_WEEK),
    (Screen.SYNC, "nav.sync", ft.Icons.SYNC),
    (Screen.MORE, "nav.more", ft.Icons.MENU),
)
# a phone's bottom bar has about 90 px a tab: shorter words where a language needs them
BOTTOM_LABELS = {"nav.sync": "nav.sync_short"}
TITLES = {
    Screen.SETUP: "setup.title",
    Screen.UNLOCK: "unlock.title",
    Screen.NEW_PIN: "newpin.title",
    Screen.TODAY: "nav.today",
    Screen.PARTICIPANT: "participant.title",
    Screen.OVERVIEW: "nav.overview",
    Screen.SYNC: "nav.sync",
    Screen.MONTH: "month.title",
    Screen.MORE: "more.title",
}

# a screen: the call of its component with the parts of the app's state it is drawn from
ScreenComponent = Callable[[AppState], ft.Control]


def page_locale(lang: str) -> ft.LocaleConfiguration:
    """The screen's language for Flutter's own words too (a dialog's barrier, a text
    field's buttons), which are otherwise English."""
    return ft.LocaleConfiguration(
        supported_locales=[ft.Locale(code) for code in LANGUAGES], current_locale=ft.Locale(lang)
    )


# The screens are components (``@ft.component`` functions of the state objects they
# are given): Flet re-runs one when an object it was given changes, and a command's
# changes are sent once the command has finished (client.app.state.observable). What
# a screen needs besides its state (the language's words, running a command, showing
# a dialog) is the session's shell, which the root provides as a context.

SessionContext = ft.create_context(cast("Shell | None", None))


def use_shell() -> Shell:
    """The session's shell, inside a component drawn under :func:`shell_view`."""
    shell = ft.use_context(SessionContext)
    if shell is None:
        raise RuntimeError("a screen component was drawn outside the shell")
    return shell


@ft.component
def shell_view(shell: Shell, frame: Frame, app: AppState, feedback: Feedback) -> ft.Control:
    """The session's root: title bar, sync strip, navigation and the screen. Re-run
    when the app's state changes (screen, language), when what the last command said
    changes, and at each :meth:`Shell.render`."""
    del frame, app, feedback  # observed, read through the shell
    return SessionContext(shell, shell.draw)


T = TypeVar("T")


class Said(Generic[T]):
    """A shell attribute kept in the session's state (``AppState.feedback``), so that
    setting it re-draws what is drawn from it."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, shell: Shell, owner: type | None = None) -> T:
        return cast(T, getattr(shell.app.feedback, self.name))

    def __set__(self, shell: Shell, value: T) -> None:
        setattr(shell.app.feedback, self.name, value)


class Shell:
    def __init__(
        self,
        page: ft.Page,
        app: AppState,
        worker: Worker,
        screens: dict[Screen, ScreenComponent],
        status: ScreenComponent,
        *,
        sync_worker: Worker | None = None,
    ) -> None:
        self.page = page
        self.app = app
        self.worker = worker
        self.sync_worker = sync_worker or worker  # HTTP never queues behind a tap's save
        self.dialog_open = False
        self.screens = screens
        self.strip = status
        self.failed: AppError | None = None  # what the last command refused, if anything
        self.frame = Frame()
        self.scroll_generation = 0
        self.drawn_wide = False

    # what the last command said lives in the session's state (AppState.feedback),
    # observed by the root: these name it where the views set it
    problem = Said[str | None]()
    notice = Said[str | None]()
    busy = Said[str | None]()
    syncing = Said[bool]()

    @property
    def lang(self) -> str:
        return self.app.lang

    def tr(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    @property
    def wide(self) -> bool:
        width = self.page.width
        return bool(width and width >= TABLET_WIDTH)

    # -- drawing -------------------------------------------------------------------------
    def mount(self) -> None:
        """Hand the page to Flet's renderer: from now on the shell's component draws it,
        again each time :meth:`render` bumps the frame (Flet sends only what changed)."""
        self.page.title = t("app.title", self.lang)
        self.page.locale_configuration = page_locale(self.lang)
        self.page.render(shell_view, self, self.frame, self.app, self.app.feedback)

    def render(self) -> None:
        """Ask for a re-draw from the state (the component runs on the session's loop).

        The screen's scroll position starts again at the top, as after every command
        so far (a fresh scrollable: see :meth:`draw`); :meth:`redraw` keeps it."""
        self.scroll_generation += 1
        self.redraw()

    def redraw(self) -> None:
        """Re-draw keeping the scroll position (the sync strip's progress ring)."""
        title = t("app.title", self.lang)
        locale = page_locale(self.lang)
        if self.page.title != title or self.page.locale_configuration != locale:
            self.page.title = title
            self.page.locale_configuration = locale
            self.page.update()
        self.frame.bump()

    def draw(self) -> ft.Control:
        """The whole screen as a function of the state: called by :func:`shell_view`."""
        self.drawn_wide = self.wide
        body = self.screens[self.app.screen](self.app)
        column = ft.Column(
            [
                *([problem_text("problem", self.problem)] if self.problem else []),
                *([self._notice()] if self.busy or self.notice else []),
                body,
            ],
            spacing=12,
            scroll=ft.ScrollMode.AUTO,
            expand=True,
            key=f"body-{self.scroll_generation}",
        )
        content = ft.Container(
            column, padding=ft.Padding.symmetric(horizontal=12, vertical=8), expand=True
        )
        # no navigation before the unlock, nor while a refused PIN waits to be replaced
        sealed = self.app.screen not in (Screen.SETUP, Screen.UNLOCK, Screen.NEW_PIN)
        parts: list[ft.Control] = [self._top_bar(sealed), self.strip(self.app)]
        if sealed and self.drawn_wide:
            parts.append(
                ft.Row(
                    [self._nav(vertical=True), ft.VerticalDivider(width=1), content],
                    expand=True,
                    spacing=0,
                    vertical_alignment=ft.CrossAxisAlignment.START,
                )
            )
        else:
            parts.append(content)
            if sealed:
                parts.append(self._nav(vertical=False))
        return ft.Column(parts, expand=True, spacing=0)

    def _notice(self) -> ft.Control:
        if self.busy:
            return tagged(
                "busy", ft.Row([ft.ProgressRing(width=20, height=20), ft.Text(self.tr(self.busy))])
            )
        if not self.notice:
            return ft.Container(height=0)
        return tagged(
            "notice",
            ft.Container(
                ft.Text(self.notice, color=theme.NOTICE_TEXT),
                bgcolor=theme.NOTICE_BACKGROUND,
                padding=10,
                border_radius=8,
            ),
        )

    def _top_bar(self, sealed: bool) -> ft.Control:
        title = self.tr(TITLES[self.app.screen])
        actions: list[ft.Control] = []
        if self.app.screen is Screen.PARTICIPANT:
            actions.append(
                icon_button(
                    "back", ft.Icons.ARROW_BACK, self.tr("shell.back"), self.on(self.app.back)
                )
            )
        row: list[ft.Control] = [
            *actions,
            ft.Text(
                title,
                size=20,
                weight=ft.FontWeight.BOLD,
                expand=True,
                color=theme.ON_PRIMARY_CONTAINER,
            ),
        ]
        if sealed or self.app.screen is Screen.NEW_PIN:
            row.append(
                icon_button(
                    "lock", ft.Icons.LOCK_OUTLINE, self.tr("shell.lock"), self.on(self.app.lock)
                )
            )
        return ft.Container(
            ft.Row(row, height=56),
            bgcolor=theme.PRIMARY_CONTAINER,
            padding=ft.Padding.symmetric(horizontal=12),
        )

    def _nav(self, *, vertical: bool) -> ft.Control:
        items: list[ft.Control] = []
        for screen, key, icon in NAV:
            selected = self.app.screen is screen or (
                screen is Screen.MORE and self.app.screen is Screen.MONTH
            )
            label = self.tr(BOTTOM_LABELS.get(key, key) if not vertical else key)
            control = ft.TextButton(
                content=ft.Column(
                    [ft.Icon(icon), ft.Text(label, size=12, no_wrap=True)],
                    spacing=2,
                    tight=True,
                    horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                )
                if not vertical
                else ft.Row([ft.Icon(icon), ft.Text(label)]),
                on_click=self.on(self.app.go, screen),
                height=64 if not vertical else TOUCH,
                style=ft.ButtonStyle(
                    bgcolor=theme.SECONDARY_CONTAINER if selected else None,
                    shape=ft.RoundedRectangleBorder(radius=12),
                ),
            )
            items.append(
                tagged(f"nav-{screen.value}", control, label)
                if not vertical
                else tagged(f"nav-{screen.value}", control)
            )
            if not vertical:
                items[-1].expand = True
        if vertical:
            return ft.Container(ft.Column(items, spacing=4), width=200, padding=8)
        return ft.Container(ft.Row(items, spacing=2), padding=4, bgcolor=theme.SURFACE_CONTAINER)

    # -- commands ------------------------------------------------------------------------
    def on(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Handler:
        """An event handler that runs the command ``fn`` off the loop, then re-draws."""

        async def handler(_event: Any) -> None:
            await self.run(fn, *args, **kwargs)

        return handler

    async def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        busy: str | None = None,
        before_draw: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run a state command on the worker; show what went wrong in words; re-draw.

        ``before_draw`` runs after the command and before the re-draw (a form deciding
        which fields to empty from ``failed``)."""
        self.app.feedback.start(busy)
        self.failed = None
        if busy:
            self.render()
        result: Any = None
        try:
            result = await self.worker.run(self._touch_then, fn, *args, **kwargs)
        except AppError as exc:
            self.failed = exc
            self.problem = exc.text(self.lang)
        except StoreLocked:
            await self.worker.run(self.app.check_idle)
        except StoreError as exc:
            self.problem = store_problem(exc).text(self.lang)
        finally:
            self.busy = None
        if before_draw is not None:
            before_draw()
        self.render()
        return result

    def _touch_then(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.app.touch()
        try:
            return fn(*args, **kwargs)
        finally:
            # the strip's count is the outbox's as it is now, not as the last tick saw it
            self.app.sync.refresh()

    def dialog(self, dialog: ft.AlertDialog) -> None:
        async def dismissed(_event: Any) -> None:
            self.dialog_open = False

        dialog.on_dismiss = dismissed
        if dialog.semantics_label is None:
            # announced by its title in the screen's language, not Flutter's "Alert"
            title = dialog.title
            if isinstance(title, ft.Text):
                title = title.value
            dialog.semantics_label = title if isinstance(title, str) else None
        self.dialog_open = True
        self.page.show_dialog(dialog)

    def close_dialog(self) -> None:
        self.dialog_open = False
        self.page.pop_dialog()
