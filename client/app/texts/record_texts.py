"""Texts of a day's note, who recorded it and its versions, and the whole site not held
on a day (issue 11). Merged into the app's texts in :mod:`client.app.texts.i18n`."""

from __future__ import annotations

from collections.abc import Mapping

from shared.i18n import N_, NN_, Text

RECORD_TEXTS: Mapping[str, Text] = {
    # a note per day: never health details
    "note.label": N_("Note (optional)"),
    "note.hint": N_("Do not write health details: no diagnoses, symptoms or medicines."),
    "note.shown": N_("Note: {note}"),
    # who recorded it, and its versions
    "recorded.by": N_("Recorded by {name} {date} at {time}"),
    "recorded.elsewhere": N_("Recorded on another device {date} at {time}"),
    "history.open": N_("History"),
    "history.open_name": N_("History of {date}"),
    "history.title": N_("{name}, {date}"),
    "history.version": N_("Version {number}"),
    "history.current": N_("In force"),
    "history.correction": N_("Reason for correction: {reason}"),
    "history.no_note": N_("No note"),
    "history.waiting": N_("Waiting to be sent"),
    "history.sent": N_("Sent"),
    "history.from_server": N_("Received from the server"),
    "history.empty": N_("This day has no records."),
    "history.close": N_("Close"),
    # the whole site not held on a day
    "site_day.button": N_("Not held: whole site"),
    "site_day.title": N_("Not held on {date}"),
    "site_day.confirm": NN_(
        "Mark {count} participant expected on {date} as not held (a holiday, the site closed)?",
        "Mark {count} participants expected on {date} as not held (a holiday, the site closed)?",
        "count",
    ),
    "site_day.keep": NN_(
        "{count} participant already has a record of the day and keeps it.",
        "{count} participants already have a record of the day and keep it.",
        "count",
    ),
    "site_day.only_marked": NN_(
        "{count} participant expected on {date} already has a record of the day.",
        "{count} participants expected on {date} already have a record of the day.",
        "count",
    ),
    "site_day.closed": N_("The month is closed: every change needs a reason."),
    "site_day.reason": N_("Reason for the change"),
    "site_day.reason_marked": N_("Reason (only to change records already made)"),
    "site_day.reason_missing": N_("Give a reason: records already made change only with one."),
    "site_day.mark": N_("Mark not held ({count})"),
    "site_day.mark_all": N_("Mark all, also those with a record ({count})"),
    "site_day.done": NN_(
        "Not held: {count} participant marked", "Not held: {count} participants marked", "count"
    ),
}
