"""The reports' content: Kela's TT3 read back from the PDF, the month's XLSX against the
forward's own totals, the payment list, in Finnish and Swedish."""

from __future__ import annotations

import io
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shared import AbsenceReason, DayRecord
from sync_server.console.reports import pdf, sheets
from sync_server.console.reports.data import (
    InterruptRule,
    ReportData,
    SiteMonth,
    tt3_forms,
)
from sync_server.forward import Outbox, decode
from sync_server.storage import SqliteStorage
from tests.sync_server.forward import data
from tests.sync_server.forward.conftest import config_for, forwarder

# A two-week absence period (counted from Monday 1.1.2024): Monday 13.1.–Sunday 26.1.2025.
FORTNIGHT = (date(2025, 1, 13), date(2025, 1, 26))
WEEK = [date(2025, 1, 13) + timedelta(days=i) for i in range(5)]
MADE_ON = date(2025, 2, 1)


def pdf_text(body: bytes, tmp: Path) -> str:
    path = tmp / "report.pdf"
    path.write_bytes(body)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def sickness_fortnight() -> list[DayRecord]:
    """p-kela ill for five days, p-osall's child ill for five days, p-vamm away three
    days for "other" reasons; p-county comes as usual."""
    out: list[DayRecord] = []
    for day in WEEK:
        out.append(data.absent(day, AbsenceReason.SICK, participant="p-kela"))
        out.append(data.absent(day, AbsenceReason.CHILD_SICK, participant="p-osall"))
        out.append(data.present(day, start="09:00", end="15:00", participant="p-county"))
    for day in WEEK[:3]:
        out.append(data.absent(day, AbsenceReason.OTHER, participant="p-vamm"))
    return out


@pytest.fixture
def storage(tmp_path: Path) -> SqliteStorage:
    store = data.new_storage(tmp_path / "server.db")
    device = data.seed(store, data.NIGHT_AFTER_JANUARY - timedelta(days=60))
    data.push(store, device, sickness_fortnight(), data.NIGHT_AFTER_JANUARY)
    return store


def test_tt3_lists_the_forwards_absences_and_flags_the_other_run(storage: SqliteStorage) -> None:
    forms = tt3_forms(ReportData(storage, today=MADE_ON), data.SITE, *FORTNIGHT, InterruptRule())
    by_id = {f.person.id: f for f in forms}
    assert sorted(by_id) == ["p-kela", "p-osall", "p-vamm"]  # p-county has no absences
    kela = by_id["p-kela"].judged.absences
    assert [a.day for a in kela] == WEEK
    # A certificate is due once the sickness runs more than three days.
    assert [a.certificate_due for a in kela] == [False, False, False, True, True]
    assert not any(a.certificate_due for a in by_id["p-osall"].judged.absences)
    assert by_id["p-kela"].interrupt == () and by_id["p-osall"].interrupt == ()
    assert by_id["p-vamm"].interrupt == ("other_run",)
    stricter = InterruptRule(max_days=4, other_run=4)
    assert stricter.reasons(by_id["p-kela"].judged) == ("days",)
    assert stricter.reasons(by_id["p-vamm"].judged) == ()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "fi",
            {
                "title": "Ilmoitus poissaolosta (Kela TT3)",
                "sick": "Oma sairaus",
                "child": "Lapsen sairaus",
                "due": "Lääkärintodistus toimitettava",
                "hetu": "Henkilötunnus",
                "days": "5 poissaolopäivää",
            },
        ),
        (
            "sv",
            {
                "title": "Anmälan om frånvaro (FPA TT3)",
                "sick": "Egen sjukdom",
                "child": "Barnets sjukdom",
                "due": "Läkarintyg ska lämnas",
                "hetu": "Personbeteckning",
                "days": "5 frånvarodagar",
            },
        ),
    ],
)
def test_tt3_pdf_says_the_days_reasons_and_certificates(
    storage: SqliteStorage, tmp_path: Path, lang: str, words: dict[str, str]
) -> None:
    forms = tt3_forms(ReportData(storage, today=MADE_ON), data.SITE, *FORTNIGHT, InterruptRule())
    body = pdf.tt3_pdf(
        [f for f in forms if f.person.id in ("p-kela", "p-osall")],
        lang=lang,
        organiser="Etelä-Savon hyvinvointialue",
        site_name="Työpaja Rauha",
        made_on=MADE_ON,
    )
    pages = pdf_text(body, tmp_path).split("\f")
    kela = next(p for p in pages if "ASK-1001" in p)
    osall = next(p for p in pages if "ASK-1003" in p)
    for page in (kela, osall):
        assert words["title"] in page and words["hetu"] in page
        assert "13.1.2025–26.1.2025" in page and "Työpaja Rauha" in page
        assert "Etelä-Savon hyvinvointialue" in page
        assert words["days"] in page
        for day in WEEK:
            assert f"{day.day}.{day.month}.{day.year}" in page
    sick_lines = [line for line in kela.splitlines() if words["sick"] in line and "2025" in line]
    assert len(sick_lines) == 5
    assert [words["due"] in line for line in sick_lines] == [False, False, False, True, True]
    child_lines = [line for line in osall.splitlines() if words["child"] in line and "2025" in line]
    assert len(child_lines) == 5 and not any(words["due"] in line for line in child_lines)
    assert "ASK-1002" not in "".join(pages)  # no form for a participant without absences
    if lang == "fi":  # one page image to look at, kept out of the tree
        (tmp_path / "tt3.pdf").write_bytes(body)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "70",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                str(tmp_path / "tt3.pdf"),
                str(tmp_path / "tt3"),
            ],
            check=True,
        )
        assert (tmp_path / "tt3-1.png").stat().st_size > 10_000


