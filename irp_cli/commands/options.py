"""Options shared by several commands, defined once (sqlite-utils' habit).

Use them as ``as_json: Annotated[bool, options.JSON] = False``.
"""

from __future__ import annotations

import typer

JSON = typer.Option("--json", help="Print machine-readable JSON on stdout.")
CONFIG = typer.Option(
    "--config",
    help="Settings file (irp.toml) to use instead of the one found next to the visit file.",
    dir_okay=False,
)
FORCE = typer.Option("--force", help="Replace the output file if it already exists.")
DRY_RUN = typer.Option("--dry-run", help="Say what would be written; write nothing.")
TODAY = typer.Option(
    "--today", help="Pretend today is this date (YYYY-MM-DD); defaults to the real date."
)
