"""``lasna-server backup --to FILE``: a consistent copy of the server's data while it runs.

SQLite: the online backup API copies the database page by page through an ordinary
connection. Done in one step it reads from one snapshot: in WAL mode the server's
writers go on meanwhile (a copy of ``server.db`` with ``cp`` could catch a half-written
page, and would miss what is still in ``server.db-wal``). The copy is checked
(``PRAGMA integrity_check``).

PostgreSQL: ``pg_dump --format=custom`` (:mod:`sync_server.pgdump`), which reads one
snapshot too; the dump is checked by reading its table of contents back.

Either way the copy is written beside the target under a temporary name and only then
moved into place, readable by this user only: it holds everything the server holds.
The sealed-push key (``<db_path>.push-key``) goes beside it as ``FILE.push-key``:
devices seal their outboxes to that key, and a server restored without it could not
open what they send while locked. ``lasna-server restore`` puts both back
(docs/admin.md, "Backup and restore").
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sync_server import pgdump
from sync_server.config import ServerConfig
from sync_server.errors import AdminError
from sync_server.sealing import key_path
from sync_server.storage.engine import is_postgres
from sync_server.storage.private import private_file, private_folder


@dataclass(frozen=True, slots=True)
class BackupMade:
    path: Path
    size: int  # bytes
    checked: str  # how the copy was checked, for the report
    key: Path | None  # the sealed-push key's copy; None when the server had none here
    key_missing: Path | None = None  # where the key was looked for in vain


def backup_server(config: ServerConfig, target: Path) -> BackupMade:
    """Back up the database ``config`` names, and its sealed-push key, to ``target``."""
    target = Path(target)
    if target.is_dir():
        raise AdminError(f"{target} is a folder; give the backup file's name with --to.")
    if target.name.endswith(".push-key"):
        raise AdminError("Give the backup itself a name; its key is kept beside it.")
    if is_postgres(config.database):
        size = backup_postgres(config.database, target)
        checked = "its table of contents read back"
    else:
        size = backup_sqlite(config.db_path, target)
        checked = "integrity checked"
    key = key_path(config.db_path)
    if key.is_file():
        return BackupMade(target, size, checked, copy_private(key, key_path(target)))
    # A key from an earlier backup under the same name would pass for this one's.
    key_path(target).unlink(missing_ok=True)
    return BackupMade(target, size, checked, None, key_missing=key)


def copy_private(source: Path, target: Path) -> Path:
    """``source`` copied to ``target`` (0600) through a temporary name beside it."""
    private_folder(target.parent)
    partial = partial_beside(target)
    shutil.copyfile(source, partial)
    with partial.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(partial, target)
    return target


def partial_beside(target: Path) -> Path:
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    private_file(partial)
    return partial


def backup_postgres(url: str, target: Path) -> int:
    """``pg_dump`` the database at ``url`` into ``target``; the dump's size in bytes."""
    private_folder(target.parent)
    partial = partial_beside(target)
    try:
        pgdump.dump(url, partial)
        private_file(partial)  # pg_dump keeps the mode of the file it is given, but be sure
        pgdump.listing(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    return target.stat().st_size


def backup_sqlite(database: Path, target: Path) -> int:
    """Copy ``database`` to ``target`` while the server runs; the copy's size in bytes."""
    database, target = Path(database), Path(target)
    if not database.is_file():
        raise AdminError(f"There is no database at {database}; check --db or db_path.")
    if target.resolve() == database.resolve():
        raise AdminError("The backup must go to another file than the database itself.")
    if target.is_dir():
        raise AdminError(f"{target} is a folder; give the backup file's name with --to.")
    private_folder(target.parent)
    partial = partial_beside(target)
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        copy = sqlite3.connect(partial)
        try:
            # pages=-1: the whole database in one step, from one read snapshot. Step by
            # step, every write by the server would make SQLite start the copy again.
            source.backup(copy, pages=-1)
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
            # One self-contained file: no -wal beside it to forget when copying it on.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise AdminError(
            f"The backup of {database} failed: {exc}. Check the free space at {target.parent}."
        ) from None
    finally:
        source.close()
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise AdminError(f"The backup copy failed its integrity check ({verdict}); try again.")
    os.replace(partial, target)
    return target.stat().st_size
