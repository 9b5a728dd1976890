"""The server database's schema, changed only through these migrations.

``seq`` columns come from one counter (table ``sequence``): every change a device
must learn about gets the next number inside its write transaction, so a pull
cursor taken from a consistent snapshot never skips a committed change.
"""

from __future__ import annotations

import secrets
from typing import Any

from sync_server.storage.migrate import Migrations, run_statements

# One list for both engines: written in SQLite's spelling, translated for PostgreSQL.
migrations = Migrations("lasna.sync_server")


@migrations()
def m001_initial(db: Any) -> None:
    run_statements(db, _INITIAL)


@migrations()
def m002_console(db: Any) -> None:
    from sync_server.console.tables import CONSOLE_TABLES

    run_statements(db, CONSOLE_TABLES)


@migrations()
def m003_month_reopenings(db: Any) -> None:
    # An administrator's reopening removes the close from closed_months (devices learn
    # the month is open from the next pull) and keeps here who closed it, who opened it
    # again and why.
    db.execute(
        """
        CREATE TABLE month_reopenings (
            site_id TEXT NOT NULL REFERENCES sites(id),
            year INTEGER NOT NULL,
            month INTEGER NOT NULL,
            closed_by TEXT NOT NULL,
            closed_at TEXT NOT NULL,
            closing_device_id TEXT NOT NULL,
            reopened_at TEXT NOT NULL,
            reopened_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            seq INTEGER NOT NULL
        )
        """
    )


@migrations()
def m004_county_follow_up(db: Any) -> None:
    # What the county does with what it sees (issue 13): days returned to the site
    # (devices get the open ones in every pull), approved months (the forward marks
    # them final), and the exception queue's resolutions.
    for statement in _FOLLOW_UP.split(";"):
        if statement.strip():
            db.execute(statement)


_FOLLOW_UP = """
        CREATE TABLE site_requests (
            id TEXT PRIMARY KEY,
            site_id TEXT NOT NULL REFERENCES sites(id),
            participant_id TEXT NOT NULL,
            day TEXT NOT NULL,
            reason_code TEXT NOT NULL,
            comment TEXT NOT NULL DEFAULT '',
            made_by TEXT NOT NULL,
            made_at TEXT NOT NULL,
            seq INTEGER NOT NULL          -- a version of the day with a higher seq closes it
        );
        CREATE INDEX site_requests_site ON site_requests(site_id);
        CREATE TABLE month_approvals (
            site_id TEXT NOT NULL REFERENCES sites(id),
            year INTEGER NOT NULL,
            month INTEGER NOT NULL,
            approved_by TEXT NOT NULL,
            approved_at TEXT NOT NULL,
            PRIMARY KEY (site_id, year, month)
        );
        CREATE TABLE console_resolutions (
            item_key TEXT PRIMARY KEY,    -- kind, participant, day and record: see findings
            kind TEXT NOT NULL,
            site_id TEXT NOT NULL,
            participant_id TEXT,
            day TEXT,
            action TEXT NOT NULL CHECK (action IN ('resolved', 'returned')),
            reason_code TEXT NOT NULL,
            resolution_code TEXT,
            comment TEXT NOT NULL DEFAULT '',
            request_id TEXT,
            made_by TEXT NOT NULL,
            made_at TEXT NOT NULL
        )
"""