def test_month_xlsx_totals_equal_the_forwards_to_the_cent(tmp_path: Path) -> None:
    store = data.new_storage(tmp_path / "server.db")
    device = data.seed(store, data.NIGHT_AFTER_JANUARY - timedelta(days=60))
    data.push(
        store,
        device,
        data.month_of_records(2025, 1),
        data.NIGHT_AFTER_JANUARY - timedelta(minutes=30),
    )
    # The forward's own totals, built and stored as a batch for the county.
    result = forwarder(store, config_for(drop=tmp_path / "drop")).run()
    sent = decode(Outbox(store).get(result.built[0]).body)
    forward_cents = {t["participant_ref"]: t["total_cents"] for t in sent["totals"]}
    forward_by_payer: dict[str, int] = {}
    for t in sent["totals"]:
        for line in t["lines"]:
            forward_by_payer[line["payer"]] = (
                forward_by_payer.get(line["payer"], 0) + line["amount_cents"]
            )

    people = ReportData(store, today=MADE_ON).judge_site(
        data.SITE, date(2025, 1, 1), date(2025, 1, 31)
    )
    month = SiteMonth(
        data.SITE, "Työpaja Rauha", date(2025, 1, 1), date(2025, 1, 31), tuple(people)
    )
    for lang, total_word in (("fi", "Yhteensä"), ("sv", "Totalt")):
        names = {"kela": "Kela", "county": "County"}
        body = sheets.month_xlsx(month, lang=lang, payer_names=names, made_on=MADE_ON)
        sheet = load_workbook(io.BytesIO(body)).active
        assert sheet is not None
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        first_person = next(i for i, r in enumerate(rows) if str(r[1] or "").startswith("ASK-"))
        header = [c for c in rows[first_person - 1] if c is not None]
        total_col = len(header) - 1
        body_rows = {
            str(r[1]): r for r in rows[first_person:] if str(r[1] or "").startswith("ASK-")
        }
        assert set(body_rows) == set(forward_cents)
        for ref, cents in forward_cents.items():
            assert round(body_rows[ref][total_col] * 100) == cents, ref
        total_row = next(r for r in rows if r[0] == total_word)
        assert round(total_row[total_col] * 100) == sum(forward_cents.values())
        for payer, cents in forward_by_payer.items():
            col = header.index(names[payer])
            assert round(total_row[col] * 100) == cents, payer
    store.close()


def test_payment_list_has_only_what_the_county_pays(tmp_path: Path) -> None:
    store = data.new_storage(tmp_path / "server.db")
    device = data.seed(store, data.NIGHT_AFTER_JANUARY - timedelta(days=60))
    data.push(store, device, data.month_of_records(2025, 1), data.NIGHT_AFTER_JANUARY)
    people = ReportData(store, today=MADE_ON).judge_site(
        data.SITE, date(2025, 1, 1), date(2025, 1, 31)
    )
    text = sheets.payment_csv(people).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == ",".join(sheets.PAYMENT_COLUMNS)
    refs = {line.split(",")[0] for line in lines[1:]}
    assert refs == {"ASK-1002", "ASK-1003", "ASK-1004"}  # not the Kela-paid kulukorvaus
    county = next(line.split(",") for line in lines[1:] if line.startswith("ASK-1002"))
    assert county[6] == "toimintaraha" and county[7] == "900"
    assert int(county[9]) == int(county[8]) * 900
    assert county[10] == f"{int(county[9]) // 100}.00"
    store.close()
