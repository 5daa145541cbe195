"""Shared by the benchmark scripts: a bare Typer app to compare against, and a timer that
interleaves runs so a busy machine slows every variant alike. Prints; asserts nothing."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

HELLO = """\
import typer

app = typer.Typer(add_completion=False)


@app.command()
def hello(name: str = "world") -> None:
    typer.echo(f"hello {name}")


@app.command()
def goodbye(name: str = "world") -> None:
    typer.echo(f"goodbye {name}")


if __name__ == "__main__":
    app()
"""

ROOT = Path(__file__).resolve().parents[1]


def _irp() -> list[str]:
    """irp as a coordinator runs it: the ``irp`` script that pip installs beside Python, run
    by this Python (as the Typer app is run as a script); ``python -m irp_cli`` where there is
    no such script. ``-m`` also loads :mod:`runpy` (about 3 ms) that the script does not."""
    for name in ("irp", "irp.exe"):
        script = Path(sys.executable).with_name(name)
        if script.is_file():
            return [sys.executable, str(script)] if name == "irp" else [str(script)]
    return [sys.executable, "-m", "irp_cli"]


IRP = _irp()


def bench_env(root: Path) -> dict[str, str]:
    """A private cache and config folder under ``root``: the real user's are never touched."""
    return {
        **os.environ,
        "IRP_CACHE_DIR": str(root / "cache"),
        "IRP_CONFIG": "",
        "XDG_CONFIG_HOME": str(root / "config"),
    }


def hello_app(root: Path) -> list[str]:
    path = root / "hello.py"
    path.write_text(HELLO, encoding="utf-8")
    return [sys.executable, str(path)]


def floor_app(root: Path, name: str, modules: Sequence[str]) -> list[str]:
    """The Typer app, started as irp starts (the cycle collector off and frozen out of the last
    collection at exit, as in ``irp_cli/__main__.py``; then :func:`irp_cli.startup.prepare`),
    that first imports ``modules``: the libraries a command cannot do without (the visit
    models, PyYAML, Jinja, python-docx, ...). What a command costs above its floor is irp's."""
    lines = [
        "import atexit, gc",
        "gc.disable()",
        "atexit.register(gc.freeze)",
        "from irp_cli import startup",
        "startup.prepare()",
        *(f"import {m}" for m in modules),
    ]
    path = root / f"floor-{name}.py"
    path.write_text("\n".join(lines) + "\n" + HELLO, encoding="utf-8")
    return [sys.executable, str(path), "hello"]


def _once(argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> float:
    started, before = time.perf_counter(), _child_cpu()
    subprocess.run(list(argv), capture_output=True, env=dict(env), cwd=cwd, check=False)
    _CPU.append(_child_cpu() - before)
    return time.perf_counter() - started


#: CPU time (user + system) of each run of :func:`_once`, in order, where the platform says.
_CPU: list[float] = []
#: The median CPU time of each command of the last :func:`medians`, for :func:`report`.
CPU_MEDIANS: dict[str, float] = {}
#: The CPU time of each round's run of each command of the last :func:`medians`, in order.
CPU_ROUNDS: dict[str, list[float]] = {}


def _child_cpu() -> float:
    """The CPU time used so far by this process's finished children (0.0 where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compile_bytecode() -> None:
    """Write irp's bytecode (``__pycache__``), as pip does when it installs the wheel. An
    editable checkout run with PYTHONDONTWRITEBYTECODE set (as here) otherwise compiles every
    module of irp from source on every run, tens of milliseconds that no user pays, while the
    libraries it is compared with load from their bytecode."""
    import compileall

    compileall.compile_dir(ROOT / "irp_cli", quiet=1)


def medians(
    commands: Mapping[str, Sequence[str]], env: Mapping[str, str], cwd: Path, runs: int = 11
) -> dict[str, float]:
    """Median wall time of each command over ``runs`` interleaved runs (one warm-up each),
    with irp's bytecode written first (:func:`compile_bytecode`)."""
    compile_bytecode()
    for argv in commands.values():
        _once(argv, env, cwd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(_once(argv, env, cwd))
            cpu[name].append(_CPU[-1])
    CPU_MEDIANS.clear()
    CPU_MEDIANS.update({name: statistics.median(values) for name, values in cpu.items()})
    CPU_ROUNDS.clear()
    CPU_ROUNDS.update(cpu)
    return {name: statistics.median(values) for name, values in times.items()}


def report(results: Mapping[str, float], baseline: str, runs: int = 11) -> None:
    """Each command's median wall time and its ratio to ``baseline``; then, where the platform
    gives it, the same for CPU time, which a busy machine (other processes taking turns on the
    cores) distorts less than wall time."""
    print(f"median of {runs} runs, wall time of a fresh process:")
    base = results[baseline]
    for name, seconds in results.items():
        print(f"  {name:<48} {seconds * 1000:7.1f} ms  {seconds / base:5.2f}x {baseline}")
    cpu_base = CPU_MEDIANS.get(baseline, 0.0)
    if set(CPU_MEDIANS) != set(results) or cpu_base <= 0:
        return
    print(f"median of {runs} runs, CPU time (user + system) of a fresh process:")
    for name in results:
        seconds = CPU_MEDIANS[name]
        print(f"  {name:<48} {seconds * 1000:7.1f} ms  {seconds / cpu_base:5.2f}x {baseline}")
    base_rounds = CPU_ROUNDS.get(baseline, [])
    if not base_rounds or min(base_rounds) <= 0:
        return
    # The machine's load drifts between rounds: a ratio within each round (the command's run
    # over the Typer app's run a moment before it) is steadier than a ratio of medians.
    print(f"median of {runs} pairs, CPU time over {baseline}'s run in the same round:")
    for name in results:
        pairs = [t / b for t, b in zip(CPU_ROUNDS[name], base_rounds, strict=True)]
        print(f"  {name:<48} {statistics.median(pairs):5.2f}x {baseline}")


def synthetic_visits(folder: Path, count: int) -> list[Path]:
    """``count`` visit files made from the examples, each at its own invented establishment
    (name and three-letter code changed), so no two files are the same bytes."""
    import re
    import string

    letters = string.ascii_uppercase
    sources = sorted((ROOT / "examples").glob("*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for n in range(count):
        code = letters[n // 676 % 26] + letters[n // 26 % 26] + letters[n % 26]
        text = re.sub(r"(?m)^  code: \w+", f"  code: {code}", texts[n % len(texts)], count=1)
        text = re.sub(r"(?m)^(  name: \S+ \w+)", rf"\1 {n:05d}", text, count=1)
        path = folder / f"visit-{n:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def peak_memory_mib(argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> float:
    """The largest resident size, in MiB, of one run of ``argv`` (Unix only)."""
    process = subprocess.Popen(
        list(argv), env=dict(env), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024  # kilobytes on Linux
