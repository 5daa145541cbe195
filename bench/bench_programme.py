"""How does `irp programme` and `irp stats` scale? Generates a synthetic programme of 1,000 and
5,000 visit files from the examples (each with its own establishment code, dates spread over the
years irp knows, teams drawn from a pool of inspectors) and times, in the same run:

* `irp validate` on one file (the floor every command pays: start-up and one file);
* `irp programme DIR --json` and `irp stats DIR --json` on each folder.

It prints the median wall time of each, the ratio to the one-file validate (target: at most 6x
for 1,000 files), the peak memory of each process (target: under 150 MiB) and the cost per file
at each size (linear growth means about the same cost per file at 1,000 and at 5,000).

    python bench/bench_programme.py            # 1,000 and 5,000 files
    python bench/bench_programme.py 200 1000   # other sizes

No assertions: it prints numbers for a person to read. The machine is shared, so the figures
are noisy; the ratios and the per-file costs are what to compare.
"""

from __future__ import annotations

import copy
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import IRP, ROOT, bench_env

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
INSPECTORS = [f"Inspector {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(80)]


def _code(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[n // 676 % 26] + letters[n // 26 % 26] + letters[n % 26]


def _iso(day: date) -> str:
    return day.isoformat()


def generate(folder: Path, count: int, seed: int = 12) -> None:
    """``count`` visit files in ``folder`` (in sub-folders of 100, as an office might keep them)."""
    rng = random.Random(seed)
    bases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    first_year, last_year = 2001, 2043
    span = (date(last_year, 6, 30) - date(first_year, 1, 1)).days
    for n in range(count):
        data = copy.deepcopy(bases[n % len(bases)])
        data["establishment"]["code"] = _code(n)
        data["establishment"]["name"] = f"HMP Synthetic {n:05d}"
        start = date(first_year, 1, 1) + timedelta(days=rng.randrange(span))
        while start.weekday() != 1:  # a Tuesday, so three days in a row are weekdays
            start += timedelta(days=1)
        inspection_end = start - timedelta(days=300)
        prev = data["previous_inspection"]
        prev["first_day"] = _iso(inspection_end - timedelta(days=10))
        prev["last_day"] = _iso(inspection_end)
        prev.pop("report_published", None)
        data["visit"]["days"] = [_iso(start + timedelta(days=k)) for k in range(3)]
        data["visit"].pop("start", None)
        data["visit"]["status"] = {}
        for member in data["team"]:
            if member["role"] in ("team-leader", "coordinating-inspector", "inspector"):
                member["name"] = rng.choice(INSPECTORS)
        if rng.random() < 0.5:  # half the visits are over, with judgements and a publication
            data["visit"]["status"]["report_published"] = _iso(
                start + timedelta(days=rng.randrange(30, 50))
            )
            judgements = ["good-progress", "reasonable-progress", "insufficient-progress",
                          "no-meaningful-progress"]  # fmt: skip
            for concern in data["concerns"]:
                if concern.get("followed_up", True):
                    concern["judgement"] = rng.choice(judgements)
        data.pop("chief_inspector", None)
        sub = folder / f"batch-{n // 100:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        (sub / f"visit-{n:05d}.yaml").write_text(text, encoding="utf-8")


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time (s) and peak memory (MiB) of one run in a fresh process."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = 0
    return elapsed, usage.ru_maxrss / 1024  # KiB on Linux


def measure(
    commands: dict[str, list[str]], env: dict[str, str], runs: int
) -> dict[str, tuple[float, float]]:
    """Median time and the largest peak memory of each command, runs interleaved."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    memory: dict[str, float] = dict.fromkeys(commands, 0.0)
    for argv in commands.values():  # warm-up: caches, .pyc files
        run(argv, env)
    for _ in range(runs):
        for name, argv in commands.items():
            seconds, mib = run(argv, env)
            times[name].append(seconds)
            memory[name] = max(memory[name], mib)
    return {name: (statistics.median(times[name]), memory[name]) for name in commands}


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 5000]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = bench_env(root)
        one = str(EXAMPLES[0])
        commands: dict[str, list[str]] = {"irp validate (one file)": [*IRP, "validate", one]}
        for size in sizes:
            folder = root / f"programme-{size}"
            started = time.perf_counter()
            generate(folder, size)
            print(f"generated {size} visit files in {time.perf_counter() - started:.1f} s")
            for command in ("programme", "stats"):
                commands[f"irp {command} ({size} files)"] = [
                    *IRP, command, str(folder), "--json", "--today", "2026-01-05",
                ]  # fmt: skip
        runs = 3
        results = measure(commands, env, runs)
        base = results["irp validate (one file)"][0]
        print(f"\nmedian of {runs} runs (wall time of a fresh process), peak memory:")
        for name, (seconds, mib) in results.items():
            ratio = seconds / base
            print(f"  {name:<30} {seconds * 1000:8.0f} ms  {ratio:6.2f}x validate  {mib:6.1f} MiB")
        print("\ncost per file above the one-file validate (linear growth: about equal):")
        for command in ("programme", "stats"):
            for size in sizes:
                seconds = results[f"irp {command} ({size} files)"][0]
                each = (seconds - base) / size * 1000
                print(f"  irp {command:<10} {size:>6} files: {each:6.2f} ms a file")
        print("\ntargets: at most 6x validate for 1,000 files; under 150 MiB; linear cost per file")


if __name__ == "__main__":
    main()
