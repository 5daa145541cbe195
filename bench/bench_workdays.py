"""Benchmark the working-day arithmetic and the start-up cost of ``irp workdays``.

    python bench/bench_workdays.py

1. 100,000 ``add``/``sub`` queries (seeded random starts and N) against a built calendar.
2. The wall time of ``irp workdays add 2026-12-24 5`` in a fresh process (median of several
   runs, bank-holiday cache warm and cold), against a bare Typer hello-world app, as a ratio.

No assertions: it prints numbers for a person to read.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import IRP, bench_env, hello_app, medians, report

QUERIES = 100_000
RUNS = 11


def bench_queries(cache: Path) -> None:
    from irp_cli.calendar import workdays
    from irp_cli.calendar.workdays import FIRST_DAY, LAST_DAY, Calendar

    t0 = time.perf_counter()
    table = workdays.load_bank_holidays(cache)  # no cache file yet: imports holidays, computes
    computed = time.perf_counter() - t0
    t0 = time.perf_counter()
    table = workdays.load_bank_holidays(cache)  # from the file just written
    loaded = time.perf_counter() - t0
    t0 = time.perf_counter()
    cal = Calendar.build(table)
    built = time.perf_counter() - t0
    print(f"bank holidays computed with the holidays package: {computed * 1000:6.1f} ms")
    print(f"bank holidays read from the cache file:          {loaded * 1000:6.1f} ms")
    print(f"calendar (working-day array) built:              {built * 1000:6.1f} ms")

    rng = random.Random(20260309)
    span = (LAST_DAY - FIRST_DAY).days - 2 * 800  # keep N <= 500 inside the supported years
    cases = [
        (FIRST_DAY + timedelta(days=800 + rng.randrange(span)), rng.randrange(0, 500))
        for _ in range(QUERIES)
    ]
    t0 = time.perf_counter()
    checksum = 0
    for i, (start, n) in enumerate(cases):
        answer: date = cal.add(start, n) if i % 2 else cal.sub(start, n)
        checksum += answer.toordinal()
    elapsed = time.perf_counter() - t0
    print(
        f"{QUERIES:,} add/sub queries: {elapsed:.3f} s = {QUERIES / elapsed:,.0f} queries/s "
        f"({elapsed / QUERIES * 1e6:.2f} µs each; checksum {checksum})"
    )


def bench_startup() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = bench_env(root)
        irp = [*IRP, "workdays", "add", "2026-12-24", "5"]
        out = subprocess.run(irp, check=True, capture_output=True, text=True, env=env, cwd=root)
        assert out.stdout == "2027-01-05\n", out.stdout
        cold = [sys.executable, "-c", COLD.format(cache=str(root / "cache")), *irp[3:]]
        results = medians(
            {
                "typer hello-world": hello_app(root),
                "irp workdays add 2026-12-24 5 (warm cache)": irp,
                "irp workdays add 2026-12-24 5 (no cache)": cold,
            },
            env,
            root,
            runs=RUNS,
        )
    report(results, "typer hello-world", runs=RUNS)


# Empties the holiday cache, then runs irp, in one process (so the removal is not timed apart).
COLD = (
    "import pathlib, runpy, sys\n"
    "for f in pathlib.Path({cache!r}).glob('*'): f.unlink()\n"
    "sys.argv = ['irp', *sys.argv[1:]]\n"
    "runpy.run_module('irp_cli', run_name='__main__')"
)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["IRP_CACHE_DIR"] = tmp  # never touch the real user cache
        bench_queries(Path(tmp))
    bench_startup()


if __name__ == "__main__":
    main()
