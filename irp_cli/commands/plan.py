"""``irp plan``: the life of one visit, or possible dates for it.

Dates given on the command line are checked by :mod:`options` (exit 2). ``--today`` defaults
to the real date: the CLI reads the clock, the core never does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from irp_cli.commands import common, options
from irp_cli.errors import EXIT_PROBLEMS, UsageError
from irp_cli.output import print_findings, print_json

if TYPE_CHECKING:
    from irp_cli.calendar.timeline import Timeline
    from irp_cli.review.session import Loaded, Session


def plan(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The visit file.", dir_okay=False)],
    as_json: options.AsJson = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="md|html|docx",
            help="Print (or with -o write) the plan as a document instead of a table.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the plan as a document to FILE (.md, .html or .docx).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    ics: options.Ics = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    today: options.Today = None,
    suggest: Annotated[
        bool,
        typer.Option(
            "--suggest",
            help="Propose first visit days: three working days in a row inside the 8-12-month "
            "window (guide 2.1) whose letter can still go out in time (2.6). Needs only the "
            "previous inspection in the file.",
        ),
    ] = False,
    config: options.ConfigFile = None,
) -> None:
    """Show every date in the life of a visit, each with its guide paragraph.

    The previous inspection and the 8-12-month window (2.1), the letter (2.6), the liaison
    officer and the inspectorate's preparation (2.7, 2.8), the prison's documents (2.10), each
    visit day with its indicative schedule (3.1), the debrief (4.4), the draft and final report
    (5.1) and the full inspection that follows. What visit.status records is ticked as done,
    '(late)' when a deadline was done working days after its date, as in 'irp deadlines'; a
    date after today (--today) is not done yet. The file's warnings go to stderr as
    FILE:LINE:COL lines. For example:

        irp plan visits/hmp-fernlow.yaml --ics fernlow.ics

    Exit 0 when the plan is shown, 1 when the file has errors, 2 for a bad command line.
    """
    today_date = common.date_or_today(today, "--today")
    if as_json and (fmt or output):
        raise UsageError("--json prints JSON on stdout; leave out --format and --output")
    from irp_cli.review.session import Session

    session = Session(config)
    if suggest:
        if fmt or output or ics:
            raise UsageError(
                "--suggest only prints (or with --json prints JSON); leave out --format, "
                "--output and --ics"
            )
        _suggest(session, file, today_date, as_json)
        return
    if "visit" not in session.parse(file).data and not (fmt or output or ics):
        typer.echo(
            f"{file}: no 'visit:' section yet, so here are possible visit dates instead "
            "(guide 2.1, 2.6)",
            err=True,
        )
        _suggest(session, file, today_date, as_json)
        return
    loaded = session.load(file, strict=True, today=today_date)
    # As 'irp deadlines' and 'irp programme' count it: a status date after today is not done
    # yet (its 'status-in-future' warning is printed below), in every form of the plan.
    timeline = loaded.timeline.as_of(today_date)
    print_findings(loaded.warnings)

    if ics is not None:
        from irp_cli.calendar.ics import CalendarVisit, build_ics

        reminder = loaded.config.calendar.reminder_days
        data = build_ics([CalendarVisit(loaded.doc.visit, timeline)], reminder_days=reminder)
        common.deliver(data, ics, force=force, dry_run=dry_run, what="calendar")
    if as_json:
        _plan_json(loaded, timeline)
    elif fmt is not None or output is not None:
        _plan_document(loaded, timeline, today_date, fmt, output, force, dry_run)
    else:
        from irp_cli.output import plan_table

        plan_table(loaded.doc.visit, timeline, loaded.calendar)


def _plan_json(loaded: Loaded, timeline: Timeline) -> None:
    visit = loaded.doc.visit
    data = {
        "file": loaded.doc.name,
        "establishment": {"name": visit.establishment.name, "code": visit.establishment.code},
        "visit_days": [d.isoformat() for d in timeline.visit_days],
        "milestones": [
            m.as_dict() | {"late_by": m.late_by(loaded.calendar)} for m in timeline.milestones
        ],
        "warnings": [f.as_dict() for f in loaded.warnings],
    }
    print_json(data)


def _plan_document(
    loaded: Loaded,
    timeline: Timeline,
    today: date,
    fmt: str | None,
    output: Path | None,
    force: bool,
    dry_run: bool,
) -> None:
    from irp_cli.documents.context import plan_document

    document = plan_document(loaded.doc.visit, timeline, loaded.calendar, loaded.warnings)
    opts = common.DocumentOptions(output=output, fmt=fmt, force=force, dry_run=dry_run)
    common.emit_document(document, loaded.config, opts, today)


# --------------------------------------------------------------------------- irp plan --suggest


def _suggest(session: Session, file: Path, today: date, as_json: bool) -> None:
    from irp_cli.calendar.timeline import irp_window

    planning = session.planning(file)
    prev, label = planning.previous, planning.label
    earliest, latest = irp_window(prev.last_day)
    found = planning.suggestions(today)
    if as_json:
        data = {
            "file": str(file),
            "today": today.isoformat(),
            "window": {"from": earliest.isoformat(), "to": latest.isoformat()},
            "suggestions": [
                {
                    "start": s.start.isoformat(),
                    "days": [d.isoformat() for d in s.days],
                    "letter_window_from": s.letter_from.isoformat(),
                    "letter_send_by": s.letter_send_by.isoformat(),
                    "returns_due": s.returns_due.isoformat(),
                }
                for s in found
            ],
        }
        print_json(data)
    else:
        from irp_cli.output import suggest_table

        suggest_table(label, prev.last_day, earliest, latest, today, found)
    if not found:
        typer.echo(
            f"{file}: no three working days in a row left in the window whose letter can still "
            f"go out on time (today is {today.isoformat()})",
            err=True,
        )
        raise typer.Exit(EXIT_PROBLEMS)


def register(app: typer.Typer) -> None:
    """Add this module's command to the root app."""
    app.command()(plan)
