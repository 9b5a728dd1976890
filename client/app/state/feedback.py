"""What the app says about the last command, above every screen: the problem it met
or the notice it gave, the long job now running, and whether a sync round runs.

Part of the session's state (``AppState.feedback``) rather than of a view, so the
shell's root component and the sync strip are drawn from it like any other state."""

from __future__ import annotations

from client.app.state.observable import StateObservable


class Feedback(StateObservable):
    def __init__(self) -> None:
        self.problem: str | None = None  # a sentence in the screen's language
        self.notice: str | None = None
        self.busy: str | None = None  # the text key of the long job now running
        self.syncing = False  # a round started from this session is running

    def start(self, busy: str | None = None) -> None:
        """A command starts: what the last one said goes."""
        self.problem = None
        self.notice = None
        self.busy = busy
