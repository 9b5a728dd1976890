"""Run every benchmark in this folder and print its figures: ``make bench``.

Each ``bench_*.py`` is a plain script that prints what it measured; none of them is a
test and none asserts a time. Run one alone with ``python -m bench.bench_store``.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    print(
        f"# machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, cores: {_cores()}"
    )
    failed = 0
    for script in sorted(here.glob("bench_*.py")):
        print(f"\n## {script.stem}", flush=True)
        done = subprocess.run([sys.executable, "-m", f"bench.{script.stem}"], check=False)
        failed += done.returncode != 0
    return 1 if failed else 0


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
