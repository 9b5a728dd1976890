"""Push ingest on SQLite and PostgreSQL, beside each engine's own raw batch insert.

Devices push day records to real servers (``python -m sync_server serve``, uvicorn on
loopback) with the real protocol: ``POST /v1/push``, a JSON ``PushRequest`` of 200
record versions (the app's batch size), the device's own credential. Each device is
the tablet of its own site of 20 participants and sends its site's Monday–Thursday
days, oldest first, as its outbox would. 1, 4 and 16 devices push at once, each from
a thread of its own; the same number of records in every run (16,000), shared out
between the devices, but at least one batch each. Every version must come back
``accepted``.

* SQLite: one server process on one file (WAL, ``synchronous=FULL``). SQLite is the
  embedded engine for one server process (docs/admin.md, "PostgreSQL, several
  instances"): two instances are measured on PostgreSQL only.
* PostgreSQL: the bench's own cluster (``bench/pg.py``, fsync on), one server and
  then two servers on the same database; a device's batches go to them in turn, as
  a round-robin load balancer would send them (devices need no stickiness).

Beside each, the same rows (as the server stores them) go straight into an empty
``record_versions`` table of the product's schema with the engine's own batch insert,
one transaction per batch of 200, by as many writers at once as there were devices:
``executemany`` on both engines, and ``COPY`` on PostgreSQL. That is the floor; the
difference is what HTTP, the protocol, re-validating every record and the push's
bookkeeping cost.

Printed: records per second (all devices together) and each batch's latency as the
device saw it (p50, p95). The client threads, the servers and PostgreSQL share the
machine's cores. ``--quick`` pushes a tenth of the records (a check, not figures).

Run: ``python -m bench.bench_push [--quick]``. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from bench import pg
from shared.calendar import finnish_holiday, helsinki_today
from shared.plans import Plan, PlanVersion
from shared.protocol import PROTOCOL_HEADER, PushRequest
from shared.records import DayRecord, Status
from sync_server.storage import ParticipantRow, SiteRow, open_database
from tests.support.pgcluster import Cluster
from tests.support.server import ServerProcess

BATCH = 200  # the app's push batch (client/sync/client.py)
PEOPLE = 20  # per site; one device per site
TOTAL = 16_000  # records in each run, shared out between the devices
DEVICES = (1, 4, 16)
WEEKS_OF_PLAN = 300
TIMEOUT = 300.0

_INSERT = (
    "INSERT INTO record_versions (seq, id, participant_id, site_id, day, supersedes, "
    "recorded_at, received_at, pushed_by, clock_flagged, body, findings) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_COLUMNS = (
    "seq, id, participant_id, site_id, day, supersedes, recorded_at, received_at, "
    "pushed_by, clock_flagged, body, findings"
)


@dataclass(frozen=True, slots=True)
class Row:
    engine: str
    instances: int
    devices: int
    records: int
    rate: float
    p50_ms: float
    p95_ms: float
    raw_rate: float
    copy_rate: float | None


@dataclass
class Device:
    site_id: str
    code: str
    records: list[DayRecord]
    credential: str = ""
    device_id: str = ""


def main() -> None:
    # A bench stopped with SIGTERM still stops its servers and its cluster.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench.bench_push")
    parser.add_argument("--quick", action="store_true", help="a tenth of the records")
    parser.add_argument(
        "--devices", default=",".join(map(str, DEVICES)), help="e.g. 1,4,16 (the default)"
    )
    args = parser.parse_args()
    total = TOTAL // 10 if args.quick else TOTAL
    counts = [int(n) for n in args.devices.split(",")]
    print(
        f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, load average {_load()} at the start",
        flush=True,
    )
    root = Path(tempfile.mkdtemp(prefix="lasna-bench-push-"))
    rows: list[Row] = []
    try:
        with pg.cluster() as cluster:
            if cluster is not None:
                print(f"# PostgreSQL {_pg_version(cluster)} (own cluster, fsync on)", flush=True)
            for n in counts:
                rows += _engine_runs("SQLite", n, total, root, None)
            if cluster is not None:
                for n in counts:
                    rows += _engine_runs("PostgreSQL", n, total, root, cluster)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"\n# load average {_load()} at the end")
    _table(rows)


def _engine_runs(engine: str, n: int, total: int, root: Path, cluster: Cluster | None) -> list[Row]:
    per_device = max(BATCH, total // n // BATCH * BATCH)
    raw, copy = _raw(engine, n, per_device, root, cluster)
    out = []
    for instances in (1, 2) if cluster is not None else (1,):
        locator = cluster.new_database() if cluster is not None else str(root / f"push-{n}.db")
        devices = _seed(locator, n, per_device)
        rate, latencies, count = _push(locator, instances, devices, root)
        p50, p95 = _percentiles(latencies)
        print(
            f"{engine}, {instances} instance(s), {n} device(s): {count} records in "
            f"{len(latencies)} batches, {rate:,.0f} records/s, batch p50 {p50:.0f} ms, "
            f"p95 {p95:.0f} ms",
            flush=True,
        )
        out.append(Row(engine, instances, n, count, rate, p50, p95, raw, copy))
        if cluster is not None:
            _drop(cluster, locator)
        else:
            for leftover in root.glob(f"push-{n}.*"):
                leftover.unlink()
    return out


# -- the server path ----------------------------------------------------------------------


def _seed(locator: str, n: int, per_device: int) -> list[Device]:
    """``n`` sites of PEOPLE participants with plans, an enrollment code each, and each
    device's records (its site's days, oldest first)."""
    now = datetime.now(UTC)
    today = helsinki_today(now)
    storage = open_database(locator)
    devices = []
    for d in range(n):
        site = f"site-{d:02d}"
        people = [f"{site}-p{i:02d}" for i in range(PEOPLE)]
        storage.import_sites([SiteRow(site, f"Bench site {d}")], now=now)
        storage.import_participants(
            [ParticipantRow(pid, site, f"Person {i}", f"REF-{i}") for i, pid in enumerate(people)],
            now=now,
        )
        start = today - timedelta(weeks=WEEKS_OF_PLAN)
        until = today + timedelta(days=60)
        version = PlanVersion(start, start, until, 1, 4, 240, 480, "kulukorvaus")
        storage.import_plans(
            [Plan(f"plan-{pid}", pid, site, "kuntouttava", (version,)) for pid in people], now=now
        )
        code, _ = storage.create_enrollment_code(site, now=now, valid_for=timedelta(hours=2))
        devices.append(Device(site, code, _days(people, today, per_device, now)))
    storage.close()
    return devices


def _days(people: list[str], today: date, count: int, now: datetime) -> list[DayRecord]:
    """``count`` versions: everyone's Monday–Thursday days up to yesterday, oldest first."""
    days: list[date] = []
    day = today - timedelta(days=1)
    while len(days) * len(people) < count:
        if day.isoweekday() <= 4 and not finnish_holiday(day):
            days.append(day)
        day -= timedelta(days=1)
    out = [
        DayRecord(
            pid,
            d,
            Status.PRESENT,
            "ohjaaja",
            "",
            min(datetime.combine(d, clock(15), tzinfo=UTC), now),
            id=str(uuid.uuid4()),
            start=clock(8),
            end=clock(13),
            minutes=300,
        )
        for d in sorted(days)
        for pid in people
    ]
    return out[:count]


