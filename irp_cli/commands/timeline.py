"""``irp plan`` (the life of one visit, or possible dates for it) and ``irp deadlines`` (every
due date of one visit or a folder of them, against today).

Dates and numbers given on the command line are checked here and reported in one line (exit
2). ``--today`` defaults to the real date: the CLI reads the clock, the core never does.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from irp_cli.commands import common, options
from irp_cli.errors import EXIT_OK, EXIT_PROBLEMS, Finding, IrpError, UsageError
from irp_cli.output import colour_enabled, print_findings, print_json

if TYPE_CHECKING:
    from irp_cli.calendar.deadlines import Due
    from irp_cli.calendar.timeline import Milestone, Suggestion, Timeline
    from irp_cli.review.session import Loaded, Session

# --------------------------------------------------------------------------- options

Today = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="DATE",
        help="Pretend today is this date (YYYY-MM-DD); defaults to the real date.",
        show_default=False,
    ),
]
Ics = Annotated[
    Path | None,
    typer.Option(
        "--ics",
        metavar="FILE",
        help="Also write the dates as an iCalendar file (.ics) to import into Outlook, Google "
        "or Apple calendars. Importing it again updates the events instead of adding copies.",
        dir_okay=False,
        show_default=False,
    ),
]
Force = Annotated[bool, options.FORCE]
DryRun = Annotated[bool, options.DRY_RUN]
AsJson = Annotated[bool, options.JSON]
ConfigFile = Annotated[Path | None, options.CONFIG]


# --------------------------------------------------------------------------- parsing


def parse_within(text: str | None) -> int | None:
    """``--within N``: a whole number of working days from 0 to the limit."""
    from irp_cli.calendar.workdays import MAX_DAYS

    if text is None:
        return None
    stripped = text.strip()
    if not stripped.lstrip("+-").isdigit() or not stripped.isascii():
        raise UsageError(f"--within '{text}' is not a whole number of working days, e.g. 10")
    n = int(stripped)
    if n < 0:
        raise UsageError(f"--within must be 0 or more working days, not {n}")
    if n > MAX_DAYS:
        raise UsageError(
            f"--within {n} is too many working days: the limit is {MAX_DAYS} (about 8 years)"
        )
    return n


def _console(stream: Any = None) -> Any:
    from rich.console import Console

    out = stream or sys.stdout
    return Console(file=out, no_color=not colour_enabled(out), highlight=False, soft_wrap=False)


# --------------------------------------------------------------------------- irp plan


def plan(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The visit file.", dir_okay=False)],
    as_json: AsJson = False,
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
    ics: Ics = None,
    force: Force = False,
    dry_run: DryRun = False,
    today: Today = None,
    suggest: Annotated[
        bool,
        typer.Option(
            "--suggest",
            help="Propose first visit days: three working days in a row inside the 8-12-month "
            "window (guide 2.1) whose letter can still go out in time (2.6). Needs only the "
            "previous inspection in the file.",
        ),
    ] = False,
    config: ConfigFile = None,
) -> None:
    """Show every date in the life of a visit, each with its guide paragraph.

    The previous inspection and the 8-12-month window (2.1), the letter (2.6), the liaison
    officer and the inspectorate's preparation (2.7, 2.8), the prison's documents (2.10), each
    visit day with its indicative schedule (3.1), the debrief (4.4), the draft and final report
    (5.1) and the full inspection that follows. The file's warnings go to stderr as
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
    timeline = loaded.timeline
    print_findings(loaded.warnings)

    if ics is not None:
        from irp_cli.calendar.ics import CalendarVisit, build_ics

        data = build_ics([CalendarVisit(loaded.doc.visit, timeline)])
        common.deliver(data, ics, force=force, dry_run=dry_run, what="calendar")
    if as_json:
        _plan_json(loaded, timeline)
    elif fmt is not None or output is not None:
        _plan_document(loaded, timeline, today_date, fmt, output, force, dry_run)
    else:
        _plan_table(loaded, timeline)


