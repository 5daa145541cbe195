"""How does irp scale with a folder of visits? Times `irp validate` and `irp deadlines` on
folders of 1,000 and 5,000 synthetic visit files (made from the examples) against
`irp validate` on one file, in the same run, and prints each one's peak memory.

Targets (issue 13.5): 1,000 files at most 6x one file cold and 3x when nothing changed since
the last run (the cache); peak memory under 100 MiB at 5,000 files; cost linear in the files.

The machine may be busy, so each run of a folder command is paired with a run of the one-file
validate just before it, and the ratio printed is the median of the pairs' ratios, both of wall
time and of CPU time (user + system, which other processes disturb less).

    python bench/bench_many.py            # 1,000 and 5,000 files
    python bench/bench_many.py 200 1000   # other sizes
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import IRP, ROOT, _once, bench_env, peak_memory_mib, synthetic_visits

ROUNDS = 5


def _timed(argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of ``argv`` in a fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(argv), env=dict(env), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def main(sizes: list[int]) -> None:
    one = str(ROOT / "examples" / "hmp-ashcombe.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = bench_env(root)
        cache = Path(env["IRP_CACHE_DIR"])
        single = [*IRP, "validate", "--no-cache", one]
        _once(single, env, root)  # warm the bank-holiday table and the file system
        print(f"median of {ROUNDS} pairs (the one-file validate run just before each):")
        for size in sizes:
            folder = root / f"visits-{size}"
            synthetic_visits(folder, size)
            commands = {
                "cold": [*IRP, "validate", str(folder)],
                "warm": [*IRP, "validate", str(folder)],
                "deadlines": [*IRP, "deadlines", str(folder), "--today", "2026-02-10"],
            }
            _once(commands["deadlines"], env, root)  # the folder into the file system's cache
            pairs: dict[str, list[tuple[float, float, float, float]]] = {n: [] for n in commands}
            for _ in range(ROUNDS):
                shutil.rmtree(cache / "checked", ignore_errors=True)
                for name, argv in commands.items():  # warm follows cold: the cache is filled
                    base_wall, base_cpu = _timed(single, env, root)
                    wall, cpu = _timed(argv, env, root)
                    pairs[name].append((wall, cpu, base_wall, base_cpu))
            for name, runs in pairs.items():
                wall = statistics.median(r[0] for r in runs)
                base = statistics.median(r[2] for r in runs)
                wall_ratio = statistics.median(r[0] / r[2] for r in runs)
                cpu_ratio = statistics.median(r[1] / r[3] for r in runs)
                per = (wall - base) / size * 1000
                print(
                    f"  {size:>5} files {name:<9} {wall * 1000:7.0f} ms"
                    f" (one file {base * 1000:4.0f})  {wall_ratio:5.2f}x wall"
                    f"  {cpu_ratio:5.2f}x cpu"
                    f"  ({per:.2f} ms a file beyond start-up)"
                )
            shutil.rmtree(cache / "checked", ignore_errors=True)
            cold = peak_memory_mib(commands["cold"], env, root)
            dl = peak_memory_mib(commands["deadlines"], env, root)
            print(f"  {size:>5} files peak memory: validate {cold:.0f} MiB, deadlines {dl:.0f} MiB")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
