"""Every text the app itself shows, in Finnish (default), Swedish and English.

Findings bring their own texts (``Finding.message(lang)``) and statuses, reasons and
severities come from :func:`shared.messages.term`; what the store and the sync client
report comes from :mod:`client.app.texts.problem_texts`; this module holds the rest: screen
titles, buttons, labels and the app's own notices. The texts are gettext messages
(:mod:`shared.i18n`): the English below is the message id, the translations live in
``shared/locale/*/LC_MESSAGES/lasna.po``, and the code names a text by its key. Dates
are written as in Finland (d.M.yyyy) in every language, and weeks are ISO weeks
(:mod:`client.app.texts.dates`, whose helpers are re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from client.app.texts.dates import (
    DEFAULT_LANGUAGE,
    fmt_date,
    fmt_datetime,
    fmt_hours,
    fmt_short_date,
    fmt_time,
    month_name,
    weekday_name,
    weekday_short,
)
from client.app.texts.mistakes import MISTAKE_TEXTS
from client.app.texts.overview_texts import OVERVIEW_TEXTS
from client.app.texts.problem_texts import PROBLEM_TEXTS
from client.app.texts.record_texts import RECORD_TEXTS
from shared.i18n import LANGUAGES, N_, NN_, NP_, Text, by_language, language_name

LANGUAGE_NAMES: Mapping[str, str] = {lang: language_name(lang) for lang in LANGUAGES}

# The same English can be said differently in Finnish or Swedish (a screen's title and
# its button); a context (NP_) keeps such texts apart in the catalogues.
_SCREEN_TEXTS: Mapping[str, Text] = {
    "app.title": N_("Läsnä"),
    # setting up a device
    "setup.title": N_("Set up this device"),
    "setup.intro": N_("Enter the server address and the one-time code from your administrator."),
    "setup.server_url": N_("Server address"),
    "setup.code": N_("One-time code"),
    "setup.device_name": N_("Device name"),
    "setup.enroll": N_("Connect to server"),
    "setup.enrolling": N_("Connecting…"),
    "setup.enrolled": N_("This device is joined to the site {site}. Now create your own PIN."),
    "setup.pin_title": N_("Your PIN"),
    "setup.name": N_("Your name"),
    "setup.pin": N_("PIN (6–12 digits)"),
    "setup.pin_again": N_("PIN again"),
    "setup.create": N_("Create PIN and start"),
    "setup.creating": N_("Protecting the data, one moment…"),
    "error.url_missing": N_("Enter the server address, e.g. https://lasna.example.fi."),
    "error.code_missing": N_("Enter the code from your administrator."),
    "error.enroll_failed": N_("Setting up failed: {detail}"),
    "error.name_missing": N_("Enter your name."),
    "error.pin_format": N_("The PIN must have 6–12 digits."),
    "error.pin_mismatch": N_("The PINs do not match."),
    "error.not_enrolled": N_("Connect the device to the server first."),
    # unlocking
    "unlock.title": NP_("screen title", "Unlock"),
    "unlock.who": N_("Who are you?"),
    "unlock.pin": N_("PIN"),
    "unlock.button": NP_("button", "Unlock"),
    "unlock.checking": N_("Checking…"),
    "unlock.locked_idle": N_("The app locked itself after a while without use."),
    "unlock.wrong_pin": N_("Wrong PIN. Tries left: {remaining}."),
    "unlock.wrong_pin_wait": N_("Wrong PIN. Tries left: {remaining}. Next try at {time}."),
    "unlock.too_early": N_("Please wait: the next try is at {time}."),
    "unlock.locked_out": N_(
        "This PIN is locked after too many tries. Another supervisor can reset it."
    ),
    "unlock.pick_supervisor": N_("Choose your name first."),
    # the shell
    "nav.today": N_("Today"),
    "nav.overview": N_("Week and month"),
    "nav.overview_short": N_("Overview"),
    "nav.sync": NP_("navigation", "Sync"),
    "nav.sync_short": NP_("navigation, short", "Sync"),
    "nav.more": N_("More"),
    "shell.lock": N_("Lock"),
    "shell.language": N_("Language"),
    "shell.signed_in": N_("Signed in: {name}"),
    "shell.back": N_("Back"),
    # a PIN field's show/hide button, named after the field (issue 11)
    "field.show": N_("Show: {field}"),
    "field.hide": N_("Hide: {field}"),
    # sync status
    "sync.online": N_("Online"),
    "sync.offline": N_("Offline"),
    "sync.unknown": N_("Not synced yet"),
    "sync.offline_calm": N_(
        "No connection to the server. You can keep recording: everything is sent when "
        "the connection is back."
    ),
    "sync.pending": N_("Waiting to sync: {count}"),
    "sync.pending_short": N_("{count} waiting"),
    "sync.all_sent": N_("All sent"),
    "sync.last_success": N_("Last synced: {when}"),
    "sync.never": N_("not yet"),
    "sync.now": N_("Sync now"),
    "sync.in_progress": N_("Syncing…"),
    "sync.last_error": N_("Last error: {detail}"),
    "sync.attention_title": N_("To resolve ({count})"),
    "sync.attention_none": N_("No conflicts or rejected records."),
    "sync.conflicts": N_("Conflicts: {count}"),
    "sync.rejections": N_("Rejected: {count}"),
    "sync.status_conflict": N_("Conflict"),
    "sync.status_rejected": N_("Rejected"),
    "sync.yours": N_("This device: {summary}"),
    "sync.theirs": N_("On the server: {summary}"),
    "sync.resolve": N_("Dismiss"),
    "sync.resolve_hint": N_(
        "The server's version stands. Correct the day again if needed and dismiss this."
    ),
    "sync.done": N_("Sync finished: sent {pushed}, received {pulled}."),
    "sync.failed_because": N_("Sync did not succeed: {detail}"),
    "sync.needs_action": N_("Sync needs attention"),
    "sync.reenroll_title": N_("Connect this device again"),
    "sync.reenroll_intro": N_(
        "Ask the administrator for a new one-time code and type it here. The records "
        "waiting on this device stay on it and are sent once it is connected."
    ),
    "sync.reenroll_button": N_("Connect again"),
    "sync.reenrolling": N_("Connecting…"),
    "sync.failed": N_("Sync did not succeed now. The data is safe on this device."),
    # the stated offline limit (issue 11)
    "sync.overdue": NN_("Unsent for {days} day", "Unsent for {days} days", "days"),
    "unlock.overdue": NN_(
        "Records on this device have waited {days} day to be sent (the limit is {limit}). "
        "Connect to the network and unlock so that they reach the server.",
        "Records on this device have waited {days} days to be sent (the limit is {limit}). "
        "Connect to the network and unlock so that they reach the server.",
        "days",
    ),
    # today
    "today.title": N_("Day {date}"),
    "today.weekday_date": N_("{weekday} {date}, week {week}"),
    "today.prev_day": N_("Previous day"),
    "today.next_day": N_("Next day"),
    "today.go_today": N_("Today"),
    "today.all_present": N_("All present ({count})"),
    "today.none_expected": N_("No participants are expected on this day."),
    "today.not_marked": N_("Not recorded"),
    "today.present": NP_("attendance button", "Present"),
    "today.absent": N_("Absent"),
    "today.times": N_("Other time"),
    "today.add_other": N_("Add another participant"),
    "today.no_others": N_("Everyone is on the list."),
    "today.week_count": NN_(
        "Present {present} day, {count} of {max} eligible this week",
        "Present {present} days, {count} of {max} eligible this week",
        "present",
    ),
    "today.saved": N_("Saved: {name}"),
    "today.saved_many": N_("Marked present: {count}"),
    "today.not_saved": N_("Not saved: {name}"),
    "today.closed_day": N_("Month closed"),
    "today.future": N_("Future days cannot be recorded."),
    "record.present_minutes": N_("Present {hours} h"),
    "record.present_times": N_("Present {start}–{end}"),
    "record.absent": N_("Absent: {reason}"),
    "record.not_held": N_("Not held"),
    # dialogs
    "absence.title": N_("Reason for absence: {name}"),
    "absence.not_held": N_("Not held"),
    "times.title": N_("Time present: {name}"),
    "times.start": N_("Start (e.g. 8:00)"),
    "times.end": N_("End (e.g. 14:00)"),
    "times.hours": N_("or hours (e.g. 4.5)"),
    "times.save": N_("Save"),
    "times.bad": N_("Give start and end as 8:00 or the hours as a number."),
    "correction.title": N_("Reason for correction"),
    "correction.intro": N_(
        "The day already has a record. Say briefly why it changes (no health details)."
    ),
    "correction.reason": N_("Reason"),
    "correction.missing": N_("A correction needs a reason."),
    "dialog.cancel": N_("Cancel"),
    "dialog.confirm": N_("Confirm"),
    # participant
    "participant.title": N_("Participant"),
    "participant.plan": N_("Plan"),
    "participant.no_plan": N_("No plan in force."),
    "participant.period": N_("Period {start}–{end}"),
    "participant.days_per_week": NN_("{min}–{max} day a week", "{min}–{max} days a week", "max"),
    "participant.days_per_week_one": NN_("{max} day a week", "{max} days a week", "max"),
    "participant.hours_per_day": N_("{min}–{max} h a day"),
    "participant.hours_per_day_one": N_("{max} h a day"),
    "participant.weekdays": N_("Agreed days: {days}"),
    "participant.any_weekday": N_("Any weekday"),
    "participant.allowance": N_("Allowance: {name}, paid by {payer}"),
    "participant.week": NN_(
        "Week {week}: {present} day present, {count} of {max} eligible",
        "Week {week}: {present} days present, {count} of {max} eligible",
        "present",
    ),
    "participant.month": NN_(
        "{month}: {count} day present, {eligible} eligible",
        "{month}: {count} days present, {eligible} eligible",
        "count",
    ),
    "participant.days_title": N_("Days"),
    "participant.no_days": N_("No records this month."),
    "participant.log_day": N_("Record this day"),
    "participant.prev_month": N_("Previous month"),
    "participant.next_month": N_("Next month"),
    # overview
    "overview.week": N_("Week"),
    "overview.month": N_("Month"),
    "overview.week_title": N_("Week {week}: {start}–{end}"),
    "overview.chart_title": N_("Days attended against the plan"),
    "overview.attended": N_("Attended"),
    "overview.planned": N_("Plan at most"),
    "overview.row": N_("{name}: {count} of {max}"),
    "cell.present": NP_("calendar cell: present", "P"),
    "cell.absent": NP_("calendar cell: absent", "A"),
    "cell.not_held": NP_("calendar cell: not held", "N"),
    # month close
    "month.title": NP_("screen title", "Close the month"),
    "month.summary": N_("{month}: summary"),
    "month.open_findings": N_("Open findings: {count}"),
    "month.unmarked": N_("Expected days not recorded: {count}"),
    "month.records": N_("Records: {count}"),
    "month.close": NP_("button", "Close the month"),
    "month.confirm": N_(
        "Close {month}? After that, changes need a reason and go to the coordinator for review."
    ),
    "month.closed": N_("{month} is closed."),
    "month.is_closed": N_("Closed"),
    "participant.returned": N_("Returned by the coordinator: {reason}. Save a correction."),
    "month.nothing_open": N_("No open findings."),
    # more
    "more.title": N_("More"),
    "more.add_supervisor": N_("Add a supervisor to this device"),
    "more.supervisor_added": N_("Supervisor added: {name}"),
    "more.add": N_("Add supervisor"),
    "more.site": N_("Site: {site}"),
    "more.idle": N_("The app locks after {minutes} min without use."),
    "more.offline_limit": NN_(
        "Records not sent within {days} day are warned about.",
        "Records not sent within {days} days are warned about.",
        "days",
    ),
    # where the device secret is kept, and the PIN rules (issue 10)
    "more.secret_keyring": N_(
        "This device's key is in the operating system's keyring: a copied app folder is"
        " not enough to guess PINs."
    ),
    "more.secret_file": N_(
        "This device's key is in a file beside the database, because this system has no"
        " keyring. Protect the app folder: with a copy of it, the PIN can be guessed."
    ),
    "more.secret_platform": N_("This device's key is in the phone's secure storage."),
    "error.pin_same_digit": N_(
        "The PIN cannot be one digit repeated (such as 111111): that is guessed first."
    ),
    "error.pin_run": N_(
        "The PIN cannot count up or down (such as 123456 or 654321): that is among the "
        "first guessed."
    ),
    "error.pin_common": N_(
        "This PIN is among the most common ones (such as 121212 or 112233), which are "
        "guessed first. Choose another."
    ),
    "newpin.title": N_("New PIN"),
    "newpin.intro": N_(
        "Your PIN is too short or easy to guess. Choose a new PIN of at least 6 digits "
        "before you go on."
    ),
    "newpin.save": N_("Save new PIN"),
    "more.change_pin": N_("Change PIN"),
    "more.current_pin": N_("Current PIN"),
    "more.pin_changed": N_("PIN changed."),
}

_TEXTS: Mapping[str, Text] = {
    **_SCREEN_TEXTS,
    **MISTAKE_TEXTS,
    **PROBLEM_TEXTS,
    **OVERVIEW_TEXTS,
    **RECORD_TEXTS,
}

# {key: {language: template}}, for checks that read every text in every language.
TEXTS: Mapping[str, Mapping[str, str]] = by_language(_TEXTS)


@runtime_checkable
class Localised(Protocol):
    """Something said in whatever language the screen shows (an error's detail)."""

    def text(self, lang: str) -> str: ...


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text ``key`` in ``lang`` (Finnish when the language is unknown), filled in.

    A parameter that is :class:`Localised` is said in ``lang`` too; for a text that
    follows a count, the count's parameter picks the form ("1 day", "2 days")."""
    said = {k: v.text(lang) if isinstance(v, Localised) else v for k, v in params.items()}
    return _TEXTS[key].say(lang, **said)


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "TEXTS",
    "Localised",
    "fmt_date",
    "fmt_datetime",
    "fmt_hours",
    "fmt_short_date",
    "fmt_time",
    "month_name",
    "t",
    "weekday_name",
    "weekday_short",
]
