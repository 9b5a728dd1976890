"""Printable PDF reports (fpdf2): Kela's TT3 content, the site's month, a statement.

The text is set in DejaVu Sans, bundled beside this module (``fonts/``, with its
licence), so å, ä and ö print the same on every server. Texts come from the shared
catalogues in the report's language; numbers are said as Finns and Swedes write them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from shared.i18n import ntr, tr
from shared.messages import format_euros, format_hours, term
from sync_server.console.reports.data import Judged, SiteMonth, Tt3Form

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


def day_text(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def span_text(start: date, end: date) -> str:
    return f"{day_text(start)}–{day_text(end)}"


class _Doc(FPDF):
    def __init__(self, lang: str, title: str, *, landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.lang_code = lang
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_lang(lang)
        self.set_creator("Läsnä")
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7)
        page = tr(self.lang_code, "Page {page}", page=self.page_no())
        self.cell(0, 5, f"{self.footer_text}    {page}", align="R")

    # building blocks --------------------------------------------------------------

    def heading(self, text: str, size: float = 15) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def section(self, text: str) -> None:
        self.ln(2.5)
        self.set_font(FONT, "B", 10.5)
        self.cell(0, 6, text, border="B", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def field(self, label: str, value: str, *, label_width: float = 58) -> None:
        self.set_font(FONT, "", 9)
        self.cell(label_width, 6, label)
        self.set_font(FONT, "B", 10)
        self.multi_cell(0, 6, value or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def empty_box(self, label: str, note: str, *, label_width: float = 58) -> None:
        """A labelled box to fill in by hand (the henkilötunnus is never stored)."""
        self.set_font(FONT, "", 9)
        self.cell(label_width, 8, label)
        x, y = self.get_x(), self.get_y()
        self.rect(x, y, 62, 8)
        self.set_xy(x + 65, y)
        self.set_font(FONT, "", 7.5)
        self.multi_cell(0, 4, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(max(self.get_y(), y + 8) + 1.5)

    def para(self, text: str, size: float = 9) -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        right: Sequence[int] = (),
        bold_last: bool = False,
    ) -> None:
        self.set_font(FONT, "", 8.5)
        with self.table(
            col_widths=tuple(widths),
            line_height=5.5,
            headings_style=_HEADINGS,
            text_align=tuple("RIGHT" if i in right else "LEFT" for i in range(len(widths))),
        ) as table:
            top = table.row()
            for text in header:
                top.cell(text)
            for n, values in enumerate(rows):
                style = _TOTALS if bold_last and n == len(rows) - 1 else None
                row = table.row()
                for text in values:
                    row.cell(text, style=style)

    def signature_lines(self, titles: Sequence[str]) -> None:
        lang = self.lang_code
        width = (self.epw - 10 * (len(titles) - 1)) / len(titles)
        if self.get_y() > self.h - 60:
            self.add_page()
        self.ln(6)
        top = self.get_y()
        for i, title in enumerate(titles):
            x = self.l_margin + i * (width + 10)
            self.set_xy(x, top)
            self.set_font(FONT, "B", 9)
            self.cell(width, 6, title)
            for n, label in enumerate(
                (
                    tr(lang, "Place and date"),
                    tr(lang, "Signature"),
                    tr(lang, "Name in block letters"),
                )
            ):
                y = top + 16 + n * 14
                self.line(x, y, x + width, y)
                self.set_xy(x, y + 0.5)
                self.set_font(FONT, "", 7.5)
                self.cell(width, 4, label)
        self.set_xy(self.l_margin, top + 16 + 3 * 14)


_HEADINGS = FontFace(family=FONT, emphasis="BOLD", fill_color=(232, 232, 232))
_TOTALS = FontFace(family=FONT, emphasis="BOLD")


def _output(doc: _Doc) -> bytes:
    return bytes(doc.output())


# Kela's TT3 ---------------------------------------------------------------------------


def tt3_pdf(
    forms: Sequence[Tt3Form], *, lang: str, organiser: str, site_name: str, made_on: date
) -> bytes:
    """One page (or more) per participant: the content of Kela's form TT3."""
    title = tr(lang, "Notice of absence (Kela TT3)")
    doc = _Doc(lang, title)
    doc.footer_text = tr(
        lang,
        "Prepared in Läsnä on {day}. The personal identity code is written by hand and is "
        "not stored.",
        day=day_text(made_on),
    )
    if not forms:
        doc.add_page()
        doc.heading(title)
        doc.para(tr(lang, "No participant has absences in this period."))
    for form in forms:
        _tt3_page(doc, form, lang=lang, organiser=organiser, site_name=site_name)
    return _output(doc)


