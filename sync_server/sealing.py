"""The server's long-term X25519 key for sealed pushes, in a 0600 file beside the database.

A device seals every outbox entry to the public half when it saves it (see
:mod:`shared.sealed_push`), so that it can send while locked; only this private key
opens them. The key is made at ``init`` or at the first start, and announced in the
enrollment and pull replies. Several instances on one PostgreSQL database must share
the file (copy it to each), or devices' boxes open on one instance only.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from shared import crypto
from sync_server.errors import ConfigError
from sync_server.storage.private import FILE_MODE, private_file, private_folder

SUFFIX = ".push-key"


def key_path(db_path: Path) -> Path:
    """Where the key of the database at ``db_path`` lives."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + SUFFIX)


@dataclass(frozen=True, slots=True)
class SealingKey:
    """The private key (never in ``repr`` or logs) and the public key devices seal to."""

    private: bytes = field(repr=False)
    public: bytes

    @classmethod
    def load_or_create(cls, path: Path) -> SealingKey:
        """The key in ``path``, made first when the file does not exist."""
        path = Path(path)
        if not path.exists():
            _create(path)
        private_file(path)  # an older or copied file is tightened to 0600
        text = path.read_text("ascii").strip()
        try:
            private = base64.b64decode(text, validate=True)
            public = crypto.public_key_of(private)
        except (binascii.Error, ValueError, crypto.CannotOpen):
            raise ConfigError(
                f"The sealed-push key file {path} is damaged. Restore it from the backup; "
                "a new key would leave devices' sealed records unreadable."
            ) from None
        if len(private) != 32:
            raise ConfigError(f"The sealed-push key file {path} does not hold a 32-byte key.")
        return cls(private, public)


def _create(path: Path) -> None:
    private_folder(path.parent)
    private, _public = crypto.new_key_pair()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(base64.b64encode(private).decode("ascii") + "\n")
            f.flush()
            os.fsync(f.fileno())
        # link() fails if another process made the key meanwhile: theirs is kept.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
