"""``irp schedule``: the team's timetable for the visit days, in the terminal, as a document
or as a calendar (guide 3.1, Appendix I)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from irp_cli.commands import common, options
from irp_cli.errors import IrpError, UsageError

if TYPE_CHECKING:
    from irp_cli.onsite.schedule import TeamSchedule


def schedule(
    file: options.VisitFile,
    person: Annotated[
        str | None,
        typer.Option(
            "--person",
            metavar="NAME",
            help="Only the sessions this person attends: a team member, the liaison officer or "
            "a named manager (a unique part of the name will do, e.g. --person Priya).",
            show_default=False,
        ),
    ] = None,
    as_json: options.AsJson = False,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            metavar="FILE",
            help="Also write the sessions as a calendar file (.ics): timed events in UK time "
            "(Europe/London). Importing it again updates the events instead of adding copies.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    output: options.Output = None,
    fmt: options.Format = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    templates: options.Templates = None,
    config: options.ConfigFile = None,
    letter_date: options.DocumentDate = None,
) -> None:
    """The team's timetable for the visit days (guide 3.1, Appendix I).

    Each day's sessions from the guide's schedule: arrival and the governor's 12.30pm
    presentation, evidence gathering, the team leader's meetings (prisoner groups, senior
    leaders, the IMB chair, staff associations), the day-2 team meeting and feedback to the
    governor, the Chief or Deputy Chief Inspector's day, feedback to each named manager on their
    concerns, Ofsted's or Estyn's findings, the debrief and deliberation meeting, and the
    liaison officer's three contacts a day. Times, rooms and attendees come from
    visit.schedule in the visit file. A table in the terminal; --format or -o for a document;
    --ics for a calendar. For example:

        irp schedule visits/hmp-fernlow.yaml --person "Priya Lumsden" --ics priya.ics

    Exit 0 when shown, 1 when the visit file has errors (its schedule included), 2 for a bad
    command line (an unknown --person).
    """
    from irp_cli.onsite.schedule import as_timeline, build_schedule, schedule_document

    if as_json and (fmt or output):
        raise UsageError("--json prints JSON on stdout; leave out --format and --output")
    opts = common.DocumentOptions(output, fmt, force, dry_run, templates, config, letter_date)
    loaded, day = common.load_for_document(file, opts)
    visit = loaded.doc.visit
    team = build_schedule(visit, loaded.config, loaded.timeline)
    if team.problems:
        raise IrpError(team.findings(loaded.doc.locate, loaded.doc.name))
    if person is not None:
        team = team.for_person(_person(team, person))
    if ics is not None:
        from irp_cli.calendar.ics import CalendarVisit, build_ics

        name = f"IRP: {visit.establishment.name}" + (f" ({team.person})" if team.person else "")
        data = build_ics([CalendarVisit(visit, as_timeline(team, loaded.timeline))], name=name)
        common.deliver(data, ics, force=force, dry_run=dry_run, what="calendar")
    if as_json:
        from irp_cli.output import print_json

        print_json({"file": loaded.doc.name, **team.as_dict()})
    elif fmt is not None or output is not None:
        common.emit_document(schedule_document(team, visit), loaded.config, opts, day)
    else:
        from irp_cli.output import schedule_table

        schedule_table(visit, team)


def _person(team: TeamSchedule, wanted: str) -> str:
    """The one person ``wanted`` names: the whole name, or a unique part of it (any case)."""
    from irp_cli.text import one_name

    people = team.people()
    partial = one_name(wanted, people)
    if isinstance(partial, str):
        return partial
    if partial:
        raise UsageError(
            f"--person '{wanted}' could be {', '.join(partial)}: give more of the name"
        )
    close = difflib.get_close_matches(wanted, people, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise UsageError(
        f"--person '{wanted}' is nobody in this schedule; {hint}the team is {', '.join(team.team)}"
    )
