"""The nightly forward: a county's year (1×, 2× and 4×) and one national day.

* county year: 900 participants on 30 sites, about 54,000 attendance days (the
  Etelä-Savo figure), forwarded for the first time in one run; then twice and four
  times as many participants (sites), to show that time grows with the work and the
  memory does not;
* national day: 10,000 participants, one record each, the nightly volume of the whole
  country on a working day.

Each is built from the real server storage (SQLite, WAL) into outbox batches, then
delivered over loopback HTTP to the county stand-in, which checks the signature,
stores everything and recomputes every period's totals before it answers. Setting up
the data (pushing through the server's own validation) is not timed, and it happens
in this process: each forward runs in a fresh process of its own
(``python -m bench.bench_forward --forward DB URL``), so its peak resident memory
(``ru_maxrss``) is the forward's alone, interpreter and imports included.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import httpx

from shared import AbsenceReason, DayRecord, Plan, PlanVersion, Status
from shared.protocol import PushRequest
from sync_server.forward import ForwardConfig, Forwarder, Outbox, hmac_signer
from sync_server.push import push
from sync_server.storage import Device, ParticipantRow, SiteRow, SqliteStorage

SECRET = "bench-only-hmac-secret-not-for-production-000000"
NOW = datetime(2026, 1, 2, 0, 30, tzinfo=UTC)


def main() -> None:
    print(
        f"# {_cpu_model()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    if len(sys.argv) == 4 and sys.argv[1] == "--forward":
        _forward_alone(Path(sys.argv[2]), sys.argv[3])
        return
    root = Path(tempfile.mkdtemp(prefix="lasna-bench-forward-"))
    for scale in (1, 2, 4):
        with standin(root / f"county-year-{scale}.db") as url:
            county_year(root, url, scale)
    with standin(root / "national-day.db") as url:
        national_day(root, url)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def county_year(root: Path, url: str, scale: int = 1) -> None:
    db = root / f"county-year-{scale}-server.db"
    storage = SqliteStorage(db)
    sites, per_site = 30 * scale, 30
    weeks = [date(2025, 1, 6) + timedelta(weeks=w) for w in range(46)]
    started = time.perf_counter()
    days = 0
    for s in range(sites):
        site = f"site-{s:02d}"
        device = _site(storage, site, [f"p{s:02d}-{i:02d}" for i in range(per_site)])
        records: list[DayRecord] = []
        for i in range(per_site):
            pid = f"p{s:02d}-{i:02d}"
            chosen = [w for k, w in enumerate(weeks) if (k + i) % 23 != 0][:30]
            for w, monday in enumerate(chosen):
                for offset in (1, 3):  # Tuesdays and Thursdays
                    day = monday + timedelta(days=offset)
                    if (w + i + offset) % 17 == 0:
                        records.append(_absent(pid, day))
                    else:
                        records.append(_present(pid, day, 4 + (i + w) % 3))
        for chunk in range(0, len(records), 2000):
            batch = tuple(replace(r, device_id=device.id) for r in records[chunk : chunk + 2000])
            push(storage, device, PushRequest(batch), now=NOW)
        days += len(records)
    print(
        f"set-up: {sites * per_site} participants, {days} days pushed in "
        f"{time.perf_counter() - started:.1f} s (not part of the figures)"
    )
    storage.close()
    # The forward runs on a copy: the pushed data stays as it was, to run it again.
    forwarded = db.with_name(f"{db.stem}-forwarded.db")
    shutil.copyfile(db, forwarded)
    _measure_apart(f"county year {scale}×", forwarded, url, days)


def national_day(root: Path, url: str) -> None:
    storage = SqliteStorage(root / "national-day-server.db")
    sites, per_site = 400, 25
    day = date(2025, 12, 2)
    started = time.perf_counter()
    for s in range(sites):
        site = f"site-{s:03d}"
        pids = [f"n{s:03d}-{i:02d}" for i in range(per_site)]
        device = _site(storage, site, pids)
        batch = tuple(replace(_present(pid, day, 5), device_id=device.id) for pid in pids)
        push(storage, device, PushRequest(batch), now=NOW)
    print(
        f"set-up: {sites * per_site} records of one day pushed in "
        f"{time.perf_counter() - started:.1f} s (not part of the figures)"
    )
    storage.close()
    _measure_apart("national day", root / "national-day-server.db", url, sites * per_site)


def _measure_apart(name: str, db: Path, url: str, days: int) -> None:
    """The forward of ``db`` in a process of its own: its time and its peak memory."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_forward", "--forward", str(db), url],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    total = figures["build"] + figures["deliver"]
    print(
        f"{name}: built {figures['batches']} batch(es), {figures['size'] / 1e6:.1f} MB, "
        f"in {figures['build']:.2f} s; delivered and acknowledged {figures['acknowledged']} "
        f"in {figures['deliver']:.2f} s; total {total:.2f} s "
        f"({total / days * 1000:.3f} s per thousand days); "
        f"peak RSS {figures['peak_rss'] / 2**20:.0f} MiB"
    )
    print(
        f"{name}: the county recomputed {figures['matching']} of {figures['periods']} "
        "period totals equal"
    )


