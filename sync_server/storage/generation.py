"""Which copy of the server's data this is: a restore from a backup starts a new one.

A database restored from a backup lacks what the server acknowledged after the backup
was made, and its change numbers go on from the backup's, below the pull cursors that
devices hold from the lost data. ``lasna-server restore`` gives the database a new
generation. Devices learn it from every pull and send it with every push, so a device
that synced with the lost data notices at once: its push is refused with
``server_restored`` (nothing decided), it queues again every version the server had
acknowledged (the server answers ``duplicate`` for those it has) and pulls from the
start. A pull cursor of another generation starts over from the beginning too.
"""

from __future__ import annotations

from datetime import datetime

from sync_server.storage.connection import StorageBase, iso
from sync_server.storage.schema import GENERATION_TABLE as TABLE
from sync_server.storage.schema import new_generation


class GenerationMixin(StorageBase):
    def generation(self) -> str:
        """This database's generation ("" before its migration ran)."""
        rows = self.rows(f"SELECT value FROM {TABLE} WHERE id = 1")
        return str(rows[0]["value"]) if rows else ""

    def start_generation(self, *, now: datetime, restored_from: str) -> str:
        """A new generation, after a restore from ``restored_from`` (kept for the record)."""
        value = new_generation()
        with self.write() as db:
            db.execute(
                f"UPDATE {TABLE} SET value = ?, restored_at = ?, restored_from = ? WHERE id = 1",
                [value, iso(now), restored_from],
            )
        return value
