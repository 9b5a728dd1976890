"""Crypto recipes: the only module that touches ``cryptography.hazmat``.

Everything here is a small, fixed recipe so that callers never choose a cipher, a
nonce or a KDF themselves:

* :func:`seal` / :func:`open_sealed`: AES-256-GCM with a random 96-bit nonce and
  caller-supplied associated data (build it with :func:`associated_data`, which binds a
  value to its table, row, column and key version).
* :func:`derive_kek`: scrypt over the PIN *keyed by a device secret*, so a database
  file alone cannot be brute-forced through the PIN space.
* :func:`wrap_key` / :func:`unwrap_key`: a key sealed under another key.
* :func:`seal_to` / :func:`open_from`: a "sealed box" to an X25519 public key
  (ephemeral X25519, HKDF-SHA-256, AES-256-GCM). A data-key rotation gives the new key
  to every supervisor without their PINs; with :data:`SEALED_PUSH_LABEL` a device seals
  each outbox entry to the sync server, so a locked device can still send it.
* :func:`device_wrap_key`: a key from the device secret alone, for what a locked
  device needs (its sync credential) and nothing that is personal data.
* :func:`reseal`: open under one key and seal under another (rotation).
* :func:`new_signing_key` / :func:`sign` / :func:`verify_signature`: Ed25519 in PEM
  form, for the server's signed batches to the county.

Every failure to open raises the one opaque :class:`CannotOpen`: the caller cannot
tell a wrong key from tampered data, and should not try to.

Only APIs present in cryptography 43.x are used (the phone build ships 43.0.1), and
this module imports nothing but the standard library and ``cryptography``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # GCM's native nonce size; random nonces, far below 2**32 seals per key
SALT_BYTES = 16
DEVICE_SECRET_BYTES = 32
_FORMAT = b"\x01"  # leading byte of every sealed value: lets the format change later
_OVERHEAD = len(_FORMAT) + NONCE_BYTES + 16
_PIN_LABEL = b"lasna/pin/v1\x00"
_SLOT_INFO = b"lasna/key-slot/v1"
_DEVICE_CHECK_LABEL = b"lasna/device-check/v1"
_DEVICE_WRAP_LABEL = b"lasna/device-wrap/v1"
# HKDF labels of the sealed boxes: a box made for one purpose never opens as another.
KEY_SLOT_LABEL = _SLOT_INFO
SEALED_PUSH_LABEL = b"lasna/sealed-push/v1"


class CannotOpen(Exception):
    """A sealed value could not be opened: the key is wrong or the data was changed."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "The stored data cannot be opened: it was sealed under another key or changed."
        )


@dataclass(frozen=True, slots=True)
class KdfParams:
    """scrypt cost: memory is 128 · n · r bytes, time grows linearly with n · r · p."""

    n: int = 2**17
    r: int = 8
    p: int = 1

    def __post_init__(self) -> None:
        if self.n < 2 or self.n & (self.n - 1):
            raise ValueError("scrypt's n must be a power of two greater than 1.")
        if self.r < 1 or self.p < 1:
            raise ValueError("scrypt's r and p must be at least 1.")


# 128 MiB and about 0.33 s on the reference machine (docs/security.md); the same as
# OWASP's recommended minimum for scrypt.
DEFAULT_KDF = KdfParams()


def random_bytes(n: int) -> bytes:
    return os.urandom(n)


def new_data_key() -> bytes:
    """A fresh random AES-256 key."""
    return os.urandom(KEY_BYTES)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def associated_data(table: str, row: str, column: str, key_version: int, *bound: str) -> bytes:
    """Unambiguous associated data naming where a sealed value lives.

    Each part is length-prefixed, so no two different tuples encode the same bytes.
    ``bound`` adds clear columns of the same row (a date, a participant id) whose
    change must make the value fail to open.
    """
    parts = (table, row, column, str(key_version), *bound)
    out = bytearray()
    for part in parts:
        encoded = part.encode("utf-8")
        out += len(encoded).to_bytes(4, "big")
        out += encoded
    return bytes(out)