def _push(
    locator: str, instances: int, devices: list[Device], root: Path
) -> tuple[float, list[float], int]:
    """Every device pushes its batches at once; (records/s, batch latencies, records)."""
    with ExitStack() as stack:
        servers = [
            stack.enter_context(_server(root / f"instance-{i}.db", locator))
            for i in range(instances)
        ]
        urls = [s.url for s in servers]
        bodies: list[list[bytes]] = []
        for k, device in enumerate(devices):
            reply = httpx.post(
                urls[k % len(urls)] + "/v1/enroll",
                json={"code": device.code, "device_name": f"bench {k}"},
                headers={PROTOCOL_HEADER: "1"},
                timeout=TIMEOUT,
            )
            reply.raise_for_status()
            device.credential = reply.json()["credential"]
            device.device_id = reply.json()["device_id"]
            records = [_as_device(r, device.device_id) for r in device.records]
            bodies.append(
                [
                    json.dumps(
                        PushRequest(
                            tuple(records[i : i + BATCH]), device_time=datetime.now(UTC)
                        ).to_dict()
                    ).encode()
                    for i in range(0, len(records), BATCH)
                ]
            )
        latencies: list[float] = []
        accepted = [0]
        failures: list[str] = []
        lock = threading.Lock()
        ready = threading.Barrier(len(devices) + 1)

        def send(k: int) -> None:
            device = devices[k]
            headers = {
                PROTOCOL_HEADER: "1",
                "Authorization": f"Bearer {device.credential}",
                "Content-Type": "application/json",
            }
            mine: list[float] = []
            count = 0
            with ExitStack() as clients:
                https = [
                    clients.enter_context(httpx.Client(base_url=url, timeout=TIMEOUT))
                    for url in urls
                ]
                for http in https:  # the connections are open before the start
                    http.get("/health").raise_for_status()
                ready.wait()
                try:
                    for j, body in enumerate(bodies[k]):
                        # A round-robin load balancer: devices need no stickiness.
                        http = https[(k + j) % len(https)]
                        started = time.perf_counter()
                        reply = http.post("/v1/push", content=body, headers=headers)
                        mine.append(time.perf_counter() - started)
                        reply.raise_for_status()
                        count += sum(a["status"] == "accepted" for a in reply.json()["answers"])
                except Exception as exc:  # reported after the run, with the others
                    failures.append(f"device {k}: {exc}")
            with lock:
                latencies.extend(mine)
                accepted[0] += count

        threads = [threading.Thread(target=send, args=(k,)) for k in range(len(devices))]
        for t in threads:
            t.start()
        ready.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
    expected = sum(len(d.records) for d in devices)
    if failures or accepted[0] != expected:
        raise SystemExit(f"Only {accepted[0]} of {expected} versions were accepted: {failures[:3]}")
    return expected / seconds, latencies, expected


