"""Files only the server's own user may read: the database, its WAL, keys and codes.

The database holds participants' names, the county's client references and the
sites' notes; an enrollment code is a credential until it is spent. A umask of 022
(the usual default) would leave all of them readable by every local user. Folders
this module creates are 0700 and files 0600, whatever the umask; a file that exists
with wider rights (an older installation) is tightened when it is opened.

Changing the process umask would be simpler, but it is process-wide and the server
opens files from several threads; explicit modes touch only our own files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
# SQLite creates these beside the database with the database file's mode; an existing
# one from before is tightened with the database.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_folder(path: Path) -> None:
    """Create ``path`` and its missing parents as 0700; leave existing folders alone.

    A folder the administrator made (or ``.``) keeps its rights: it may hold other
    things, and the files inside are private anyway.
    """
    missing: list[Path] = []
    probe = Path(path)
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # another process made it meanwhile
            continue


def private_file(path: Path) -> None:
    """Create ``path`` empty as 0600 if missing, or tighten it to 0600 if it is wider."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def private_database(path: Path) -> None:
    """Prepare an SQLite file so that it and its -wal/-shm are 0600 (call before connect).

    An empty file is a valid empty database to SQLite; creating it here, rather than
    letting ``sqlite3.connect`` create it with the umask's 0644, is what gives the
    WAL and shared-memory files 0600 too.
    """
    path = Path(path)
    private_folder(path.parent)
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            private_file(companion)


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (an enrollment code)."""
    path = Path(path)
    private_folder(path.parent)
    private_file(path)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
