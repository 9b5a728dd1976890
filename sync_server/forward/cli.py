"""``lasna-server forward …``: the forward's admin commands.

lasna-server forward run-now              build and send what changed, now
lasna-server forward resend BATCH_ID      deliver a past batch again (same id and key)
lasna-server forward batches              the outbox and each batch's state
lasna-server forward reconcile --month 2025-01 [--site ID]
lasna-server forward export-csv BATCH_ID --out DIR
lasna-server forward keygen --out FILE    a new Ed25519 signing key (prints the public key)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sync_server.config import ServerConfig
from sync_server.opening import config_from, open_storage
from sync_server.storage import ServerStorage

from . import contract
from .csv_export import csv_tables
from .errors import ForwardConfigError
from .outbox import Outbox
from .reconcile import month_period, reconcile
from .runner import Forwarder
from .settings import forward_config
from .signing import ed25519_signer, new_ed25519_private_key_pem

Now = Callable[[], datetime]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, help="a TOML settings file (or $LASNA_CONFIG)")
    common.add_argument(
        "--db", help="the SQLite database file or a postgresql:// URL (or $LASNA_DATABASE_URL)"
    )
    forward = sub.add_parser("forward", help="the nightly forward to the county")
    commands = forward.add_subparsers(dest="forward_command", metavar="FORWARD_COMMAND")
    forward.set_defaults(handler=lambda args, now: _usage(forward))

    run = commands.add_parser("run-now", parents=[common], help="build and send what changed")
    run.set_defaults(handler=_run_now)

    resend = commands.add_parser(
        "resend", parents=[common], help="deliver a past batch again (same id and key)"
    )
    resend.add_argument("batch_id")
    resend.set_defaults(handler=_resend)

    batches = commands.add_parser("batches", parents=[common], help="list the outbox")
    batches.add_argument("--limit", type=int, default=50)
    batches.set_defaults(handler=_batches)

    rec = commands.add_parser(
        "reconcile", parents=[common], help="recorded vs sent vs acknowledged, per site and month"
    )
    rec.add_argument("--month", required=True, help="YYYY-MM")
    rec.add_argument("--site", help="one site's id (default: every site)")
    rec.set_defaults(handler=_reconcile)

    export = commands.add_parser(
        "export-csv", parents=[common], help="write a batch's CSV tables to a folder"
    )
    export.add_argument("batch_id")
    export.add_argument("--out", type=Path, required=True)
    export.set_defaults(handler=_export)

    keygen = commands.add_parser("keygen", help="make an Ed25519 signing key file")
    keygen.add_argument("--out", type=Path, required=True, help="the private key file (0600)")
    keygen.add_argument("--key-id", default="lasna-1")
    keygen.set_defaults(handler=_keygen)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _open(args: argparse.Namespace) -> tuple[ServerStorage, Outbox, ServerConfig]:
    config = config_from(args)
    storage = open_storage(config)
    return storage, Outbox(storage), config


def _forwarder(args: argparse.Namespace, now: Now) -> tuple[Forwarder, ServerStorage]:
    storage, outbox, config = _open(args)
    settings = forward_config(config)
    return Forwarder(storage, outbox, settings, rule_sets=storage.rule_sets(), clock=now), storage


def _run_now(args: argparse.Namespace, now: Now) -> int:
    forwarder, storage = _forwarder(args, now)
    try:
        result = forwarder.run()
    finally:
        forwarder.close()
        storage.close()
    print(json.dumps(result.to_dict(), indent=2))
    return 1 if result.failed else 0


def _resend(args: argparse.Namespace, now: Now) -> int:
    forwarder, storage = _forwarder(args, now)
    try:
        result = forwarder.resend(args.batch_id)
    finally:
        forwarder.close()
        storage.close()
    print(json.dumps(result.to_dict(), indent=2))
    return 1 if result.failed else 0


def _batches(args: argparse.Namespace, now: Now) -> int:
    storage, outbox, _ = _open(args)
    try:
        print(json.dumps([b.summary() for b in outbox.batches(args.limit)], indent=2))
    finally:
        storage.close()
    return 0


def _reconcile(args: argparse.Namespace, now: Now) -> int:
    storage, outbox, _ = _open(args)
    try:
        start, end = month_period(args.month)
        sites = [args.site] if args.site else [str(s["id"]) for s in storage.sites()]
        reports = [reconcile(storage, outbox, s, start, end) for s in sites]
    except ValueError as exc:
        raise ForwardConfigError(str(exc)) from None
    finally:
        storage.close()
    print(json.dumps(reports, indent=2, ensure_ascii=False))
    return 0 if all(r["in_balance"] for r in reports) else 1


def _export(args: argparse.Namespace, now: Now) -> int:
    storage, outbox, _ = _open(args)
    try:
        batch = outbox.get(args.batch_id)
    finally:
        storage.close()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "batch.json").write_bytes(batch.body)
    for name, text in csv_tables(contract.decode(batch.body)).items():
        (args.out / name).write_text(text, encoding="utf-8", newline="")
    print(f"Wrote batch {batch.batch_id} to {args.out}.")
    return 0


def _keygen(args: argparse.Namespace, now: Now) -> int:
    if args.out.exists():
        raise ForwardConfigError(f"{args.out} exists already; refusing to overwrite a key.")
    pem = new_ed25519_private_key_pem()
    fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    sys.stdout.write(ed25519_signer(args.key_id, pem).public_key_pem())
    print(
        f"Private key written to {args.out}; give the public key above to the county.",
        file=sys.stderr,
    )
    return 0
