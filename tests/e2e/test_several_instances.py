"""Several server instances, one truth: two server processes on one PostgreSQL database.

Sixteen devices push to both instances at random while a reader device per site pulls
from both with its cursor. Afterwards: no record lost or doubled, no day with two
current records, every reader saw every accepted version of its site (a cursor that
skipped a version committed late by the other instance would lose it for good), and an
enrollment code raced at both instances was used once. Then two forward runs started
together on the same database reach the county once.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.calendar import helsinki_today
from sync_server.storage import open_database
from tests.support.postgres import Cluster
from tests.support.processes import start_module
from tests.support.server import ServerProcess
from tests.support.sites import headers, make_site, present, workdays_before
from tests.sync_server.forward import data
from tests.sync_server.forward.standin import TEST_KEY_ID, TEST_SECRET, running_standin

pytestmark = pytest.mark.e2e

DEVICES_PER_SITE = 8
ROUNDS = 6
BATCH = 5
TIMEOUT = 30.0


@pytest.fixture
def instances(tmp_path: Path, postgres_cluster: Cluster) -> Iterator[list[ServerProcess]]:
    url = postgres_cluster.new_database()
    servers = [ServerProcess(tmp_path / f"instance-{i}.db", database=url) for i in (1, 2)]
    try:
        for s in servers:
            s.start()
        yield servers
    finally:
        for s in servers:
            s.close()


def _enroll(url: str, code: str, name: str) -> httpx.Response:
    return httpx.post(
        url + "/v1/enroll",
        json={"code": code, "device_name": name},
        headers=headers(),
        timeout=TIMEOUT,
    )


def test_two_instances_on_one_database_keep_every_guarantee(
    instances: list[ServerProcess],
) -> None:
    admin = instances[0].storage
    urls = [s.url for s in instances]
    now = datetime.now(UTC)
    sites = [make_site(admin, name, 4) for name in ("a", "b")]
    days = workdays_before(helsinki_today(now), 10)

    # An enrollment code raced at both instances is used once.
    for round_ in range(5):
        code, _ = admin.create_enrollment_code("a", now=now, valid_for=timedelta(hours=1))
        start = threading.Barrier(2)
        answers: list[int] = []

        def race(
            url: str,
            code: str = code,
            start: threading.Barrier = start,
            answers: list[int] = answers,
            name: str = f"race {round_}",
        ) -> None:
            start.wait()
            answers.append(_enroll(url, code, name).status_code)

        racers = [threading.Thread(target=race, args=(u,)) for u in urls]
        for t in racers:
            t.start()
        for t in racers:
            t.join()
        assert sorted(answers)[0] == 200 and sorted(answers)[1] != 200, answers

    device_of: dict[str, str] = {}

    def enrolled(site: str, name: str) -> str:
        code, _ = admin.create_enrollment_code(site, now=now, valid_for=timedelta(hours=1))
        reply = _enroll(random.choice(urls), code, name)
        assert reply.status_code == 200, reply.text
        credential: str = reply.json()["credential"]
        device_of[credential] = reply.json()["device_id"]  # a device pushes as itself
        return credential

    pushers = [(s, enrolled(s.id, f"{s.id}-{i}")) for s in sites for i in range(DEVICES_PER_SITE)]
    readers = {s.id: enrolled(s.id, f"{s.id}-reader") for s in sites}

    answered: dict[str, str] = {}  # record id -> its (last) answer
    site_of: dict[str, str] = {}
    lock = threading.Lock()
    failures: list[str] = []
    pushing = threading.Event()
    pushing.set()

    def push_as(site: Any, credential: str, seed: int) -> None:
        rnd = random.Random(seed)
        try:
            for _ in range(ROUNDS):
                pairs = rnd.sample([(p, d) for p in site.participants for d in days], BATCH)
                batch = [
                    replace(present(d, participant=p), device_id=device_of[credential])
                    for p, d in pairs
                ]
                for attempt in range(1 + (rnd.random() < 0.3)):  # sometimes sent twice
                    reply = httpx.post(
                        rnd.choice(urls) + "/v1/push",
                        json={"records": [r.to_dict() for r in batch]},
                        headers=headers(credential),
                        timeout=TIMEOUT,
                    )
                    assert reply.status_code == 200, reply.text
                    with lock:
                        for answer in reply.json()["answers"]:
                            status = answer["status"]
                            if attempt == 0 or answered.get(answer["id"]) != "accepted":
                                answered[answer["id"]] = status
                            else:  # the second copy of an accepted version
                                assert status == "duplicate", answer
                        for r in batch:
                            site_of[r.id] = site.id
        except Exception as exc:  # reported by the main thread
            failures.append(f"pusher: {exc!r}")

    seen: dict[str, list[str]] = {s.id: [] for s in sites}

    def pull_all(site_id: str, credential: str, seed: int) -> None:
        rnd = random.Random(seed)
        cursor: str | None = None
        try:
            while True:
                done = not pushing.is_set()  # read before the pull: this pull is after all
                params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
                reply = httpx.get(
                    rnd.choice(urls) + "/v1/pull",
                    params=params,
                    headers=headers(credential),
                    timeout=TIMEOUT,
                )
                assert reply.status_code == 200, reply.text
                page = reply.json()
                seen[site_id] += [r["id"] for r in page["records"]]
                cursor = page["cursor"]
                if done and not page["more"]:
                    return
        except Exception as exc:
            failures.append(f"reader: {exc!r}")

    threads = [
        threading.Thread(target=push_as, args=(site, cred, i))
        for i, (site, cred) in enumerate(pushers)
    ]
    pulls = [
        threading.Thread(target=pull_all, args=(sid, cred, 100 + i))
        for i, (sid, cred) in enumerate(readers.items())
    ]
    began = time.monotonic()
    for t in [*threads, *pulls]:
        t.start()
    for t in threads:
        t.join(timeout=300)
    pushing.clear()
    for t in pulls:
        t.join(timeout=120)
    assert not failures, failures[:5]
    assert time.monotonic() - began < 300

    accepted = {rid for rid, status in answered.items() if status == "accepted"}
    refused = {rid for rid, status in answered.items() if status in ("conflict", "rejected")}
    assert accepted and refused, "the devices must have raced for the same days"
    assert accepted | refused == set(answered)

    stored = {r["id"] for r in admin.rows("SELECT id FROM record_versions")}
    kept_refused = {r["id"] for r in admin.rows("SELECT id FROM refused_versions")}
    assert stored == accepted, "an accepted version is missing, or one was stored unanswered"
    assert kept_refused == refused
    doubled = admin.rows("SELECT id FROM record_versions GROUP BY id HAVING COUNT(*) > 1")
    assert doubled == []
    two_current = admin.rows(
        "SELECT participant_id, day FROM record_versions WHERE supersedes IS NULL "
        "GROUP BY participant_id, day HAVING COUNT(*) > 1"
    )
    assert two_current == [], "a day has two current records"

    for site in sites:
        mine = {rid for rid in accepted if site_of[rid] == site.id}
        assert len(seen[site.id]) == len(set(seen[site.id])), "a version was pulled twice"
        assert set(seen[site.id]) == mine, "a reader's cursor skipped a committed version"


def test_two_forward_runs_started_together_reach_the_county_once(
    tmp_path: Path, postgres_cluster: Cluster
) -> None:
    url = postgres_cluster.new_database()
    storage = open_database(url)
    device = data.seed(storage, data.NIGHT_AFTER_JANUARY - timedelta(days=60))
    data.push(
        storage,
        device,
        data.month_of_records(2025, 1),
        data.NIGHT_AFTER_JANUARY - timedelta(minutes=30),
    )
    storage.close()
    with running_standin(tmp_path / "county.db") as standin:
        env = {
            "LASNA_FORWARD_URL": standin.batches_url,
            "LASNA_FORWARD_HMAC_SECRET": TEST_SECRET,
            "LASNA_FORWARD_KEY_ID": TEST_KEY_ID,
            "LASNA_FORWARD_TIMEOUT_SECONDS": "10",
        }
        command = ("forward", "run-now", "--db", url)
        runs = [
            start_module("sync_server", *command, env=env, without="LASNA_", stdout=-1, stderr=-1)
            for _ in range(2)
        ]
        outcomes = [p.communicate(timeout=120) for p in runs]
        built: list[list[str]] = []  # the batch ids each run built
        for p, (out, err) in zip(runs, outcomes, strict=True):
            if p.returncode == 0:
                built.append(json.loads(out)["built"])
            else:  # the other run held the lease
                assert "Another forward run" in err.decode(), err.decode()
        (one,) = [b for b in built if b]  # one run built batches, the other none
        received = standin.batches()
        assert sorted(b["batch_id"] for b in received) == sorted(one), (one, received)
        assert [d["outcome"] for d in standin.table("deliveries")] == ["accepted"] * len(one)