def _tt3_page(doc: _Doc, form: Tt3Form, *, lang: str, organiser: str, site_name: str) -> None:
    judged = form.judged
    doc.add_page()
    doc.heading(tr(lang, "Notice of absence (Kela TT3)"))
    doc.para(
        tr(
            lang,
            "Rehabilitative work activity: the organiser reports the client's absences to "
            "Kela at least every two weeks, one form per client.",
        ),
        8.5,
    )
    doc.section(tr(lang, "1. The client"))
    doc.field(tr(lang, "Name"), judged.person.display_name)
    doc.empty_box(
        tr(lang, "Personal identity code"),
        tr(lang, "Write by hand. Läsnä does not store personal identity codes."),
    )
    doc.field(tr(lang, "The county's client reference"), judged.person.client_ref)
    doc.section(tr(lang, "2. The organiser"))
    if organiser:
        doc.field(tr(lang, "Organiser"), organiser)
    else:
        doc.empty_box(tr(lang, "Organiser"), tr(lang, "Write by hand."))
    doc.field(tr(lang, "Site"), site_name)
    doc.section(tr(lang, "3. The period"))
    doc.field(tr(lang, "Period"), span_text(judged.start, judged.end))
    doc.section(tr(lang, "4. Absences"))
    count = len(judged.absences)
    doc.para(ntr(lang, "{count} absence day", "{count} absence days", count, count=count))
    doc.ln(1)
    rows = [
        (
            day_text(a.day),
            term(f"reason.{a.reason.value}", lang),
            tr(lang, "Certificate due") if a.certificate_due else "—",
        )
        for a in judged.absences
    ]
    doc.grid(
        (tr(lang, "Day"), tr(lang, "Reason"), tr(lang, "Medical certificate")),
        rows,
        (28, 84, 62),
    )
    doc.ln(2)
    doc.para(
        tr(
            lang,
            "Reasons: own sickness; a child's sickness (a child under 10); a job interview "
            "or other employment-related reason; a public office of trust; other reason.",
        ),
        7.5,
    )
    doc.signature_lines((tr(lang, "The organiser's signature"),))


# the site's month ---------------------------------------------------------------------


def month_pdf(month: SiteMonth, *, lang: str, made_on: date, payer_names: dict[str, str]) -> bytes:
    title = tr(lang, "Monthly attendance report")
    doc = _Doc(lang, title, landscape=True)
    doc.footer_text = tr(lang, "Prepared in Läsnä on {day}.", day=day_text(made_on))
    doc.add_page()
    doc.heading(title)
    doc.field(tr(lang, "Site"), month.site_name)
    doc.field(tr(lang, "Period"), span_text(month.start, month.end))
    doc.ln(2)
    header, rows = month_table(month, lang=lang, payer_names=payer_names)
    payer_cols = len(month.payers)
    widths = [52, 26, 30, 20, 32, *([34] * payer_cols), 28]
    scale = doc.epw / sum(widths)
    doc.grid(
        header,
        rows,
        [w * scale for w in widths],
        right=range(2, len(header)),
        bold_last=True,
    )
    doc.ln(2)
    doc.para(
        tr(
            lang,
            "Present days and hours as recorded (hours counted up to the plan's maximum); "
            "eligible days earn the daily allowance.",
        ),
        7.5,
    )
    doc.signature_lines(
        (tr(lang, "For the site"), tr(lang, "Checked for the wellbeing services county"))
    )
    return _output(doc)


