"""What is typed into a form and not yet used: part of the state, not of the view.

A draft is one form's text, field by field. Typing changes it without a re-draw (the
field shows its own text; re-drawing at each key would be wasted work), and what a
command decides about it (empty the PIN that was wrong, keep the name that was right)
is a change the form's component re-draws from. A screen's drafts live in
:class:`Drafts`, which the app's state forgets on every lock, so that no PIN or code
typed before a lock is still in memory after it. A dialog makes its own draft when it
opens; it goes with the dialog.
"""

from __future__ import annotations

from client.app.state.auth import NEW_PIN, PIN_AGAIN, pin_fields_to_clear
from client.app.state.errors import AppError
from client.app.state.observable import StateObservable


class Draft(StateObservable):
    """The text of a form's fields, by the names it was made with (another name is a
    mistake in the view, and raises ``KeyError``)."""

    def __init__(self, *names: str, **initial: str) -> None:
        # private: Flet's observable would wrap a public dict and notify at every key
        self._text: dict[str, str] = dict.fromkeys(names, "") | initial
        self.revision = 0  # bumped by a command's change: the form's component re-draws

    @property
    def text(self) -> dict[str, str]:
        return dict(self._text)

    def __getitem__(self, name: str) -> str:
        return self._text[name]

    def typed(self, name: str, value: str) -> None:
        """A key pressed in the field ``name``: noted, nothing re-drawn."""
        if name not in self._text:
            raise KeyError(name)
        self._text[name] = value

    def fill(self, name: str, value: str) -> None:
        """Put ``value`` in an empty field (the server's address the device knows)."""
        if not self._text[name]:
            self.set(**{name: value})

    def set(self, **values: str) -> None:
        unknown = values.keys() - self._text.keys()
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        self._text.update(values)
        self.revision += 1

    def clear(self, *names: str) -> None:
        """Empty ``names``, or every field when none is named."""
        self.set(**dict.fromkeys(names or tuple(self._text), ""))

    def forget_pins(
        self, problem: AppError | None, pin: str = "pin", again: str = "pin_again"
    ) -> None:
        """After a try with a new PIN and its repeat: say what is wrong, keep what is
        right (:func:`client.app.state.auth.pin_fields_to_clear`)."""
        names = {NEW_PIN: pin, PIN_AGAIN: again}
        wrong = [names[field] for field in pin_fields_to_clear(problem)]
        if wrong:
            self.clear(*wrong)


class Drafts:
    """The screens' forms, one draft each; made again on every lock."""

    def __init__(self) -> None:
        self.setup = Draft("server_url", "code", "device_name")
        self.first_supervisor = Draft("name", "pin", "pin_again")
        self.unlock = Draft("pin")
        self.new_pin = Draft("pin", "pin_again")
        self.add_supervisor = Draft("name", "pin", "pin_again")
        self.change_pin = Draft("old_pin", "pin", "pin_again")
        self.reenroll = Draft("server_url", "code")

    def all(self) -> tuple[Draft, ...]:
        return (
            self.setup,
            self.first_supervisor,
            self.unlock,
            self.new_pin,
            self.add_supervisor,
            self.change_pin,
            self.reenroll,
        )
