"""How long does a document take? Times `irp letter examples/hmp-ashcombe.yaml -o x.docx --force`
(and the Markdown and workbook variants) in a fresh process against a bare Typer hello-world
app in the same run, and prints the ratios (target for the Word letter: at most 1.5x).

    python bench/bench_documents.py

A document command loads pydantic (the visit), PyYAML, Jinja, markdown-it and python-docx (or
openpyxl), so it cannot be as quick as `irp --help`; `python -X importtime -m irp_cli letter ...`
shows where the time goes. No assertions: it prints numbers for a person to read.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import IRP, ROOT, bench_env, hello_app, medians, report


def main() -> None:
    example = str(ROOT / "examples" / "hmp-ashcombe.yaml")
    date = ["--date", "2026-02-10"]
    redmarsh = str(ROOT / "examples" / "hmp-redmarsh.yaml")
    today = ["--today", "2026-02-10"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = bench_env(root)
        hello = hello_app(root)
        results = medians(
            {
                "typer hello-world": hello,
                # The floor: every document reads and checks the visit file first.
                "irp validate examples/hmp-ashcombe.yaml": [*IRP, "validate", example],
                "irp letter examples/hmp-ashcombe.yaml -o x.docx --force": [
                    *IRP,
                    "letter",
                    example,
                    "-o",
                    str(root / "x.docx"),
                    "--force",
                    *date,
                ],
                "irp letter examples/hmp-ashcombe.yaml (md)": [*IRP, "letter", example, *date],
                # Issue 8: the debrief starts within the same budget as irp plan.
                "irp plan examples/hmp-redmarsh.yaml": [*IRP, "plan", redmarsh, *today],
                "irp debrief examples/hmp-redmarsh.yaml (md)": [*IRP, "debrief", redmarsh, *date],
                "irp proforma examples/hmp-ashcombe.yaml -o x.xlsx --force": [
                    *IRP,
                    "proforma",
                    example,
                    "-o",
                    str(root / "x.xlsx"),
                    "--force",
                    *date,
                ],
            },
            env,
            root,
        )
    report(results, "typer hello-world")


if __name__ == "__main__":
    main()
