"""Checking a batch's signature the way the county would, from the documented recipe.

Written from ``docs/county-contract.md`` rather than imported from the sender, so a
drift between the two sides shows up as a failed check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from county_standin.settings import KeySpec


def signature_ok(
    body: bytes, signature: str | None, key_id: str | None, keys: Mapping[str, KeySpec]
) -> bool:
    if not signature or not key_id or key_id not in keys:
        return False
    key = keys[key_id]
    scheme, _, value = signature.partition("=")
    if key.method == "hmac" and scheme == "v1":
        expected = hmac.new(key.material, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, value.strip().lower())
    if key.method == "ed25519" and scheme == "ed25519":
        try:
            public = load_pem_public_key(key.material)
            raw = base64.b64decode(value, validate=True)
        except ValueError:
            return False
        if not isinstance(public, Ed25519PublicKey):
            return False
        try:
            public.verify(raw, body)
        except InvalidSignature:
            return False
        return True
    return False
