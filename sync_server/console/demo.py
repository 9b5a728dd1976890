"""A demo coordinator for ``make run``: a known password and second-factor key.

For the demo database only: a real county makes its first administrator with
``lasna-server create-admin`` and every other account in the console.
"""

from __future__ import annotations

from datetime import datetime

from sync_server.console.accounts import Accounts, Role
from sync_server.storage import ServerStorage

DEMO_USER = "demo-koordinaattori"
DEMO_PASSWORD = "demo-salasana-2026"  # demo only, printed on the console
DEMO_TOTP_SECRET = "LASNADEMOLASNADEMOLASNADEMO23456"  # demo only, printed on the console


def ensure_demo_coordinator(storage: ServerStorage, now: datetime) -> tuple[str, str, str]:
    """The demo coordinator (whole county), made once; its user name, password and key."""
    accounts = Accounts(storage)
    found = accounts.by_username(DEMO_USER)
    if found is None:
        found = accounts.create(
            DEMO_USER,
            "Demo Koordinaattori",
            Role.COORDINATOR,
            DEMO_PASSWORD,
            now=now,
            all_sites=True,
        )
    with storage.write() as db:
        db.execute(
            "UPDATE console_accounts SET totp_secret = ?, totp_confirmed = 1 WHERE id = ?",
            [DEMO_TOTP_SECRET, found.id],
        )
    return DEMO_USER, DEMO_PASSWORD, DEMO_TOTP_SECRET
