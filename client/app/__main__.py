"""Run the app in web mode on this machine, offline (no CDN).

    python -m client.app --store PATH --port N --host 127.0.0.1 [--server-url URL]

Prints the address to open. The database lives at ``--store`` (default: under
FLET_APP_STORAGE_DATA, else ./lasna.db); its device secret in the system keyring, or
where there is none in a 0600 file beside it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from client.app.state import default_store_path, open_device
from client.app.state.device import DEFAULT_IDLE, DEFAULT_OFFLINE_LIMIT_DAYS


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m client.app",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--store", type=Path, default=None, help="the device database file (created when missing)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8550, help="port to listen on")
    parser.add_argument(
        "--server-url",
        default=None,
        help="the sync server's address, filled in on the set-up screen",
    )
    parser.add_argument(
        "--idle-seconds",
        type=float,
        default=DEFAULT_IDLE.total_seconds(),
        help="lock after this many seconds without use (default 300)",
    )
    parser.add_argument(
        "--offline-limit-days",
        type=int,
        default=DEFAULT_OFFLINE_LIMIT_DAYS,
        help="warn when unsent records are older than this many days (default 3)",
    )
    parser.add_argument("--device-name", default="Läsnä", help="this device's name for the server")
    args = parser.parse_args(argv)
    if args.idle_seconds <= 0:
        parser.error("--idle-seconds must be positive.")
    if args.offline_limit_days < 1:
        parser.error("--offline-limit-days must be at least 1.")
    if not 0 < args.port < 65536:
        parser.error("--port must be between 1 and 65535.")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # Offline: the Flutter client and its renderer come from the flet-web wheel, never a
    # CDN; and never try to open a browser on the serving machine.
    os.environ["FLET_WEB_NO_CDN"] = "1"
    os.environ.setdefault("FLET_FORCE_WEB_SERVER", "1")
    from client.app.main import run_web  # flet is imported only once the env is set

    store_path: Path = args.store or default_store_path()
    store_path.parent.mkdir(parents=True, exist_ok=True)
    device = open_device(
        store_path,
        idle_timeout=timedelta(seconds=args.idle_seconds),
        offline_limit_days=args.offline_limit_days,
        server_url=args.server_url,
        device_name=args.device_name,
    )
    device.start_background_sync()
    print(f"Läsnä is running: open http://{args.host}:{args.port}/ in a browser.", flush=True)
    try:
        run_web(device, host=args.host, port=args.port)
    finally:
        device.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
