"""``lasna-server backup --to FILE``: a consistent copy of the live SQLite database.

SQLite's online backup API copies the database page by page through an ordinary
connection. Done in one step it reads from one snapshot: in WAL mode the server's
writers go on meanwhile (a copy of ``server.db`` with ``cp`` could catch a half-written
page, and would miss what is still in ``server.db-wal``). The copy is written beside
the target under a temporary name, checked (``PRAGMA integrity_check``) and only then
moved into place, readable by this user only: it holds everything the server holds.

Restoring is stopping the server, putting the copy where ``db_path`` points, and
starting it again (docs/admin.md, "Backup and restore").
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sync_server.errors import AdminError
from sync_server.storage.private import private_file, private_folder


def backup(database: Path, target: Path) -> int:
    """Copy ``database`` to ``target`` while the server runs; the copy's size in bytes."""
    database, target = Path(database), Path(target)
    if not database.is_file():
        raise AdminError(f"There is no database at {database}; check --db or db_path.")
    if target.resolve() == database.resolve():
        raise AdminError("The backup must go to another file than the database itself.")
    if target.is_dir():
        raise AdminError(f"{target} is a folder; give the backup file's name with --to.")
    private_folder(target.parent)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    private_file(partial)
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
