"""A participant's weeks as an SVG chart (pygal): attended and eligible days against
the plan's limits. Readable without colour: each line has its own dash pattern and
marks, the values are printed at the points, and the page shows the same numbers
as a table beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pygal
from pygal.style import Style

# Black and dark greys keep contrast on white; the dashes tell the lines apart.
_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#000000",
    foreground_subtle="#595959",
    colors=("#0b4f8a", "#1f6f2b", "#6b2c00", "#595959"),
    font_family="sans-serif",
    value_font_size=11,
    label_font_size=11,
    legend_font_size=12,
)


def weeks_svg(weeks: Sequence[dict[str, Any]], _: Callable[[str], str]) -> bytes:
    chart = pygal.Line(
        style=_STYLE,
        width=900,
        height=360,
        js=(),  # no scripts: the console's pages run none from elsewhere
        disable_xml_declaration=False,
        print_values=True,
        show_y_guides=False,  # the plan's limits are the dotted lines, not guides
        range=(0, 7),
        x_label_rotation=0,
        legend_at_bottom=True,
        truncate_legend=-1,
        title=_("Days a week against the plan"),
        x_title=_("ISO week"),
        y_title=_("days"),
    )
    chart.x_labels = [f"{w['week'][1]}" for w in weeks]
    chart.add(_("present"), [w["present"] for w in weeks], dots_size=4)
    chart.add(
        _("eligible"),
        [w["eligible"] for w in weeks],
        stroke_style={"dasharray": "8, 4", "width": 2},
        dots_size=3,
    )
    chart.add(
        _("plan: at most"),
        [w["plan_max"] for w in weeks],
        stroke_style={"dasharray": "2, 4", "width": 2},
        show_dots=False,
        print_values=False,
    )
    chart.add(
        _("plan: at least"),
        [w["plan_min"] for w in weeks],
        stroke_style={"dasharray": "12, 3, 2, 3", "width": 1},
        show_dots=False,
        print_values=False,
    )
    rendered: bytes = chart.render()
    return rendered
