"""Texts of issue 11's "kind to mistakes": asking before "all present", undo before
sending, the correction dialog's who and when, and closing a month only when it is
over and with its unrecorded days acknowledged. Merged into :mod:`client.app.texts.i18n`."""

from __future__ import annotations

from collections.abc import Mapping

from shared.i18n import N_, NN_, NP_, Text

MISTAKE_TEXTS: Mapping[str, Text] = {
    # "all present" on another day or over a limit
    "all_present.not_confirmed": N_("Check who would be marked, then confirm."),
    "all_present.title": N_("Mark everyone present?"),
    "month.closed_reason_missing": N_("The month is closed: give a reason first."),
    "all_present.other_day": N_("This is {weekday} {date}, not today."),
    "all_present.intro": NN_(
        "{count} participant will be marked present with the plan's usual hours:",
        "{count} participants will be marked present with the plan's usual hours:",
        "count",
    ),
    "all_present.line": N_("{name}, {hours} h"),
    "all_present.breaking": NN_(
        "{count} mark would break a limit (below).",
        "{count} marks would break a limit (below).",
        "count",
    ),
    "all_present.confirm": NN_("Mark {count} present", "Mark {count} present", "count"),
    # undo and changes before sending
    "undo.button": NP_("undo button", "Undo"),
    "undo.done": N_("Undone: {name}"),
    "undo.nothing": N_("There is nothing to undo."),
    "undo.already_sent": N_(
        "The record of {name} has already been sent to the server: choose the right mark "
        "and give a reason."
    ),
    "undo.unsent": N_("Not sent yet: undo or change without a reason."),
    "correction.for": N_("{name}, {weekday} {date}"),
    # a first mark in a closed month asks why too: "already has a record" would be wrong
    "correction.intro_closed": N_(
        "The month is closed. Say briefly why the day is recorded or changed now "
        "(no health details)."
    ),
    # closing a month
    "month.not_over": N_("A month can be closed after its last day, from {day} on."),
    "month.unmarked_not_acknowledged": NN_(
        "{count} expected day is not recorded: tick that you have seen it, then close.",
        "{count} expected days are not recorded: tick that you have seen them, then close.",
        "count",
    ),
    "month.unmarked_title": NN_(
        "{count} expected day not recorded:",
        "{count} expected days not recorded:",
        "count",
    ),
    "month.acknowledge": NN_(
        "I know that {count} expected day stays unrecorded",
        "I know that {count} expected days stay unrecorded",
        "count",
    ),
    "month.close_now": N_("Close {month}"),
}
