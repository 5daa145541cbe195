"""``irp programme`` (the year's visits and their conflicts) and ``irp stats`` (the record of
past visits): commands over a folder of visit files.

Each file is read once and summarised (:mod:`irp_cli.programme.entries`); a broken file is
reported with its place and skipped, and the rest are still processed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from irp_cli.commands import common, options
from irp_cli.errors import EXIT_OK, EXIT_PROBLEMS, Finding, UsageError
from irp_cli.output import print_findings, print_json
from irp_cli.text import plural

if TYPE_CHECKING:
    from irp_cli.calendar.ics import CalendarVisit
    from irp_cli.programme.conflicts import Conflict
    from irp_cli.programme.entries import Entry
    from irp_cli.visitfile.config import Config

Paths = Annotated[
    list[Path],
    typer.Argument(
        metavar="DIR|FILE...",
        help="Folders of visit files (searched with their sub-folders; hidden files skipped), "
        "or visit files.",
        show_default=False,
    ),
]
Year = Annotated[
    int | None,
    typer.Option(
        "--year",
        metavar="YEAR",
        help="Only the visits that start in this year (and the conflicts that touch them).",
        min=2000,
        max=2045,
        show_default=False,
    ),
]
Ics = Annotated[
    Path | None,
    typer.Option(
        "--ics",
        metavar="FILE",
        help="Also write every visit day of the programme as one calendar file (.ics); "
        "importing it again updates the events instead of adding copies.",
        dir_okay=False,
        show_default=False,
    ),
]
Today = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="DATE",
        help="Pretend today is this date (YYYY-MM-DD), for the next due dates; defaults to the "
        "real date.",
        show_default=False,
    ),
]


def _folder_config(paths: list[Path], explicit: Path | None) -> Config:
    """The settings for the programme as a whole: --config, else the irp.toml that applies to
    the first folder (or file) given."""
    from irp_cli.visitfile.config import load_config

    return load_config(explicit, near=paths[0] if paths else None)


def programme(
    paths: Paths,
    year: Year = None,
    as_json: options.AsJson = False,
    ics: Ics = None,
    fmt: options.Format = None,
    output: options.Output = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    templates: options.Templates = None,
    today: Today = None,
    config: options.ConfigFile = None,
) -> None:
    """The programme: every visit in date order, and the conflicts to sort out before a letter
    goes.

    Each visit shows its days, establishment, team leader, partners taking part and the next
    due date (or when its report was published). Conflicts: a person on two visits whose days
    overlap, or back to back with no working day between; one name twice in a team; two
    visits at one establishment in overlapping 8-12-month windows (guide 2.1); visit days on
    a weekend or bank holiday (3.1); more visits in a year than the programme's size (1.3;
    the setting visits_per_year in irp.toml, default 20). For example:

        irp programme visits/ --year 2026 --ics programme.ics

    Exit 0 when there is no conflict; 1 when there is one, or a file could not be read (each
    broken file is reported and the rest are still shown); 2 for a bad command line.
    """
    from irp_cli.calendar.workdays import calendar
    from irp_cli.programme.conflicts import find_conflicts
    from irp_cli.programme.entries import Read, read_visits
    from irp_cli.review.session import Session, expand

    if as_json and (fmt or output):
        raise UsageError("--json prints JSON on stdout; leave out --format and --output")
    today_date = common.date_or_today(today, "--today")
    settings = _folder_config(paths, config)
    files, problems = expand(paths, folders=True, recursive=True)
    entries: list[Entry] = []
    exported: list[CalendarVisit] = []
    skipped: list[Finding] = []
    for item in read_visits(files, Session(config), today_date):
        if not isinstance(item, Read):
            (problems if item.severity == "error" else skipped).append(item)
            continue
        entries.append(item.entry)
        if ics is not None and (year is None or item.entry.year == year):
            exported.append(_calendar_visit(item.loaded.doc.visit, item.loaded.timeline))
    cal = calendar(settings.calendar.closures)
    per_year = settings.programme.visits_per_year
    conflicts = find_conflicts(entries, cal, per_year=per_year, year=year)
    shown = sorted(
        (e for e in entries if year is None or e.year == year), key=lambda e: (e.first, e.file)
    )
    where = str(paths[0]) if paths else "irp"
    if as_json:
        print_json(
            {
                "today": today_date.isoformat(),
                "year": year,
                "visits_per_year": per_year,
                "visits": [e.as_dict() for e in shown],
                "conflicts": [c.as_dict() for c in conflicts],
                "problems": [f.as_dict() for f in problems],
                "skipped": [f.as_dict() for f in skipped],
            }
        )
    else:
        print_findings([*problems, *skipped, *(c.finding(where) for c in conflicts)])
        if fmt is not None or output is not None:
            opts = common.DocumentOptions(output, fmt, force, dry_run, templates, config)
            _programme_document(shown, conflicts, settings, year, today_date, opts)
        else:
            _programme_table(shown, year, today_date)
    if ics is not None:
        _write_ics(exported, year, ics, force=force, dry_run=dry_run)
    summary = plural(len(shown), "visit")
    summary += f" in {year}" if year is not None else ""
    summary += f": {plural(len(conflicts), 'conflict')}"
    if problems:
        broken = len({f.file for f in problems})
        summary += f"; {plural(broken, 'file')} could not be read"
    if skipped:
        summary += f"; {plural(len(skipped), 'other YAML file')} skipped"
    typer.echo(summary, err=True)
    raise typer.Exit(EXIT_PROBLEMS if conflicts or problems else EXIT_OK)


def _calendar_visit(visit: Any, timeline: Any) -> CalendarVisit:
    """Only the visit days of a timeline are kept for the programme's calendar."""
    from dataclasses import replace

    from irp_cli.calendar.ics import CalendarVisit

    days = tuple(m for m in timeline.milestones if m.id.startswith("visit-day-"))
    return CalendarVisit(visit, replace(timeline, milestones=days))