def _plan_json(loaded: Loaded, timeline: Timeline) -> None:
    visit = loaded.doc.visit
    data = {
        "file": loaded.doc.name,
        "establishment": {"name": visit.establishment.name, "code": visit.establishment.code},
        "visit_days": [d.isoformat() for d in timeline.visit_days],
        "milestones": [m.as_dict() for m in timeline.milestones],
        "warnings": [f.as_dict() for f in loaded.warnings],
    }
    print_json(data)


def _when(m: Milestone) -> tuple[str, str]:
    from irp_cli.dates import short_date

    if m.end is None:
        return short_date(m.date), m.date.isoformat()
    return (
        f"{short_date(m.date)}\nto {short_date(m.end)}",
        f"{m.date.isoformat()}\n{m.end.isoformat()}",
    )


def _plan_table(loaded: Loaded, timeline: Timeline) -> None:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from irp_cli.dates import short_date

    visit = loaded.doc.visit
    est = visit.establishment
    days = timeline.visit_days
    console = _console()
    span = short_date(days[0])
    if len(days) > 1:
        split = "" if (days[-1] - days[0]).days == len(days) - 1 else ", split"
        span += f" to {short_date(days[-1])} ({len(days)} days{split})"
    console.print(Text(f"{est.name} ({est.code}): independent review of progress", "bold"))
    console.print(f"Visit: {span}")
    console.print(
        "Guide: paragraphs of the guide to IRPs for prison staff (April 2025)", style="dim"
    )
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("Date", no_wrap=True)
    table.add_column("ISO", no_wrap=True, style="dim")
    table.add_column("Guide", no_wrap=True)
    table.add_column("What", ratio=1, min_width=30)
    for m in timeline.milestones:
        when, iso = _when(m)
        parts: list[Any] = [Text(m.title, style="bold" if m.kind != "window" else "")]
        if m.events:
            schedule = Table.grid(padding=(0, 1))
            schedule.add_column(no_wrap=True)
            schedule.add_column(ratio=1)
            for e in m.events:
                at = f"{e.start:%H:%M}–{e.end:%H:%M} " if e.start and e.end else ""
                schedule.add_row("-", at + e.title)
            parts.append(schedule)
        if m.done is not None:
            parts.append(Text(f"✓ done {short_date(m.done)}", style="green"))
        table.add_row(when, iso, m.paragraph, Group(*parts))
    console.print(table)


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

    document = plan_document(loaded.doc.visit, timeline, loaded.warnings)
    opts = common.DocumentOptions(output=output, fmt=fmt, force=force, dry_run=dry_run)
    common.emit_document(document, loaded.config, opts, today)


# --------------------------------------------------------------------------- irp plan --suggest


def _suggest(session: Session, file: Path, today: date, as_json: bool) -> None:
    from irp_cli.calendar.timeline import irp_window, suggest_starts
    from irp_cli.calendar.workdays import OutOfRange

    planning = session.planning(file)
    prev, label = planning.previous, planning.label
    earliest, latest = irp_window(prev.last_day)
    try:
        found = suggest_starts(prev, planning.config, planning.calendar, today)
    except OutOfRange as exc:
        raise IrpError.at(str(file), exc.findings[0].message, code="out-of-range") from None
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
        _suggest_table(label, prev.last_day, earliest, latest, today, found)
    if not found:
        typer.echo(
            f"{file}: no three working days in a row left in the window whose letter can still "
            f"go out on time (today is {today.isoformat()})",
            err=True,
        )
        raise typer.Exit(EXIT_PROBLEMS)


