"""Signatures over a batch's exact body bytes, so the county can check the sender.

Two methods, chosen by configuration:

* ``hmac``: HMAC-SHA256 with a secret shared with the county. Header value
  ``v1=<64 hex digits>``.
* ``ed25519``: an Ed25519 signature with the server's private key; the county holds
  the public key. Header value ``ed25519=<base64 of the 64-byte signature>``.

Either way ``X-Lasna-Key-Id`` names the key, so that keys can be rotated: the county
keeps the old key until every batch signed with it has arrived.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from enum import StrEnum

from shared import crypto

from .errors import ForwardConfigError

SIGNATURE_HEADER = "X-Lasna-Signature"
KEY_ID_HEADER = "X-Lasna-Key-Id"
MIN_SECRET_BYTES = 32


class Method(StrEnum):
    HMAC = "hmac"
    ED25519 = "ed25519"


@dataclass(frozen=True, slots=True)
class Signer:
    """A key that signs batches. ``secret`` is never shown in ``repr`` or logs."""

    method: Method
    key_id: str
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not self.key_id.strip():
            raise ForwardConfigError("The signing key needs a non-empty key id.")
        if self.method is Method.HMAC and len(self.secret) < MIN_SECRET_BYTES:
            raise ForwardConfigError(
                f"The HMAC secret must be at least {MIN_SECRET_BYTES} bytes long."
            )
        if self.method is Method.ED25519:
            _public_key(self.secret)  # fail at start-up, not at 02:30

    def sign(self, body: bytes) -> str:
        """The ``X-Lasna-Signature`` header value for ``body``."""
        if self.method is Method.HMAC:
            return "v1=" + hmac.new(self.secret, body, hashlib.sha256).hexdigest()
        signature = crypto.sign(self.secret, body)
        return "ed25519=" + base64.b64encode(signature).decode("ascii")

    def headers(self, body: bytes) -> dict[str, str]:
        return {SIGNATURE_HEADER: self.sign(body), KEY_ID_HEADER: self.key_id}

    def public_key_pem(self) -> str:
        """The Ed25519 public key to give to the county (PEM)."""
        if self.method is not Method.ED25519:
            raise ForwardConfigError("Only an Ed25519 signing key has a public key.")
        return _public_key(self.secret).decode("ascii")


def hmac_signer(key_id: str, secret: bytes) -> Signer:
    return Signer(Method.HMAC, key_id, secret)


def ed25519_signer(key_id: str, private_key_pem: bytes) -> Signer:
    return Signer(Method.ED25519, key_id, private_key_pem)


def new_ed25519_private_key_pem() -> bytes:
    """A fresh Ed25519 private key as unencrypted PKCS#8 PEM (store it as a secret)."""
    return crypto.new_signing_key()


def verify(
    header: str,
    body: bytes,
    *,
    hmac_secret: bytes | None = None,
    public_key_pem: bytes | None = None,
) -> bool:
    """True iff ``header`` is a valid signature of ``body`` under the given key."""
    scheme, _, value = header.partition("=")
    if scheme == "v1" and hmac_secret is not None:
        expected = hmac.new(hmac_secret, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, value.strip().lower())
    if scheme == "ed25519" and public_key_pem is not None:
        try:
            signature = base64.b64decode(value, validate=True)
        except ValueError:
            return False
        return crypto.verify_signature(public_key_pem, signature, body)
    return False


def _public_key(private_key_pem: bytes) -> bytes:
    try:
        return crypto.signing_public_key(private_key_pem)
    except crypto.BadSigningKey as exc:
        raise ForwardConfigError(f"The Ed25519 signing key is unusable: {exc}") from None
