"""Plan imports take Finnish d.M.yyyy dates as well as ISO, and every error names line,
column and the expected format."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sync_server.cli import main
from sync_server.storage import SqliteStorage

EXAMPLES = Path(__file__).resolve().parents[2] / "sync_server" / "examples"
HEADER = (
    "plan_id;participant_id;site_id;rule_set;valid_from;start;end;days_min;days_max;"
    "hours_min;hours_max;allowance_type\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "s.db"
    assert main(["init", "--db", str(path)]) == 0
    for kind in ("sites", "participants"):
        assert main([f"import-{kind}", "--db", str(path), str(EXAMPLES / f"{kind}.csv")]) == 0
    return path


def test_finnish_and_iso_dates_both_import(db: Path, tmp_path: Path) -> None:
    plans = tmp_path / "plans.csv"
    plans.write_text(
        HEADER + "plan-a;p-1001;mikkeli-paja;kuntouttava;1.12.2026;1.12.2026;28.2.2027;2;3;4;6;"
        "kulukorvaus\n"
        + "plan-a;p-1001;mikkeli-paja;kuntouttava;2027-01-04;01.12.2026;2027-02-28;2;3;4;6;"
        "kulukorvaus\n",
        encoding="utf-8",
    )
    assert main(["import-plans", "--db", str(db), str(plans)]) == 0
    storage = SqliteStorage(db)
    (plan,) = [p for p in storage.plans("mikkeli-paja") if p.id == "plan-a"]
    storage.close()
    first, second = plan.versions
    assert (first.valid_from, first.start, first.end) == (
        date(2026, 12, 1),
        date(2026, 12, 1),
        date(2027, 2, 28),
    )
    assert second.valid_from == date(2027, 1, 4) and second.start == date(2026, 12, 1)


def test_every_bad_value_is_named_by_line_column_and_format(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plans = tmp_path / "plans.csv"
    plans.write_text(
        HEADER + "plan-b;p-1001;mikkeli-paja;kuntouttava;1.12.2026;31.2.2027;12/31/2027;kaksi;3;4;"
        "neljä;kulukorvaus\n",
        encoding="utf-8",
    )
    assert main(["import-plans", "--db", str(db), str(plans)]) == 2
    err = capsys.readouterr().err
    assert "Invalid isoformat" not in err
    assert (
        "line 2, column 6 (start): '31.2.2027' is not a date; write it as d.M.yyyy (1.12.2026) "
        "or yyyy-mm-dd (2026-12-01)." in err
    )
    assert "line 2, column 7 (end): '12/31/2027' is not a date" in err
    assert "line 2, column 8 (days_min): 'kaksi' is not a whole number; write it as digits" in err
    assert "line 2, column 11 (hours_max): 'neljä' is not a number of hours; write it like 4" in err


def test_a_json_plan_with_a_bad_date_names_the_field(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded = json.loads((EXAMPLES / "plans.json").read_text("utf-8"))
    plan = (loaded["plans"] if isinstance(loaded, dict) else loaded)[0]
    plan["versions"][0]["end"] = "1.12.2026"
    path = tmp_path / "plans.json"
    path.write_text(json.dumps({"plans": [plan]}, indent=2), encoding="utf-8")
    assert main(["import-plans", "--db", str(db), str(path)]) == 2
    err = capsys.readouterr().err
    assert "Invalid isoformat" not in err
    assert "field 'versions[0].end': '1.12.2026' is not a date; JSON plans write dates as " in err
    assert "line 3: field" in err  # where the plan object begins
