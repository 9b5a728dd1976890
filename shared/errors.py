"""The domain's exceptions, grouped by what the caller does next.

Everything raised on purpose by ``shared`` derives from :class:`LasnaError`. A caller
that cannot fix the input (a county's file, a device's message) rejects it with the
exception's message, which is a full sentence a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shared.i18n import Text


class LasnaError(Exception):
    """Base of every error this project raises on purpose."""


class RejectedInput(LasnaError):
    """Input that can never be accepted as it is: fix it and try again."""


class RuleSetError(RejectedInput):
    """A rule set's data is inconsistent (for example, a minimum above its maximum)."""


class PlanError(RejectedInput):
    """A plan or plan version breaks its rule set's limits or is malformed.

    ``str()`` is the English sentence for logs and the command line; a form says
    :meth:`message` in its reader's language, beside ``field`` (the plan field at
    fault: ``days_max``, ``end``, ``weekdays`` …, or None when it is the whole plan).
    """

    def __init__(
        self,
        message: str,
        *,
        text: Text | None = None,
        field: str | None = None,
        params: Mapping[str, Any | Callable[[str], str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.text = text
        self.field = field
        self.params = dict(params or {})

    def message(self, language: str) -> str:
        """The problem in ``language``, without the plan's id (the form already says it).

        A parameter may be a function of the language (a number with a decimal comma,
        a payer's name), so that it is written as the reader writes it."""
        if self.text is None:
            return str(self)
        said = {k: v(language) if callable(v) else v for k, v in self.params.items()}
        return self.text.say(language, **said)


class RecordError(RejectedInput):
    """A day record's fields cannot describe a real day (wrong status fields, bad times)."""


class UnknownRuleSet(RejectedInput):
    """A plan names a rule set that is not known (or not in force on a date)."""
