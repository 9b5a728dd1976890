"""``lasna-server restore --from FILE``: put a backup back where the settings point.

The backup is what ``lasna-server backup`` wrote: an SQLite file or a pg_dump
custom-format dump, with the sealed-push key beside it as ``FILE.push-key``. The
engine is the one the settings name (``--db``, ``database_url``, ``db_path``); a
backup of the other engine is refused with the way to move it.

Everything is checked before anything changes: the backup (SQLite's integrity check,
or the dump's table of contents), the target (it must be empty, unless ``--force``),
and the key. Then:

* SQLite: the copy goes beside ``db_path`` under a temporary name and is moved into
  place; with ``--force`` the present database (and its ``-wal``) is first moved aside
  as ``<db_path>.replaced-<time>``, never deleted.
* PostgreSQL: ``pg_restore`` in one transaction into the database ``database_url``
  names; with ``--force`` it drops the backup's tables there first.
* The database gets a new generation (:mod:`sync_server.storage.generation`): devices
  that synced after the backup was made send again what it lacks.
* The key goes to ``<db_path>.push-key``; with ``--force`` a different key there is
  moved aside as ``….replaced-<time>``.

The server must be stopped meanwhile (every instance, on PostgreSQL).
"""

from __future__ import annotations

import base64
import binascii
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from shared import crypto
from sync_server import pgdump
from sync_server.backup import copy_private, partial_beside
from sync_server.config import ServerConfig
from sync_server.errors import AdminError
from sync_server.sealing import key_path
from sync_server.storage import open_database
from sync_server.storage.engine import is_postgres, redacted
from sync_server.storage.private import SQLITE_COMPANIONS, private_folder

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(slots=True)
class Restored:
    into: str  # the database, as it may be shown
    kept_aside: list[Path] = field(default_factory=list)  # files moved out of the way
    key: str = ""  # what happened to the sealed-push key, a sentence
    generation: str = ""  # the restored data's new generation
    warnings: list[str] = field(default_factory=list)


def restore_server(config: ServerConfig, source: Path, *, force: bool, now: datetime) -> Restored:
    """Restore ``source`` into the database ``config`` names (see the module's text)."""
    source = Path(source)
    if not source.is_file():
        raise AdminError(f"There is no backup file {source}.")
    kind = _kind(source)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    # Each step checks first and gives back what it will do: a refusal changes nothing.
    if is_postgres(config.database):
        restore = _restore_postgres(config.database, source, kind, force=force)
    else:
        restore = _restore_sqlite(config.db_path, source, kind, force=force, stamp=stamp)
    key = _KeyPlan(key_path(source), key_path(config.db_path), force=force, stamp=stamp)
    done = restore()
    # Brought up to this release's tables, and made a new generation: devices that synced
    # with what the backup lacks send it again (storage/generation.py).
    storage = open_database(config.database)
    try:
        done.generation = storage.start_generation(now=now, restored_from=str(source))
    finally:
        storage.close()
    done.key, warning = key.apply()
    if key.moved is not None:
        done.kept_aside.append(key.moved)
    if warning:
        done.warnings.append(warning)
    return done


def _kind(source: Path) -> str:
    with source.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(pgdump.DUMP_MAGIC):
        return "postgres"
    raise AdminError(
        f"{source} is not a backup lasna-server made: neither an SQLite database nor a "
        "PostgreSQL dump in pg_dump's custom format."
    )


# -- PostgreSQL ---------------------------------------------------------------------


def _restore_postgres(url: str, source: Path, kind: str, *, force: bool) -> Callable[[], Restored]:
    shown = redacted(url)
    if kind != "postgres":
        raise AdminError(
            f"{source} is an SQLite backup, and the settings name the PostgreSQL database "
            f"{shown}. Restore it into an SQLite file (--db /path/server.db), then move "
            "that with lasna-server migrate-to-postgres."
        )
    pgdump.listing(source)
    tables = pgdump.Connection(url).tables()
    if tables and not force:
        named = ", ".join(tables[:5]) + (" …" if len(tables) > 5 else "")
        raise AdminError(
            f"The database {shown} is not empty (it holds {len(tables)} tables: {named}). "
            "Restore into a new, empty database (createdb), or stop every server instance "
            "and give --force to replace its tables with the backup's."
        )

    def restore() -> Restored:
        pgdump.restore(url, source, replace=bool(tables))
        return Restored(into=shown)

    return restore


# -- SQLite -------------------------------------------------------------------------


