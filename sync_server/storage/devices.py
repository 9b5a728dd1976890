"""Enrollment codes, devices and their credentials (stored only as hashes)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.protocol import EnrollReply, SiteInfo
from sync_server.credentials import (
    code_hash,
    credential_hash,
    new_credential,
    new_device_id,
    new_enrollment_code,
)
from sync_server.errors import AdminError, EnrollmentRefused
from sync_server.storage.base import Device
from sync_server.storage.connection import StorageBase, iso, parse_iso


class DevicesMixin(StorageBase):
    def create_enrollment_code(
        self, site_id: str, *, now: datetime, valid_for: timedelta
    ) -> tuple[str, datetime]:
        """A one-time code for ``site_id``; only its hash is kept."""
        if valid_for <= timedelta(0):
            raise AdminError("An enrollment code must be valid for a positive time.")
        code = new_enrollment_code()
        expires = now + valid_for
        with self.write() as db:
            if not db.execute("SELECT 1 FROM sites WHERE id = ?", [site_id]).fetchone():
                raise AdminError(f"There is no site {site_id!r}; import it first.")
            db.execute(
                "INSERT INTO enrollment_codes (code_hash, site_id, created_at, expires_at) "
                "VALUES (?, ?, ?, ?)",
                [code_hash(code), site_id, iso(now), iso(expires)],
            )
        return code, expires

    def enroll(self, code: str, device_name: str, *, now: datetime) -> EnrollReply:
        """Exchange a code for a device credential; the code is spent in the same step."""
        name = device_name.strip()[:80]
        if not name:
            raise EnrollmentRefused("Give the device a name so the administrator can tell it.")
        with self.write() as db:
            row = db.execute(
                "SELECT e.site_id, e.expires_at, e.used_at, s.name FROM enrollment_codes e "
                "JOIN sites s ON s.id = e.site_id WHERE e.code_hash = ?",
                [code_hash(code)],
            ).fetchone()
            if row is None:
                raise EnrollmentRefused(
                    "This enrollment code is not valid. Check it, or ask the administrator "
                    "for a new one.",
                    {"reason": "unknown"},
                )
            site_id, expires_at, used_at, site_name = row
            if used_at is not None:
                raise EnrollmentRefused(
                    "This enrollment code has already been used. Ask the administrator for "
                    "a new one.",
                    {"reason": "used"},
                )
            if iso(now) >= expires_at:
                raise EnrollmentRefused(
                    "This enrollment code has expired. Ask the administrator for a new one.",
                    {"reason": "expired"},
                )
            credential = new_credential()
            device_id = new_device_id()
            db.execute(
                "INSERT INTO devices (id, site_id, name, token_hash, enrolled_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [device_id, site_id, name, credential_hash(credential), iso(now)],
            )
            db.execute(
                "UPDATE enrollment_codes SET used_at = ?, device_id = ? WHERE code_hash = ?",
                [iso(now), device_id, code_hash(code)],
            )
        return EnrollReply(
            device_id=device_id, site=SiteInfo(site_id, site_name), credential=credential
        )

    def authenticate(self, credential: str, *, now: datetime) -> Device | None:
        """The enrolled, unrevoked device this credential belongs to, or None."""
        found = self.rows(
            "SELECT * FROM devices WHERE token_hash = ? AND revoked_at IS NULL",
            [credential_hash(credential)],
        )
        return _device(found[0]) if found else None

    def devices(self, site_id: str | None = None) -> list[Device]:
        if site_id is None:
            return [_device(r) for r in self.rows("SELECT * FROM devices ORDER BY enrolled_at")]
        return [
            _device(r)
            for r in self.rows(
                "SELECT * FROM devices WHERE site_id = ? ORDER BY enrolled_at", [site_id]
            )
        ]

    def revoke(self, device_id: str, *, now: datetime) -> Device:
        with self.write() as db:
            db.execute(
                "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
                [iso(now), device_id],
            )
        found = self.rows("SELECT * FROM devices WHERE id = ?", [device_id])
        if not found:
            raise AdminError(f"There is no device {device_id!r}; list them with 'devices'.")
        return _device(found[0])


def _device(row: dict[str, Any]) -> Device:
    enrolled = parse_iso(row["enrolled_at"])
    assert enrolled is not None
    return Device(
        id=row["id"],
        site_id=row["site_id"],
        name=row["name"],
        enrolled_at=enrolled,
        revoked_at=parse_iso(row["revoked_at"]),
        last_seen_at=parse_iso(row["last_seen_at"]),
        clock_skew_seconds=row["clock_skew_seconds"],
        clock_flagged_at=parse_iso(row["clock_flagged_at"]),
    )
