"""Run Läsnä on this machine with demo data: the README's ``make run``.

Starts, on loopback only:

1. the county stand-in (the county's receiving system, outside the product);
2. the sync server in development mode with its SQLite file, the demo site (eight
   participants under all three rule sets, two weeks of history) and a one-time
   enrollment code, set to forward to the stand-in;
3. one nightly forward right away, so that the stand-in shows a batch;
4. the app in web mode (no CDN), and prints the address to open.

State lives under ``var/demo/`` (``--dir``); a second run reuses it. The secrets
the demo needs (the forward's HMAC key, the admin token) are made on first run into
0600 files there: never in the repository, never on the command line.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from sync_server.console.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USER

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


class DemoError(Exception):
    """The demo cannot start; the message says what to do."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "demo", help="state folder")
    parser.add_argument("--app-port", type=int, default=8550)
    parser.add_argument("--server-port", type=int, default=8765)
    parser.add_argument("--county-port", type=int, default=8766)
    parser.add_argument("--no-app", action="store_true", help="server and county only")
    args = parser.parse_args(argv)
    children: list[subprocess.Popen[bytes]] = []
    try:
        return _run(args, children)
    except DemoError as exc:
        print(f"Läsnä demo: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(children)


def _run(args: argparse.Namespace, children: list[subprocess.Popen[bytes]]) -> int:
    state: Path = args.dir
    state.mkdir(parents=True, exist_ok=True)
    ports = {"county": args.county_port, "server": args.server_port}
    if not args.no_app:
        ports["app"] = args.app_port
    for name, port in ports.items():
        if not _free(port):
            raise DemoError(
                f"port {port} ({name}) is in use. Stop what uses it, or choose another with "
                f"--{name}-port."
            )
    hmac_file = _secret_file(state / "forward-hmac.key", secrets.token_hex(32))
    admin_token = _secret_file(state / "admin.token", secrets.token_urlsafe(32)).read_text()
    county = f"http://{HOST}:{args.county_port}"
    server = f"http://{HOST}:{args.server_port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LASNA_", "COUNTY_STANDIN_"))}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")

    children.append(
        _start(
            [
                sys.executable,
                "-m",
                "county_standin",
                "--host",
                HOST,
                "--port",
                str(args.county_port),
                "--db",
                str(state / "county.db"),
            ],
            {
                **env,
                "COUNTY_STANDIN_KEY_ID": "lasna-demo",
                "COUNTY_STANDIN_HMAC_SECRET_FILE": str(hmac_file),
            },
            state / "county.log",
        )
    )
    code_file = state / "enrollment-code.txt"
    code_file.unlink(missing_ok=True)
    children.append(
        _start(
            [
                sys.executable,
                "-m",
                "sync_server",
                "serve",
                "--dev",
                "--demo",
                "--host",
                HOST,
                "--port",
                str(args.server_port),
                "--db",
                str(state / "server.db"),
                "--demo-code-file",
                str(code_file),
            ],
            {
                **env,
                "LASNA_ADMIN_TOKEN": admin_token,
                "LASNA_FORWARD_URL": f"{county}/batches",
                "LASNA_FORWARD_KEY_ID": "lasna-demo",
                "LASNA_FORWARD_HMAC_SECRET_FILE": str(hmac_file),
            },
            state / "server.log",
        )
    )
    _wait_http(f"{county}/batches", children, "the county stand-in", state / "county.log")
    _wait_http(f"{server}/health", children, "the sync server", state / "server.log")
    code = _wait_file(code_file)
    forwarded = _forward_now(server, admin_token)

    app_url = f"http://{HOST}:{args.app_port}"
    if not args.no_app:
        children.append(
            _start(
                [
                    sys.executable,
                    "-m",
                    "client.app",
                    "--store",
                    str(state / "device.db"),
                    "--host",
                    HOST,
                    "--port",
                    str(args.app_port),
                    "--server-url",
                    server,
                    "--device-name",
                    "Demotabletti",
                ],
                {**env, "FLET_WEB_NO_CDN": "1"},
                state / "app.log",
            )
        )
        _wait_http(app_url, children, "the app", state / "app.log", timeout=90)

    print(
        f"""
Läsnä is running (demo data, this machine only). Press Ctrl-C to stop.

  App:            {app_url}            ← open this in a browser
  Sync server:    {server}   (API docs: {server}/docs)
  County system:  {county}/batches   (what the nightly forward delivered)
  County console: {server}/console/
      demo coordinator  {DEMO_USER}
      password          {DEMO_PASSWORD}
      authenticator key {DEMO_TOTP_SECRET}   (demo only: add it to an authenticator
                        app, or print a code with: .venv/bin/python -c "import pyotp;
                        print(pyotp.TOTP('{DEMO_TOTP_SECRET}').now())")

Set up the device in the app:
  server address  {server}
  one-time code   {code}
Then choose your name and a PIN of 6–12 digits, and mark today's attendance.

Forward to the county just now: {forwarded}
Logs and data: {state}
""",
        flush=True,
    )
    while all(child.poll() is None for child in children):
        time.sleep(0.5)
    failed = next(child for child in children if child.poll() is not None)
    raise DemoError(f"a process stopped unexpectedly (exit {failed.returncode}); see {state}/*.log")


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def _secret_file(path: Path, value: str) -> Path:
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(value)
    return path


def _wait_http(
    url: str, children: list[subprocess.Popen[bytes]], what: str, log: Path, timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            raise DemoError(f"{what} did not start; see {log}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise DemoError(f"{what} did not answer at {url} within {timeout:.0f} s; see {log}")


def _wait_file(path: Path, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.1)
    raise DemoError(f"the server printed no enrollment code into {path}")


def _forward_now(server: str, admin_token: str) -> str:
    reply = httpx.post(
        f"{server}/admin/forward/run",
        timeout=60,
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    if reply.status_code != 200:
        return f"not sent ({reply.status_code}: {reply.json().get('message', '')})"
    body = reply.json()
    built, acked, failed = (len(body.get(k) or []) for k in ("built", "acknowledged", "failed"))
    if not built:
        return "nothing new to send (the county already has every day)"
    return (
        f"{body.get('versions_read', 0)} record versions of {body.get('participants', 0)} "
        f"participants in {built} batch(es): {acked} acknowledged by the county, {failed} failed"
    )


if __name__ == "__main__":
    raise SystemExit(main())
