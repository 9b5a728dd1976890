"""A throwaway PostgreSQL cluster for the tests: Debian's binaries, a temp folder, a free port.

``initdb`` refuses to run as root (CI runs as root): then the cluster is made and run
as the ``postgres`` system user (Debian's package creates it) through ``runuser``.
The cluster trusts local connections, listens on 127.0.0.1 only, skips fsync, and is
removed at the end of the session.

``LASNA_TEST_POSTGRES`` decides what happens when it cannot start: ``required`` (what
``make test`` sets) fails the PostgreSQL-parametrised tests, ``off`` skips them without
trying, and anything else skips them with the reason.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.support.processes import free_port

ENV = "LASNA_TEST_POSTGRES"
USER = "lasna"
_names = itertools.count(1)


def mode() -> str:
    return os.environ.get(ENV, "").strip().lower()


def bindir() -> Path:
    given = os.environ.get("LASNA_PG_BINDIR")
    if given:
        if not (Path(given) / "initdb").is_file():
            raise RuntimeError(f"There is no initdb in LASNA_PG_BINDIR={given}.")
        return Path(given)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not versions:
        raise RuntimeError(
            "PostgreSQL's server binaries are not installed (apt-get install postgresql); "
            "make test installs them."
        )
    return versions[-1].parent


class Cluster:
    """One running cluster; :meth:`new_database` gives each test its own database."""

    def __init__(self) -> None:
        self.bin = bindir()
        self.root = Path(tempfile.mkdtemp(prefix="lasna-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o700)
        try:
            self._start()
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def _start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            USER,
            "--auth=trust",
            "--no-locale",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=300"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o",
                  options, "start")  # fmt: skip

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [*self._as, str(self.bin / program), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stdout}\n{done.stderr}\n{self.log()}")

    def log(self) -> str:
        try:
            return (self.root / "log").read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new, empty database; its URL."""
        name = f"lasna_test_{os.getpid()}_{next(_names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


# -- fixtures (imported into tests/conftest.py) ---------------------------------------

ENGINES = ("sqlite", "postgres")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """The session's cluster; started on first use only."""
    if mode() == "off":
        pytest.skip(f"PostgreSQL tests are off ({ENV}=off).")
    try:
        cluster = Cluster()
    except Exception as exc:  # the binaries, runuser, initdb or the start itself
        if mode() == "required":
            pytest.fail(f"PostgreSQL is required ({ENV}=required) but did not start: {exc}")
        pytest.skip(f"PostgreSQL did not start ({exc}); set {ENV}=required to fail instead.")
    yield cluster
    cluster.stop()


def database_for(request: pytest.FixtureRequest, engine: str, folder: Path) -> str:
    """Where a server database for ``engine`` is: an SQLite file in ``folder`` or a new
    PostgreSQL database in the session's cluster."""
    if engine == "sqlite":
        return str(folder / "server.db")
    cluster: Cluster = request.getfixturevalue("postgres_cluster")
    return cluster.new_database()


@pytest.fixture(params=ENGINES)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A test's own server database, once per engine (the test's id says which)."""
    return database_for(request, request.param, tmp_path)
