"""The admin's imports: the examples load; a bad file is refused whole with line numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sync_server.cli import main
from sync_server.storage import SqliteStorage

EXAMPLES = Path(__file__).resolve().parents[2] / "sync_server" / "examples"


def _run(db: Path, *args: str) -> int:
    if not db.exists():
        assert main(["init", "--db", str(db)]) == 0
    return main([*args[:1], "--db", str(db), *args[1:]])


def _import_examples(db: Path) -> None:
    for kind, name in (
        ("sites", "sites.csv"),
        ("sites", "sites.json"),
        ("participants", "participants.csv"),
        ("participants", "participants.json"),
        ("plans", "plans.json"),
        ("plans", "plans.csv"),
    ):
        assert _run(db, f"import-{kind}", str(EXAMPLES / name)) == 0, name


def test_the_example_files_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    _import_examples(db)
    assert "Imported plans" in capsys.readouterr().out
    storage = SqliteStorage(db)
    assert [s["id"] for s in storage.sites()] == [
        "mikkeli-paja",
        "pieksamaki-metsa",
        "savonlinna-kierratys",
    ]
    plans = {p.id: p for p in storage.plans("mikkeli-paja")}
    assert len(plans["plan-1001"].versions) == 2
    csv_plan = plans["plan-1002"]
    assert [v.minutes_max for v in csv_plan.versions] == [300, 330]  # "5,5" hours
    assert csv_plan.versions[1].weekdays == frozenset({1, 3, 5})
    assert storage.plans("pieksamaki-metsa")[0].rule_set_id == "vammaisten"


def _counts(db: Path) -> tuple[int, int, int]:
    storage = SqliteStorage(db)
    try:
        sites, people, plans = (
            int(storage.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("sites", "participants", "plans")
        )
        return sites, people, plans
    finally:
        storage.close()


def test_a_bad_csv_is_refused_whole_naming_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    _import_examples(db)
    before = _counts(db)
    bad = tmp_path / "participants.csv"
    bad.write_text(
        "id,site_id,display_name,client_ref\n"
        "p-9001,mikkeli-paja,Uusi Henkilö,ASK-9001\n"
        "p-9002,no-such-site,Toinen,ASK-9002\n"
        "p-9001,mikkeli-paja,Kahdesti,ASK-9003\n"
        "p-9004,mikkeli-paja,,ASK-9004\n"
        "p-9005,mikkeli-paja,Hetu Henkilö,010190-123A\n"
        "p-9006,mikkeli-paja\n",
        encoding="utf-8",
    )
    assert _run(db, "import-participants", str(bad)) == 2
    err = capsys.readouterr().err
    assert "Nothing was imported" in err
    assert "line 3, column 2 (site_id): site 'no-such-site' does not exist" in err
    assert "line 4, column 1 (id): participant 'p-9001' is given twice (first on line 2)" in err
    assert "line 5, column 3 (display_name): 'display_name' is required" in err
    assert "line 6, column 4 (client_ref): 'client_ref' looks like a personal identity code" in err
    assert "line 7: 2 values where the header has 4" in err
    assert _counts(db) == before


def test_a_bad_json_plan_file_names_line_and_column_of_each_bad_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    _import_examples(db)
    doc = json.loads((EXAMPLES / "plans.json").read_text())
    looser = json.loads(json.dumps(doc["plans"][0]))
    looser["id"] = "plan-loose"
    looser["versions"][0]["days_per_week"]["max"] = 5  # kuntouttava allows at most 4
    wrong_site = json.loads(json.dumps(doc["plans"][1]))
    wrong_site["id"] = "plan-moved"
    wrong_site["site_id"] = "mikkeli-paja"
    path = tmp_path / "plans.json"
    text = json.dumps({"format": "lasna.plans/1", "plans": [looser, wrong_site]}, indent=2)
    path.write_text(text)
    lines = text.splitlines()

    def place(key: str, after: int = 0) -> str:
        # where the key of the value at fault is written: its line and character column
        line = next(i for i, t in enumerate(lines, 1) if i > after and f'"{key}":' in t)
        column = lines[line - 1].index('"' + key + '"') + 1
        return f"line {line}, column {column}"

    before = _counts(db)
    assert _run(db, "import-plans", str(path)) == 2
    err = capsys.readouterr().err
    loose_at = place("days_per_week")
    assert f"{loose_at} (days_per_week): Plan 'plan-loose'" in err
    assert "above rule set 'kuntouttava''s maximum" in err
    moved_line = next(i for i, t in enumerate(lines, 1) if '"plan-moved"' in t)
    moved_at = place("site_id", after=moved_line - 1)
    assert f"{moved_at} (site_id): plan 'plan-moved' names site" in err
    assert "belongs to site 'savonlinna-kierratys'" in err
    assert _counts(db) == before


def test_semicolon_csv_and_broken_json_are_handled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    sites = tmp_path / "sites.csv"
    sites.write_text("\ufeffid;name\nuusi-paja;Uusi paja; Mikkeli\n", encoding="utf-8")
    assert _run(db, "import-sites", str(sites)) == 2
    assert "line 2: 3 values where the header has 2" in capsys.readouterr().err
    sites.write_text("\ufeffid;name\nuusi-paja;Uusi paja\n", encoding="utf-8")
    assert _run(db, "import-sites", str(sites)) == 0
    broken = tmp_path / "sites.json"
    broken.write_text('{"sites": [\n  {"id": "a", "name": "A"},\n  {"id": \n')
    assert _run(db, "import-sites", str(broken)) == 2
    assert "line 4, column 1: not valid JSON" in capsys.readouterr().err
    header = tmp_path / "plans.csv"
    header.write_text("plan_id,participant\n")
    assert _run(db, "import-plans", str(header)) == 2
    assert "line 1: the header has missing column(s)" in capsys.readouterr().err


def test_reimporting_updates_and_moves_reference_data_forward(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _import_examples(db)
    storage = SqliteStorage(db)
    before = storage.rows("SELECT ref_seq FROM sites WHERE id = 'mikkeli-paja'")[0]["ref_seq"]
    storage.close()
    assert _run(db, "import-participants", str(EXAMPLES / "participants.csv")) == 0
    storage = SqliteStorage(db)
    after = storage.rows("SELECT ref_seq FROM sites WHERE id = 'mikkeli-paja'")[0]["ref_seq"]
    assert after > before
    assert len(storage.participants("mikkeli-paja")) == 2
