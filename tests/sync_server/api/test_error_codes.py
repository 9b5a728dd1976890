"""Every code the server can refuse with is one the device knows how to say.

The device shows its own translated text for a refusal (client/app/problem_texts.py,
checked per code in tests/client/app/test_problems.py) and the server's English only as
the detail; that holds as long as the server sends nothing outside SERVER_REFUSALS.
"""

from __future__ import annotations

import re
from pathlib import Path

import sync_server
from shared.error_codes import SERVER_REFUSALS, ErrorCode
from sync_server.errors import Refused

SERVER = Path(sync_server.__file__).parent


def _all_refusals(cls: type[Refused]) -> list[type[Refused]]:
    return [cls, *(sub for child in cls.__subclasses__() for sub in _all_refusals(child))]


def test_every_refusal_class_sends_a_code_the_device_can_say() -> None:
    codes = {cls.code for cls in _all_refusals(Refused)}
    assert codes <= SERVER_REFUSALS, codes - SERVER_REFUSALS


def test_every_code_the_server_names_is_one_it_may_send() -> None:
    # the exception handlers name codes directly (a 404, a 405, a 500)
    named = {
        ErrorCode[name]
        for source in SERVER.rglob("*.py")
        for name in re.findall(r"ErrorCode\.([A-Z_]+)", source.read_text("utf-8"))
    }
    assert len(named) > 5  # the scan sees the server
    assert named <= SERVER_REFUSALS, named - SERVER_REFUSALS
