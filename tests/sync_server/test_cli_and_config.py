"""The admin command line and the server's settings."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sync_server.cli import main
from sync_server.config import ServerConfig, load_config
from sync_server.errors import ConfigError
from sync_server.storage import SqliteStorage

NOW = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


def _main(*args: str) -> int:
    return main(list(args), now=lambda: NOW)


def test_demo_seed_enroll_code_devices_and_revoke(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    code_file = tmp_path / "code.txt"
    assert _main("init", "--db", db) == 0
    assert _main("demo-seed", "--db", db, "--code-file", str(code_file)) == 0
    assert "8 participants" in capsys.readouterr().out
    storage = SqliteStorage(Path(db))
    rule_sets = {p.rule_set_id for p in storage.plans("demo")}
    assert rule_sets == {"kuntouttava", "osallistava", "vammaisten"}
    assert storage.db.execute("SELECT count(*) FROM record_versions").fetchone()[0] > 0

    assert _main("enroll-code", "--db", db, "--site", "demo", "--hours", "2", "--json") == 0
    issued = json.loads(capsys.readouterr().out)
    assert datetime.fromisoformat(issued["expires_at"]) == NOW + timedelta(hours=2)
    reply = storage.enroll(issued["code"], "Tabletti", now=NOW)
    other = storage.enroll(code_file.read_text().strip(), "Puhelin", now=NOW)

    assert _main("devices", "--db", db, "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert {d["id"] for d in listed} == {reply.device_id, other.device_id}
    assert all(d["revoked_at"] is None for d in listed)

    assert _main("revoke", "--db", db, reply.device_id) == 0
    assert "is revoked" in capsys.readouterr().out
    assert storage.authenticate(reply.credential, now=NOW) is None
    assert storage.authenticate(other.credential, now=NOW) is not None
    assert _main("devices", "--db", db) == 0
    assert "revoked 2026-03-16" in capsys.readouterr().out


def test_admin_errors_are_sentences_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    assert _main("init", "--db", db) == 0
    assert _main("enroll-code", "--db", db, "--site", "nowhere") == 2
    assert "There is no site 'nowhere'" in capsys.readouterr().err
    assert _main("revoke", "--db", db, "dev_missing") == 2
    assert "There is no device 'dev_missing'" in capsys.readouterr().err


def test_serve_refuses_plain_http_outside_development_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    assert _main("serve", "--db", db, "--port", "18000") == 2
    assert "No TLS certificate and key" in capsys.readouterr().err
    assert _main("serve", "--db", db, "--dev", "--host", "0.0.0.0") == 2
    assert "only listens on a loopback address" in capsys.readouterr().err
    assert _main("serve", "--db", db, "--tls-cert", str(tmp_path / "missing.pem")) == 2
    assert "both a TLS certificate and its key" in capsys.readouterr().err


def test_settings_come_from_file_then_environment_then_flags(tmp_path: Path) -> None:
    file = tmp_path / "lasna.toml"
    file.write_text(
        '[server]\ndb_path = "/srv/lasna.db"\nport = 9000\nmax_batch_records = 50\n'
        '[forward]\nurl = "https://county.example"\n'
    )
    config = load_config(
        file, environ={"LASNA_PORT": "9100", "LASNA_DEV": "yes"}, overrides={"host": "::1"}
    )
    assert config.db_path == Path("/srv/lasna.db")
    assert config.port == 9100
    assert config.dev is True
    assert config.host == "::1"
    assert config.max_batch_records == 50
    assert config.extra["forward"] == {"url": "https://county.example"}
    assert config.check().url == "http://[::1]:9100"
    with pytest.raises(ConfigError, match="must be a whole number"):
        load_config(None, environ={"LASNA_PORT": "eighty"})
    file.write_text("[server]\nprot = 1\n")
    with pytest.raises(ConfigError, match="unknown setting 'prot'"):
        load_config(file, environ={})


def test_a_tls_config_is_accepted(tmp_path: Path) -> None:
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_text("x")
    key.write_text("y")
    config = ServerConfig(host="0.0.0.0", tls_cert=cert, tls_key=key).check()
    assert config.url == "https://0.0.0.0:8443"
    with pytest.raises(ConfigError, match="admin token"):
        ServerConfig(dev=True, admin_token="short").check()


def test_purge_needs_dry_run_or_apply_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "server.db")
    assert _main("init", "--db", db) == 0
    with pytest.raises(SystemExit):
        _main("purge", "--db", db)  # one of --dry-run and --apply is required
    capsys.readouterr()
    assert _main("purge", "--dry-run", "--db", db) == 0
    said = capsys.readouterr().out
    assert "Would remove personal data of 0 participant(s)" in said
    assert "Nothing was changed (dry run)" in said
    assert _main("purge", "--apply", "--db", db) == 0
    assert "write-ahead log emptied" in capsys.readouterr().out
