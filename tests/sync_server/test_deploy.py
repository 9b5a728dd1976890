"""The service unit in deploy/: its hardening keys are there and it starts the real CLI."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sync_server.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "lasna-server.service"


def _unit(text: str) -> dict[str, dict[str, list[str]]]:
    """Sections of a systemd unit, each key with every value it is given."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"a setting before any section: {line!r}"
        key, sep, value = line.partition("=")
        assert sep, f"not a Key=Value line: {line!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_the_unit_runs_as_its_own_user_with_the_hardening_profile() -> None:
    service = _unit(UNIT.read_text("utf-8"))["Service"]
    expected = {
        "User": "lasna",
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
        "PrivateDevices": "yes",
        "ReadWritePaths": "/var/lib/lasna",
        "StateDirectory": "lasna",
        "UMask": "0077",
        "CapabilityBoundingSet": "",
        "RestrictSUIDSGID": "yes",
    }
    for key, value in expected.items():
        assert service.get(key) == [value], key
    assert "@system-service" in service["SystemCallFilter"]


def test_the_unit_starts_the_real_command_line() -> None:
    service = _unit(UNIT.read_text("utf-8"))["Service"]
    (command,) = service["ExecStart"]
    program, *args = shlex.split(command)
    assert Path(program).name == "lasna-server"
    parsed = build_parser().parse_args(args)  # the subcommand and its flags exist
    assert parsed.command == "serve" and parsed.config == Path("/etc/lasna/server.toml")


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    # The same unit, starting this checkout's command (the /opt path does not exist here).
    here = Path(sys.executable).with_name("lasna-server")
    unit = tmp_path / "lasna-server.service"
    unit.write_text(
        UNIT.read_text("utf-8").replace("/opt/lasna/.venv/bin/lasna-server", str(here)), "utf-8"
    )
    done = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
