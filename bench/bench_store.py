"""The device store: unlock, saving records, opening a month and a site's week.

A site of 60 participants with two years of history (about 30,000 record versions,
one in six a correction) on a real SQLite file with the real scrypt cost. Prints
what it measured; asserts nothing. Run alone with ``python -m bench.bench_store``.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from client.store import DEFAULT_KDF, Store
from shared import AbsenceReason, DayRecord, Plan, PlanVersion, Status
from shared.protocol import ParticipantInfo, Reference, SiteInfo

NOW = datetime(2025, 3, 14, 13, 0, tzinfo=UTC)
FIRST_DAY = date(2023, 3, 13)
LAST_HISTORY_DAY = date(2025, 3, 7)
PARTICIPANTS = 60
SUPERVISOR = "sup-1"
PIN = "482916"
SECRET = bytes(range(32))


def main() -> None:
    rng = random.Random(703)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.db"
        store = Store.open(path, SECRET, idle_timeout=timedelta(days=1))
        store.create_first_supervisor(SUPERVISOR, "Maija Ohjaaja", PIN, now=NOW)
        people = [f"p-{i:02d}" for i in range(PARTICIPANTS)]
        store.replace_reference_data(
            SiteInfo("site-1", "Kierrätyskeskus"),
            Reference(
                participants=tuple(
                    ParticipantInfo(p, f"Äijälä-Öhman {i}", f"ESHVA-{i:06d}")
                    for i, p in enumerate(people)
                ),
                plans=tuple(_plan(p) for p in people),
                rule_sets=(),
            ),
        )
        started = time.perf_counter()
        count = _history(store, people, rng)
        filled = time.perf_counter() - started
        size = path.stat().st_size + Path(f"{path}-wal").stat().st_size
        print(
            f"history: {count} versions for {PARTICIPANTS} participants, written in "
            f"{filled:.1f} s; file {size / 2**20:.1f} MiB"
        )

        p = DEFAULT_KDF
        unlocks = _repeat(5, lambda: _unlock(store))
        print(
            f"unlock (scrypt n=2^{p.n.bit_length() - 1}, r={p.r}, p={p.p}, "
            f"{128 * p.n * p.r // 2**20} MiB): {_fmt(unlocks, 's')}"
        )

        _unlock(store)
        started = time.perf_counter()
        assert store.save_record(_present(people[-1], date(2025, 3, 10), at=NOW), now=NOW).saved
        print(
            "first save in a fresh process (loads the holiday calendar once): "
            f"{(time.perf_counter() - started) * 1000:.0f} ms"
        )

        singles = []
        for i, pid in enumerate(people[:20]):
            _unlock(store)  # a cold session: nothing decrypted yet
            record = _present(pid, date(2025, 3, 10), at=NOW + timedelta(seconds=i))
            started = time.perf_counter()
            assert store.save_record(record, now=NOW).saved
            singles.append(time.perf_counter() - started)
        print(
            f"save one record (validate + seal + write + outbox + audit), cold: "
            f"{_fmt(singles, 'ms')}"
        )

        _unlock(store)
        day = [_present(pid, date(2025, 3, 11), at=NOW) for pid in people[:40]]
        started = time.perf_counter()
        for record in day:
            assert store.save_record(record, now=NOW).saved
        whole = time.perf_counter() - started
        print(
            f"save a whole day for 40 participants: {whole * 1000:.0f} ms in all, "
            f"{whole / 40 * 1000:.2f} ms per record"
        )

        month = (date(2025, 2, 1), date(2025, 2, 28))
        week = (date(2025, 3, 3), date(2025, 3, 9))

        def cold(action: Callable[[], object]) -> float:
            _unlock(store)
            started = time.perf_counter()
            action()
            return time.perf_counter() - started

        def warm(action: Callable[[], object]) -> float:
            started = time.perf_counter()
            action()
            return time.perf_counter() - started

        def open_month() -> int:
            return len(store.versions(people[7], *month, now=NOW))

        def open_week() -> int:
            return len(store.site_versions(*week, now=NOW))

        print(
            f"open one participant's month ({open_month()} versions): "
            f"cold {_fmt([cold(open_month) for _ in range(5)], 'ms')}; "
            f"warm {_fmt([warm(open_month) for _ in range(5)], 'ms')}"
        )
        print(
            f"open the site's week for {PARTICIPANTS} participants ({open_week()} versions): "
            f"cold {_fmt([cold(open_week) for _ in range(5)], 'ms')}; "
            f"warm {_fmt([warm(open_week) for _ in range(5)], 'ms')}"
        )

        _unlock(store)
        started = time.perf_counter()
        assert store.rotate_data_key(now=NOW)
        print(f"rotate the data key (re-encrypt everything): {time.perf_counter() - started:.2f} s")
        store.close()


def _plan(participant_id: str) -> Plan:
    def version(start: date, end: date) -> PlanVersion:
        return PlanVersion(start, start, end, 1, 4, 240, 480, "kulukorvaus")

    return Plan(
        id=f"plan-{participant_id}",
        participant_id=participant_id,
        site_id="site-1",
        rule_set_id="kuntouttava",
        versions=(
            version(date(2023, 3, 1), date(2025, 2, 28)),
            version(date(2025, 3, 1), date(2026, 2, 28)),
        ),
    )


def _present(pid: str, day: date, *, at: datetime) -> DayRecord:
    return DayRecord(
        participant_id=pid,
        day=day,
        status=Status.PRESENT,
        recorded_by=SUPERVISOR,
        device_id="tablet-1",
        recorded_at=at,
        start=clock(8, 0),
        end=clock(14, 0),
    )


def _history(store: Store, people: list[str], rng: random.Random) -> int:
    """Four days a week for everyone, one day in ten absent, one in five corrected."""
    batch: list[DayRecord] = []
    count = 0
    day = FIRST_DAY
    while day <= LAST_HISTORY_DAY:
        if day.weekday() < 4:
            at = datetime.combine(day, clock(14, 30), tzinfo=UTC)
            for pid in people:
                if rng.random() < 0.1:
                    record = DayRecord(
                        pid,
                        day,
                        Status.ABSENT,
                        SUPERVISOR,
                        "tablet-1",
                        at,
                        reason=rng.choice(list(AbsenceReason)),
                    )
                else:
                    record = _present(pid, day, at=at)
                batch.append(record)
                if rng.random() < 0.2:
                    batch.append(
                        record.correct(
                            correction_reason="Korjattu kirjausvirhe",
                            recorded_by=SUPERVISOR,
                            device_id="tablet-1",
                            recorded_at=at + timedelta(hours=1),
                            note="Lähti aiemmin",
                        )
                    )
        if len(batch) >= 2000:
            store.apply_remote_records(batch)
            count += len(batch)
            batch = []
        day += timedelta(days=1)
    store.apply_remote_records(batch)
    return count + len(batch)


def _unlock(store: Store) -> float:
    store.lock()
    started = time.perf_counter()
    store.unlock(SUPERVISOR, PIN, now=NOW)
    return time.perf_counter() - started


def _repeat(times: int, measure: Callable[[], float]) -> list[float]:
    return [measure() for _ in range(times)]


def _fmt(values: list[float], unit: str) -> str:
    scale = 1000 if unit == "ms" else 1
    med = statistics.median(values) * scale
    worst = max(values) * scale
    return f"median {med:.2f} {unit}, max {worst:.2f} {unit} (n={len(values)})"


if __name__ == "__main__":
    main()
