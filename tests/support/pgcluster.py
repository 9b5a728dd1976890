"""A throwaway PostgreSQL cluster: Debian's binaries, a temp folder, a free port.

``initdb`` refuses to run as root (CI runs as root): then the cluster is made and run
as the ``postgres`` system user (Debian's package creates it) through ``runuser``.
The cluster trusts local connections, listens on 127.0.0.1 only and is removed when
stopped. The tests' cluster (:mod:`tests.support.postgres`) skips fsync; the benches
ask for a ``durable`` one, which commits to disk as a county's server would.

No pytest here: the benches in ``bench/`` start their cluster with it too.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.support.processes import free_port

USER = "lasna"
_names = itertools.count(1)


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
    """One running cluster; :meth:`new_database` gives each user its own database."""

    def __init__(self, *, durable: bool = False) -> None:
        self.bin = bindir()
        self.durable = durable
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
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=300"
        )
        if not self.durable:  # tests: nothing needs to survive a power cut
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
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

    def new_database(self, template: str = "template0") -> str:
        """A new database (empty, or a copy of ``template``'s name); its URL."""
        name = f"lasna_test_{os.getpid()}_{next(_names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
