"""The console's secrets as recipes: passwords, second factor, session and API tokens.

Passwords are hashed with argon2id; session and API tokens are 256 random bits and
so are kept as plain SHA-256 hashes (nothing to guess). Time is a parameter.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

API_TOKEN_PREFIX = "lsa1_"
TOTP_ISSUER = "Läsnä"
TOTP_STEP = 30
MIN_PASSWORD_LENGTH = 12
# Failed logins before the first wait, and the waits' growth (doubling, capped).
FREE_FAILURES = 3
FIRST_DELAY_SECONDS = 2
MAX_DELAY_SECONDS = 15 * 60

_hasher = PasswordHasher()  # argon2id with the library's current parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A fixed hash to verify against when the user name is unknown, so that the answer
# takes as long as for a real account.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def spend_time_like_a_check(password: str) -> None:
    password_matches(_DUMMY_HASH, password)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret, interval=TOTP_STEP).provisioning_uri(
        name=username, issuer_name=TOTP_ISSUER
    )


def totp_code(secret: str, now: datetime) -> str:
    """The code an authenticator app shows at ``now`` (tests and the demo use it)."""
    return pyotp.TOTP(secret, interval=TOTP_STEP).at(now)


def totp_step_matching(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code ``code`` is (now, or one step either side), else None."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) != 6:
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_STEP)
    here = int(now.timestamp()) // TOTP_STEP
    for step in (here, here - 1, here + 1):  # a clock a little off still works
        if same(totp.generate_otp(step), digits):
            return step
    return None


def qr_svg(text: str, title: str) -> str:
    """``text`` as an inline SVG QR code (no scripts, no external images)."""
    svg = str(
        segno.make(text, error="m").svg_inline(
            scale=5, border=2, title=title, dark="#000", light="#fff"
        )
    )
    # role="img" makes the <title> its name for screen readers.
    return svg.replace("<svg ", '<svg role="img" ', 1)


def login_delay(failures: int) -> timedelta:
    """How long to wait after ``failures`` failed logins in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    seconds = FIRST_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES)
    return timedelta(seconds=min(seconds, MAX_DELAY_SECONDS))
