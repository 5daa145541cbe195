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
    str | None,
    typer.Option(
        "--year",
        metavar="YEAR",
        help="Only the visits that start in this year (and the conflicts that touch them).",
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
    year_option: Year = None,
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

    year = None if year_option is None else options.parse_year(year_option, "--year")
    if as_json and (fmt or output):
        raise UsageError("--json prints JSON on stdout; leave out --format and --output")
    today_date = common.date_or_today(today, "--today")
    settings = _folder_config(paths, config)
    files, problems = expand(paths, folders=True, recursive=True)
    entries: list[Entry] = []
    exported: list[CalendarVisit] = []
    skipped: list[Finding] = []
    for item in read_visits(files, Session(config, keep_parsed=False), today_date):
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
    from irp_cli.calendar.ics import CalendarVisit
    from irp_cli.calendar.timeline import Timeline

    days = tuple(m for m in timeline.milestones if m.id.startswith("visit-day-"))
    return CalendarVisit(visit, Timeline(days, timeline.visit_days))


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
    from irp_cli.output import programme_table

    scope = f" for {year}" if year is not None else ""
    rows = [
        [_span(e), f"{e.name} ({e.code})", e.team_leader or "unknown", _partners(e), _next(e)]
        for e in shown
    ]
    programme_table(f"IRP programme{scope}, as of {short_date(today)}", rows)


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


# --------------------------------------------------------------------------------------------
# irp stats


def stats(
    paths: Paths,
    year_option: Year = None,
    as_json: options.AsJson = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="html",
            help="html: a page with charts (judgements by area, publication against the "
            "target, the programme by year); with -o FILE.html it is written to a file.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the HTML page to FILE (.html).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    today: Today = None,
    config: options.ConfigFile = None,
) -> None:
    """The record across visits: judgements and timeliness at a glance.

    The concerns followed up at each of HMI Prisons' judgements (guide 4.1), and the partner
    themes at each of Ofsted's or Estyn's (4.2): in all, by healthy prison area, by
    establishment type, by partner taking part and by year, with the share judged good or
    reasonable progress. Then the working days from the last visit day to publication against
    the target of 25 (5.1): the share published late and by how much. Past records count too,
    judgement counts included. For example:

        irp stats visits/ --format html -o record.html

    Exit 0 when every file could be read; 1 when one could not (it is reported and the rest
    are counted); 2 for a bad command line.
    """
    from irp_cli.calendar.workdays import calendar
    from irp_cli.programme.entries import Read, read_visits
    from irp_cli.programme.stats import Stats
    from irp_cli.review.session import Session, expand

    year = None if year_option is None else options.parse_year(year_option, "--year")
    if as_json and (fmt or output):
        raise UsageError("--json prints JSON on stdout; leave out --format and --output")
    html_wanted = fmt is not None or output is not None
    if fmt is not None and fmt.lower() != "html":
        raise UsageError(f"unknown format '{fmt}' for irp stats; the page is html", code="format")
    if output is not None and output.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"the page is HTML: end '{output}' with .html", code="format")
    today_date = common.date_or_today(today, "--today")
    settings = _folder_config(paths, config)
    cal = calendar(settings.calendar.closures)
    files, problems = expand(paths, folders=True, recursive=True)
    skipped: list[Finding] = []
    record = Stats(today_date)
    for item in read_visits(files, Session(config, keep_parsed=False), today_date):
        if not isinstance(item, Read):
            (problems if item.severity == "error" else skipped).append(item)
        elif year is None or item.entry.year == year:
            record.add(item.entry, cal)
    print_findings([*problems, *skipped])
    if as_json:
        print_json({"year": year, **record.as_dict(), "problems": [f.as_dict() for f in problems]})
    elif html_wanted:
        from irp_cli.programme.charts import stats_page

        title = "IRP record" + (f" {year}" if year is not None else "")
        page = stats_page(record, title=title, marking=settings.house.marking)
        common.deliver(page, output, force=force, dry_run=dry_run, what="html")
    else:
        from irp_cli.output import bar_character

        typer.echo(stats_text(record, year, bar_character()), nl=False)
    summary = f"{record.visits} visit{'s' * (record.visits != 1)} counted"
    if problems:
        broken = len({f.file for f in problems})
        summary += f"; {broken} file{'s' * (broken != 1)} could not be read"
    typer.echo(summary, err=True)
    raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_OK)


