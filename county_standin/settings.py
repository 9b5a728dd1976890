"""The stand-in's settings: its database file, the sender keys it trusts, its failure mode."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class KeySpec:
    """A key the county trusts: an HMAC secret or an Ed25519 public key (PEM)."""

    method: str  # "hmac" or "ed25519"
    material: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class StandinSettings:
    db_path: Path
    keys: Mapping[str, KeySpec]
    mode: str = "ok"  # ok | down | slow:<seconds> | error:<count>[:<status>]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> StandinSettings:
        """``COUNTY_STANDIN_DB``, ``COUNTY_STANDIN_KEY_ID`` and one of
        ``COUNTY_STANDIN_HMAC_SECRET`` / ``COUNTY_STANDIN_HMAC_SECRET_FILE`` /
        ``COUNTY_STANDIN_ED25519_PUBLIC_KEY_FILE``; ``COUNTY_STANDIN_MODE``."""
        env = os.environ if environ is None else environ
        key_id = env.get("COUNTY_STANDIN_KEY_ID", "lasna-1")
        keys: dict[str, KeySpec] = {}
        if env.get("COUNTY_STANDIN_HMAC_SECRET"):
            keys[key_id] = KeySpec("hmac", env["COUNTY_STANDIN_HMAC_SECRET"].encode("utf-8"))
        elif env.get("COUNTY_STANDIN_HMAC_SECRET_FILE"):
            secret = Path(env["COUNTY_STANDIN_HMAC_SECRET_FILE"]).read_bytes().strip()
            keys[key_id] = KeySpec("hmac", secret)
        elif env.get("COUNTY_STANDIN_ED25519_PUBLIC_KEY_FILE"):
            pem = Path(env["COUNTY_STANDIN_ED25519_PUBLIC_KEY_FILE"]).read_bytes()
            keys[key_id] = KeySpec("ed25519", pem)
        if not keys:
            raise SystemExit(
                "The county stand-in needs a sender key: set COUNTY_STANDIN_HMAC_SECRET(_FILE) "
                "or COUNTY_STANDIN_ED25519_PUBLIC_KEY_FILE."
            )
        return cls(
            db_path=Path(env.get("COUNTY_STANDIN_DB", "var/county-standin.db")),
            keys=keys,
            mode=env.get("COUNTY_STANDIN_MODE", "ok"),
        )