_INITIAL = """
        CREATE TABLE sequence (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
        INSERT INTO sequence (id, value) VALUES (1, 0);

        CREATE TABLE sites (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            ref_seq INTEGER NOT NULL,      -- last change to its participants or plans
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE participants (
            id TEXT PRIMARY KEY,
            site_id TEXT NOT NULL REFERENCES sites(id),
            display_name TEXT NOT NULL,
            client_ref TEXT NOT NULL,
            seq INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX participants_site ON participants(site_id);
        CREATE TABLE rule_sets (
            id TEXT PRIMARY KEY,
            body TEXT NOT NULL,           -- rule_set_to_dict JSON
            seq INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE plans (
            id TEXT PRIMARY KEY,
            participant_id TEXT NOT NULL REFERENCES participants(id),
            site_id TEXT NOT NULL REFERENCES sites(id),
            rule_set_id TEXT NOT NULL,
            plan_end TEXT NOT NULL,       -- the latest version's end date
            body TEXT NOT NULL,           -- plan_to_dict JSON
            seq INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX plans_participant ON plans(participant_id);
        CREATE INDEX plans_site ON plans(site_id);

        CREATE TABLE enrollment_codes (
            code_hash TEXT PRIMARY KEY,
            site_id TEXT NOT NULL REFERENCES sites(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            device_id TEXT
        );
        CREATE TABLE devices (
            id TEXT PRIMARY KEY,
            site_id TEXT NOT NULL REFERENCES sites(id),
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            enrolled_at TEXT NOT NULL,
            revoked_at TEXT,
            last_seen_at TEXT,
            clock_skew_seconds REAL,
            clock_flagged_at TEXT
        );

        CREATE TABLE record_versions (
            seq INTEGER PRIMARY KEY,      -- the server's order, the pull cursor
            id TEXT NOT NULL UNIQUE,      -- the device-made UUID: one copy per id, ever
            participant_id TEXT NOT NULL,
            site_id TEXT NOT NULL,
            day TEXT NOT NULL,
            supersedes TEXT,
            recorded_at TEXT NOT NULL,    -- the device's clock, kept but never used for order
            received_at TEXT NOT NULL,    -- the server's clock
            pushed_by TEXT NOT NULL,      -- the device that sent it
            clock_flagged INTEGER NOT NULL DEFAULT 0,
            body TEXT NOT NULL,           -- DayRecord.to_dict JSON
            findings TEXT NOT NULL        -- non-error findings, JSON list of Finding.to_dict
        );
        CREATE INDEX record_versions_participant_day ON record_versions(participant_id, day);
        CREATE INDEX record_versions_site_seq ON record_versions(site_id, seq);

        -- Versions refused as conflict or rejected: kept so that nothing a device sent
        -- is lost, but never part of the current record.
        CREATE TABLE refused_versions (
            id TEXT PRIMARY KEY,
            participant_id TEXT NOT NULL,
            site_id TEXT NOT NULL,
            day TEXT NOT NULL,
            status TEXT NOT NULL,
            pushed_by TEXT NOT NULL,
            received_at TEXT NOT NULL,
            body TEXT NOT NULL,
            findings TEXT NOT NULL,
            current_id TEXT
        );
        CREATE INDEX refused_versions_participant ON refused_versions(participant_id, day);

        CREATE TABLE closed_months (
            site_id TEXT NOT NULL REFERENCES sites(id),
            year INTEGER NOT NULL,
            month INTEGER NOT NULL,
            closed_by TEXT NOT NULL,
            closed_at TEXT NOT NULL,      -- the device's clock
            received_at TEXT NOT NULL,
            device_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (site_id, year, month)
        );
"""


@migrations()
def m005_access_log(db: Any) -> None:
    # The access log answers for devices and reports too (issue 13): how the data was
    # reached, through which device, by which supervisor; a device's own audit entries
    # arrive with its order number and are kept once per device and number.
    for statement in (
        "ALTER TABLE console_access_log ADD COLUMN via TEXT NOT NULL DEFAULT 'console'",
        "ALTER TABLE console_access_log ADD COLUMN device_id TEXT",
        "ALTER TABLE console_access_log ADD COLUMN supervisor TEXT",
        "ALTER TABLE console_access_log ADD COLUMN device_seq INTEGER",
        "CREATE UNIQUE INDEX console_access_log_device_seq ON console_access_log"
        "(device_id, device_seq) WHERE device_seq IS NOT NULL",
        # Participants whose personal data the retention purge removed: no names here.
        "CREATE TABLE purged_participants (participant_id TEXT PRIMARY KEY, "
        "service_end TEXT NOT NULL, purged_at TEXT NOT NULL)",
    ):
        db.execute(statement)


GENERATION_TABLE = "database_generation"


def new_generation() -> str:
    """A database generation's value (generation.py): random, so two restores differ."""
    return secrets.token_hex(8)


@migrations()
def m006_generation(db: Any) -> None:
    # Which copy of the data this is; a restore from a backup starts a new one, and
    # devices that synced with what the backup lacks send it again (see generation.py).
    db.execute(
        f"CREATE TABLE {GENERATION_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "value TEXT NOT NULL, restored_at TEXT, restored_from TEXT)"
    )
    db.execute(f"INSERT INTO {GENERATION_TABLE} (id, value) VALUES (1, ?)", [new_generation()])
