"""How quickly does irp start? Times each command on an example against a bare two-command
Typer app in the same run (Typer 0.29 imports pydantic in every command, so that app is the
framework's floor), and prints the ratios with the targets of issue 13.4: --help, rules and
workdays at most 1.1x; validate, plan, deadlines, letter (md) and debrief 1.25x; Word and Excel
outputs 1.75x.

Each command is also timed against its own floor: the same Typer app, started as irp starts,
that first imports the libraries the command cannot do without (the visit models and PyYAML for
every command that reads a visit file; Jinja for a document; python-docx and markdown-it for
Word; openpyxl for Excel). The last table is what each command costs above its floor, which is
irp's own code and work: where a floor is itself above a target, only a lighter library (or
none) could meet it.

The machine may be busy, and its load drifts: besides the ratio of the medians, each command's
run is divided by the Typer app's run in the same round (run just before it), and the median of
those pairs is printed too: the steadier of the two.

    python bench/bench_startup.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CPU_MEDIANS, IRP, ROOT, bench_env, floor_app, hello_app, medians, report

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
        visit = ["irp_cli.visitfile.models", "yaml"]
        floors = {
            VISIT: floor_app(root, "visit", visit),
            JINJA: floor_app(root, "jinja", [*visit, "jinja2"]),
            WORD: floor_app(root, "word", [*visit, "jinja2", "docx", "markdown_it"]),
            EXCEL: floor_app(root, "excel", [*visit, "openpyxl"]),
        }
        results = medians(
            {
                "typer hello-world": [*hello, "hello"],
                "typer hello-world --help": [*hello, "--help"],
                "python: import typer + pydantic.BaseModel": [
                    sys.executable,
                    "-c",
                    "import typer; from pydantic import BaseModel",
                ],
                **floors,
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
    above_floor(results, CPU_MEDIANS or results)


VISIT = "floor: + visit models, PyYAML"
JINJA = "floor: + visit models, PyYAML, Jinja"
WORD = "floor: + ..., Jinja, python-docx, markdown-it"
EXCEL = "floor: + visit models, PyYAML, openpyxl"
#: Each command's floor (commands not named here need no more than the Typer app).
FLOOR_OF = {
    "irp validate (1.25)": VISIT,
    "irp plan (1.25)": VISIT,
    "irp deadlines examples/ (1.25)": VISIT,
    "irp letter, md (1.25)": JINJA,
    "irp debrief, md (1.25)": JINJA,
    "irp letter -o .docx (1.75)": WORD,
    "irp proforma -o .xlsx (1.75)": EXCEL,
}


def above_floor(wall: dict[str, float], seconds: dict[str, float]) -> None:
    """What each command costs above its floor (CPU time where known), in milliseconds and as
    a share of the Typer app: the part irp's own code could still save."""
    base = seconds["typer hello-world"]
    print("above its floor (CPU time where known; the share is of the Typer app):")
    for name in wall:
        if not name.startswith("irp "):
            continue
        floor = FLOOR_OF.get(name, "typer hello-world")
        extra = seconds[name] - seconds[floor]
        print(f"  {name:<36} {extra * 1000:6.1f} ms  {extra / base:+5.2f}x  over {floor}")


if __name__ == "__main__":
    main()
