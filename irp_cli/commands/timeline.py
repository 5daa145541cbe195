"""``irp plan``: the visit at a glance (the full timeline arrives with the dates issue)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from irp_cli.commands import options


def plan(
    file: Annotated[Path, typer.Argument(help="The visit file.", dir_okay=True)],
    config: Annotated[Path | None, options.CONFIG] = None,
) -> None:
    """Show the visit: establishment, previous inspection, visit days, team and concerns."""
    from irp_cli.visits import Session

    loaded = Session(config).load(file, strict=True)
    visit = loaded.doc.visit
    est = visit.establishment
    days = ", ".join(d.isoformat() for d in loaded.visit_days)
    typer.echo(f"{est.name} ({est.code}), {est.type.value}, {est.nation.value.title()}")
    prev = visit.previous_inspection
    typer.echo(f"Previous inspection: {prev.first_day} to {prev.last_day}")
    typer.echo(f"Visit days: {days}")
    typer.echo(f"Team: {', '.join(f'{m.name} ({m.role.value})' for m in visit.team)}")
    typer.echo(f"{visit.wording.capitalize()} followed up:")
    for concern in visit.followed_up:
        typer.echo(f"  {concern.id}  {concern.text}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command()(plan)
