"""Sync server figures: push ingest over loopback and a new device's first pull.

1. Push ingest: a real server (uvicorn subprocess, SQLite file, WAL, synchronous=FULL)
   receives batches of 500 record versions over HTTP on loopback and validates each
   one again; the same rows then go into an empty SQLite table with a raw
   ``executemany`` (one transaction per 500, same pragmas), as the floor to compare
   with. Printed: records per second for both, and the ratio.
2. First pull: a site of 60 participants with two years of history; a newly enrolled
   device pulls until ``more`` is false. Measured with the default history window
   (what a device needs) and with the window opened to the full two years.

Run: ``python -m bench.bench_sync`` (or ``make bench``). Prints figures, asserts nothing.
"""

from __future__ import annotations

import json
import os
import platform
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

import httpx

from shared.calendar import finnish_holiday, helsinki_today
from shared.plans import Plan, PlanVersion
from shared.protocol import PushRequest
from shared.records import DayRecord, Status
from sync_server.push import push
from sync_server.storage import Device, ParticipantRow, SiteRow, SqliteStorage
from sync_server.storage.schema import _INITIAL

ROOT = Path(__file__).resolve().parents[1]
BATCH = 500
PEOPLE = 60
INGEST_WEEKS = 84  # 60 people × 4 days × 84 weeks ≈ 20,000 versions
HISTORY_WEEKS = 104


