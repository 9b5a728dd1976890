"""The device secret file: made once, owner-only, refused when loose or damaged."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from client.device_secret import DeviceSecretError, load_or_create_device_secret


def test_the_secret_is_made_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "device.secret"
    first = load_or_create_device_secret(path)
    assert len(first) == 32
    assert load_or_create_device_secret(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
    assert [p.name for p in path.parent.iterdir()] == ["device.secret"]  # no leftovers
    other = load_or_create_device_secret(tmp_path / "other.secret")
    assert other != first


def test_a_secret_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "device.secret"
    load_or_create_device_secret(path)
    os.chmod(path, 0o644)
    with pytest.raises(DeviceSecretError, match="chmod 600"):
        load_or_create_device_secret(path)


def test_a_damaged_secret_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "device.secret"
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.write(fd, b"too short")
    os.close(fd)
    with pytest.raises(DeviceSecretError, match="exactly 32 bytes"):
        load_or_create_device_secret(path)
