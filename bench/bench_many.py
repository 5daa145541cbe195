"""How does irp scale with a folder of visits? Times `irp validate` and `irp deadlines` on
folders of 1,000 and 5,000 synthetic visit files (made from the examples) against
`irp validate` on one file, in the same run, and prints each one's peak memory.

Targets (issue 13.5): 1,000 files at most 6x one file cold and 3x when nothing changed since
the last run (the cache); peak memory under 100 MiB at 5,000 files; cost linear in the files.

    python bench/bench_many.py            # 1,000 and 5,000 files
    python bench/bench_many.py 200 1000   # other sizes
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import IRP, ROOT, _once, bench_env, peak_memory_mib, synthetic_visits


def main(sizes: list[int]) -> None:
    one = str(ROOT / "examples" / "hmp-ashcombe.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = bench_env(root)
        cache = Path(env["IRP_CACHE_DIR"])
        single = [*IRP, "validate", "--no-cache", one]
        _once(single, env, root)  # warm the bank-holiday table and the file system
        base = min(_once(single, env, root) for _ in range(5))
        print(f"irp validate (one file, no cache): {base * 1000:.0f} ms = 1.00x")
        for size in sizes:
            folder = root / f"visits-{size}"
            synthetic_visits(folder, size)
            runs: dict[str, list[float]] = {"cold": [], "warm": [], "deadlines": []}
            for _ in range(3):
                shutil.rmtree(cache / "checked", ignore_errors=True)
                runs["cold"].append(_once([*IRP, "validate", str(folder)], env, root))
                runs["warm"].append(_once([*IRP, "validate", str(folder)], env, root))
                deadlines = [*IRP, "deadlines", str(folder), "--today", "2026-02-10"]
                runs["deadlines"].append(_once(deadlines, env, root))
            for name, values in runs.items():
                best = sorted(values)[len(values) // 2]
                per = (best - base) / size * 1000
                print(
                    f"  {size:>5} files {name:<9} {best * 1000:8.0f} ms  {best / base:6.2f}x"
                    f"  ({per:.2f} ms a file beyond start-up)"
                )
            shutil.rmtree(cache / "checked", ignore_errors=True)
            cold = peak_memory_mib([*IRP, "validate", str(folder)], env, root)
            deadlines = [*IRP, "deadlines", str(folder), "--today", "2026-02-10"]
            dl = peak_memory_mib(deadlines, env, root)
            print(f"  {size:>5} files peak memory: validate {cold:.0f} MiB, deadlines {dl:.0f} MiB")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