def _as_device(record: DayRecord, device_id: str) -> DayRecord:
    return replace(record, device_id=device_id)


class _server:
    def __init__(self, path: Path, locator: str) -> None:
        self.process = ServerProcess(path, database=locator, env={"LASNA_LOG_LEVEL": "WARNING"})

    def __enter__(self) -> ServerProcess:
        return self.process.start()

    def __exit__(self, *exc: object) -> None:
        self.process.close()


# -- the raw floor ------------------------------------------------------------------------


def _raw(
    engine: str, n: int, per_device: int, root: Path, cluster: Cluster | None
) -> tuple[float, float | None]:
    """The same rows straight into ``record_versions``: (executemany, COPY) records/s."""
    now = datetime.now(UTC)
    today = helsinki_today(now)
    batches: list[list[list[tuple[Any, ...]]]] = []
    seq = 0
    for d in range(n):
        site = f"site-{d:02d}"
        people = [f"{site}-p{i:02d}" for i in range(PEOPLE)]
        rows = []
        for r in _days(people, today, per_device, now):
            seq += 1
            rows.append(_stored(seq, r, site, f"device-{d}", now))
        batches.append([rows[i : i + BATCH] for i in range(0, len(rows), BATCH)])
    count = seq
    if cluster is None:
        path = root / f"raw-{n}.db"
        _empty(str(path), n)
        rate = count / _writers(batches, lambda: _sqlite_writer(path))
        for leftover in root.glob(f"raw-{n}.*"):
            leftover.unlink()
        print(f"SQLite raw executemany, {n} writer(s): {rate:,.0f} records/s", flush=True)
        return rate, None
    rates = []
    for how in ("executemany", "copy"):
        url = cluster.new_database()
        _empty(url, n)
        rates.append(count / _writers(batches, partial(_pg_writer, url, how)))
        _drop(cluster, url)
    print(
        f"PostgreSQL raw, {n} writer(s): executemany {rates[0]:,.0f} records/s, "
        f"COPY {rates[1]:,.0f} records/s",
        flush=True,
    )
    return rates[0], rates[1]


