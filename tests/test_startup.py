"""Start-up stays light: the CLI module loads no heavy library (speed itself is in bench/)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ["jinja2", "holidays", "yaml", "docx", "openpyxl", "icalendar", "markdown_it", "pypdf"]


def modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


@pytest.mark.slow
def test_importing_the_cli_loads_no_heavy_library() -> None:
    loaded = modules_after("import irp_cli.cli")
    assert "irp_cli.cli" in loaded
    # Typer's own rich help loads markdown_it (a bare Typer app does too), so it is not ours.
    assert sorted(loaded & set(HEAVY) - {"markdown_it"}) == []


@pytest.mark.slow
def test_help_loads_no_heavy_library() -> None:
    loaded = modules_after(
        "import sys\nfrom irp_cli.cli import app\nsys.argv = ['irp', '--help']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    # Typer's own rich help loads markdown_it (a bare Typer app does too), so it is not ours.
    assert sorted(loaded & set(HEAVY) - {"markdown_it"}) == []
