"""Run every benchmark in this folder and print its figures: ``make bench``.

Each ``bench_*.py`` is a plain script that prints what it measured; none of them is a
test and none asserts a time. Run one alone with ``python -m bench.bench_store``.
``python -m bench --quick`` runs the long ones (the forward, push ingest) on a tenth
of their data: a check that they work, in a few minutes, not figures to quote.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

# The benches that take --quick.
QUICK = frozenset({"bench_forward", "bench_push"})


def main() -> int:
    quick = sys.argv[1:] == ["--quick"]
    if sys.argv[1:] and not quick:
        print("usage: python -m bench [--quick]", file=sys.stderr)
        return 2
    here = Path(__file__).parent
    print(
        f"# machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, cores: {_cores()}, "
        f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    failed = 0
    for script in sorted(here.glob("bench_*.py")):
        print(f"\n## {script.stem}", flush=True)
        extra = ["--quick"] if quick and script.stem in QUICK else []
        done = subprocess.run([sys.executable, "-m", f"bench.{script.stem}", *extra], check=False)
        failed += done.returncode != 0
    return 1 if failed else 0


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