def _suggest_table(
    label: str, last_day: date, earliest: date, latest: date, today: date, found: list[Suggestion]
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from irp_cli.dates import short_date

    console = _console()
    console.print(Text(f"{label}: possible visit dates", "bold"))
    console.print(
        f"The previous inspection ended {short_date(last_day)}, so the IRP falls between "
        f"{short_date(earliest)} and {short_date(latest)} (guide 2.1). Each row is three working "
        f"days in a row whose letter can still go out on time (guide 2.6) as of "
        f"{short_date(today)}."
    )
    if not found:
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    for title in ("First day", "ISO", "Last day", "Letter by", "Documents due"):
        table.add_column(title, no_wrap=True, style="dim" if title == "ISO" else "")
    for n, s in enumerate(found):
        next_week = (
            n + 1 < len(found)
            and found[n + 1].start.isocalendar()[:2] != (s.start.isocalendar()[:2])
        )
        table.add_row(
            short_date(s.start),
            s.start.isoformat(),
            short_date(s.days[-1]),
            short_date(s.letter_send_by),
            short_date(s.returns_due),
            end_section=next_week,
        )
    console.print(table)


# --------------------------------------------------------------------------- irp deadlines


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
    today: Today = None,
    within: Annotated[
        str | None,
        typer.Option(
            "--within",
            metavar="N",
            help="Only deadlines due within N working days (and every overdue one).",
            show_default=False,
        ),
    ] = None,
    as_json: AsJson = False,
    ics: Ics = None,
    force: Force = False,
    dry_run: DryRun = False,
    config: ConfigFile = None,
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
    limit = parse_within(within)
    files, problems = expand(paths, folders=True)
    good, broken = Session(config).load_many(files, today=today_date)
    problems.extend(broken)
    warnings: list[Finding] = []
    dues: list[Due] = []
    exported = []
    for loaded in good:
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
            )
        )
        exported.append((visit, timeline))
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
        _deadlines_table(shown, today_date, limit, len(exported))
    if ics is not None and exported:
        from irp_cli.calendar.ics import CalendarVisit, build_ics

        data = build_ics(
            [CalendarVisit(v, t) for v, t in exported],
            name="IRP deadlines" if len(exported) > 1 else None,
            keep=lambda m: m.kind == "deadline",
            timed=False,
        )
        common.deliver(data, ics, force=force, dry_run=dry_run, what="calendar")
    overdue = any_overdue(dues)
    counts = {state: sum(d.state == state for d in dues) for state in ("overdue", "due", "done")}
    visits = len(exported)
    summary = (
        f"{visits} visit{'s' * (visits != 1)}: {counts['overdue']} overdue, {counts['due']} to "
        f"come, {counts['done']} done"
    )
    if problems:
        broken_files = len({f.file for f in problems})
        summary += f"; {broken_files} file{'s' * (broken_files != 1)} with problems"
    typer.echo(summary, err=True)
    raise typer.Exit(EXIT_PROBLEMS if overdue or problems else EXIT_OK)


_STATE_STYLE = {"overdue": "bold red", "due": "", "done": "green", "unrecorded": "dim"}
SOON = 5  # working days: 'due' this close is shown in yellow


def _deadlines_table(shown: list[Due], today: date, limit: int | None, visits: int) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from irp_cli.dates import short_date

    console = _console()
    scope = "" if limit is None else f", due within {limit} working days or overdue"
    console.print(Text(f"Deadlines on {short_date(today)}{scope}", "bold"))
    if not shown:
        console.print("Nothing to show.")
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("Due", no_wrap=True)
    if visits > 1:
        table.add_column("Visit", no_wrap=True)
    table.add_column("Deadline (guide)", ratio=1)
    table.add_column("State", no_wrap=True)
    for d in shown:
        style = _STATE_STYLE[d.state]
        if d.state == "due" and d.working_days <= SOON:
            style = "yellow"
        row: list[Any] = [short_date(d.date)]
        if visits > 1:
            row.append(d.code)
        row += [f"{d.milestone.title} ({d.milestone.paragraph})", Text(d.short, style)]
        table.add_row(*row)
    console.print(table)
    if any(d.state == "unrecorded" for d in shown):
        console.print(
            "not recorded: a deadline before the visit with no date in visit.status; the visit "
            "has begun, so it is not counted as overdue",
            style="dim",
        )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command()(plan)
    app.command()(deadlines)
