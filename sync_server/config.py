"""The server's settings: a TOML file, then ``LASNA_*`` environment variables, then flags.

Plain HTTP is served only in development mode and only on a loopback address;
otherwise a TLS certificate and key are required, so a misconfigured production
server refuses to start instead of sending participant data in the clear.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from shared.protocol import MAX_BATCH_RECORDS, MAX_BODY_BYTES
from sync_server.errors import ConfigError
from sync_server.throttle import parse_limit

ENV_PREFIX = "LASNA_"
# Test-only fault injection (see docs/admin.md): off unless this variable is set.
FAULT_PUSH_HOLD_ENV = "LASNA_FAULT_PUSH_HOLD"


@dataclass(frozen=True, slots=True)
class ServerConfig:
    db_path: Path = Path("var/lasna-server.db")
    host: str = "127.0.0.1"
    port: int = 8443
    tls_cert: Path | None = None
    tls_key: Path | None = None
    dev: bool = False  # plain HTTP on loopback, for development and tests only
    admin_token: str | None = None  # for admin HTTP endpoints (the county forward adds some)
    max_batch_records: int = MAX_BATCH_RECORDS
    max_body_bytes: int = MAX_BODY_BYTES
    pull_page_records: int = 2000
    pull_history_months: int = 2  # records of days from this many months back are pulled
    enrollment_code_hours: int = 72
    device_silent_days: int = 3  # the console's front page names devices silent longer
    # Failures per client address before it gets 429 (see sync_server/throttle.py).
    enroll_failure_limit: str = "10 per 15 minutes"
    credential_failure_limit: str = "30 per 15 minutes"
    log_level: str = "INFO"
    # Retention, counted from the end of a participant's last service (docs/admin.md,
    # `lasna-server purge`): their name, client reference and notes, and their lines in
    # the access log. Records 10 years (the county's duty); access-log lines 2 years.
    retention_records_years: int = 10
    retention_access_log_years: int = 2
    extra: Mapping[str, Any] = field(default_factory=dict)  # other sections, e.g. [forward]
    fault_push_hold: Path | None = None  # fault injection: pause inside the push transaction

    @property
    def url(self) -> str:
        scheme = "http" if self.dev and self.tls_cert is None else "https"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    def check(self) -> ServerConfig:
        """Refuse settings that cannot work or would be unsafe; return self when fine."""
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ConfigError("Give both a TLS certificate and its key, or neither.")
        if self.tls_cert is None and not self.dev:
            raise ConfigError(
                "No TLS certificate and key are configured. Set tls_cert and tls_key "
                "(or LASNA_TLS_CERT and LASNA_TLS_KEY); plain HTTP is only for development "
                "mode on a loopback address (serve --dev)."
            )
        if self.tls_cert is None and not _is_loopback(self.host):
            raise ConfigError(
                f"Development mode serves plain HTTP and so only listens on a loopback "
                f"address (127.0.0.1 or ::1), not on {self.host}."
            )
        for path in (self.tls_cert, self.tls_key):
            if path is not None and not path.is_file():
                raise ConfigError(f"The TLS file {path} does not exist.")
        if not 1 <= self.port <= 65535:
            raise ConfigError(f"The port {self.port} is not a TCP port number (1–65535).")
        if self.max_batch_records < 1 or self.max_body_bytes < 1024:
            raise ConfigError("Batch limits must allow at least one record and 1 KiB.")
        if self.admin_token is not None and len(self.admin_token) < 24:
            raise ConfigError("The admin token must be at least 24 characters long.")
        if min(self.retention_records_years, self.retention_access_log_years) < 1:
            raise ConfigError(
                "retention_records_years and retention_access_log_years must be at least 1."
            )
        parse_limit(self.enroll_failure_limit, "enroll_failure_limit")
        parse_limit(self.credential_failure_limit, "credential_failure_limit")
        return self


_TYPES: dict[str, type] = {
    "db_path": Path,
    "host": str,
    "port": int,
    "tls_cert": Path,
    "tls_key": Path,
    "dev": bool,
    "admin_token": str,
    "max_batch_records": int,
    "max_body_bytes": int,
    "pull_page_records": int,
    "pull_history_months": int,
    "enrollment_code_hours": int,
    "device_silent_days": int,
    "enroll_failure_limit": str,
    "credential_failure_limit": str,
    "log_level": str,
    "retention_records_years": int,
    "retention_access_log_years": int,
}


def load_config(
    path: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> ServerConfig:
    """Settings from ``path`` (or ``$LASNA_CONFIG``), the environment and ``overrides``."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    file = path or (Path(env["LASNA_CONFIG"]) if env.get("LASNA_CONFIG") else None)
    if file is not None:
        try:
            doc = tomllib.loads(file.read_text("utf-8"))
        except OSError as exc:
            raise ConfigError(f"Cannot read the configuration file {file}: {exc}.") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"The configuration file {file} is not valid TOML: {exc}.") from None
        server = doc.get("server", doc)
        for key, value in server.items():
            if key in _TYPES:
                values[key] = _convert(key, value, f"{file}")
            elif isinstance(value, dict):
                extra[key] = value
            else:
                raise ConfigError(f"The configuration file {file} has an unknown setting {key!r}.")
        for key, value in doc.items():
            if key != "server" and isinstance(value, dict):
                extra[key] = value
    for key in _TYPES:
        raw = env.get(ENV_PREFIX + key.upper())
        if raw is not None and raw != "":
            values[key] = _convert(key, raw, f"${ENV_PREFIX}{key.upper()}")
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = _convert(key, value, f"--{key.replace('_', '-')}")
    hold = env.get(FAULT_PUSH_HOLD_ENV)
    config = replace(
        ServerConfig(), **values, extra=extra, fault_push_hold=Path(hold) if hold else None
    )
    return config


def _convert(key: str, value: Any, where: str) -> Any:
    kind = _TYPES[key]
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if kind is int:
            if isinstance(value, bool):
                raise ValueError(value)
            return int(value)
        if kind is Path:
            return Path(str(value)).expanduser()
        return str(value)
    except ValueError:
        noun = {int: "whole number", bool: "yes/no value"}.get(kind, "text")
        raise ConfigError(
            f"The setting {key!r} from {where} must be a {noun}, not {value!r}."
        ) from None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def setting_names() -> list[str]:
    """The settings a file or the environment may give (for the docs and --help)."""
    return [f.name for f in fields(ServerConfig) if f.name in _TYPES]
