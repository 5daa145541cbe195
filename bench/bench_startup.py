"""How quickly does irp start? Times each command on an example against a bare two-command
Typer app in the same run (Typer 0.29 imports pydantic in every command, so that app is the
framework's floor), and prints the ratios with the targets of issue 13.4: --help, rules and
workdays at most 1.1x; validate, plan, deadlines, letter (md) and debrief 1.25x; Word and Excel
outputs 1.75x.

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

TODAY = "2026-02-10"


def main() -> None:
    example = str(ROOT / "examples" / "hmp-ashcombe.yaml")
    redmarsh = str(ROOT / "examples" / "hmp-redmarsh.yaml")
    examples = str(ROOT / "examples")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)

        def out(name: str) -> list[str]:  # a new file each run would differ: --force
            return ["-o", str(root / name), "--force", "--date", TODAY]

        env = bench_env(root)
        hello = hello_app(root)
        results = medians(
            {
                "typer hello-world": [*hello, "hello"],
                "typer hello-world --help": [*hello, "--help"],
                # The floor for any command that reads a visit file: the models are pydantic.
                "python: import typer + pydantic.BaseModel": [
                    sys.executable,
                    "-c",
                    "import typer; from pydantic import BaseModel",
                ],
                "irp --help (1.1)": [*IRP, "--help"],
                "irp rules (1.1)": [*IRP, "rules"],
                "irp workdays add (1.1)": [*IRP, "workdays", "add", "2026-04-21", "25"],
                "irp validate (1.25)": [*IRP, "validate", "--no-cache", example],
                "irp plan (1.25)": [*IRP, "plan", example, "--today", TODAY],
                "irp deadlines examples/ (1.25)": [*IRP, "deadlines", examples, "--today", TODAY],
                "irp letter, md (1.25)": [*IRP, "letter", example, "--date", TODAY],
                "irp debrief, md (1.25)": [*IRP, "debrief", redmarsh, "--date", TODAY],
                "irp letter -o .docx (1.75)": [*IRP, "letter", example, *out("letter.docx")],
                "irp proforma -o .xlsx (1.75)": [*IRP, "proforma", example, *out("p.xlsx")],
            },
            env,
            root,
        )
    report(results, "typer hello-world")


if __name__ == "__main__":
    main()
