"""The protocol's JSON examples in tests/fixtures/protocol/ (read by client and server tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROTOCOL_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "protocol"


def protocol_fixture(name: str) -> Any:
    return json.loads((PROTOCOL_FIXTURES / f"{name}.json").read_text("utf-8"))


def without_messages(data: Any) -> Any:
    """The message without rendered texts (they are made from the code when shown)."""
    if isinstance(data, dict):
        return {k: without_messages(v) for k, v in data.items() if k != "messages"}
    if isinstance(data, list):
        return [without_messages(v) for v in data]
    return data
