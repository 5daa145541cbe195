"""Options shared by several commands, defined once (sqlite-utils' habit).

Use them as annotations: ``as_json: options.AsJson = False``, ``output: options.Output = None``.
The document commands take the whole set :data:`Output` to :data:`DocumentDate` (see
:func:`irp_cli.commands.common.run_document`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

JSON = typer.Option("--json", help="Print machine-readable JSON on stdout.")
CONFIG = typer.Option(
    "--config",
    help="Settings file (irp.toml) to use instead of the one found next to the visit file.",
    dir_okay=False,
)
FORCE = typer.Option("--force", help="Replace the output file if it already exists.")
DRY_RUN = typer.Option("--dry-run", help="Say what would be written; write nothing.")

AsJson = Annotated[bool, JSON]
ConfigFile = Annotated[Path | None, CONFIG]
Force = Annotated[bool, FORCE]
DryRun = Annotated[bool, DRY_RUN]

#: The visit file a command reads.
VisitFile = Annotated[Path, typer.Argument(metavar="FILE", help="The visit file.", dir_okay=False)]

# The options of every document command
Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the document to this file (.md, .html or .docx) instead of printing it.",
        dir_okay=False,
    ),
]
Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="md, html or docx; by default from the -o file's extension, else md.",
        metavar="FORMAT",
    ),
]
Templates = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        metavar="DIR",
        help="A folder of your own templates, searched before the built-in ones (overrides "
        "'templates' in irp.toml).",
        file_okay=False,
    ),
]
DocumentDate = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="The date on the document (YYYY-MM-DD); defaults to today.",
        metavar="DATE",
        show_default=False,
    ),
]
