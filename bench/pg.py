"""The benches' own PostgreSQL: a throwaway cluster that commits to disk (fsync on).

The tests' cluster (``tests/support/pgcluster.py``) is started here with ``durable``
set, so PostgreSQL's figures pay for their commits as SQLite's (``synchronous=FULL``)
do. Without PostgreSQL's binaries the benches say so and measure SQLite alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.pgcluster import Cluster


@contextmanager
def cluster() -> Iterator[Cluster | None]:
    """A running durable cluster, or None (and a printed line why) when none can start."""
    if os.environ.get("LASNA_BENCH_POSTGRES", "").strip().lower() == "off":
        print("PostgreSQL: skipped (LASNA_BENCH_POSTGRES=off).", flush=True)
        yield None
        return
    try:
        started = Cluster(durable=True)
    except Exception as exc:  # no binaries, no runuser, initdb or the start failed
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(
            f"PostgreSQL: skipped, its cluster did not start ({first}). "
            "Install Debian's postgresql package (make test does) to measure it too.",
            flush=True,
        )
        yield None
        return
    try:
        yield started
    finally:
        started.stop()
