"""Admin commands refuse a database that is not there instead of making an empty one."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync_server.cli import main

COMMANDS = [
    ["devices"],
    ["devices", "--json"],
    ["enroll-code", "--site", "demo"],
    ["revoke", "dev_0123"],
    ["import-sites", "SITES"],
    ["demo-seed"],
    ["mark-restored"],
    ["forward", "batches"],
    ["forward", "reconcile", "--month", "2026-01"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_a_missing_database_is_refused_with_a_sentence(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("id,name\nuusi,Uusi paja\n", encoding="utf-8")
    typo = tmp_path / "sevrer.db"
    args = [str(sites) if a == "SITES" else a for a in command]
    where = 2 if command[0] == "forward" else 1
    assert main([*args[:where], "--db", str(typo), *args[where:]]) == 2
    err = capsys.readouterr().err
    assert f"There is no database at {typo}" in err
    assert "lasna-server init" in err
    assert list(tmp_path.iterdir()) == [sites]  # nothing was created


def test_init_creates_the_database_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "data" / "server.db"
    assert main(["init", "--db", str(db)]) == 0
    assert "Created the database" in capsys.readouterr().out
    assert main(["devices", "--db", str(db)]) == 0
    assert "No devices enrolled." in capsys.readouterr().out
    assert main(["init", "--db", str(db)]) == 0
    assert "exists already" in capsys.readouterr().out
