"""The forward's settings: where batches go, when, how they are signed and retried.

Read from environment variables (``LASNA_FORWARD_*``, listed in
``docs/county-contract.md``) or from a mapping (a ``[forward]`` section of a settings
file). Secrets are read from files or variables, never printed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ForwardConfigError
from .periods import PeriodKind, PeriodScheme, parse_scheme
from .signing import Signer, ed25519_signer, hmac_signer

ENV_PREFIX = "LASNA_FORWARD_"
# Fault injection for the crash tests: "hang-after-send" makes a run stop dead after
# the county has answered and before the answer is recorded, as if the power went.
# Off unless this variable is set; never set it in production.
FAULT_ENV = "LASNA_FORWARD_FAULT"
FAULTS = frozenset({"hang-after-send"})


@dataclass(frozen=True, slots=True)
class ForwardConfig:
    sender_id: str = "lasna"
    county_id: str = "county"
    endpoint_url: str | None = None
    drop_dir: Path | None = None
    signer: Signer | None = field(default=None, repr=False)
    nightly_at: time = time(2, 30)
    timezone: str = "Europe/Helsinki"
    payment_periods: PeriodScheme = field(default_factory=lambda: PeriodScheme(PeriodKind.MONTH))
    absence_periods: PeriodScheme = field(
        default_factory=lambda: PeriodScheme(PeriodKind.TWO_WEEKS)
    )
    retry_deadline: timedelta = timedelta(hours=6)
    backoff_initial: float = 2.0  # seconds
    backoff_max: float = 300.0
    request_timeout: float = 30.0
    max_days_per_batch: int = 10_000
    fault: str | None = None

    def __post_init__(self) -> None:
        if self.endpoint_url is not None and not self.endpoint_url.startswith(
            ("https://", "http://")
        ):
            raise ForwardConfigError(
                f"The county endpoint must be an http(s) URL, not {self.endpoint_url!r}."
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ForwardConfigError(f"Unknown time zone {self.timezone!r}.") from None
        if self.max_days_per_batch < 1:
            raise ForwardConfigError("max_days_per_batch must be at least 1.")
        if self.backoff_initial <= 0 or self.backoff_max < self.backoff_initial:
            raise ForwardConfigError("Backoff needs 0 < initial ≤ maximum seconds.")
        if self.fault is not None and self.fault not in FAULTS:
            raise ForwardConfigError(f"Unknown fault {self.fault!r}; known: {sorted(FAULTS)}.")

    @property
    def enabled(self) -> bool:
        """True when there is somewhere to send batches to."""
        return self.endpoint_url is not None or self.drop_dir is not None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require_target(self) -> Signer:
        """Check that a run can deliver; return the signer."""
        if not self.enabled:
            raise ForwardConfigError(
                "No county endpoint or drop folder is configured: set "
                f"{ENV_PREFIX}URL or {ENV_PREFIX}DROP_DIR."
            )
        if self.signer is None:
            raise ForwardConfigError(
                f"No signing key is configured: set {ENV_PREFIX}HMAC_SECRET(_FILE) or "
                f"{ENV_PREFIX}ED25519_KEY_FILE."
            )
        return self.signer


def config_from_env(environ: Mapping[str, str] | None = None) -> ForwardConfig:
    """Settings from ``LASNA_FORWARD_*`` variables (unset ones keep their defaults)."""
    env = os.environ if environ is None else environ
    values = {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in env.items()
        if key.startswith(ENV_PREFIX) and value != ""
    }
    return config_from_mapping(values)


def config_from_mapping(data: Mapping[str, Any]) -> ForwardConfig:
    """Settings from a flat mapping with the lower-case names of the variables."""
    known = {
        "sender",
        "county",
        "url",
        "drop_dir",
        "hmac_secret",
        "hmac_secret_file",
        "ed25519_key_file",
        "key_id",
        "at",
        "timezone",
        "period",
        "period_anchor",
        "absence_period",
        "absence_anchor",
        "deadline_minutes",
        "backoff_seconds",
        "backoff_max_seconds",
        "timeout_seconds",
        "max_days",
        "fault",
    }
    unknown = sorted(set(data) - known)
    if unknown:
        raise ForwardConfigError(f"Unknown forward setting(s): {', '.join(unknown)}.")
    kwargs: dict[str, Any] = {}
    if "sender" in data:
        kwargs["sender_id"] = str(data["sender"])
    if "county" in data:
        kwargs["county_id"] = str(data["county"])
    if "url" in data:
        kwargs["endpoint_url"] = str(data["url"])
    if "drop_dir" in data:
        kwargs["drop_dir"] = Path(str(data["drop_dir"]))
    if "at" in data:
        kwargs["nightly_at"] = _time(str(data["at"]))
    if "timezone" in data:
        kwargs["timezone"] = str(data["timezone"])
    if "period" in data:
        kwargs["payment_periods"] = parse_scheme(str(data["period"]), _opt(data, "period_anchor"))
    if "absence_period" in data:
        kwargs["absence_periods"] = parse_scheme(
            str(data["absence_period"]), _opt(data, "absence_anchor")
        )
    if "deadline_minutes" in data:
        kwargs["retry_deadline"] = timedelta(minutes=_number(data, "deadline_minutes"))
    if "backoff_seconds" in data:
        kwargs["backoff_initial"] = _number(data, "backoff_seconds")
    if "backoff_max_seconds" in data:
        kwargs["backoff_max"] = _number(data, "backoff_max_seconds")
    if "timeout_seconds" in data:
        kwargs["request_timeout"] = _number(data, "timeout_seconds")
    if "max_days" in data:
        kwargs["max_days_per_batch"] = int(_number(data, "max_days"))
    if "fault" in data:
        kwargs["fault"] = str(data["fault"])
    kwargs["signer"] = _signer(data)
    return ForwardConfig(**kwargs)


def _signer(data: Mapping[str, Any]) -> Signer | None:
    key_id = str(data.get("key_id", "lasna-1"))
    sources = [k for k in ("hmac_secret", "hmac_secret_file", "ed25519_key_file") if k in data]
    if len(sources) > 1:
        raise ForwardConfigError(
            "Configure exactly one signing key: an HMAC secret or an Ed25519 key file."
        )
    if not sources:
        return None
    if "hmac_secret" in data:
        return hmac_signer(key_id, str(data["hmac_secret"]).encode("utf-8"))
    path = Path(str(data[sources[0]]))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ForwardConfigError(
            f"The signing key file {path} cannot be read: {exc.strerror}."
        ) from None
    if sources[0] == "hmac_secret_file":
        return hmac_signer(key_id, raw.strip())
    return ed25519_signer(key_id, raw)


def _time(text: str) -> time:
    try:
        parsed = time.fromisoformat(text)
    except ValueError:
        raise ForwardConfigError(f"The nightly time {text!r} is not a time as HH:MM.") from None
    return parsed


def _number(data: Mapping[str, Any], key: str) -> float:
    try:
        value = float(data[key])
    except (TypeError, ValueError):
        raise ForwardConfigError(f"The forward setting {key!r} must be a number.") from None
    if value <= 0:
        raise ForwardConfigError(f"The forward setting {key!r} must be above zero.")
    return value


def _opt(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)
