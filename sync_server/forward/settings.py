"""The forward's settings inside the server's: a ``[forward]`` table, then the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from sync_server.config import ServerConfig

from .config import ENV_PREFIX, ForwardConfig, config_from_mapping


def forward_config(
    server_config: ServerConfig, environ: Mapping[str, str] | None = None
) -> ForwardConfig:
    """``[forward]`` from the server's settings file, overridden by ``LASNA_FORWARD_*``."""
    env = os.environ if environ is None else environ
    extra = server_config.extra or {}
    values: dict[str, Any] = dict(extra.get("forward", {}))
    for key, value in env.items():
        if key.startswith(ENV_PREFIX) and value != "":
            values[key[len(ENV_PREFIX) :].lower()] = value
    # A file path and an inline secret from two layers: the later layer wins.
    if "hmac_secret" in values and any(
        k.startswith(ENV_PREFIX) and k.endswith(("SECRET_FILE", "KEY_FILE")) for k in env
    ):
        values.pop("hmac_secret")
    return config_from_mapping(values)
