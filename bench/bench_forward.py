"""The nightly forward: a county's year (1×, 2× and 4×) and one national day, on SQLite
and on PostgreSQL.

* county year: 900 participants on 30 sites, about 54,000 attendance days (the
  Etelä-Savo figure), forwarded for the first time in one run; then twice and four
  times as many participants (sites), to show that time grows with the work and the
  memory does not;
* national day: 10,000 participants, one record each, the nightly volume of the whole
  country on a working day.

Each is pushed once through the server's own validation into an SQLite database (WAL)
and, for PostgreSQL, copied into a new database of the bench's own throwaway cluster
(``bench/pg.py``, fsync on) with ``migrate-to-postgres``'s copy: both engines forward
the same rows. Setting up is not timed. The forward builds from the server storage
into outbox batches and delivers them over loopback HTTP to the county stand-in, which
checks the signature, stores everything and recomputes every period's totals before
it answers. Each forward runs in a fresh process of its own (``python -m
bench.bench_forward --forward DATABASE URL``), so its peak resident memory
(``VmHWM``) is the forward's alone, interpreter and imports included (PostgreSQL's
own server processes are not in it).

``--quick`` runs a tenth of each workload (a check that the bench works, not figures);
``--scales``, ``--engines`` and ``--no-national-day`` choose what runs; ``--runs N``
forwards the same data N times; ``--compare CHECKOUT`` lets another checkout's code
(an older commit, ``git worktree add``) forward the same data too, the two taking
turns, so that both meet the same load on a shared machine.
Run: ``python -m bench.bench_forward [--quick]``. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import httpx

from bench import pg
from shared import AbsenceReason, DayRecord, Plan, PlanVersion, Status
from shared.protocol import PushRequest
from sync_server.forward import ForwardConfig, Forwarder, Outbox, hmac_signer
from sync_server.push import push
from sync_server.storage import Device, ParticipantRow, SiteRow, SqliteStorage, open_database
from sync_server.storage.copy import copy_to_postgres
from tests.support.pgcluster import Cluster

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-only-hmac-secret-not-for-production-000000"
NOW = datetime(2026, 1, 2, 0, 30, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Figures:
    workload: str
    engine: str
    days: int
    batches: int
    megabytes: float
    build: float
    deliver: float
    peak_mib: float
    matching: str

    @property
    def total(self) -> float:
        return self.build + self.deliver


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--forward":
        _forward_alone(sys.argv[2], sys.argv[3])
        return
    # A bench stopped with SIGTERM still stops its stand-ins and its cluster.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench.bench_forward")
    parser.add_argument("--quick", action="store_true", help="a tenth of each workload")
    parser.add_argument("--scales", default="1,2,4", help="county years (default 1,2,4)")
    parser.add_argument("--engines", default="sqlite,postgres", help="default: both")
    parser.add_argument("--no-national-day", action="store_true")
    parser.add_argument("--runs", type=int, default=1, help="forwards of the same data, each")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="CHECKOUT",
        help="another checkout's code forwards the same data too, taking turns with this one",
    )
    args = parser.parse_args()
    engines = {e.strip().lower() for e in args.engines.split(",")}
    codes: list[Path | None] = [None] + ([args.compare.resolve()] if args.compare else [])
    print(
        f"# {_cpu_model()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"load average {_load()} at the start",
        flush=True,
    )
    fraction = 10 if args.quick else 1
    suffix = " (a tenth)" if args.quick else ""
    root = Path(tempfile.mkdtemp(prefix="lasna-bench-forward-"))
    figures: list[Figures] = []
    try:
        with pg.cluster() if "postgres" in engines else nullcontext() as cluster:
            if cluster is not None:
                print(f"# PostgreSQL {_pg_version(cluster)} (own cluster, fsync on)", flush=True)
            work = Work(root, engines, cluster, codes, args.runs)
            for scale in (int(x) for x in args.scales.split(",")):
                db, days = county_year(root, scale, fraction)
                figures += work.measure(f"county year {scale}×{suffix}", db, days)
            if not args.no_national_day:
                db, days = national_day(root, fraction)
                figures += work.measure(f"national day{suffix}", db, days)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"\n# load average {_load()} at the end")
    _table(figures)


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _pg_version(cluster: Cluster) -> str:
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        found = conn.execute("SHOW server_version").fetchone()
    return str(found[0]) if found else "?"


@dataclass
class Work:
    """Which engines, whose code and how many runs measure each workload."""

    root: Path
    engines: set[str]
    cluster: Cluster | None
    codes: list[Path | None]
    runs: int

    def measure(self, name: str, db: Path, days: int) -> list[Figures]:
        out = []
        if "sqlite" in self.engines:
            for run in range(self.runs):
                for k, code in enumerate(self.codes):
                    # Each forward runs on a copy: the pushed data stays as it was.
                    forwarded = db.with_name(f"{db.stem}-forwarded.db")
                    shutil.copyfile(db, forwarded)
                    # Each meets an empty county: the same batches again would be duplicates.
                    with standin(db.with_name(f"{db.stem}-county-{run}-{k}.db")) as url:
                        out.append(_measure_apart(name, "SQLite", str(forwarded), url, days, code))
                    forwarded.unlink()
        if self.cluster is not None:
            pushed = self.cluster.new_database()
            started = time.perf_counter()
            copy_to_postgres(db, pushed)
            print(
                f"set-up: copied into PostgreSQL in {time.perf_counter() - started:.1f} s "
                "(not part of the figures)",
                flush=True,
            )
            for run in range(self.runs):
                for k, code in enumerate(self.codes):
                    target = self.cluster.new_database(template=pushed.rsplit("/", 1)[1])
                    with standin(db.with_name(f"{db.stem}-county-pg-{run}-{k}.db")) as url:
                        out.append(_measure_apart(name, "PostgreSQL", target, url, days, code))
                    _drop(self.cluster, target)
            _drop(self.cluster, pushed)
        return out


def _drop(cluster: Cluster, url: str) -> None:
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]}")


def _table(figures: list[Figures]) -> None:
    print(
        "\n| workload | engine | days | batches | MB | build s | deliver s | total s "
        "| s per 1,000 days | peak RSS MiB | period totals equal |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for f in figures:
        print(
            f"| {f.workload} | {f.engine} | {f.days:,} | {f.batches} | {f.megabytes:.1f} "
            f"| {f.build:.2f} | {f.deliver:.2f} | {f.total:.2f} "
            f"| {f.total / f.days * 1000:.3f} | {f.peak_mib:.0f} | {f.matching} |"
        )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def county_year(root: Path, scale: int = 1, fraction: int = 1) -> tuple[Path, int]:
    """A county's year (``scale`` times, a ``fraction``-th of it) pushed into SQLite."""
    db = root / f"county-year-{scale}-server.db"
    storage = SqliteStorage(db)
    sites, per_site = 30 * scale // fraction, 30
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
        f"{time.perf_counter() - started:.1f} s (not part of the figures)",
        flush=True,
    )
    storage.close()
    return db, days


