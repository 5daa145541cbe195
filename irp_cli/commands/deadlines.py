"""``irp deadlines``: every due date of one visit or a folder of them, against today.

Dates and numbers given on the command line are checked by :mod:`options` (exit 2).
``--today`` defaults to the real date: the CLI reads the clock, the core never does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from irp_cli.commands import common, options
from irp_cli.errors import EXIT_OK, EXIT_PROBLEMS, Finding
from irp_cli.output import print_findings, print_json
from irp_cli.text import plural

if TYPE_CHECKING:
    from irp_cli.calendar.deadlines import Due


def deadlines(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE|DIR...",
            help="Visit files, or folders of them (*.yaml, *.yml), or a quoted pattern such as "
            "'visits/*.yaml'.",
            show_default=False,
        ),
    ],
    today: options.Today = None,
    within: Annotated[
        str | None,
        typer.Option(
            "--within",
            metavar="N",
            help="Only deadlines due within N working days (and every overdue one).",
            show_default=False,
        ),
    ] = None,
    as_json: options.AsJson = False,
    ics: options.Ics = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    config: options.ConfigFile = None,
) -> None:
    """List every due date of one visit or a folder of visits, against today.

    Each deadline is done (with the date visit.status records), due in N working days, or
    overdue by N working days; sorted by date. A deadline before the visit that is not
    recorded as done once the visit has begun is shown as 'not recorded', not as overdue.
    For example, in a daily scheduled job:

        irp deadlines visits/ --within 10

    Exit 0 when nothing is overdue; 1 when something is overdue or a file could not be read
    (each broken file is reported and the others are still listed); 2 for a bad command line.
    """
    from irp_cli.calendar.deadlines import any_overdue, deadline_states, sort_dues
    from irp_cli.calendar.deadlines import within as within_days
    from irp_cli.review.session import Session, expand

    today_date = common.date_or_today(today, "--today")
    limit = None if within is None else options.parse_working_days(within, "--within")
    files, problems = expand(paths, folders=True)
    warnings: list[Finding] = []
    dues: list[Due] = []
    exported = []
    reminder_days: int | None = None  # the settings of the first visit read
    visits = 0
    for loaded, broken in Session(config).load_each(files, today=today_date):
        problems.extend(broken)
        if loaded is None:
            continue
        visits += 1
        timeline = loaded.timeline
        visit = loaded.doc.visit
        warnings.extend(loaded.warnings)
        dues.extend(
            deadline_states(
                timeline,
                today_date,
                loaded.calendar,
                file=loaded.doc.name,
                establishment=visit.establishment.name,
                code=visit.establishment.code,
                finished=visit.finished_on(today_date),
            )
        )
        if ics is not None:  # only the calendar needs the visits themselves
            exported.append((visit, timeline.as_of(today_date)))  # as the table counts it
            if len(exported) == 1:
                reminder_days = loaded.config.calendar.reminder_days
    dues = sort_dues(dues)
    shown = dues if limit is None else within_days(dues, limit)

    if as_json:
        out = {
            "today": today_date.isoformat(),
            "within": limit,
            "deadlines": [d.as_dict() for d in shown],
            "problems": [f.as_dict() for f in problems],
            "warnings": [f.as_dict() for f in warnings],
        }
        print_json(out)
    else:
        print_findings([*problems, *warnings])
        from irp_cli.output import deadlines_table

        deadlines_table(shown, today_date, limit, visits)
    if ics is not None and exported:
        from irp_cli.calendar.ics import CalendarVisit, build_ics

        data = build_ics(
            [CalendarVisit(v, t) for v, t in exported],
            name="IRP deadlines" if len(exported) > 1 else None,
            keep=lambda m: m.kind == "deadline",
            timed=False,
            reminder_days=reminder_days,  # a folder of visits shares one irp.toml
        )
        common.deliver(data, ics, force=force, dry_run=dry_run, what="calendar")
    overdue = any_overdue(dues)
    counts = {state: sum(d.state == state for d in dues) for state in ("overdue", "due", "done")}
    summary = (
        f"{plural(visits, 'visit')}: {counts['overdue']} overdue, {counts['due']} to "
        f"come, {counts['done']} done"
    )
    if problems:
        broken_files = len({f.file for f in problems})
        summary += f"; {plural(broken_files, 'file')} with problems"
    typer.echo(summary, err=True)
    raise typer.Exit(EXIT_PROBLEMS if overdue or problems else EXIT_OK)


def register(app: typer.Typer) -> None:
    """Add this module's command to the root app."""
    app.command()(deadlines)