class Sealer:
    """An AES-256-GCM key ready for use (the cipher object is built once)."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("An AES-256 key has exactly 32 bytes.")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return _FORMAT + nonce + self._aead.encrypt(nonce, plaintext, aad)

    def open(self, sealed: bytes, aad: bytes) -> bytes:
        if len(sealed) < _OVERHEAD or sealed[:1] != _FORMAT:
            raise CannotOpen()
        nonce = sealed[1 : 1 + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, sealed[1 + NONCE_BYTES :], aad)
        except InvalidTag:
            raise CannotOpen() from None


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """``plaintext`` sealed under ``key``, bound to ``aad``."""
    return Sealer(key).seal(plaintext, aad)


def open_sealed(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    """The plaintext of ``sealed``; :class:`CannotOpen` for any wrong key, aad or byte."""
    return Sealer(key).open(sealed, aad)


def reseal(old: Sealer, new: Sealer, sealed: bytes, old_aad: bytes, new_aad: bytes) -> bytes:
    """``sealed`` moved from one key (and place) to another."""
    return new.seal(old.open(sealed, old_aad), new_aad)


def wrap_key(kek: bytes, key: bytes, aad: bytes) -> bytes:
    """``key`` sealed under the key-encryption key ``kek``."""
    return seal(kek, key, aad)


def unwrap_key(kek: bytes, wrapped: bytes, aad: bytes) -> bytes:
    key = open_sealed(kek, wrapped, aad)
    if len(key) != KEY_BYTES:
        raise CannotOpen()
    return key


def normalise_pin(pin: str) -> bytes:
    """One byte form per PIN, whatever keyboard composed it (Unicode NFC, UTF-8)."""
    return unicodedata.normalize("NFC", pin).encode("utf-8")


def derive_kek(
    pin: str, device_secret: bytes, salt: bytes, params: KdfParams = DEFAULT_KDF
) -> bytes:
    """The key-encryption key of one supervisor's slot.

    The PIN is first keyed with the device secret (HMAC-SHA-256), then stretched with
    scrypt. Without the device secret a guess cannot even be formed, so a stolen
    database file alone is not open to a search through the PIN space; with it, each
    guess still costs one full scrypt.
    """
    if len(device_secret) < DEVICE_SECRET_BYTES:
        raise ValueError("The device secret must have at least 32 bytes.")
    keyed_pin = hmac.new(device_secret, _PIN_LABEL + normalise_pin(pin), hashlib.sha256).digest()
    kdf = Scrypt(salt=salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p)
    return kdf.derive(keyed_pin)


def device_check(device_secret: bytes, store_id: str) -> str:
    """A tag that tells whether a device secret belongs to a store, revealing nothing."""
    return hmac.new(
        device_secret, _DEVICE_CHECK_LABEL + store_id.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def device_wrap_key(device_secret: bytes, store_id: str) -> bytes:
    """A key that the device secret alone opens: for the sync credential of a locked device.

    Whoever holds the device secret and the store file holds this key; only values that
    are not personal data may be sealed under it (see docs/security.md).
    """
    if len(device_secret) < DEVICE_SECRET_BYTES:
        raise ValueError("The device secret must have at least 32 bytes.")
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=store_id.encode("utf-8"),
        info=_DEVICE_WRAP_LABEL,
    )
    return hkdf.derive(device_secret)


def same_tag(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def new_key_pair() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair as (private, public) raw bytes."""
    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


def public_key_of(private_key: bytes) -> bytes:
    try:
        return X25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes_raw()
    except ValueError:
        raise CannotOpen() from None


def _slot_key(shared_secret: bytes, ephemeral: bytes, recipient: bytes, label: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral + recipient, info=label)
    return hkdf.derive(shared_secret)


def seal_to(
    public_key: bytes, plaintext: bytes, aad: bytes, *, label: bytes = KEY_SLOT_LABEL
) -> bytes:
    """``plaintext`` sealed so that only the holder of ``public_key``'s private key opens it.

    Ephemeral-static X25519, HKDF-SHA-256 (``label`` as its info: one per purpose), then
    AES-256-GCM bound to ``aad``: the sealed value starts with the 32-byte ephemeral
    public key. The sender keeps nothing that could open it again.
    """
    try:
        recipient = X25519PublicKey.from_public_bytes(public_key)
    except ValueError:
        raise CannotOpen() from None
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    try:
        shared_secret = ephemeral.exchange(recipient)
    except ValueError:  # a low-order point: not a key anyone holds
        raise CannotOpen() from None
    key = _slot_key(shared_secret, ephemeral_public, public_key, label)
    return ephemeral_public + seal(key, plaintext, aad)


def open_from(
    private_key: bytes, sealed: bytes, aad: bytes, *, label: bytes = KEY_SLOT_LABEL
) -> bytes:
    """The plaintext of a value sealed with :func:`seal_to` to this private key's pair."""
    if len(sealed) < 32 + _OVERHEAD:
        raise CannotOpen()
    try:
        private = X25519PrivateKey.from_private_bytes(private_key)
        ephemeral_public = sealed[:32]
        shared_secret = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError:
        raise CannotOpen() from None
    recipient = private.public_key().public_bytes_raw()
    key = _slot_key(shared_secret, ephemeral_public, recipient, label)
    return open_sealed(key, sealed[32:], aad)


def pad(plaintext: bytes, *, minimum: int = 256, step: int = 64) -> bytes:
    """``plaintext`` padded so that its sealed length reveals only a size bucket.

    A record's status or absence reason would otherwise show in the ciphertext's
    length. The padding is a 0x80 byte followed by zero bytes (ISO/IEC 7816-4).
    """
    length = len(plaintext) + 1
    target = minimum if length <= minimum else minimum + -(-(length - minimum) // step) * step
    return plaintext + b"\x80" + bytes(target - length)


def unpad(padded: bytes) -> bytes:
    end = padded.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise CannotOpen()
    return end[:-1]


class BadSigningKey(ValueError):
    """The bytes given as a signing key are not an unencrypted Ed25519 PEM key."""


def new_signing_key() -> bytes:
    """A fresh Ed25519 private key as unencrypted PKCS#8 PEM (keep it as a secret)."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def signing_public_key(private_key_pem: bytes) -> bytes:
    """The public half of an Ed25519 PEM private key, as SubjectPublicKeyInfo PEM."""
    return (
        _ed25519_private(private_key_pem)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def sign(private_key_pem: bytes, message: bytes) -> bytes:
    """The 64-byte Ed25519 signature of ``message``."""
    return _ed25519_private(private_key_pem).sign(message)


def verify_signature(public_key_pem: bytes, signature: bytes, message: bytes) -> bool:
    """True iff ``signature`` is a valid Ed25519 signature of ``message`` under the key."""
    try:
        public = serialization.load_pem_public_key(public_key_pem)
    except (ValueError, TypeError):
        return False
    if not isinstance(public, Ed25519PublicKey):
        return False
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def _ed25519_private(pem: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise BadSigningKey("The signing key is not an unencrypted PEM private key.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BadSigningKey("The signing key is a PEM private key but not an Ed25519 one.")
    return key
