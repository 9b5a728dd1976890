"""A real sync server in a subprocess: uvicorn on a free loopback port, a temp SQLite file.

Reusable by any test (the app's browser tests too)::

    with running_server(tmp_path, seed=seed_demo_site) as server:
        code = server.enrollment_code("demo")
        ... talk to server.url ...

The database is seeded through :class:`SqliteStorage` on the same file, exactly as
the admin commands do, before or while the server runs.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sync_server.storage import SqliteStorage, open_database
from tests.support.processes import (
    answers,
    free_port,
    log_tail,
    start_module,
    stop,
    wait_until,
)


class ServerProcess:
    """One ``python -m sync_server serve --dev`` process (restartable on the same file)."""

    def __init__(
        self,
        db_path: Path,
        *,
        port: int | None = None,
        env: Mapping[str, str] | None = None,
        args: Sequence[str] = (),
        database: str | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        # A postgresql:// URL, or (by default) the SQLite file db_path.
        self.database = database or str(self.db_path)
        self.args = list(args)
        self.port = port or free_port()
        self.env = dict(env or {})
        self.log_path = self.db_path.with_suffix(".log")
        self.proc: subprocess.Popen[bytes] | None = None
        self._storage: SqliteStorage | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def storage(self) -> SqliteStorage:
        """The admin's view of the same database file (as the CLI would open it)."""
        if self._storage is None:
            self._storage = open_database(self.database)  # type: ignore[assignment]
        return self._storage

    def start(self, *, env: Mapping[str, str] | None = None) -> ServerProcess:
        self.proc = start_module(
            "sync_server",
            "serve",
            "--dev",
            "--db",
            self.database,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *self.args,
            env={**self.env, **(env or {})},
            without="LASNA_",
            log=self.log_path,
        )
        wait_until(
            self.proc, answers(self.url + "/health"), what="The sync server", details=self.log_tail
        )
        return self

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log_path, lines)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """A real SIGKILL: no shutdown code runs, an open transaction is left unfinished."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
        self.proc = None

    def close(self) -> None:
        self.stop()
        if self._storage is not None:
            self._storage.close()
            self._storage = None

    def enrollment_code(self, site_id: str, *, hours: int = 24) -> str:
        code, _ = self.storage.create_enrollment_code(
            site_id, now=datetime.now(UTC), valid_for=timedelta(hours=hours)
        )
        return code


Seed = Callable[[SqliteStorage], None]


@contextmanager
def running_server(
    directory: Path,
    *,
    seed: Seed | None = None,
    env: Mapping[str, str] | None = None,
    name: str = "server.db",
    database: str | None = None,
) -> Iterator[ServerProcess]:
    """A seeded server for the duration of the block; stopped and closed after."""
    server = ServerProcess(Path(directory) / name, env=env, database=database)
    if seed is not None:
        seed(server.storage)
    server.start()
    try:
        yield server
    finally:
        server.close()


def seed_demo_site(storage: SqliteStorage) -> None:
    """The demo site of ``lasna-server demo-seed`` (eight participants, three rule sets)."""
    from sync_server.demo import seed_demo

    seed_demo(storage, now=datetime.now(UTC), history_days=14)
