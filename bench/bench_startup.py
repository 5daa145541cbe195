"""How quickly does irp start? Times `irp --help` and `irp validate` on an example against a
bare Typer hello-world app in the same run, and prints the ratios (target: at most 1.25x).

It also times importing typer and pydantic alone: every command that reads a visit file needs
pydantic (the visit models), so that line is the floor those commands cannot go below.

    python bench/bench_startup.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import IRP, ROOT, bench_env, hello_app, medians, report


def main() -> None:
    example = str(ROOT / "examples" / "hmp-ashcombe.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = bench_env(root)
        hello = hello_app(root)
        results = medians(
            {
                "typer hello-world": hello,
                "typer hello-world --help": [*hello, "--help"],
                # The floor for any command that reads a visit file: the models are pydantic.
                "python: import typer + pydantic.BaseModel": [
                    sys.executable,
                    "-c",
                    "import typer; from pydantic import BaseModel",
                ],
                "irp --help": [*IRP, "--help"],
                "irp validate examples/hmp-ashcombe.yaml": [*IRP, "validate", example],
                "irp plan examples/hmp-ashcombe.yaml": [*IRP, "plan", example],
                "irp deadlines examples/": [*IRP, "deadlines", str(ROOT / "examples")],
            },
            env,
            root,
        )
    report(results, "typer hello-world")


if __name__ == "__main__":
    main()
