"""Why the county returned a day to the site, and how it settled a finding.

Codes travel (a returned day reaches the device in the pull reply); the texts are
looked up in the reader's language where they are shown, in the app or the console.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.i18n import N_, Text

# Why a day goes back to the site (the supervisor reads it on the participant's day).
RETURN_REASONS: Mapping[str, Text] = {
    "check_hours": N_("Check the hours recorded"),
    "check_status": N_("Check whether the person was present or absent"),
    "check_absence_reason": N_("Check the absence reason"),
    "explain_change": N_("Give a reason for the change to a closed month"),
    "other": N_("Check the day (see the coordinator's comment)"),
}

# Why a finding needed a person, as the coordinator judged it.
RESOLUTION_REASONS: Mapping[str, Text] = {
    "plan_changed_retroactively": N_("Plan changed retroactively"),
    "supervisor_corrected": N_("Supervisor corrected the day"),
    "recording_mistake": N_("Recording mistake"),
    "known_circumstance": N_("Known circumstance (agreed with the participant)"),
    "device_problem": N_("Device or clock problem"),
    "other": N_("Other reason"),
}

# What was done about it.
RESOLUTIONS: Mapping[str, Text] = {
    "accepted_as_is": N_("Accepted as is"),
    "corrected_in_plan": N_("Corrected in the plan"),
    "payment_adjusted": N_("Payment adjusted"),
    "no_action_needed": N_("No action needed"),
}


def return_reason_text(code: str, language: str) -> str:
    """The reason in ``language``; an unknown code (a newer server's) as it is."""
    found = RETURN_REASONS.get(code)
    return found.say(language) if found else code