def month_table(
    month: SiteMonth, *, lang: str, payer_names: dict[str, str]
) -> tuple[list[str], list[list[str]]]:
    payers = month.payers
    header = [
        tr(lang, "Participant"),
        tr(lang, "Client reference"),
        tr(lang, "Present days"),
        tr(lang, "Hours"),
        tr(lang, "Eligible days"),
        *[payer_names.get(p, p) for p in payers],
        tr(lang, "Total"),
    ]
    rows: list[list[str]] = []
    for j in month.people:
        by_payer = j.cents_by_payer()
        rows.append(
            [
                j.person.display_name,
                j.person.client_ref,
                str(j.present_days),
                format_hours(j.present_minutes, lang),
                str(j.eligible_days),
                *[format_euros(by_payer.get(p, 0), lang) for p in payers],
                format_euros(j.total_cents, lang),
            ]
        )
    rows.append(
        [
            tr(lang, "Total"),
            "",
            str(sum(j.present_days for j in month.people)),
            format_hours(sum(j.present_minutes for j in month.people), lang),
            str(sum(j.eligible_days for j in month.people)),
            *[
                format_euros(sum(j.cents_by_payer().get(p, 0) for j in month.people), lang)
                for p in payers
            ],
            format_euros(month.total_cents(), lang),
        ]
    )
    return header, rows


# the participant's statement ----------------------------------------------------------


def statement_pdf(
    judged: Judged,
    *,
    lang: str,
    site_name: str,
    made_on: date,
    made_by: str,
    allowance_names: dict[str, str],
) -> bytes:
    title = tr(lang, "Statement of participation")
    doc = _Doc(lang, title)
    doc.footer_text = tr(lang, "Prepared in Läsnä on {day}.", day=day_text(made_on))
    doc.add_page()
    doc.heading(title)
    doc.field(tr(lang, "Name"), judged.person.display_name)
    doc.field(tr(lang, "The county's client reference"), judged.person.client_ref)
    doc.field(tr(lang, "Site"), site_name)
    doc.field(tr(lang, "Period"), span_text(judged.start, judged.end))
    doc.section(tr(lang, "Attendance"))
    doc.field(tr(lang, "Days attended"), str(judged.present_days))
    doc.field(tr(lang, "Hours"), format_hours(judged.present_minutes, lang))
    doc.field(tr(lang, "Eligible days"), str(judged.eligible_days))
    doc.field(tr(lang, "Absence days"), str(len(judged.absences)))
    doc.section(tr(lang, "Allowance, by payer"))
    if judged.lines:
        rows = [
            [
                allowance_names.get(line.allowance_type, line.allowance_type),
                term(f"payer.{line.payer}", lang),
                str(line.days),
                format_euros(line.rate_cents, lang),
                format_euros(line.amount_cents, lang),
            ]
            for line in judged.lines
        ]
        rows.append(["", tr(lang, "Total"), "", "", format_euros(judged.total_cents, lang)])
        doc.grid(
            (
                tr(lang, "Allowance"),
                tr(lang, "Paid by"),
                tr(lang, "Days"),
                tr(lang, "Per day"),
                tr(lang, "Amount"),
            ),
            rows,
            (56, 44, 18, 26, 30),
            right=(2, 3, 4),
            bold_last=True,
        )
    else:
        doc.para(tr(lang, "No eligible days in this period."))
    doc.section(tr(lang, "Absences"))
    if judged.absences:
        doc.grid(
            (tr(lang, "Day"), tr(lang, "Reason")),
            [[day_text(a.day), term(f"reason.{a.reason.value}", lang)] for a in judged.absences],
            (30, 144),
        )
    else:
        doc.para(tr(lang, "No absences in this period."))
    if judged.ineligible:
        doc.section(tr(lang, "Present days that earn no allowance"))
        doc.para(", ".join(day_text(date.fromisoformat(d["day"])) for d in judged.ineligible))
    doc.ln(4)
    doc.para(tr(lang, "Issued by {name}.", name=made_by))
    return _output(doc)
