"""Texts the console shows from values (roles, plan types, refusals, storage errors).

Listed here so that extraction (``babel.cfg``) finds them; the pages translate them
with ``_(value)`` when shown.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.i18n import NP_, Text


def N_(text: str) -> str:
    return text


TEXTS = (
    N_("admin"),
    N_("coordinator"),
    N_("viewer"),
    N_("plan"),
    N_("aktivointisuunnitelma"),
    N_("monialainen"),
    N_("palvelupaatos"),
    N_("Log in first."),
    N_("Your account may not do this."),
    N_("There is no such page, or your account may not see it."),
    N_("The form was out of date or came from elsewhere. Open the page again and resend."),
    N_("There is already a site with this id."),
    N_("There is already a participant with this id."),
    N_("There is no such site."),
    N_("There is already an account with this user name."),
    N_("The password must be at least 12 characters long."),
    N_("A user name is 1–64 letters, digits or . _ - @."),
    N_("Give the account holder's name."),
    N_("Give the token a name that says what uses it."),
    N_("Choose the plan's type."),
    N_("The site's id must be 1–64 letters, digits or . _ : - (starting with a letter or digit)."),
    N_("Give the site a name (at most 200 characters)."),
    N_(
        "The participant's id must be 1–64 letters, digits or . _ : - (starting with a "
        "letter or digit)."
    ),
    N_("Give a display name (at most 200 characters)."),
    N_("Give the county's client reference (at most 64 characters)."),
    N_(
        "This looks like a personal identity code (henkilötunnus); it must never be sent to "
        "devices. Use the county's client reference instead."
    ),
)

# The exception queue's kinds, and a day's status as a letter and a word (the site's
# month reads like a paper list: the letter carries the status without colour).
KIND_TEXTS: Mapping[str, Text] = {
    "not_eligible": NP_("finding kind", "Not eligible"),
    "conflict": NP_("finding kind", "Conflicting versions"),
    "rejected": NP_("finding kind", "Rejected version"),
    "flagged": NP_("finding kind", "Flagged day"),
    "closed_month_change": NP_("finding kind", "Change after the month was closed"),
    "child_sick_over_limit": NP_("finding kind", "Child's sickness over the limit"),
    "certificate_due": NP_("finding kind", "Sickness certificate due"),
    "device_clock": NP_("finding kind", "Device clock off"),
}
STATUS_LETTERS: Mapping[str, Text] = {
    "present": NP_("status letter", "P"),
    "absent": NP_("status letter", "A"),
    "not_held": NP_("status letter", "N"),
}
STATUS_NAMES: Mapping[str, Text] = {
    "present": NP_("day status", "present"),
    "absent": NP_("day status", "absent"),
    "not_held": NP_("day status", "not held"),
}
