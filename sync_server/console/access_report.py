"""The answer to a participant who asks who has processed their data (asiakastietolaki
703/2023, 11 §): the access log's lines for them in a period, in words, and as a PDF.

What each line's action and route mean is said here in the reader's language; the
lines themselves hold codes (:mod:`sync_server.console.audit`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from shared.calendar import HELSINKI
from shared.i18n import tr

# one bundled copy of DejaVu Sans for every PDF the console makes (reports/fonts/)
FONT = Path(__file__).resolve().parent / "reports" / "fonts" / "DejaVuSans.ttf"
SYSTEM_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def N_(text: str) -> str:
    return text


ACTIONS: Mapping[str, str] = {
    "participant_view": N_("opened the participant's page"),
    "participant_move": N_("moved the participant to another site"),
    "participant_end": N_("ended the participant's service"),
    "plan_form_view": N_("opened a new plan's form"),
    "plan_view": N_("opened a plan"),
    "plan_preview_view": N_("looked at a plan change's effect on recorded days"),
    "plan_create": N_("made a plan"),
    "plan_version_create": N_("made a new version of a plan"),
    "access_log_view": N_("read the access log"),
    "access_log_pdf": N_("printed the access log"),
    "push": N_("sent day records to the server"),
    "pull": N_("received the participant's data from the server"),
    "records_read": N_("read the participant's day records from the server"),
    "list": N_("listed the participant on the device"),
    "view": N_("viewed day records on the device"),
    "change": N_("saved a day record on the device"),
    "close_month": N_("closed a month on the device"),
}
PERIOD_REFUSED = N_("Give the period as two dates, the first before the last.")
VIA_TEXTS: Mapping[str, str] = {
    "console": N_("console"),
    "report": N_("report"),
    "api": N_("device, automatic sync"),
    "device": N_("device, by a supervisor"),
}


@dataclass(frozen=True, slots=True)
class Line:
    """One access-log line as a person reads it."""

    at: datetime
    who: str
    via: str
    what: str
    detail: str


def action_text(action: str, lang: str) -> str:
    known = ACTIONS.get(action)
    if known is not None:
        return tr(lang, known)
    if action.startswith("report"):
        return tr(lang, "made a report that names the participant")
    return action


def who_text(row: Mapping[str, Any], lang: str) -> str:
    """The account, or the device (its name) and the supervisor on it."""
    if row.get("account"):
        return str(row["account"])
    device = row.get("device_name") or row.get("device_id") or ""
    if row.get("supervisor"):
        return tr(
            lang, "{supervisor} on the device {device}", supervisor=row["supervisor"], device=device
        )
    return tr(lang, "the device {device}", device=device)


def lines_of(rows: Sequence[Mapping[str, Any]], lang: str) -> list[Line]:
    return [
        Line(
            at=datetime.fromisoformat(str(r["at"])),
            who=who_text(r, lang),
            via=tr(lang, VIA_TEXTS[r["via"]]) if r.get("via") in VIA_TEXTS else str(r.get("via")),
            what=action_text(str(r["action"]), lang),
            detail=str(r.get("detail") or ""),
        )
        for r in rows
    ]


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in Helsinki time: the days as people mean them."""
    first = datetime.combine(start, time(0), HELSINKI)
    after = datetime.combine(end + timedelta(days=1), time(0), HELSINKI)
    return first, after


def _moment(moment: datetime) -> str:
    local = moment.astimezone(HELSINKI)
    return f"{local.day}.{local.month}.{local.year} {local:%H.%M}"


def _day(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def font_path() -> Path:
    """The bundled DejaVu Sans (it shows å, ä, ö); Debian's copy when the bundle is missing."""
    return FONT if FONT.is_file() else SYSTEM_FONT


def pdf(
    person: Mapping[str, Any],
    start: date,
    end: date,
    lines: Sequence[Line],
    *,
    lang: str,
    made_at: datetime,
    made_by: str,
) -> bytes:
    """The answer as a PDF to hand to the participant."""
    doc = FPDF(orientation="P", unit="mm", format="A4")
    doc.set_title(tr(lang, "Who has processed your data"))
    doc.set_creator("Läsnä")
    doc.add_font("DejaVu", "", str(font_path()))
    doc.set_auto_page_break(auto=True, margin=15)
    doc.add_page()
    doc.set_font("DejaVu", size=15)
    doc.multi_cell(0, 8, tr(lang, "Who has processed your data"), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", size=10)
    intro = tr(
        lang,
        "{name} (client reference {ref}): who has seen or changed your data in "
        "{start}–{end}, when, what and through which device or account "
        "(asiakastietolaki 703/2023, 11 §).",
        name=person.get("display_name", ""),
        ref=person.get("client_ref", ""),
        start=_day(start),
        end=_day(end),
    )
    doc.multi_cell(0, 5, intro, new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    if not lines:
        doc.multi_cell(0, 5, tr(lang, "No one processed the data in this period."))
    else:
        headings = (tr(lang, "Time"), tr(lang, "Who"), tr(lang, "How"), tr(lang, "What"))
        # One font file, no bold: the headings stand out by their shading.
        headings_style = FontFace(emphasis="", fill_color=(225, 225, 225))
        with doc.table(
            col_widths=(28, 50, 38, 74),
            text_align="LEFT",
            line_height=5,
            headings_style=headings_style,
        ) as table:
            row = table.row()
            for h in headings:
                row.cell(h)
            for line in lines:
                row = table.row()
                row.cell(_moment(line.at))
                row.cell(line.who)
                row.cell(line.via)
                row.cell(f"{line.what} ({line.detail})" if line.detail else line.what)
    doc.ln(4)
    doc.set_font("DejaVu", size=8)
    footer = tr(lang, "Made {moment} by {account}.", moment=_moment(made_at), account=made_by)
    doc.multi_cell(0, 4, footer, new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())