BAR = 30


def stats_text(record: Any, year: int | None, block: str = "█") -> str:
    """The terminal summary: counts with bars, shares, and publication against the target."""
    from irp_cli.calendar.timeline import PUBLICATION_DAYS
    from irp_cli.dates import short_date
    from irp_cli.programme.stats import (
        AREAS,
        JUDGEMENTS,
        NOT_JUDGED,
        PARTNER_GROUPS,
        THEME_JUDGEMENTS,
        TYPES,
        Tally,
        label,
        percent,
    )

    lines: list[str] = []
    scope = f" in {year}" if year is not None else ""
    lines.append(
        f"IRP record: {record.visits} visit{'s' * (record.visits != 1)}{scope}, as of "
        f"{short_date(record.today)}"
    )
    if record.visits == 0:
        return "\n".join([*lines, "No visits to show."]) + "\n"

    def counts(title: str, tally: Tally, scale: tuple[str, ...], positive: str) -> None:
        lines.extend(["", title])
        largest = max([tally.counts[j] for j in scale] + [1])
        for j in (*scale, NOT_JUDGED):
            n = tally.counts[j]
            bar = block * round(BAR * n / largest) if j != NOT_JUDGED else ""
            lines.append(f"  {label(j):<24}{n:>6}  {bar}".rstrip())
        lines.append(f"  {positive}: {tally.positive_count} of {tally.judged} judged "
                     f"({percent(tally.share)})")  # fmt: skip

    counts(
        "Concerns followed up, by HMI Prisons' judgement (guide 4.1)",
        record.concerns,
        JUDGEMENTS,
        "Good or reasonable progress",
    )
    if record.themes.counts:
        counts(
            "Partner themes, by Ofsted's or Estyn's judgement (guide 4.2)",
            record.themes,
            THEME_JUDGEMENTS,
            "Significant or reasonable progress",
        )

    def shares(title: str, rows: list[tuple[str, Tally]]) -> None:
        if not rows:
            return
        lines.extend(["", f"{title:<40}{'judged':>7}{'share':>7}"])
        for name, tally in rows:
            share = tally.share
            filled = round(20 * share) if share is not None else 0
            bar = block * filled + "." * (20 - filled) if share is not None else ""
            lines.append(f"  {name:<38}{tally.judged:>7}{percent(share):>7}  {bar}".rstrip())

    lines.extend(["", "Share with good or reasonable progress"])

    def rows(tallies: dict[str, Tally], order: tuple[str, ...]) -> list[tuple[str, Tally]]:
        return [(label(k), tallies[k]) for k in order if k in tallies]

    shares("by healthy prison area", rows(record.by_area, AREAS))
    shares("by establishment type", rows(record.by_type, TYPES))
    shares("by partner taking part", rows(record.by_partner, PARTNER_GROUPS))
    shares("by year of the visit", [(str(y), t) for y, t in sorted(record.by_year.items())])

    timing = record.timeliness()
    published, late = timing["published"], timing["late"]
    target = PUBLICATION_DAYS
    lines.extend(["", f"Publication within {target} working days of the last visit day (5.1)"])
    bands = [(0, 15), (16, 20), (21, 25), (26, 30), (31, 40), (41, 10_000)]
    done = [t.working_days for t in record.times if t.state in ("on-time", "late")]
    in_band = [sum(1 for d in done if lo <= d <= hi) for lo, hi in bands]
    largest = max([*in_band, 1])
    for (lo, hi), n in zip(bands, in_band, strict=True):
        name = f"{lo}–{hi} working days" if hi < 10_000 else f"{lo} or more working days"
        bar = block * round(BAR * n / largest) + ("  (late)" if lo > target and n else "")
        lines.append(f"  {name:<24}{n:>6}  {bar}".rstrip())
    line = f"  {published} published: {published - late} on time, {late} late"
    if late:
        line += (f" ({percent(timing['share_late'])}), late by {timing['late_by_median']:g} "
                 f"working days at the median, {timing['late_by_most']} at most")  # fmt: skip
    lines.append(line)
    lines.append(f"  {timing['overdue']} overdue (not published, past the target), "
                 f"{timing['pending']} still in time, {timing['unknown']} not known")  # fmt: skip
    return "\n".join(lines) + "\n"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command()(programme)
    app.command()(stats)
