"""Every text a person sees from the domain: findings and the names of statuses,
reasons, severities and payers, said in the reader's language (fi, sv, en).

The texts are gettext messages (:mod:`shared.i18n`; the English here is the message id,
the catalogues hold the translations). Findings carry a stable code and JSON-ready
parameters; the text is made here, in the reader's language, at the moment it is shown.
Parameters named ``*_minutes`` also appear as ``*_h`` (hours, with the language's
decimal mark) and ISO dates named ``day``, ``start``, ``end`` as ``*_fmt`` (d.M.yyyy),
so templates stay readable.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from shared.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, NN_, Text, by_language, day_name

__all__ = [
    "DEFAULT_LANGUAGE",
    "FINDINGS",
    "LANGUAGES",
    "TERMS",
    "format_euros",
    "format_hours",
    "render",
    "term",
]

_FINDINGS: Mapping[str, Text] = {
    # errors: the record is not saved
    "future_date": N_(
        "{day_fmt} is in the future: attendance can be recorded on the day itself at the earliest."
    ),
    "end_before_start": N_("The end time {end} is before the start time {start}."),
    # always more than 24, so never a singular
    "over_24_hours": N_("A day cannot hold {minutes_h} hours: at most 24 hours."),
    "not_quarter_hour": N_("Times are recorded to the quarter hour (e.g. 8:00, 8:15, 8:30)."),
    "missing_hours": N_("A present day needs a start and end time or a number of hours."),
    "missing_reason": N_("An absence needs a reason."),
    "inconsistent_fields": N_(
        "The record has fields that do not belong to status {status}: {fields}."
    ),
    "unknown_participant": N_("The participant is not known to this site's plans."),
    "duplicate_day": N_("{day_fmt} already has a record: change it as a correction."),
    "already_superseded": N_(
        "The record being corrected was already corrected elsewhere: check the latest version."
    ),
    "supersedes_unknown": N_(
        "The correction refers to a record that does not exist for this participant and day."
    ),
    "correction_reason_missing": N_("A correction needs a reason."),
    "recorded_on_another_device": N_(
        "The record names another device than the one that sent it: it was not saved."
    ),
    "record_id_taken": N_(
        "The server already holds a different record with this record's id: it was not saved."
    ),
    # not eligible: saved, earns no money
    "outside_plan_period": N_("{day_fmt} is outside the plan's period {start_fmt}–{end_fmt}."),
    "no_plan_on_day": N_("No plan is in force on {day_fmt}."),
    "over_weekly_max": NN_(
        "Week {week} already has {max} present day, the plan's maximum: this day earns no allowance.",
        "Week {week} already has {max} present days, the plan's maximum: this day earns no allowance.",
        "max",
    ),
    "under_min_hours": N_(
        "{minutes_h} h is below the plan's minimum of {min_minutes_h} h: the day earns no allowance."
    ),
    "no_rate": N_("Allowance type {allowance_type} has no daily amount on {day_fmt}."),
    # flagged: saved and counted, for the coordinator's eye
    "over_max_hours": N_(
        "{minutes_h} h is above the plan's maximum of {max_minutes_h} h: only {max_minutes_h} h count."
    ),
    "weekday_not_agreed": N_("The plan does not name this weekday ({weekday_name})."),
    "public_holiday": N_("Present on a public holiday: {holiday}."),
    "child_sick_over_limit": NN_(
        "The child's sickness has run for {days} day: at most 4 days at a time.",
        "The child's sickness has run for {days} days: at most 4 days at a time.",
        "days",
    ),
    "device_clock_off": NN_(
        "The device's clock was {minutes} minute ahead of the server's clock.",
        "The device's clock was {minutes} minutes ahead of the server's clock.",
        "minutes",
    ),
    "closed_month_change": N_(
        "Change to the closed month {month}: the coordinator will review it."
    ),
    # notices: worth knowing now
    "under_weekly_min": NN_(
        "Week {week} has {count} present day; the plan's minimum is {min}.",
        "Week {week} has {count} present days; the plan's minimum is {min}.",
        "count",
    ),
    "sick_certificate_due": NN_(
        "The sickness has run for {days} day: a medical certificate is due (over 3 days).",
        "The sickness has run for {days} days: a medical certificate is due (over 3 days).",
        "days",
    ),
    "plan_ends_soon": NN_(
        "The plan ends on {end_fmt} (in {days} day).",
        "The plan ends on {end_fmt} (in {days} days).",
        "days",
    ),
}

_TERMS: Mapping[str, Text] = {
    "status.present": N_("Present"),
    "status.absent": N_("Absent"),
    "status.not_held": N_("Not held"),
    "reason.sick": N_("Own sickness"),
    "reason.child_sick": N_("Child's sickness"),
    "reason.job_related": N_("Job interview or other employment-related reason"),
    "reason.public_office": N_("Public office of trust"),
    "reason.other": N_("Other reason"),
    "severity.error": N_("Error"),
    "severity.not_eligible": N_("Not eligible"),
    "severity.flagged": N_("Flagged"),
    "severity.notice": N_("Notice"),
    "eligibility.eligible": N_("Eligible day"),
    "eligibility.not_eligible": N_("Not eligible"),
    "payer.kela": N_("Kela"),
    "payer.unemployment_fund": N_("Unemployment fund"),
    "payer.county": N_("Wellbeing services county"),
    "payer.organiser": N_("Organiser"),
}

# {code: {language: template}}, for checks and for code that lists texts per language
FINDINGS: Mapping[str, Mapping[str, str]] = by_language(_FINDINGS)
TERMS: Mapping[str, Mapping[str, str]] = by_language(_TERMS)


def term(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A status, reason, severity or payer name in ``lang`` (Finnish when unknown)."""
    return _TERMS[key].say(lang)


def format_hours(minutes: int, lang: str) -> str:
    """4.5 h as "4,5" in Finnish and Swedish, "4.5" in English; whole hours bare."""
    text = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return text if lang == "en" else text.replace(".", ",")


def format_euros(cents: int, lang: str) -> str:
    """1234 cents as "12,34 €" (fi, sv) or "€12.34" (en)."""
    text = f"{cents / 100:.2f}"
    return f"€{text}" if lang == "en" else f"{text.replace('.', ',')} €"


def render(code: str, params: Mapping[str, Any], lang: str = DEFAULT_LANGUAGE) -> str:
    """The finding ``code``'s text in ``lang`` with ``params`` filled in."""
    values: dict[str, Any] = dict(params)
    for key, value in params.items():
        if key.endswith("minutes") and isinstance(value, int):
            values[f"{key}_h"] = format_hours(value, lang)
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            try:
                d = date.fromisoformat(value)
            except ValueError:
                continue
            values[f"{key}_fmt"] = f"{d.day}.{d.month}.{d.year}"
    if isinstance(params.get("weekday"), int):
        values["weekday_name"] = day_name(params["weekday"], lang)
    if isinstance(params.get("status"), str) and f"status.{params['status']}" in _TERMS:
        values["status"] = term(f"status.{params['status']}", lang)
    return _FINDINGS[code].say(lang, **values)