def _stored(seq: int, r: DayRecord, site: str, device: str, now: datetime) -> tuple[Any, ...]:
    return (
        seq,
        r.id,
        r.participant_id,
        site,
        r.day.isoformat(),
        r.supersedes,
        r.recorded_at.isoformat(),
        now.isoformat(),
        device,
        0,
        json.dumps(r.to_dict()),
        "[]",
    )


def _empty(locator: str, n: int) -> None:
    """The product's schema (its migrations) with the sites the rows refer to."""
    storage = open_database(locator)
    now = datetime.now(UTC)
    storage.import_sites([SiteRow(f"site-{d:02d}", f"Bench site {d}") for d in range(n)], now=now)
    storage.close()


Writer = Callable[[Sequence[tuple[Any, ...]]], None]


def _writers(batches: list[list[list[tuple[Any, ...]]]], connect: Callable[[], Any]) -> float:
    """One writer per device, each its batches in order, all at once; the seconds taken."""
    ready = threading.Barrier(len(batches) + 1)
    failures: list[BaseException] = []

    def write(mine: list[list[tuple[Any, ...]]]) -> None:
        with connect() as insert:
            ready.wait()
            try:
                for batch in mine:
                    insert(batch)
            except BaseException as exc:
                failures.append(exc)

    threads = [threading.Thread(target=write, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    ready.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    if failures:
        raise SystemExit(f"The raw insert failed: {failures[0]!r}")
    return seconds


_SQLITE_TURNS = threading.Lock()


class _sqlite_writer:
    """A connection as the server opens one (WAL, synchronous=FULL, busy timeout);
    each batch one ``BEGIN IMMEDIATE`` transaction. The writers take turns through one
    lock, as the server's threads do: SQLite has one writer at a time, and writers
    that find the file locked would otherwise sleep in its busy handler."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, timeout=60, isolation_level=None)
        self.conn.execute("PRAGMA busy_timeout=60000")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA foreign_keys=ON")

    def __enter__(self) -> Writer:
        return self.insert

    def insert(self, batch: Sequence[tuple[Any, ...]]) -> None:
        with _SQLITE_TURNS:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany(_INSERT, batch)
            self.conn.execute("COMMIT")

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


class _pg_writer:
    """A psycopg connection; each batch one transaction (executemany or COPY)."""

    def __init__(self, url: str, how: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url)
        self.how = how

    def __enter__(self) -> Writer:
        return self.insert

    def insert(self, batch: Sequence[tuple[Any, ...]]) -> None:
        with self.conn.transaction(), self.conn.cursor() as cur:
            if self.how == "copy":
                with cur.copy(f"COPY record_versions ({_COLUMNS}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cur.executemany(_INSERT.replace("?", "%s"), batch)

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


# -- helpers ------------------------------------------------------------------------------


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    if len(latencies) < 2:
        only = latencies[0] * 1000 if latencies else 0.0
        return only, only
    cuts = statistics.quantiles(latencies, n=20, method="inclusive")
    return statistics.median(latencies) * 1000, cuts[18] * 1000


def _table(rows: list[Row]) -> None:
    print(
        "\n| engine | instances | devices | records | server records/s | batch p50 ms "
        "| batch p95 ms | raw executemany records/s | raw COPY records/s | raw / server |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        copy = f"{r.copy_rate:,.0f}" if r.copy_rate is not None else "—"
        print(
            f"| {r.engine} | {r.instances} | {r.devices} | {r.records:,} | {r.rate:,.0f} "
            f"| {r.p50_ms:.0f} | {r.p95_ms:.0f} | {r.raw_rate:,.0f} | {copy} "
            f"| {r.raw_rate / r.rate:.1f}× |"
        )


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _pg_version(cluster: Cluster) -> str:
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        found = conn.execute("SHOW server_version").fetchone()
    return str(found[0]).split()[0] if found else "?"


def _drop(cluster: Cluster, url: str) -> None:
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


if __name__ == "__main__":
    main()
