"""The store's tables, created and changed only through :data:`MIGRATIONS`.

Clear columns hold only ids, dates, ordering and sync bookkeeping. Every participant
field, plan, record payload, note and secret lives in a ``payload`` column sealed
under the data key whose version is in the row's ``key_version``
(:data:`SEALED_TABLES` names them all, for sealing and for key rotation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("lasna.client.store")


@dataclass(frozen=True, slots=True)
class SealedTable:
    """Where sealed values live: the row key, the sealed column, the clear columns bound."""

    name: str
    key: str
    column: str
    bound: tuple[str, ...] = ()

    def bound_values(self, row: dict[str, Any]) -> tuple[str, ...]:
        return tuple("" if row[c] is None else str(row[c]) for c in self.bound)


SEALED_TABLES: dict[str, SealedTable] = {
    t.name: t
    for t in (
        SealedTable("supervisors", "id", "public_key"),
        SealedTable("participants", "id", "payload"),
        SealedTable("plans", "id", "payload", ("participant_id",)),
        SealedTable(
            "versions", "id", "payload", ("participant_id", "day", "recorded_at", "supersedes")
        ),
        SealedTable("attention", "record_id", "payload", ("outcome",)),
        SealedTable("secrets", "name", "payload"),
    )
}


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        -- Data keys by version; the keys themselves exist only inside key_slots.
        CREATE TABLE data_keys (
            version INTEGER PRIMARY KEY,
            state TEXT NOT NULL CHECK (state IN ('active', 'next', 'retired')),
            created_at TEXT NOT NULL
        );

        CREATE TABLE supervisors (
            id TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            kdf_salt BLOB NOT NULL,
            kdf_n INTEGER NOT NULL,
            kdf_r INTEGER NOT NULL,
            kdf_p INTEGER NOT NULL,
            wrapped_private BLOB NOT NULL,
            key_version INTEGER NOT NULL,
            public_key BLOB NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            retry_after TEXT,
            locked_out INTEGER NOT NULL DEFAULT 0
        );

        -- One data key version sealed to one supervisor's public key.
        CREATE TABLE key_slots (
            supervisor_id TEXT NOT NULL REFERENCES supervisors(id),
            key_version INTEGER NOT NULL REFERENCES data_keys(version),
            envelope BLOB NOT NULL,
            PRIMARY KEY (supervisor_id, key_version)
        );

        CREATE TABLE participants (
            id TEXT PRIMARY KEY,
            key_version INTEGER NOT NULL,
            payload BLOB NOT NULL
        );

        CREATE TABLE plans (
            id TEXT PRIMARY KEY,
            participant_id TEXT NOT NULL,
            key_version INTEGER NOT NULL,
            payload BLOB NOT NULL
        );
        CREATE INDEX plans_participant ON plans(participant_id);

        CREATE TABLE rule_sets (id TEXT PRIMARY KEY, body TEXT NOT NULL);

        -- Day record versions: append-only. sync is 'pending' (in the outbox),
        -- 'acknowledged', 'remote' (came from the server) or 'refused' (the server
        -- answered conflict or rejected: it is not part of the record).
        CREATE TABLE versions (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            participant_id TEXT NOT NULL,
            day TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            supersedes TEXT,
            sync TEXT NOT NULL CHECK (sync IN ('pending', 'acknowledged', 'remote', 'refused')),
            key_version INTEGER NOT NULL,
            payload BLOB NOT NULL
        );
        CREATE INDEX versions_participant_day ON versions(participant_id, day);
        CREATE INDEX versions_day ON versions(day);
        CREATE INDEX versions_key_version ON versions(key_version);

        CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
        BEGIN SELECT RAISE(ABORT, 'Day record versions are never deleted.'); END;
        CREATE TRIGGER versions_no_rewrite BEFORE UPDATE OF
            id, participant_id, day, recorded_at, supersedes ON versions
        BEGIN SELECT RAISE(ABORT, 'Day record versions are never changed in place.'); END;
        CREATE TRIGGER versions_reseal_only BEFORE UPDATE OF payload ON versions
        WHEN NEW.key_version = OLD.key_version
        BEGIN SELECT RAISE(ABORT, 'A payload changes only when resealed under a new key.'); END;

        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY,
            record_id TEXT NOT NULL UNIQUE REFERENCES versions(id),
            queued_at TEXT NOT NULL
        );

        CREATE TABLE attention (
            record_id TEXT PRIMARY KEY REFERENCES versions(id),
            outcome TEXT NOT NULL CHECK (outcome IN ('conflict', 'rejected')),
            answered_seq INTEGER NOT NULL,
            key_version INTEGER NOT NULL,
            payload BLOB NOT NULL
        );

        CREATE TABLE secrets (
            name TEXT PRIMARY KEY,
            key_version INTEGER NOT NULL,
            payload BLOB NOT NULL
        );

        CREATE TABLE closed_months (
            year INTEGER NOT NULL,
            month INTEGER NOT NULL,
            closed_at TEXT NOT NULL,
            closed_by TEXT NOT NULL,
            PRIMARY KEY (year, month)
        );

        -- asiakastietolaki 703/2023: who viewed or changed whose data, when, where.
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            supervisor_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            participant_id TEXT,
            action TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        CREATE INDEX audit_participant ON audit(participant_id, seq);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'Audit entries are never changed.'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'Audit entries are never deleted on the device.'); END;
        """
    )


@MIGRATIONS()
def m002_sealed_outbox(db: Database) -> None:
    """What a locked device needs to keep sending (issue 11; docs/security.md)."""
    db.executescript(
        """
        -- The version's wire JSON sealed to the sync server's public key when saved:
        -- only the server opens it. sealed_for names the device id and the server key
        -- it was sealed for; a box for another one is made again at the next unlock.
        ALTER TABLE outbox ADD COLUMN sealed BLOB;
        ALTER TABLE outbox ADD COLUMN sealed_for TEXT;

        -- Values sealed under a key from the device secret alone (not the data key):
        -- only the sync credential, so that a locked device can authenticate.
        CREATE TABLE device_wrapped (name TEXT PRIMARY KEY, payload BLOB NOT NULL);

        -- The server's answer of conflict/rejected to a sealed push, received while
        -- locked: sealed to the store's own inbox key (whose private half is under the
        -- data key) and moved to the attention list at the next unlock.
        CREATE TABLE locked_answers (
            record_id TEXT PRIMARY KEY REFERENCES outbox(record_id),
            box BLOB NOT NULL
        );
        """
    )


@MIGRATIONS()
def m003_withdrawn(db: Database) -> None:
    """Versions taken back before they left the device (issue 11; docs/app.md, "Undo")."""
    db.executescript(
        """
        -- A version undone or changed while it still waited in the outbox: the version
        -- stays (append-only), its outbox entry is gone, and it is no longer part of the
        -- record. replaced_by names the version made instead (a change), NULL for an
        -- undo. The server never saw a withdrawn version.
        CREATE TABLE withdrawn (
            record_id TEXT PRIMARY KEY REFERENCES versions(id),
            withdrawn_at TEXT NOT NULL,
            replaced_by TEXT REFERENCES versions(id)
        );
        """
    )
