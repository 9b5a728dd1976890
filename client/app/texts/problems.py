"""Errors from the store and the sync client, said in the supervisor's language.

Both packages put a stable code and simple params beside their English sentence
(:class:`shared.error_codes.ErrorCode`, one of :data:`client.sync.SYNC_PROBLEMS` or
:data:`client.store.STORE_PROBLEMS`); a :class:`Problem` turns them into the texts of
:mod:`client.app.texts.problem_texts`. A refusal from the server is said by the code the
sync client reports it as, never in the server's English, which is only the detail. A code
this version of the app does not know (a newer store, an older one that kept only the
sentence) falls back to a translated general sentence with the English detail, which
is what helps whoever supports the site.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from client.app.texts.i18n import TEXTS, fmt_time, t
from client.store import StoreError
from client.sync import ErrorCode, SyncError, SyncReport, SyncState

SYNC = "sync_error"
STORE = "store_error"
# Failures the background schedule simply tries again: the calm offline text says enough.
PASSING = frozenset(
    {
        ErrorCode.UNREACHABLE,
        ErrorCode.SERVER_BUSY,
        ErrorCode.SERVER_ERROR,
        ErrorCode.NOT_ANSWERED,
    }
)


@dataclass(frozen=True)
class Problem:
    """One error to show: ``namespace`` ("sync_error" or "store_error"), its code and
    params, and the English sentence for an unknown code.
    :class:`client.app.texts.i18n.Localised`."""

    namespace: str
    code: str | None
    params: Mapping[str, Any] = field(default_factory=dict)
    detail: str = ""

    @property
    def key(self) -> str:
        """The text's key, or the namespace's ``unknown`` when the code has no text."""
        key = f"{self.namespace}.{self.code}"
        return key if self.code and key in TEXTS else f"{self.namespace}.unknown"

    def text(self, lang: str) -> str:
        params = {k: fmt_time(v) if isinstance(v, datetime) else v for k, v in self.params.items()}
        detail = self.detail or self.code or "?"
        try:
            return t(self.key, lang, **{**params, "detail": detail})
        except (KeyError, IndexError, ValueError):  # params that do not fit the text
            return t(f"{self.namespace}.unknown", lang, detail=detail)


def sync_problem(error: SyncError) -> Problem:
    """What the sync client raised (an enrollment refused, an address not usable)."""
    code, params = error.problem()
    return Problem(SYNC, str(code), params, str(error))


def sync_state_problem(state: SyncState | None) -> Problem | None:
    """The last sync error kept in the store, or None after a good round."""
    if state is None or not state.last_error:
        return None
    return Problem(SYNC, state.last_error_code, state.last_error_params, state.last_error)


def sync_problem_of_round(report: SyncReport) -> Problem | None:
    """Why one round failed, or None when it did not (or only waited for an unlock)."""
    if report.ok or not report.error:
        return None
    return Problem(SYNC, report.error_code, report.error_params, report.error)


def store_problem(error: StoreError) -> Problem:
    return Problem(STORE, str(error.code), error.params, str(error))


def needs_action(problem: Problem | None) -> bool:
    """A failure a person must do something about (not just wait for the network)."""
    return problem is not None and problem.code not in PASSING
