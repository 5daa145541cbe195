"""When does Ctrl-C in the first moments of ``irp`` still end badly? (issue 9.1)

Starts the installed console script (``irp`` beside this Python) many times and sends it SIGINT
after a delay from 0 to 40 ms, then sorts what happened:

* ``irp: interrupted, 130``: what irp promises;
* ``killed silently``: the signal came before Python had installed its own handler; the
  process dies by the signal, with no message (a shell reports 130 all the same);
* ``traceback in site``, ``traceback in the script's imports``: after Python's handler, before
  the first line of ``irp_cli.__main__.main`` (Python's start-up, then the ``import re`` of the
  script pip writes): nothing of irp's has run yet;
* anything else is a bug in irp.

Then, from ``python -X importtime``, how long each of those steps takes on this machine.
Timings here are noisy (a shared machine): read the shares, not the milliseconds.

    python bench/bench_interrupt.py [RUNS]
"""

from __future__ import annotations

import collections
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_env, compile_bytecode

SCRIPT = Path(sys.executable).with_name("irp")
ARGS = ["workdays", "add", "2026-04-21", "25"]
DELAYS_MS = range(0, 41, 2)


def classify(code: int, err: str) -> str:
    if code == 130 and err.endswith("irp: interrupted\n") and "Traceback" not in err:
        return "irp: interrupted, 130"
    if code == -signal.SIGINT and not err:
        return "killed silently (before Python's handler)"
    if "Traceback" in err or "KeyboardInterrupt" in err:
        if "<frozen site>" in err:
            return "traceback in site (Python's start-up)"
        if f"{os.sep}irp_cli{os.sep}" in err:  # a frame in irp's own code
            return "BUG: traceback in irp"
        return "traceback in the script's imports (import re, finding irp_cli)"
    if code == 0:
        return "finished before the signal"
    return f"BUG: exit {code}: {err.strip()[-80:]!r}"


def probe(runs: int, env: dict[str, str], cwd: Path) -> None:
    by_delay: dict[int, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for n in range(runs):
        delay = DELAYS_MS[n % len(DELAYS_MS)]
        process = subprocess.Popen(
            [str(SCRIPT), *ARGS],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
        )
        time.sleep(delay / 1000)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate()
        by_delay[delay][classify(process.returncode, err.decode(errors="replace"))] += 1
    kinds = sorted({k for c in by_delay.values() for k in c})
    print(f"{runs} runs of {SCRIPT.name} {' '.join(ARGS)}, SIGINT after the delay shown:")
    print(f"{'delay':>6}  " + "  ".join(f"[{i}]" for i in range(len(kinds))))
    for delay in DELAYS_MS:
        counts = by_delay[delay]
        print(f"{delay:>4}ms  " + "  ".join(f"{counts[k]:>3}" for k in kinds))
    for i, kind in enumerate(kinds):
        print(f"  [{i}] {kind}")


def import_steps(env: dict[str, str], cwd: Path) -> None:
    """Cumulative import time of each top-level step before irp's first line."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(SCRIPT), *ARGS],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )
    print("\nTop-level imports up to irp's entry point (python -X importtime, microseconds):")
    for line in result.stderr.splitlines():
        found = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if found and not found.group(2).startswith(" "):
            print(f"  {found.group(2):<24} {int(found.group(1)):>7}")
            if found.group(2) == "irp_cli.__main__":
                break


def main() -> None:
    if not SCRIPT.exists():
        sys.exit(f"no console script at {SCRIPT}: pip install -e . first")
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 210
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = bench_env(root)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        probe(runs, env, root)
        import_steps(env, root)
    print(f"\n(os.cpu_count() = {os.cpu_count()})")


if __name__ == "__main__":
    main()
