"""The console's own tables, created by the server's migration list (``m002_console``).

Sites, participants, plans and devices stay in the server's tables; the console keeps
only what the devices never need: accounts and their sessions and tokens, the access
log, and a few county-side details (supervisors' names, a site's closing, plan types,
dated moves and service ends).
"""

from __future__ import annotations

CONSOLE_TABLES = """
        CREATE TABLE console_accounts (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'viewer')),
            all_sites INTEGER NOT NULL DEFAULT 0,
            password_hash TEXT NOT NULL,   -- argon2id
            totp_secret TEXT,              -- base32, NULL until the second factor is set up
            totp_confirmed INTEGER NOT NULL DEFAULT 0,
            totp_last_step INTEGER,        -- the last code used: a code works once
            disabled_at TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE console_account_sites (
            account_id INTEGER NOT NULL REFERENCES console_accounts(id),
            site_id TEXT NOT NULL REFERENCES sites(id),
            PRIMARY KEY (account_id, site_id)
        );
        -- Failed logins by user name (also names that do not exist: the delay must not
        -- tell which accounts are real).
        CREATE TABLE console_login_failures (
            username TEXT PRIMARY KEY COLLATE NOCASE,
            failures INTEGER NOT NULL,
            blocked_until TEXT NOT NULL
        );
        CREATE TABLE console_sessions (
            token_hash TEXT PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES console_accounts(id),
            csrf TEXT NOT NULL,
            second_factor_done INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            ended_at TEXT
        );
        CREATE TABLE console_api_tokens (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES console_accounts(id),
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        );
        -- asiakastietolaki 703/2023: who saw or changed what about a participant, when.
        CREATE TABLE console_access_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            account TEXT NOT NULL,
            action TEXT NOT NULL,
            participant_id TEXT,
            site_id TEXT,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX console_access_log_participant ON console_access_log(participant_id, at);
        CREATE TABLE console_site_details (
            site_id TEXT PRIMARY KEY REFERENCES sites(id),
            supervisors TEXT NOT NULL DEFAULT '[]',  -- JSON list of names, nothing else
            closed_on TEXT
        );
        CREATE TABLE console_plan_types (
            plan_id TEXT PRIMARY KEY REFERENCES plans(id),
            plan_type TEXT NOT NULL
        );
        -- A move to another site or the end of the service, from a date, applied when
        -- the date comes (a future one waits here).
        CREATE TABLE console_participant_changes (
            id INTEGER PRIMARY KEY,
            participant_id TEXT NOT NULL REFERENCES participants(id),
            kind TEXT NOT NULL CHECK (kind IN ('move', 'end')),
            on_day TEXT NOT NULL,
            site_id TEXT,
            made_by TEXT NOT NULL,
            made_at TEXT NOT NULL,
            applied_at TEXT
        )
"""