def _write_ics(
    exported: list[CalendarVisit], year: int | None, path: Path, *, force: bool, dry_run: bool
) -> None:
    from irp_cli.calendar.ics import build_ics

    if not exported:
        typer.echo(f"{path}: not written: no visits to put in it", err=True)
        return
    name = "IRP programme" + (f" {year}" if year is not None else "")
    data = build_ics(exported, name=name, timed=False)
    common.deliver(data, path, force=force, dry_run=dry_run, what="calendar")


def _span(entry: Entry) -> str:
    from irp_cli.programme.entries import compact_days

    return compact_days(entry.days)


def _partners(entry: Entry) -> str:
    names = {"cqc": "CQC", "ofsted": "Ofsted", "estyn": "Estyn"}
    return ", ".join(names[p.value] for p in entry.partners) or "none"


def _next(entry: Entry) -> str:
    from irp_cli.dates import short_date

    if entry.finished:
        if entry.published is None:
            return "over; publication date unknown"
        return f"report published {short_date(entry.published)}"
    due = entry.next_due
    if due is None:
        return "nothing due"
    late = " (overdue)" if due.state == "overdue" else ""
    return f"{short_date(due.date)}: {due.short}{late}"


def _programme_table(shown: list[Entry], year: int | None, today: date) -> None:
    from irp_cli.dates import short_date
    from irp_cli.output import make_console, new_table, print_heading

    console = make_console()
    scope = f" for {year}" if year is not None else ""
    print_heading(console, f"IRP programme{scope}, as of {short_date(today)}")
    if not shown:
        console.print("No visits to show.")
        return
    table = new_table()
    table.add_column("Visit days", no_wrap=True)
    table.add_column("Establishment")
    table.add_column("Team leader")
    table.add_column("Partners")
    table.add_column("Next due", ratio=1)
    for e in shown:
        table.add_row(
            _span(e), f"{e.name} ({e.code})", e.team_leader or "unknown", _partners(e), _next(e)
        )
    console.print(table)


def programme_context(
    shown: list[Entry], conflicts: list[Conflict], year: int | None, today: date
) -> dict[str, Any]:
    return {
        "year": year,
        "today": today,
        "visits": [
            {
                "days": _span(e),
                "name": e.name,
                "code": e.code,
                "team_leader": e.team_leader or "unknown",
                "partners": _partners(e),
                "next": _next(e),
                "file": e.file,
            }
            for e in shown
        ],
        "conflicts": [
            {"kind": c.kind, "message": c.message, "paragraph": c.paragraph or ""}
            for c in conflicts
        ],
    }


def _programme_document(
    shown: list[Entry],
    conflicts: list[Conflict],
    settings: Config,
    year: int | None,
    today: date,
    opts: common.DocumentOptions,
) -> None:
    from irp_cli.documents.context import Document

    title = "IRP programme" + (f" {year}" if year is not None else "")
    context = programme_context(shown, conflicts, year, today)
    common.emit_document(Document("programme.md.j2", title, context), settings, opts, today)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command()(programme)
