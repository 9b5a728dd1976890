"""Spreadsheets (openpyxl) and the toimintaraha payment list as CSV.

Amounts in a workbook are numbers in euros with two decimals (so sums in the sheet
work); the CSV carries whole cents as well, so a payment system never rounds. The
CSV's columns are described in ``docs/console.md`` and fixed: add, never rename.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shared.i18n import tr
from sync_server.console.reports.data import Judged, SiteMonth, county_lines

EURO_FORMAT = '#,##0.00 "€"'
HOURS_FORMAT = "0.00"

# The toimintaraha payment list's columns (docs/console.md).
PAYMENT_COLUMNS = (
    "participant_ref",
    "participant_id",
    "display_name",
    "site_id",
    "period_start",
    "period_end",
    "allowance_type",
    "rate_cents",
    "days",
    "amount_cents",
    "amount_eur",
)


def _euros(cents: int) -> float:
    return round(cents / 100, 2)


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _widen(sheet: object, widths: Sequence[int]) -> None:
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width  # type: ignore[attr-defined]


def month_xlsx(month: SiteMonth, *, lang: str, payer_names: dict[str, str], made_on: date) -> bytes:
    """The site's month: one row per participant, a totals row, signature lines."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{month.start:%Y-%m}"
    bold = Font(bold=True)
    sheet.append([tr(lang, "Monthly attendance report")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([tr(lang, "Site"), month.site_name])
    sheet.append([tr(lang, "Period"), month.start.isoformat(), month.end.isoformat()])
    sheet.append([])
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
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    first = sheet.max_row + 1
    for j in month.people:
        by_payer = j.cents_by_payer()
        sheet.append(
            [
                j.person.display_name,
                j.person.client_ref,
                j.present_days,
                round(j.present_minutes / 60, 2),
                j.eligible_days,
                *[_euros(by_payer.get(p, 0)) for p in payers],
                _euros(j.total_cents),
            ]
        )
    last = sheet.max_row
    # The totals are written as values (the forward's sums), not formulas: a reader
    # without a spreadsheet engine sees them too.
    sheet.append(
        [
            tr(lang, "Total"),
            "",
            sum(j.present_days for j in month.people),
            round(sum(j.present_minutes for j in month.people) / 60, 2),
            sum(j.eligible_days for j in month.people),
            *[_euros(sum(j.cents_by_payer().get(p, 0) for j in month.people)) for p in payers],
            _euros(month.total_cents()),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    money_from = 6
    for row in sheet.iter_rows(min_row=first, max_row=last + 1):
        row[3].number_format = HOURS_FORMAT
        for cell in row[money_from - 1 :]:
            cell.number_format = EURO_FORMAT
    sheet.append([])
    sheet.append([])
    for title in (tr(lang, "For the site"), tr(lang, "Checked for the wellbeing services county")):
        sheet.append([title])
        sheet[sheet.max_row][0].font = bold
        for label in (
            tr(lang, "Place and date"),
            tr(lang, "Signature"),
            tr(lang, "Name in block letters"),
        ):
            sheet.append([label, "_" * 40])
        sheet.append([])
    sheet.append([tr(lang, "Prepared in Läsnä on {day}.", day=made_on.isoformat())])
    _widen(sheet, [28, 16, 14, 10, 14, *([18] * len(payers)), 14])
    return _save(book)


def payment_rows(people: Sequence[Judged]) -> list[list[str | int]]:
    rows: list[list[str | int]] = []
    for j in people:
        for line in county_lines(j):
            rows.append(
                [
                    j.person.client_ref,
                    j.person.id,
                    j.person.display_name,
                    j.person.site_id,
                    j.start.isoformat(),
                    j.end.isoformat(),
                    line.allowance_type,
                    line.rate_cents,
                    line.days,
                    line.amount_cents,
                    f"{line.amount_cents // 100}.{line.amount_cents % 100:02d}",
                ]
            )
    return rows


def payment_csv(people: Sequence[Judged]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PAYMENT_COLUMNS)
    writer.writerows(payment_rows(people))
    return out.getvalue().encode("utf-8")


def payment_xlsx(people: Sequence[Judged], *, lang: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "toimintaraha"
    sheet.append(list(PAYMENT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in payment_rows(people):
        values: list[str | int | float] = list(row)
        values[-1] = _euros(int(row[9]))
        sheet.append(values)
        sheet[sheet.max_row][-1].number_format = EURO_FORMAT
    total = sum(line.amount_cents for j in people for line in county_lines(j))
    sheet.append([tr(lang, "Total"), *[""] * 8, total, _euros(total)])
    sheet[sheet.max_row][-1].number_format = EURO_FORMAT
    _widen(sheet, [16, 14, 24, 14, 12, 12, 22, 10, 8, 12, 12])
    return _save(book)
