"""Console accounts, their sessions, login delays and API tokens (the console's tables).

Roles: ``admin`` (accounts, devices, settings, and everything a coordinator does),
``coordinator`` (sites, participants, plans, enrollment codes on their sites) and
``viewer`` (reads only). A coordinator or viewer sees the sites given to them, or the
whole county when ``all_sites`` is set. Every function takes ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sync_server.console import recipes
from sync_server.errors import AdminError
from sync_server.storage.connection import StorageBase, iso, parse_iso

SESSION_IDLE = timedelta(minutes=30)
SESSION_LONGEST = timedelta(hours=10)


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    VIEWER = "viewer"


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    display_name: str
    role: Role
    all_sites: bool
    site_ids: frozenset[str]
    totp_confirmed: bool
    disabled: bool

    @property
    def needs_second_factor(self) -> bool:
        return self.role in (Role.ADMIN, Role.COORDINATOR)

    @property
    def can_change(self) -> bool:
        """Sites, participants, plans and enrollment codes."""
        return self.role in (Role.ADMIN, Role.COORDINATOR)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def whole_county(self) -> bool:
        return self.is_admin or self.all_sites

    def sees(self, site_id: str) -> bool:
        return self.whole_county or site_id in self.site_ids


@dataclass(frozen=True, slots=True)
class Session:
    token_hash: str
    account: Account
    csrf: str
    second_factor_done: bool


@dataclass(frozen=True, slots=True)
class LoginResult:
    account: Account | None
    wait_seconds: int  # > 0: refused without checking, try again later


def check_password_rules(password: str) -> None:
    if len(password) < recipes.MIN_PASSWORD_LENGTH:
        raise AdminError("The password must be at least 12 characters long.")


class Accounts:
    def __init__(self, storage: StorageBase) -> None:
        self.storage = storage

    # accounts --------------------------------------------------------------------------

    def create(
        self,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        *,
        now: datetime,
        all_sites: bool = False,
        site_ids: frozenset[str] = frozenset(),
    ) -> Account:
        name = username.strip().lower()
        if not name or len(name) > 64 or not all(c.isalnum() or c in "._-@" for c in name):
            raise AdminError("A user name is 1–64 letters, digits or . _ - @.")
        if not display_name.strip():
            raise AdminError("Give the account holder's name.")
        check_password_rules(password)
        with self.storage.write() as db:
            if db.execute("SELECT 1 FROM console_accounts WHERE username = ?", [name]).fetchone():
                raise AdminError("There is already an account with this user name.")
            cursor = db.execute(
                "INSERT INTO console_accounts (username, display_name, role, all_sites, "
                "password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    name,
                    display_name.strip()[:200],
                    role.value,
                    int(all_sites),
                    recipes.hash_password(password),
                    iso(now),
                ],
            )
            account_id = int(cursor.fetchone()[0])
            self._set_sites(db, account_id, site_ids)
        found = self.get(account_id)
        assert found is not None
        return found

    def update(
        self,
        account_id: int,
        *,
        role: Role,
        all_sites: bool,
        site_ids: frozenset[str],
        disabled: bool,
        now: datetime,
    ) -> None:
        with self.storage.write() as db:
            db.execute(
                "UPDATE console_accounts SET role = ?, all_sites = ?, "
                "disabled_at = CASE WHEN ? THEN COALESCE(disabled_at, ?) ELSE NULL END "
                "WHERE id = ?",
                [role.value, int(all_sites), int(disabled), iso(now), account_id],
            )
            self._set_sites(db, account_id, site_ids)
            if disabled:
                db.execute(
                    "UPDATE console_sessions SET ended_at = ? WHERE account_id = ? "
                    "AND ended_at IS NULL",
                    [iso(now), account_id],
                )

    def grant_site(self, account_id: int, site_id: str) -> None:
        with self.storage.write() as db:
            db.execute(
                "INSERT OR IGNORE INTO console_account_sites (account_id, site_id) VALUES (?, ?)",
                [account_id, site_id],
            )

    def _set_sites(self, db: Any, account_id: int, site_ids: frozenset[str]) -> None:
        db.execute("DELETE FROM console_account_sites WHERE account_id = ?", [account_id])
        for site_id in sorted(site_ids):
            db.execute(
                "INSERT INTO console_account_sites (account_id, site_id) VALUES (?, ?)",
                [account_id, site_id],
            )

    def get(self, account_id: int) -> Account | None:
        rows = self.storage.rows("SELECT * FROM console_accounts WHERE id = ?", [account_id])
        return self._account(rows[0]) if rows else None

    def by_username(self, username: str) -> Account | None:
        rows = self.storage.rows(
            "SELECT * FROM console_accounts WHERE username = ?", [username.strip()]
        )
        return self._account(rows[0]) if rows else None

    def all(self) -> list[Account]:
        return [
            self._account(r)
            for r in self.storage.rows("SELECT * FROM console_accounts ORDER BY username")
        ]

    def count(self) -> int:
        return int(self.storage.rows("SELECT COUNT(*) AS n FROM console_accounts")[0]["n"])

    def _account(self, row: dict[str, Any]) -> Account:
        sites = self.storage.rows(
            "SELECT site_id FROM console_account_sites WHERE account_id = ?", [row["id"]]
        )
        return Account(
            id=int(row["id"]),
            username=row["username"],
            display_name=row["display_name"],
            role=Role(row["role"]),
            all_sites=bool(row["all_sites"]),
            site_ids=frozenset(r["site_id"] for r in sites),
            totp_confirmed=bool(row["totp_confirmed"]),
            disabled=row["disabled_at"] is not None,
        )

    def set_password(self, account_id: int, password: str) -> None:
        check_password_rules(password)
        with self.storage.write() as db:
            db.execute(
                "UPDATE console_accounts SET password_hash = ? WHERE id = ?",
                [recipes.hash_password(password), account_id],
            )

    # logging in ------------------------------------------------------------------------

    def wait_seconds(self, username: str, now: datetime) -> int:
        rows = self.storage.rows(
            "SELECT blocked_until FROM console_login_failures WHERE username = ?",
            [username.strip()],
        )
        until = parse_iso(rows[0]["blocked_until"]) if rows else None
        if until is None or until <= now:
            return 0
        return max(1, int((until - now).total_seconds() + 0.999))

    def note_failure(self, username: str, now: datetime) -> None:
        name = username.strip()[:64]
        with self.storage.write() as db:
            row = db.execute(
                "SELECT failures FROM console_login_failures WHERE username = ?", [name]
            ).fetchone()
            failures = (row[0] if row else 0) + 1
            blocked = now + recipes.login_delay(failures)
            db.execute(
                "INSERT OR REPLACE INTO console_login_failures (username, failures, "
                "blocked_until) VALUES (?, ?, ?)",
                [name, failures, iso(blocked)],
            )

    def _clear_failures(self, username: str) -> None:
        with self.storage.write() as db:
            db.execute("DELETE FROM console_login_failures WHERE username = ?", [username])

    def check_login(self, username: str, password: str, now: datetime) -> LoginResult:
        """The account when the password is right; failures make the next try wait."""
        wait = self.wait_seconds(username, now)
        if wait:
            return LoginResult(None, wait)
        rows = self.storage.rows(
            "SELECT id, password_hash, disabled_at FROM console_accounts WHERE username = ?",
            [username.strip()],
        )
        if not rows:
            recipes.spend_time_like_a_check(password)
            self.note_failure(username, now)
            return LoginResult(None, 0)
        row = rows[0]
        if not recipes.password_matches(row["password_hash"], password) or row["disabled_at"]:
            self.note_failure(username, now)
            return LoginResult(None, 0)
        self._clear_failures(username.strip())
        return LoginResult(self.get(int(row["id"])), 0)

    # second factor ---------------------------------------------------------------------

    def totp_secret(self, account_id: int) -> str | None:
        rows = self.storage.rows(
            "SELECT totp_secret FROM console_accounts WHERE id = ?", [account_id]
        )
        secret: str | None = rows[0]["totp_secret"] if rows else None
        return secret

    def start_totp(self, account_id: int) -> str:
        """A new, unconfirmed secret (replaces an unconfirmed one)."""
        secret = recipes.new_totp_secret()
        with self.storage.write() as db:
            db.execute(
                "UPDATE console_accounts SET totp_secret = ?, totp_confirmed = 0, "
                "totp_last_step = NULL WHERE id = ?",
                [secret, account_id],
            )
        return secret

    def reset_totp(self, account_id: int) -> None:
        with self.storage.write() as db:
            db.execute(
                "UPDATE console_accounts SET totp_secret = NULL, totp_confirmed = 0, "
                "totp_last_step = NULL WHERE id = ?",
                [account_id],
            )

    def check_totp(self, account: Account, code: str, now: datetime) -> bool:
        """True, once per code, when ``code`` is the account's current one."""
        with self.storage.write() as db:
            row = db.execute(
                "SELECT totp_secret, totp_last_step FROM console_accounts WHERE id = ?",
                [account.id],
            ).fetchone()
            if row is None or row[0] is None:
                return False
            step = recipes.totp_step_matching(row[0], code, now)
            if step is None or (row[1] is not None and step <= row[1]):
                ok = False
            else:
                db.execute(
                    "UPDATE console_accounts SET totp_last_step = ?, totp_confirmed = 1 "
                    "WHERE id = ?",
                    [step, account.id],
                )
                ok = True
        if ok:
            self._clear_failures(account.username)
        else:
            self.note_failure(account.username, now)
        return ok

    # sessions --------------------------------------------------------------------------

    def open_session(self, account: Account, now: datetime, *, second_factor_done: bool) -> str:
        token = recipes.new_token()
        with self.storage.write() as db:
            db.execute(
                "INSERT INTO console_sessions (token_hash, account_id, csrf, "
                "second_factor_done, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    recipes.token_hash(token),
                    account.id,
                    recipes.new_token(),
                    int(second_factor_done),
                    iso(now),
                    iso(now),
                ],
            )
        return token

    def session(self, token: str, now: datetime) -> Session | None:
        """The live session for a cookie's token; touching it keeps it alive."""
        hashed = recipes.token_hash(token)
        rows = self.storage.rows(
            "SELECT * FROM console_sessions WHERE token_hash = ? AND ended_at IS NULL", [hashed]
        )
        if not rows:
            return None
        row = rows[0]
        created, seen = parse_iso(row["created_at"]), parse_iso(row["last_seen_at"])
        assert created is not None and seen is not None
        if now - seen > SESSION_IDLE or now - created > SESSION_LONGEST:
            self.end_session(token, now)
            return None
        account = self.get(int(row["account_id"]))
        if account is None or account.disabled:
            return None
        if now - seen > timedelta(minutes=1):  # one write a minute at most
            with self.storage.write() as db:
                db.execute(
                    "UPDATE console_sessions SET last_seen_at = ? WHERE token_hash = ?",
                    [iso(now), hashed],
                )
        return Session(hashed, account, row["csrf"], bool(row["second_factor_done"]))

    def second_factor_passed(self, session: Session) -> None:
        with self.storage.write() as db:
            db.execute(
                "UPDATE console_sessions SET second_factor_done = 1 WHERE token_hash = ?",
                [session.token_hash],
            )

    def end_session(self, token: str, now: datetime) -> None:
        with self.storage.write() as db:
            db.execute(
                "UPDATE console_sessions SET ended_at = ? WHERE token_hash = ?",
                [iso(now), recipes.token_hash(token)],
            )

    # API tokens ------------------------------------------------------------------------

    def create_api_token(self, account: Account, name: str, now: datetime) -> str:
        """A new token for scripts; only its hash is kept, so it is shown once."""
        label = name.strip()[:80]
        if not label:
            raise AdminError("Give the token a name that says what uses it.")
        token = recipes.new_api_token()
        with self.storage.write() as db:
            db.execute(
                "INSERT INTO console_api_tokens (account_id, name, token_hash, created_at) "
                "VALUES (?, ?, ?, ?)",
                [account.id, label, recipes.token_hash(token), iso(now)],
            )
        return token

    def api_tokens(self, account_id: int) -> list[dict[str, Any]]:
        return self.storage.rows(
            "SELECT id, name, created_at, last_used_at, revoked_at FROM console_api_tokens "
            "WHERE account_id = ? ORDER BY id",
            [account_id],
        )

    def revoke_api_token(self, account_id: int, token_id: int, now: datetime) -> None:
        with self.storage.write() as db:
            db.execute(
                "UPDATE console_api_tokens SET revoked_at = COALESCE(revoked_at, ?) "
                "WHERE id = ? AND account_id = ?",
                [iso(now), token_id, account_id],
            )

    def by_api_token(self, token: str, now: datetime) -> Account | None:
        hashed = recipes.token_hash(token)
        rows = self.storage.rows(
            "SELECT account_id FROM console_api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
            [hashed],
        )
        if not rows:
            return None
        account = self.get(int(rows[0]["account_id"]))
        if account is None or account.disabled:
            return None
        with self.storage.write() as db:
            db.execute(
                "UPDATE console_api_tokens SET last_used_at = ? WHERE token_hash = ?",
                [iso(now), hashed],
            )
        return account
