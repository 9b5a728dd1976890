"""The console in-process (FastAPI's TestClient, a real SQLite file) with a clock to turn."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from sync_server.app import create_app
from sync_server.config import ServerConfig
from sync_server.console import Accounts, Role
from sync_server.console.accounts import Account
from sync_server.console.recipes import totp_code
from sync_server.storage import SqliteStorage, open_database

PASSWORD = "correct horse battery"  # a test value, not a secret
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class ConsoleHarness:
    storage: SqliteStorage
    clock: Clock
    app: object
    clients: list[TestClient] = field(default_factory=list)

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.storage)

    def client(self) -> TestClient:
        # English pages, so that assertions read the msgids; Finnish is the default.
        made = TestClient(
            self.app,
            base_url="http://testserver",
            follow_redirects=False,
            cookies={"lasna_lang": "en"},
        )  # type: ignore[arg-type]
        self.clients.append(made)
        return made

    def account(
        self,
        username: str,
        role: Role,
        *,
        sites: frozenset[str] = frozenset(),
        all_sites: bool = False,
    ) -> Account:
        return self.accounts.create(
            username,
            username.title(),
            role,
            PASSWORD,
            now=self.clock(),
            site_ids=sites,
            all_sites=all_sites,
        )

    def login(self, username: str, client: TestClient | None = None) -> TestClient:
        """Log in through the forms, setting up or using the second factor as needed."""
        c = client or self.client()
        page = c.get("/console/login")
        reply = c.post(
            "/console/login",
            data={"csrf": csrf_of(page.text), "username": username, "password": PASSWORD},
        )
        assert reply.status_code == 303, reply.text
        target = reply.headers["location"]
        if "/login/" in target:
            page = c.get(target)
            account = self.accounts.by_username(username)
            assert account is not None
            secret = self.accounts.totp_secret(account.id)
            assert secret is not None
            self.clock.advance(seconds=30)  # a fresh code: each one works once
            done = c.post(
                target.split("?")[0],
                data={"csrf": csrf_of(page.text), "code": totp_code(secret, self.clock())},
            )
            assert done.status_code == 303, done.text
        return c


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def make_harness(tmp: Path, database: str | None = None) -> Iterator[ConsoleHarness]:
    where = database or str(tmp / "server.db")
    storage: SqliteStorage = open_database(where)  # type: ignore[assignment]
    clock = Clock()
    app = create_app(ServerConfig(database_url=where, dev=True), storage, clock=clock)
    harness = ConsoleHarness(storage, clock, app)
    try:
        yield harness
    finally:
        for c in harness.clients:
            c.close()
        storage.close()