def _restore_sqlite(
    db_path: Path, source: Path, kind: str, *, force: bool, stamp: str
) -> Callable[[], Restored]:
    if kind != "sqlite":
        raise AdminError(
            f"{source} is a PostgreSQL dump, and the settings name the SQLite file {db_path}. "
            "Restore it into a new, empty PostgreSQL database: --db postgresql://…"
        )
    if db_path.exists() and db_path.resolve() == source.resolve():
        raise AdminError("The backup is the database file itself; give another --from.")
    _check_sqlite_backup(source)
    held = _sqlite_tables(db_path)
    if held and not force:
        raise AdminError(
            f"The database {db_path} is not empty (it holds {held} tables). Restore to "
            "another db_path, or stop the server and give --force to replace it (the "
            "present file is moved aside, not deleted)."
        )

    def restore() -> Restored:
        private_folder(db_path.parent)
        partial = partial_beside(db_path)
        try:
            _copy_sqlite(source, partial)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        done = Restored(into=str(db_path))
        for suffix in ("", *SQLITE_COMPANIONS):
            present = db_path.with_name(db_path.name + suffix)
            if not present.exists():
                continue
            if held and suffix != "-shm":
                # Kept with its -wal beside it under the same name, so it still opens
                # whole (the -shm is only an index SQLite makes again).
                aside = db_path.with_name(f"{db_path.name}.replaced-{stamp}{suffix}")
                os.replace(present, aside)
                if not suffix:
                    done.kept_aside.append(aside)
            else:
                present.unlink()  # an empty file, or a stale -wal of no database
        os.replace(partial, db_path)
        return done

    return restore


def _check_sqlite_backup(source: Path) -> None:
    try:
        with _read_only(source) as db:
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
            mark = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                [pgdump.MARK_TABLE],
            ).fetchone()
    except sqlite3.Error as exc:
        raise AdminError(f"{source} cannot be read as an SQLite database: {exc}.") from None
    if verdict != "ok":
        raise AdminError(f"{source} is damaged (integrity check: {verdict}); use another backup.")
    if mark is None:
        raise AdminError(f"{source} is an SQLite database, but not a Läsnä server's.")


def _sqlite_tables(db_path: Path) -> int:
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return 0
    try:
        with _read_only(db_path) as db:
            (count,) = db.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()
    except sqlite3.Error as exc:
        raise AdminError(
            f"{db_path} is there but cannot be read as a database ({exc}); move it away first."
        ) from None
    return int(count)


class _read_only:
    """A read-only connection, closed at the end of the block (sqlite3's own context
    manager only ends a transaction)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def _copy_sqlite(source: Path, target: Path) -> None:
    with _read_only(source) as src:
        copy = sqlite3.connect(target)
        try:
            src.backup(copy, pages=-1)
            copy.commit()
        finally:
            copy.close()
    with target.open("rb") as f:
        os.fsync(f.fileno())


# -- the sealed-push key ------------------------------------------------------------


class _KeyPlan:
    """What to do with the key, decided (and refused) before anything changes."""

    def __init__(self, saved: Path, live: Path, *, force: bool, stamp: str) -> None:
        self.saved, self.live, self.stamp = saved, live, stamp
        self.moved: Path | None = None
        if not saved.is_file():
            self.action = "keep" if live.is_file() else "none"
            return
        _check_key(saved)
        if not live.is_file():
            self.action = "copy"
        elif live.read_bytes().strip() == saved.read_bytes().strip():
            self.action = "same"
        elif not force:
            raise AdminError(
                f"{live} holds another sealed-push key than the backup's ({saved}). Devices "
                "seal to the key of the server the backup came from: give --force to put "
                "the backup's key in place (the present one is moved aside, not deleted)."
            )
        else:
            self.action = "replace"

    def apply(self) -> tuple[str, str]:
        """(what was done, a warning or "")."""
        if self.action == "same":
            return f"The sealed-push key at {self.live} is the backup's already.", ""
        if self.action == "keep":
            return (
                f"The server keeps its sealed-push key {self.live}.",
                f"There was no key beside the backup ({self.saved}). If {self.live} is not "
                "the key of the server the backup came from, devices' sealed records are "
                "refused and sent again unsealed after each device's next unlock.",
            )
        if self.action == "none":
            return (
                "No sealed-push key was restored.",
                f"There was no key beside the backup ({self.saved}) and there is none at "
                f"{self.live}. If you have the backed-up server's key file, put it there "
                "before starting the server; otherwise the server makes a new key, and what "
                "devices sealed to the old one is refused and sent again unsealed after each "
                "device's next unlock (nothing is lost).",
            )
        if self.action == "replace":
            self.moved = self.live.with_name(f"{self.live.name}.replaced-{self.stamp}")
            os.replace(self.live, self.moved)
        copy_private(self.saved, self.live)
        return f"Restored the sealed-push key to {self.live}.", ""


def _check_key(path: Path) -> None:
    try:
        private = base64.b64decode(path.read_text("ascii").strip(), validate=True)
        crypto.public_key_of(private)
        if len(private) != 32:
            raise ValueError(len(private))
    except (OSError, UnicodeDecodeError, binascii.Error, ValueError, crypto.CannotOpen):
        raise AdminError(
            f"The key file beside the backup ({path}) is damaged. Use another backup's key "
            "file, or move it away to restore without it."
        ) from None