def national_day(root: Path, fraction: int = 1) -> tuple[Path, int]:
    db = root / "national-day-server.db"
    storage = SqliteStorage(db)
    sites, per_site = 400 // fraction, 25
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
        f"{time.perf_counter() - started:.1f} s (not part of the figures)",
        flush=True,
    )
    storage.close()
    return db, sites * per_site


def _measure_apart(
    name: str, engine: str, db: str, url: str, days: int, code: Path | None = None
) -> Figures:
    """The forward of ``db`` in a process of its own: its time and its peak memory.

    With ``code``, that checkout's forward runs (its folder first on the path)."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code), env.get("PYTHONPATH", "")])
        engine = f"{engine}, {code.name}"
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_forward", "--forward", db, url],
        check=False,
        capture_output=True,
        text=True,
        cwd=code or ROOT,
        env=env,
    )
    if done.returncode != 0:
        raise SystemExit(f"The forward of {name} on {engine} failed:\n{done.stderr}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    # The county's answer is read here, not in the measured process: a 4× year's
    # 28,800 period receipts as Python objects would be counted as the forward's memory.
    receipts = httpx.get(url.removesuffix("/batches") + "/totals", timeout=300).json()
    figures["matching"] = sum(1 for r in receipts if r["match"])
    figures["periods"] = len(receipts)
    del receipts
    total = figures["build"] + figures["deliver"]
    print(
        f"{name}, {engine}: built {figures['batches']} batch(es), "
        f"{figures['size'] / 1e6:.1f} MB, in {figures['build']:.2f} s; delivered and "
        f"acknowledged {figures['acknowledged']} in {figures['deliver']:.2f} s; total "
        f"{total:.2f} s ({total / days * 1000:.3f} s per thousand days); "
        f"peak RSS {figures['peak_rss'] / 2**20:.0f} MiB; the county recomputed "
        f"{figures['matching']} of {figures['periods']} period totals equal",
        flush=True,
    )
    return Figures(
        workload=name,
        engine=engine,
        days=days,
        batches=int(figures["batches"]),
        megabytes=figures["size"] / 1e6,
        build=figures["build"],
        deliver=figures["deliver"],
        peak_mib=figures["peak_rss"] / 2**20,
        matching=f"{figures['matching']} of {figures['periods']}",
    )


def _forward_alone(db: str, url: str) -> None:
    storage = open_database(db)
    figures = _measure(storage, url)
    storage.close()
    figures["peak_rss"] = _peak_rss()
    print(json.dumps(figures))


def _peak_rss() -> int:
    """This process's own peak resident memory, in bytes.

    Not ``ru_maxrss``: Linux carries it over ``exec`` from the process that started
    this one, so it reported the bench's own peak (its set-up) whenever that was the
    higher. ``VmHWM`` belongs to this process's memory alone.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _measure(storage: Any, url: str) -> dict[str, float]:
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
    return {
        "batches": len(built.built),
        "size": size or 0,
        "build": t1 - t0,
        "deliver": t2 - t1,
        "acknowledged": len(sent.acknowledged),
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
