"""What the week and month grid and the name search say (issue 11), as marked texts of
the catalogues. :mod:`client.app.texts.i18n` merges these into its texts; the
translations live in ``shared/locale/*/LC_MESSAGES/lasna.po``.

A grid cell is a letter and a colour on the screen; a screen reader hears the whole
sentence (``grid.cell``), so neither the colour nor the letter is the only sign.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.i18n import N_, NN_, NP_, Text

OVERVIEW_TEXTS: Mapping[str, Text] = {
    "overview.prev_week": N_("Previous week"),
    "overview.next_week": N_("Next week"),
    "overview.prev_month": N_("Previous month"),
    "overview.next_month": N_("Next month"),
    # the grid's header rows, named on the left
    "grid.week_row": NP_("grid header: ISO week numbers", "Week"),
    # under each name: the span's present days and those earning the allowance (short,
    # for a narrow column; the name's accessible label says it in full)
    "grid.count": NN_(
        "{present} present, {eligible}/{max} eligible",
        "{present} present, {eligible}/{max} eligible",
        "present",
    ),
    "grid.count_label": NN_(
        "{name}: {present} day present, {eligible} of at most {max} eligible",
        "{name}: {present} days present, {eligible} of at most {max} eligible",
        "present",
    ),
    # one cell, as a screen reader says it: "Aino Virtanen, ti 3.11.: läsnä"
    "grid.cell": N_("{name}, {weekday} {date}: {status}"),
    "grid.cell_finding": N_("{name}, {weekday} {date}: {status}, {finding}"),
    "grid.present": NP_("grid cell", "present"),
    "grid.absent": NP_("grid cell", "absent"),
    "grid.not_held": NP_("grid cell", "not held"),
    "grid.not_recorded": NP_("grid cell", "not recorded"),
    "grid.not_agreed": NP_("grid cell", "not an agreed day"),
    "grid.error": NP_("grid cell", "error"),
    "grid.not_eligible": NP_("grid cell", "not eligible"),
    "grid.flagged": NP_("grid cell", "to be checked"),
    "grid.legend": N_(
        "{present} = present, {absent} = absent, {not_held} = not held, "
        "· = not recorded, ! = a finding (framed)"
    ),
    # finding a participant by name, on Today and in the overviews
    "search.label": N_("Search by name"),
    "search.clear": N_("Clear the search"),
    "search.none": N_("Nobody's name matches “{query}”."),
}
