"""The app's own exceptions, grouped by what the screen does next.

Each carries an i18n key and parameters so that the view can say it in the
supervisor's language; ``str()`` gives the English sentence for logs and tests.
"""

from __future__ import annotations

from typing import Any

from client.app.texts.i18n import t


class AppError(Exception):
    """Base of every error the app's state raises on purpose."""

    def __init__(self, key: str, *, wrong_field: str | None = None, **params: Any) -> None:
        self.key = key
        self.params = params
        # which field of the form holds what is wrong (a form keeps the others)
        self.wrong_field = wrong_field
        super().__init__(t(key, "en", **params))

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


class InputProblem(AppError):
    """What the supervisor typed cannot be used: show the text next to the form."""


class NeedsCorrectionReason(AppError):
    """The day already has a record: ask for a reason, then repeat the command."""


class NotReady(AppError):
    """The device is not set up or not unlocked for this: go to that screen first."""