def _forward_alone(db: Path, url: str) -> None:
    storage = SqliteStorage(db)
    figures = _measure(storage, url)
    storage.close()
    # ru_maxrss is in KiB on Linux.
    figures["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(figures))


def _measure(storage: SqliteStorage, url: str) -> dict[str, float]:
    config = ForwardConfig(
        endpoint_url=url, signer=hmac_signer("bench", SECRET.encode()), request_timeout=300.0
    )
    with httpx.Client(timeout=300.0) as client:
        forwarder = Forwarder(
            storage,
            Outbox(storage),
            config,
            rule_sets=storage.rule_sets(),
            client=client,
            clock=lambda: NOW,
        )
        t0 = time.perf_counter()
        built = forwarder.build()
        t1 = time.perf_counter()
        sent = forwarder.deliver_pending()
        t2 = time.perf_counter()
    size = storage.db.execute("SELECT sum(length(body)) FROM forward_batches").fetchone()[0]
    receipts = httpx.get(url.removesuffix("/batches") + "/totals", timeout=300).json()
    return {
        "batches": len(built.built),
        "size": size or 0,
        "build": t1 - t0,
        "deliver": t2 - t1,
        "acknowledged": len(sent.acknowledged),
        "matching": sum(1 for r in receipts if r["match"]),
        "periods": len(receipts),
    }


def _site(storage: SqliteStorage, site: str, pids: list[str]) -> Device:
    at = NOW - timedelta(days=400)
    storage.import_sites([SiteRow(site, site)], now=at)
    storage.import_participants(
        [ParticipantRow(pid, site, pid, f"REF-{pid}") for pid in pids], now=at
    )
    storage.import_plans([_plan(pid, site) for pid in pids], now=at)
    code, _ = storage.create_enrollment_code(site, now=at, valid_for=timedelta(hours=1))
    credential = storage.enroll(code, "bench tablet", now=at).credential
    device = storage.authenticate(credential, now=at)
    assert device is not None
    return device


def _plan(pid: str, site: str) -> Plan:
    start = date(2025, 1, 1)
    return Plan(
        f"plan-{pid}",
        pid,
        site,
        "kuntouttava",
        (
            PlanVersion(
                start,
                start,
                date(2026, 6, 30),
                1,
                4,
                240,
                480,
                "kulukorvaus" if int(pid[-1]) % 2 else "toimintaraha",
            ),
        ),
    )


def _present(pid: str, day: date, hours: int) -> DayRecord:
    return DayRecord(
        pid,
        day,
        Status.PRESENT,
        "sup",
        "tablet",
        datetime.combine(day, clock_time(15), tzinfo=UTC),
        start=clock_time(8),
        end=clock_time(8 + hours),
    )


def _absent(pid: str, day: date) -> DayRecord:
    return DayRecord(
        pid,
        day,
        Status.ABSENT,
        "sup",
        "tablet",
        datetime.combine(day, clock_time(15), tzinfo=UTC),
        reason=AbsenceReason.SICK,
    )


class standin:
    def __init__(self, db: Path) -> None:
        self.db = db

    def __enter__(self) -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "COUNTY_STANDIN_HMAC_SECRET": SECRET, "COUNTY_STANDIN_KEY_ID": "bench"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "county_standin", "--port", str(port), "--db", str(self.db)],
            env=env,
        )
        url = f"http://127.0.0.1:{port}"
        for _ in range(400):
            try:
                httpx.get(f"{url}/admin/mode", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        return f"{url}/batches"

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


if __name__ == "__main__":
    main()
