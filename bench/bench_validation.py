"""How fast the domain judges records: a site's month and a county's year.

Prints records per second for ``evaluate`` and ``allowance_for_period`` on generated
plans and records (no I/O), so that the device, server and forward figures can be
read against the pure domain cost.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

from shared import (
    AbsenceReason,
    DayRecord,
    Plan,
    PlanVersion,
    Status,
    allowance_for_period,
    builtin_rule_sets,
    evaluate,
    month_bounds,
)

RS = builtin_rule_sets()
START = date(2025, 1, 6)


def make(participants: int, weeks: int, seed: int = 1) -> tuple[list[Plan], list[DayRecord]]:
    rnd = random.Random(seed)
    plans: list[Plan] = []
    records: list[DayRecord] = []
    at = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(participants):
        pid = f"p{i}"
        plans.append(
            Plan(
                f"plan{i}",
                pid,
                "site",
                "kuntouttava",
                (
                    PlanVersion(
                        START,
                        START,
                        START + timedelta(days=7 * weeks + 30),
                        1,
                        4,
                        240,
                        480,
                        "kulukorvaus",
                    ),
                ),
            )
        )
        for w in range(weeks):
            for d in rnd.sample(range(5), 4):
                day = START + timedelta(days=7 * w + d)
                if rnd.random() < 0.1:
                    records.append(
                        DayRecord(
                            pid, day, Status.ABSENT, "s", "dev", at, reason=AbsenceReason.SICK
                        )
                    )
                else:
                    records.append(
                        DayRecord(
                            pid,
                            day,
                            Status.PRESENT,
                            "s",
                            "dev",
                            at,
                            minutes=rnd.choice([180, 240, 360, 480]),
                        )
                    )
    return plans, records


def main() -> None:
    plans, records = make(participants=900, weeks=52)
    by_pid: dict[str, list[DayRecord]] = {}
    for r in records:
        by_pid.setdefault(r.participant_id, []).append(r)
    today = START + timedelta(days=400)
    t0 = time.perf_counter()
    for p in plans:
        evaluate(p, by_pid[p.participant_id], RS, today=today)
    t1 = time.perf_counter()
    print(
        f"evaluate, county year: {len(records)} records for {len(plans)} participants in "
        f"{t1 - t0:.2f} s ({len(records) / (t1 - t0):,.0f} records/s)"
    )
    t0 = time.perf_counter()
    months = 0
    for p in plans:
        rs = by_pid[p.participant_id]
        for m in range(1, 13):
            first, last = month_bounds(2025, m)
            allowance_for_period(p, rs, RS, period_start=first, period_end=last, today=today)
            months += 1
    t1 = time.perf_counter()
    print(
        f"allowance_for_period: {months} participant-months in {t1 - t0:.2f} s "
        f"({(t1 - t0) / months * 1000:.2f} ms each)"
    )


if __name__ == "__main__":
    main()