def main() -> None:
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        ingest(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        first_pull(Path(tmp))


# -- push ingest --------------------------------------------------------------------------


def ingest(tmp: Path) -> None:
    now = datetime.now(UTC)
    db = tmp / "ingest.db"
    storage = SqliteStorage(db)
    people = _site(storage, "bench", now)
    code, _ = storage.create_enrollment_code("bench", now=now, valid_for=timedelta(hours=1))
    storage.close()
    with _server(db) as url, httpx.Client(timeout=120) as http:
        credential, device_id = _enroll(http, url, code)
        # A device pushes only what it recorded: the versions carry its enrolled id.
        records = _history(people, helsinki_today(now), INGEST_WEEKS, device_id, now)
        batches = [records[i : i + BATCH] for i in range(0, len(records), BATCH)]
        bodies = [
            json.dumps({"device_time": now.isoformat(), "records": [r.to_dict() for r in b]})
            for b in batches
        ]
        hdrs = {
            "Lasna-Protocol": "1",
            "Authorization": f"Bearer {credential}",
            "Content-Type": "application/json",
        }
        started = time.perf_counter()
        accepted = 0
        for body in bodies:
            reply = http.post(url + "/v1/push", content=body, headers=hdrs)
            reply.raise_for_status()
            accepted += sum(a["status"] == "accepted" for a in reply.json()["answers"])
        http_seconds = time.perf_counter() - started
    assert accepted == len(records), f"only {accepted} of {len(records)} accepted"

    rows = _rows(records, now)
    raw = tmp / "raw.db"
    conn = sqlite3.connect(raw)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    for statement in _INITIAL.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.commit()
    started = time.perf_counter()
    for i in range(0, len(rows), BATCH):
        with conn:
            conn.executemany(
                "INSERT INTO record_versions (seq, id, participant_id, site_id, day, supersedes, "
                "recorded_at, received_at, pushed_by, clock_flagged, body, findings) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows[i : i + BATCH],
            )
    raw_seconds = time.perf_counter() - started
    conn.close()

    http_rate = len(records) / http_seconds
    raw_rate = len(records) / raw_seconds
    print(f"\npush ingest: {len(records)} record versions in {len(batches)} batches of {BATCH}")
    print(
        f"  server over loopback (HTTP + validation + SQLite): {http_rate:10,.0f} records/s "
        f"({http_seconds:.2f} s)"
    )
    print(
        f"  raw SQLite executemany of the same rows:          {raw_rate:10,.0f} records/s "
        f"({raw_seconds:.2f} s)"
    )
    print(f"  ratio raw / server: {raw_rate / http_rate:.1f}×")


# -- first pull ---------------------------------------------------------------------------


def first_pull(tmp: Path) -> None:
    now = datetime.now(UTC)
    db = tmp / "pull.db"
    storage = SqliteStorage(db)
    people = _site(storage, "history", now)
    records = _history(people, helsinki_today(now), HISTORY_WEEKS, "old-tablet", now)
    seeder = Device("old-tablet", "history", "old tablet", now)
    started = time.perf_counter()
    for i in range(0, len(records), BATCH):
        push(storage, seeder, PushRequest(tuple(records[i : i + BATCH])), now=now)
    seeded = time.perf_counter() - started
    codes = [
        storage.create_enrollment_code("history", now=now, valid_for=timedelta(hours=1))[0]
        for _ in range(2)
    ]
    storage.close()
    print(
        f"\nfirst pull: site of {PEOPLE} participants, {len(records)} versions over two years "
        f"(seeded in-process at {len(records) / seeded:,.0f} records/s)"
    )
    for label, months, code in (
        ("default window (2 months back)", None, codes[0]),
        ("whole two years", 25, codes[1]),
    ):
        env = {"LASNA_PULL_HISTORY_MONTHS": str(months)} if months else {}
        with _server(db, env) as url, httpx.Client(timeout=120) as http:
            credential, _ = _enroll(http, url, code)
            hdrs = {"Lasna-Protocol": "1", "Authorization": f"Bearer {credential}"}
            started = time.perf_counter()
            cursor, pages, pulled, size = None, 0, 0, 0
            while True:
                reply = http.get(
                    url + "/v1/pull", params={"cursor": cursor} if cursor else None, headers=hdrs
                )
                reply.raise_for_status()
                body = reply.json()
                pages += 1
                pulled += len(body["records"])
                size += len(reply.content)
                cursor = body["cursor"]
                if not body["more"]:
                    break
            seconds = time.perf_counter() - started
        print(
            f"  {label}: {pulled} records + reference data in {pages} page(s), "
            f"{size / 1e6:.1f} MB, {seconds:.2f} s"
        )


# -- helpers ------------------------------------------------------------------------------


def _site(storage: SqliteStorage, site_id: str, now: datetime) -> list[str]:
    today = helsinki_today(now)
    start = today - timedelta(days=7 * HISTORY_WEEKS + 14)
    storage.import_sites([SiteRow(site_id, "Benchmark site")], now=now)
    ids = [f"{site_id}-{i:02d}" for i in range(PEOPLE)]
    storage.import_participants(
        [ParticipantRow(pid, site_id, f"Person {i}", f"REF-{i}") for i, pid in enumerate(ids)],
        now=now,
    )
    version = PlanVersion(start, start, today + timedelta(days=60), 1, 4, 240, 480, "kulukorvaus")
    storage.import_plans(
        [Plan(f"plan-{pid}", pid, site_id, "kuntouttava", (version,)) for pid in ids], now=now
    )
    return ids


def _history(
    people: list[str], today: date, weeks: int, device: str, now: datetime
) -> list[DayRecord]:
    """Mon–Thu attendance for everyone, oldest first (as a device's outbox sends it)."""
    out: list[DayRecord] = []
    monday = today - timedelta(days=today.isoweekday() - 1 + 7 * weeks)
    for week in range(weeks):
        for weekday in range(4):
            day = monday + timedelta(days=7 * week + weekday)
            if day >= today or finnish_holiday(day):
                continue
            stamp = datetime.combine(day, clock(15), tzinfo=UTC)
            out.extend(
                DayRecord(
                    pid,
                    day,
                    Status.PRESENT,
                    "ohjaaja",
                    device,
                    min(stamp, now),
                    id=str(uuid.uuid4()),
                    start=clock(8),
                    end=clock(13),
                    minutes=300,
                )
                for pid in people
            )
    return out


def _rows(records: list[DayRecord], now: datetime) -> list[tuple[Any, ...]]:
    received = now.isoformat()
    return [
        (
            i + 1,
            r.id,
            r.participant_id,
            "bench",
            r.day.isoformat(),
            r.supersedes,
            r.recorded_at.isoformat(),
            received,
            "bench-device",
            0,
            json.dumps(r.to_dict()),
            "[]",
        )
        for i, r in enumerate(records)
    ]


def _enroll(http: httpx.Client, url: str, code: str) -> tuple[str, str]:
    """(credential, device id) of a newly enrolled device."""
    reply = http.post(
        url + "/v1/enroll",
        json={"code": code, "device_name": "bench"},
        headers={"Lasna-Protocol": "1"},
    )
    reply.raise_for_status()
    return str(reply.json()["credential"]), str(reply.json()["device_id"])


@contextmanager
def _server(db: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LASNA_")}
    environment.update(env or {})
    environment["LASNA_LOG_LEVEL"] = "WARNING"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync_server",
            "serve",
            "--dev",
            "--db",
            str(db),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
