"""``lasna-server`` (or ``python -m sync_server``): serve, import, enroll, revoke, reopen, demo.

Every command reads the same settings as the server (``--config`` file, ``LASNA_*``
environment, ``--db``); admin commands work on the database file directly, so they
run on the server machine, also while the server is running. docs/admin.md has the
details and the file formats.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shared.errors import LasnaError
from sync_server.config import ServerConfig
from sync_server.errors import AdminError
from sync_server.forward import cli as forward_cli
from sync_server.importer import read_participants, read_plans, read_rule_sets, read_sites
from sync_server.opening import config_from, open_storage
from sync_server.sealing import SealingKey, key_path
from sync_server.storage import ServerStorage, is_postgres
from sync_server.storage.engine import redacted
from sync_server.storage.private import write_private_text

Now = Callable[[], datetime]
# six weeks: the previous month is whole for its report, and last fortnight's TT3 has days
DEMO_HISTORY_DAYS = 42


def main(argv: Sequence[str] | None = None, *, now: Now | None = None) -> int:
    clock = now or (lambda: datetime.now(UTC))
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        result: int = args.handler(args, clock)
        return result
    except LasnaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, help="a TOML settings file (or $LASNA_CONFIG)")
    common.add_argument(
        "--db", help="the SQLite database file or a postgresql:// URL (or $LASNA_DATABASE_URL)"
    )

    parser = argparse.ArgumentParser(
        prog="lasna-server", description="Läsnä sync server and its admin commands."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common], help="run the HTTP server")
    serve.add_argument("--host", help="listen address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="listen port (default 8443)")
    serve.add_argument("--tls-cert", type=Path, help="TLS certificate (PEM)")
    serve.add_argument("--tls-key", type=Path, help="TLS private key (PEM)")
    serve.add_argument(
        "--dev",
        action="store_true",
        default=None,
        help="development mode: plain HTTP, loopback address only",
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help="create the demo site if the database has no sites, and print an enrollment code",
    )
    serve.add_argument("--demo-code-file", type=Path, help="also write the demo code here")
    serve.set_defaults(handler=_serve)

    init = sub.add_parser(
        "init", parents=[common], help="create an empty database (the other commands need one)"
    )
    init.set_defaults(handler=_init)

    for kind, helptext in (
        ("sites", "sites (CSV: id,name)"),
        ("participants", "participants (CSV: id,site_id,display_name,client_ref)"),
        ("plans", "plans (JSON, or CSV with one row per plan version)"),
        ("rule-sets", "extra rule sets (JSON, the rulesets.json format)"),
    ):
        cmd = sub.add_parser(f"import-{kind}", parents=[common], help=f"import {helptext}")
        cmd.add_argument("file", type=Path, help="a .csv or .json file")
        cmd.set_defaults(handler=_import, kind=kind)

    code = sub.add_parser(
        "enroll-code", parents=[common], help="make a one-time enrollment code for a site"
    )
    code.add_argument("--site", required=True, help="the site's id")
    code.add_argument("--hours", type=int, help="how long the code is valid (default 72)")
    code.add_argument("--json", action="store_true", help="print JSON")
    code.set_defaults(handler=_enroll_code)

    devices = sub.add_parser("devices", parents=[common], help="list enrolled devices")
    devices.add_argument("--site", help="only this site's devices")
    devices.add_argument("--json", action="store_true", help="print JSON")
    devices.set_defaults(handler=_devices)

    revoke = sub.add_parser("revoke", parents=[common], help="revoke a device at once")
    revoke.add_argument("device_id")
    revoke.set_defaults(handler=_revoke)

    reopen = sub.add_parser(
        "reopen-month",
        parents=[common],
        help="open a site's closed month again (devices see it at their next pull)",
    )
    reopen.add_argument("--site", required=True, help="the site's id")
    reopen.add_argument("--month", required=True, help="the month as YYYY-MM, e.g. 2026-11")
    reopen.add_argument("--reason", required=True, help="why it is opened again (kept)")
    reopen.add_argument("--by", help="who opens it (default: the operating system user)")
    reopen.set_defaults(handler=_reopen_month)

    purge = sub.add_parser(
        "purge",
        parents=[common],
        help="remove personal data past retention (retention_records_years, "
        "retention_access_log_years)",
    )
    mode = purge.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="only report what would go")
    mode.add_argument("--apply", action="store_true", help="remove it, and report what went")
    purge.set_defaults(handler=_purge)

    admin = sub.add_parser(
        "create-admin",
        parents=[common],
        help="make a console administrator (the first one; later ones in the console)",
    )
    admin.add_argument("username")
    admin.add_argument("--name", required=True, help="the person's name")
    admin.add_argument(
        "--password-file",
        type=Path,
        help="read the first password from this file (else it is asked for)",
    )
    admin.set_defaults(handler=_create_admin)

    backup = sub.add_parser(
        "backup",
        parents=[common],
        help="copy the database (SQLite online backup, or pg_dump) and the sealed-push key "
        "while the server runs",
    )
    backup.add_argument(
        "--to", type=Path, required=True, help="the backup file to write (its key goes beside it)"
    )
    backup.set_defaults(handler=_backup)

    restore = sub.add_parser(
        "restore",
        parents=[common],
        help="put a backup (and its key) back into an empty database; the server stopped",
    )
    restore.add_argument(
        "--from", dest="source", type=Path, required=True, help="a file lasna-server backup wrote"
    )
    restore.add_argument(
        "--force",
        action="store_true",
        help="replace a database that is not empty (an SQLite file is moved aside) and a "
        "different key",
    )
    restore.set_defaults(handler=_restore)

    marked = sub.add_parser(
        "mark-restored",
        parents=[common],
        help="after restoring the database by other means (point-in-time recovery): make "
        "devices send again what it lacks",
    )
    marked.add_argument("--note", default="by hand", help="what it was restored from (kept)")
    marked.set_defaults(handler=_mark_restored)

    demo = sub.add_parser("demo-seed", parents=[common], help="create the demo site and plans")
    demo.add_argument("--history-days", type=int, default=14, help="days of past records")
    demo.add_argument("--code", action="store_true", help="also print an enrollment code")
    demo.add_argument("--code-file", type=Path, help="write the enrollment code to this file")
    demo.set_defaults(handler=_demo_seed)

    to_pg = sub.add_parser(
        "migrate-to-postgres",
        help="copy an SQLite database into a new PostgreSQL one and verify the copy",
    )
    to_pg.add_argument("--from", dest="source", type=Path, required=True, help="the SQLite file")
    to_pg.add_argument("--to", dest="target", required=True, help="a postgresql:// URL")
    to_pg.add_argument("--json", action="store_true", help="print the checks as JSON")
    to_pg.set_defaults(handler=_migrate_to_postgres)

    forward_cli.register(sub)
    return parser


def _serve(args: argparse.Namespace, now: Now) -> int:
    import uvicorn

    from sync_server.app import create_app
    from sync_server.logs import configure_logging, event

    config = config_from(
        args,
        host=args.host,
        port=args.port,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        dev=args.dev,
    ).check()
    configure_logging(config.log_level)
    if config.admin_token:
        event(
            "config.admin_token_deprecated",
            logging.WARNING,
            advice="make an API token for an administrator in the console (/console/tokens) "
            "and remove admin_token",
        )
    storage = open_storage(config, create=True)
    if args.demo:
        _ensure_demo(storage, config, now(), args.demo_code_file)
    app = create_app(config, storage)
    mode = "development mode: plain HTTP on loopback" if config.tls_cert is None else "TLS"
    print(
        f"Läsnä sync server on {config.url} ({mode}); database {redacted(config.database)}",
        flush=True,
    )
    uvicorn.run(
        app,
        host=config.host,
        port=config.port,
        ssl_certfile=str(config.tls_cert) if config.tls_cert else None,
        ssl_keyfile=str(config.tls_key) if config.tls_key else None,
        log_config=None,
        access_log=False,
        server_header=False,
    )
    return 0


def _ensure_demo(
    storage: ServerStorage, config: ServerConfig, now: datetime, code_file: Path | None
) -> None:
    from sync_server.demo import DEMO_SITE, seed_demo

    if not storage.sites():
        seed_demo(storage, now=now, history_days=DEMO_HISTORY_DAYS)
    code, expires = storage.create_enrollment_code(
        DEMO_SITE.id, now=now, valid_for=timedelta(hours=config.enrollment_code_hours)
    )
    print(
        f"Demo site '{DEMO_SITE.id}': enrollment code {code} "
        f"(valid until {expires:%Y-%m-%d %H:%M} UTC)",
        flush=True,
    )
    if code_file is not None:
        write_private_text(code_file, code + "\n")
    from sync_server.console.demo import ensure_demo_coordinator

    user, password, secret = ensure_demo_coordinator(storage, now)
    print(
        f"County console: {config.url}/console/ — demo coordinator {user!r}, password "
        f"{password!r}, authenticator key {secret} (demo only)",
        flush=True,
    )


def _init(args: argparse.Namespace, now: Now) -> int:
    config = config_from(args)
    if config.database_url and is_postgres(config.database_url):
        open_storage(config, create=True).close()
        print(f"The tables in {redacted(config.database_url)} are up to date.")
        return 0
    existed = config.db_path.exists()
    open_storage(config, create=True).close()  # brings an existing one up to date too
    SealingKey.load_or_create(key_path(config.db_path))  # devices seal their outboxes to it
    if existed:
        print(f"The database {config.db_path} exists already; its tables are up to date.")
    else:
        print(f"Created the database {config.db_path} (readable by this user only).")
    return 0


def _import(args: argparse.Namespace, now: Now) -> int:
    config = config_from(args)
    storage = open_storage(config)
    try:
        path: Path = args.file
        if args.kind == "sites":
            summary = storage.import_sites(read_sites(path), now=now())
        elif args.kind == "participants":
            known = {s["id"] for s in storage.sites()}
            summary = storage.import_participants(read_participants(path, known), now=now())
        elif args.kind == "plans":
            known_people = _all_participant_sites(storage)
            plans = read_plans(path, known_people, storage.rule_sets())
            summary = storage.import_plans(plans, now=now())
        else:
            summary = storage.import_rule_sets(read_rule_sets(path), now=now())
    finally:
        storage.close()
    print(f"Imported {args.kind.replace('-', ' ')} from {path}: {summary}.")
    return 0


def _migrate_to_postgres(args: argparse.Namespace, now: Now) -> int:
    if not is_postgres(args.target):
        raise AdminError("--to must be a postgresql:// URL of a new, empty database.")
    from sync_server.storage.copy import copy_to_postgres

    checks = copy_to_postgres(args.source, args.target)
    if args.json:
        print(json.dumps([{"table": c.table, "rows": c.rows, "sha256": c.sha256} for c in checks]))
        return 0
    for c in checks:
        print(f"{c.table:32} {c.rows:>10} rows  sha256 {c.sha256[:16]}… same on both")
    print(
        f"Copied {args.source} into {redacted(args.target)}: every table's row count and "
        "checksum agree. Point database_url at it and start the server instances."
    )
    return 0


def _all_participant_sites(storage: ServerStorage) -> dict[str, str]:
    return {
        p["id"]: p["site_id"] for site in storage.sites() for p in storage.participants(site["id"])
    }


def _enroll_code(args: argparse.Namespace, now: Now) -> int:
    config = config_from(args)
    hours = args.hours if args.hours is not None else config.enrollment_code_hours
    storage = open_storage(config)
    try:
        site = storage.site(args.site)
        if site is None:
            raise AdminError(f"There is no site {args.site!r}; import it first.")
        code, expires = storage.create_enrollment_code(
            args.site, now=now(), valid_for=timedelta(hours=hours)
        )
    finally:
        storage.close()
    if args.json:
        print(json.dumps({"site_id": site.id, "code": code, "expires_at": expires.isoformat()}))
    else:
        print(f"Enrollment code for site {site.id} ({site.name}): {code}")
        print(f"It works once, until {expires:%Y-%m-%d %H:%M} UTC.")
    return 0


def _devices(args: argparse.Namespace, now: Now) -> int:
    storage = open_storage(config_from(args))
    try:
        found = storage.devices(args.site)
    finally:
        storage.close()
    if args.json:
        print(json.dumps([d.to_dict() for d in found], ensure_ascii=False))
        return 0
    if not found:
        print("No devices enrolled.")
    for d in found:
        state = f"revoked {d.revoked_at:%Y-%m-%d %H:%M}" if d.revoked_at else "active"
        seen = f"{d.last_seen_at:%Y-%m-%d %H:%M}" if d.last_seen_at else "never"
        clock = " CLOCK AHEAD" if d.clock_flagged_at else ""
        print(f"{d.id}  site={d.site_id}  name={d.name!r}  {state}  last seen {seen}{clock}")
    return 0


def _revoke(args: argparse.Namespace, now: Now) -> int:
    storage = open_storage(config_from(args))
    try:
        device = storage.revoke(args.device_id, now=now())
    finally:
        storage.close()
    print(f"Device {device.id} ({device.name!r}, site {device.site_id}) is revoked.")
    return 0


def _reopen_month(args: argparse.Namespace, now: Now) -> int:
    import getpass

    year, month = _year_month(args.month)
    reason = args.reason.strip()
    if not reason:
        raise AdminError("Give the reason the month is opened again (--reason).")
    by = (args.by or "").strip() or getpass.getuser()
    storage = open_storage(config_from(args))
    try:
        if storage.site(args.site) is None:
            raise AdminError(f"There is no site {args.site!r}; list them in the console.")
        was = storage.reopen_month(args.site, year, month, reason=reason, by=by, now=now())
    finally:
        storage.close()
    if was is None:
        print(f"The month {year}-{month:02d} of site {args.site} is not closed; nothing changed.")
        return 0
    print(
        f"The month {year}-{month:02d} of site {args.site} is open again (it was closed by "
        f"{was.closed_by}). The site's devices see it open at their next sync."
    )
    return 0


def _purge(args: argparse.Namespace, now: Now) -> int:
    from shared.calendar import helsinki_today
    from sync_server.retention import purge

    config = config_from(args)
    storage = open_storage(config)
    moment = now()
    try:
        report = purge(
            storage,
            today=helsinki_today(moment),
            now=moment,
            records_years=config.retention_records_years,
            log_years=config.retention_access_log_years,
            apply=bool(args.apply),
        )
    finally:
        storage.close()
    print("\n".join(report.lines()))
    return 0


def _year_month(text: str) -> tuple[int, int]:
    try:
        year_text, month_text = text.strip().split("-")
        year, month = int(year_text), int(month_text)
        if len(year_text) == 4 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    raise AdminError(f"The month must be written YYYY-MM (e.g. 2026-11), not {text!r}.")


def _create_admin(args: argparse.Namespace, now: Now) -> int:
    from sync_server.console import Accounts, Role

    if args.password_file is not None:
        password = args.password_file.read_text("utf-8").strip()
    else:
        import getpass

        password = getpass.getpass("First password (at least 12 characters): ")
    storage = open_storage(config_from(args))
    try:
        made = Accounts(storage).create(args.username, args.name, Role.ADMIN, password, now=now())
    finally:
        storage.close()
    print(
        f"Administrator {made.username!r} created. Log in at /console/; the second factor "
        "(an authenticator app) is set up at the first login."
    )
    return 0


def _backup(args: argparse.Namespace, now: Now) -> int:
    from sync_server.backup import backup_server

    config = config_from(args)
    made = backup_server(config, args.to)
    print(
        f"Backed up {redacted(config.database)} to {made.path} ({made.size} bytes, {made.checked})."
    )
    if made.key is not None:
        print(f"The sealed-push key is beside it: {made.key}.")
    else:
        print(
            f"warning: there is no sealed-push key at {made.key_missing}: back up the key "
            "file of the server's machine (<db_path>.push-key) separately.",
            file=sys.stderr,
        )
    return 0


def _restore(args: argparse.Namespace, now: Now) -> int:
    from sync_server.restore import restore_server

    done = restore_server(config_from(args), args.source, force=args.force, now=now())
    print(f"Restored {args.source} into {done.into} (new generation {done.generation}).")
    for path in done.kept_aside:
        print(f"Kept what was there as {path}: remove it once the restored server works.")
    print(done.key)
    for warning in done.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print("Start the server (every instance) and check /ready.")
    return 0


def _mark_restored(args: argparse.Namespace, now: Now) -> int:
    storage = open_storage(config_from(args))
    try:
        generation = storage.start_generation(now=now(), restored_from=args.note)
    finally:
        storage.close()
    print(
        f"The database is now generation {generation}: each device sends again what the "
        "server had acknowledged from it, at its next sync."
    )
    return 0


def _demo_seed(args: argparse.Namespace, now: Now) -> int:
    from sync_server.demo import DEMO_SITE, seed_demo

    config = config_from(args)
    storage = open_storage(config)
    try:
        seed_demo(storage, now=now(), history_days=args.history_days)
        print(f"Demo site '{DEMO_SITE.id}' ({DEMO_SITE.name}) with 8 participants and plans.")
        if args.code or args.code_file:
            code, expires = storage.create_enrollment_code(
                DEMO_SITE.id, now=now(), valid_for=timedelta(hours=config.enrollment_code_hours)
            )
            print(f"Enrollment code: {code} (until {expires:%Y-%m-%d %H:%M} UTC)")
            if args.code_file:
                write_private_text(args.code_file, code + "\n")
    finally:
        storage.close()
    return 0
