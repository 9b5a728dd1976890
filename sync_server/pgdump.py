"""PostgreSQL's own backup programs, run for ``lasna-server backup`` and ``restore``.

``pg_dump --format=custom`` reads one snapshot while the server instances go on
writing, and ``pg_restore --single-transaction`` restores all of a dump or nothing.
The connection is the one ``database_url`` names, with its password handed to the
programs in ``PGPASSWORD`` (libpq's own variable) and never on their command line,
where every local user could read it in the process list; without a password in the
URL, libpq finds it as for the server (``~/.pgpass``, ``PGPASSWORD``).

The programs are looked up on ``PATH`` (Debian's ``/usr/bin/pg_dump`` picks the newest
installed version), then in Debian's ``/usr/lib/postgresql/<version>/bin``, newest
first. ``pg_dump`` must be at least as new as the database server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from sync_server.errors import AdminError
from sync_server.storage.engine import redacted

DEBIAN_BINARIES = Path("/usr/lib/postgresql")
# The first bytes of a custom-format dump (pg_dump --format=custom).
DUMP_MAGIC = b"PGDMP"
# A table every Läsnä database has: a dump without it is of some other database.
MARK_TABLE = "record_versions"


def find_program(name: str) -> Path:
    found = shutil.which(name)
    if found:
        return Path(found)
    versions = sorted(
        DEBIAN_BINARIES.glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1]
    raise AdminError(
        f"{name} was not found on PATH nor in {DEBIAN_BINARIES}/*/bin. Install PostgreSQL's "
        f"client programs (Debian: apt-get install postgresql-client) in a version at least "
        f"as new as the database server's, or put their folder first on PATH."
    )


class Connection:
    """``database_url`` as the programs take it: a conninfo without the password, and
    an environment that carries the password instead."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            params = conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:
            raise AdminError(f"The database URL {redacted(url)} is not valid: {exc}.") from None
        password = params.pop("password", None)
        self._password = str(password) if password is not None else None
        self.conninfo = make_conninfo("", **params)
        self.shown = redacted(url)

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        if self._password is not None:
            env["PGPASSWORD"] = self._password
        return env

    def hide(self, text: str) -> str:
        """``text`` (a program's message) with the password blotted out, just in case."""
        return text.replace(self._password, "***") if self._password else text

    def tables(self) -> list[str]:
        """The tables the database holds outside PostgreSQL's own schemas."""
        try:
            with psycopg.connect(self.url, connect_timeout=15) as conn:
                rows = conn.execute(
                    "SELECT n.nspname || '.' || c.relname FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind IN ('r', 'p') "
                    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                    "AND n.nspname NOT LIKE 'pg\\_toast%' ORDER BY 1"
                ).fetchall()
        except psycopg.OperationalError as exc:
            raise AdminError(
                f"Cannot connect to the PostgreSQL database {self.shown}: "
                f"{self.hide(str(exc)).strip()}. Check that it exists and that the URL names "
                "a user who may connect."
            ) from None
        return [str(r[0]) for r in rows]


def _run(program: Path, args: Sequence[str], connection: Connection | None) -> str:
    """Run ``program`` and give back its standard output; its error as an AdminError."""
    env = connection.environment() if connection is not None else dict(os.environ)
    try:
        done = subprocess.run(
            [str(program), *args], capture_output=True, text=True, env=env, check=False
        )
    except OSError as exc:
        raise AdminError(f"{program} could not be run: {exc}.") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()[-8:]
        text = "\n  ".join(said) or f"exit status {done.returncode}"
        if connection is not None:
            text = connection.hide(text)
        raise AdminError(f"{program.name} failed:\n  {text}")
    return done.stdout


def dump(url: str, target: Path) -> None:
    """``pg_dump --format=custom`` of the database at ``url`` into ``target``."""
    connection = Connection(url)
    program = find_program("pg_dump")
    _run(
        program,
        ["--format=custom", "--no-password", f"--file={target}", f"--dbname={connection.conninfo}"],
        connection,
    )


def listing(source: Path) -> str:
    """The table of contents of a custom-format dump (reads the whole file's index)."""
    with source.open("rb") as f:
        head = f.read(len(DUMP_MAGIC))
    if head != DUMP_MAGIC:
        raise AdminError(
            f"{source} is not a PostgreSQL backup in pg_dump's custom format "
            "(what lasna-server backup writes on PostgreSQL)."
        )
    text = _run(find_program("pg_restore"), ["--list", str(source)], None)
    if f" TABLE DATA public {MARK_TABLE} " not in text:
        raise AdminError(f"{source} is a PostgreSQL dump, but not of a Läsnä server's database.")
    return text


def restore(url: str, source: Path, *, replace: bool) -> None:
    """``pg_restore`` ``source`` into the database at ``url``, all of it or nothing.

    ``replace``: drop the dump's objects first where they exist (``--clean``).
    """
    connection = Connection(url)
    args = [
        # One transaction: a failure half-way leaves the database as it was.
        "--single-transaction",
        # The objects belong to the user database_url names (the server's), whoever
        # owned them where the dump was made; grants to other roles are not restored.
        "--no-owner",
        "--no-privileges",
        "--no-password",
        f"--dbname={connection.conninfo}",
    ]
    if replace:
        args[1:1] = ["--clean", "--if-exists"]
    _run(find_program("pg_restore"), [*args, str(source)], connection)
