"""Device credentials and enrollment codes: made random, stored only as hashes.

A credential is 256 random bits, so a plain SHA-256 of it cannot be reversed by
guessing. An enrollment code is short enough to type (60 bits in twelve letters and
digits, without look-alikes) and lives only hours, once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

CREDENTIAL_PREFIX = "lsd1_"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: they are misread
CODE_LENGTH = 12


def new_credential() -> str:
    return CREDENTIAL_PREFIX + secrets.token_urlsafe(32)


def new_device_id() -> str:
    return "dev_" + secrets.token_hex(8)


def credential_hash(credential: str) -> str:
    return hashlib.sha256(credential.encode("utf-8")).hexdigest()


def new_enrollment_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """Upper case, without spaces or dashes: how a person may type a code."""
    return "".join(ch for ch in code.upper() if ch not in " -\t")


def code_hash(code: str) -> str:
    return hashlib.sha256(("lasna-enrollment:" + normalise_code(code)).encode()).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
