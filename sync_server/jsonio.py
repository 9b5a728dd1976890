"""The server's one JSON style: compact UTF-8, written and read by pydantic-core.

Replies, stored bodies, findings, plans and the forward's kept fields are all JSON;
pydantic-core writes them in about a third of ``json.dumps``' time and reads them in
a third of ``json.loads``'. One style everywhere: compact separators, characters as
they are (what ``ensure_ascii=False`` gives), so a stored text and a reply agree.

Give it JSON-ready values (the ``to_dict`` forms): pydantic-core would write a
``datetime`` its own way (``Z`` for UTC) where the protocol's forms use
``isoformat()``. What is signed or compared as text (the forward's documents, the
county's receipts) is written canonically instead: the same compact style with the
keys sorted (:func:`canonical`).

Left to the standard library on purpose: what a person reads (the command line's
indented output, log lines) and the county's CSV tables, whose form the contract fixes.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import from_json, to_json

# The standard library's writer sorts keys; one encoder for every call (json.dumps would
# build a new one each time).
_CANONICAL = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
)


def dump_bytes(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON bytes (what an HTTP reply sends)."""
    return to_json(value)


def dumps(value: Any, *, sort_keys: bool = False) -> str:
    """``value`` as compact JSON text (what a TEXT column keeps).

    ``sort_keys`` for a text compared as text later (a receipt): the standard library
    writes it then, in the same compact style, since pydantic-core keeps the order given.
    """
    if sort_keys:
        return _CANONICAL.encode(value)
    return to_json(value).decode("utf-8")


def canonical(value: Any) -> bytes:
    """``value`` as canonical JSON bytes: compact, keys sorted, UTF-8, no NaN (signed)."""
    return _CANONICAL.encode(value).encode("utf-8")


def loads(text: str | bytes) -> Any:
    """The value of JSON text or bytes; ``ValueError`` when it is not JSON."""
    return from_json(text)
