"""Everything that prints: diagnostics to stderr, results to stdout. The core never prints.

The tables of ``irp plan``, ``irp plan --suggest``, ``irp deadlines`` and ``irp progress`` are
here too, and this is the one module that imports rich (inside the functions that draw, so
that ``import irp_cli.cli`` stays light). A new table starts from :func:`make_console` and
:func:`new_table`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from irp_cli.dates import format_times, short_date
from irp_cli.errors import Finding
from irp_cli.text import plural, terminal_safe

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from irp_cli.calendar.deadlines import Due
    from irp_cli.calendar.timeline import Milestone, Suggestion, Timeline, WorkingDays
    from irp_cli.onsite.progress import AreaProgress, Progress
    from irp_cli.onsite.schedule import Day, TeamSchedule
    from irp_cli.visitfile.models import Visit


def colour_enabled(stream: object) -> bool:
    """Colour only in a terminal, never with NO_COLOR or TERM=dumb."""
    return (
        not os.environ.get("NO_COLOR")
        and hasattr(stream, "isatty")
        and bool(stream.isatty())
        and os.environ.get("TERM") != "dumb"
    )


_STYLES = {"error": "\x1b[31m", "warning": "\x1b[33m"}


def print_findings(findings: Iterable[Finding]) -> None:
    """One line per finding on stderr, the severity coloured when stderr is a terminal."""
    stream = sys.stderr
    colour = colour_enabled(stream)
    from irp_cli.text import terminal_safe

    for finding in findings:
        line = terminal_safe(finding.format(), one_line=True)  # it may quote a hostile value
        if colour:
            word = finding.severity
            line = line.replace(f" {word} ", f" {_STYLES[word]}{word}\x1b[0m ", 1)
        print(line, file=stream)


def print_json(data: object) -> None:
    """Machine-readable output on stdout: indented, UTF-8 as it is, one final newline."""
    # As json.dump, but written a few thousand of the encoder's pieces at a time: dump writes
    # each on its own (a million writes for a large programme), dumps holds them all at once.
    from itertools import islice

    pieces = json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(data)
    while batch := list(islice(pieces, 4096)):
        sys.stdout.write("".join(batch))
    sys.stdout.write("\n")


DEBUG_ENV = "IRP_DEBUG"


def report_bug(argv: list[str]) -> None:
    """The one line for an unexpected error (a bug in irp, exit 3), with the traceback kept:
    printed with ``IRP_DEBUG=1``, else written to ``irp-error.log`` in the user's cache folder
    (the same as the bank-holiday cache's) and named in the line. Call it from an ``except``."""
    import traceback

    kind, exc, _tb = sys.exc_info()
    name = kind.__name__ if kind is not None else "error"
    details = traceback.format_exc()
    line = f"irp: unexpected error ({name}: {exc}). This is a bug in irp, not in your file"
    if os.environ.get(DEBUG_ENV, "").strip() not in ("", "0"):
        sys.stderr.write(details)
        print(f"{line}; please report it with the command you ran.", file=sys.stderr)
        return
    log = _write_log(argv, details)
    if log is None:
        print(
            f"{line}; please report it with the command you ran (run it again with "
            f"{DEBUG_ENV}=1 to see the details).",
            file=sys.stderr,
        )
    else:
        print(
            f"{line}; please report it with the command you ran and the file {log}.",
            file=sys.stderr,
        )


def _write_log(argv: list[str], details: str) -> str | None:
    """Write the crash log (replacing the last one); its path, or None when it cannot be."""
    import platform
    import shlex
    from datetime import UTC, datetime

    from irp_cli import __version__
    from irp_cli.paths import error_log

    path = error_log()
    text = (
        f"irp {__version__}, Python {platform.python_version()} on {platform.platform()}\n"
        f"when: {datetime.now(tz=UTC):%Y-%m-%dT%H:%M:%SZ}\n"
        f"command: {shlex.join(['irp', *argv[1:]])}\n\n{details}"
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return str(path)


# --------------------------------------------------------------------------------------------
# Tables in the terminal


def make_console(stream: Any = None) -> Console:
    """A rich console on ``stream`` (stdout by default), coloured only where
    :func:`colour_enabled` says so."""
    from rich.console import Console

    out = stream or sys.stdout
    # No markup or emoji codes: values from a file ('HMP [/bold]', ':smile:') print as written.
    return Console(
        file=out,
        no_color=not colour_enabled(out),
        highlight=False,
        soft_wrap=False,
        markup=False,
        emoji=False,
    )


def print_heading(console: Console, text: str) -> None:
    """A bold line above a table, printed as it is (no rich markup read in it)."""
    from rich.text import Text

    console.print(Text(text, "bold"))


def new_table() -> Table:
    """An empty table in the house style: a rule under the header, no frame."""
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))


def _when(m: Milestone) -> tuple[str, str]:
    if m.end is None:
        return short_date(m.date), m.date.isoformat()
    return (
        f"{short_date(m.date)}\nto {short_date(m.end)}",
        f"{m.date.isoformat()}\n{m.end.isoformat()}",
    )


def _done(m: Milestone, cal: WorkingDays) -> tuple[str, bool] | None:
    """'✓ done DATE', with '(late)' when a deadline was done working days after its date (as
    'irp deadlines' says it), and whether it was late; None when not done."""
    if m.done is None:
        return None
    late = m.late_by(cal) > 0
    return f"✓ done {short_date(m.done)}" + (" (late)" if late else ""), late


def _plan_rows(timeline: Timeline, cal: WorkingDays) -> Iterator[list[str]]:
    """The plan's rows as plain text: the events of a day and its 'done' under its title."""
    for m in timeline.milestones:
        when, iso = _when(m)
        what = [m.title]
        for e in m.events:
            at = f"{format_times(e.start, e.end)}: " if e.start and e.end else ""
            what.append(f"- {at}{e.title}")
        if (done := _done(m, cal)) is not None:
            what.append(done[0])
        yield [when, iso, m.paragraph, "\n".join(what)]


def plan_table(visit: Visit, timeline: Timeline, cal: WorkingDays) -> None:
    """``irp plan``: every milestone with its date, guide paragraph and schedule. ``timeline``
    is the visit's as of today (:meth:`~irp_cli.calendar.timeline.Timeline.as_of`)."""
    est = visit.establishment
    days = timeline.visit_days
    span = short_date(days[0])
    if len(days) > 1:
        split = "" if (days[-1] - days[0]).days == len(days) - 1 else ", split"
        span += f" to {short_date(days[-1])} ({len(days)} days{split})"
    heading = [
        f"{est.name} ({est.code}): independent review of progress",
        f"Visit: {span}",
        "Guide: paragraphs of the guide to IRPs for prison staff (April 2025)",
    ]
    if not _is_terminal(sys.stdout):
        print("\n".join(terminal_safe(line) for line in heading))
        plain_table(["Date", "ISO", "Guide", "What"], _plan_rows(timeline, cal), wrap=3)
        return
    from rich.console import Group  # only for a terminal: a pipe never loads rich
    from rich.table import Table
    from rich.text import Text

    console = make_console()
    console.print(Text(heading[0], "bold"))
    console.print(heading[1])
    console.print(heading[2], style="dim")
    table = new_table()
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
                at = f"{format_times(e.start, e.end)}: " if e.start and e.end else ""
                schedule.add_row("-", at + e.title)
            parts.append(schedule)
        if (done := _done(m, cal)) is not None:
            parts.append(Text(done[0], style="yellow" if done[1] else "green"))
        table.add_row(when, iso, m.paragraph, Group(*parts))
    console.print(table)


def suggest_table(
    label: str, last_day: date, earliest: date, latest: date, today: date, found: list[Suggestion]
) -> None:
    """``irp plan --suggest``: possible first visit days, a rule (a blank line in a pipe)
    between weeks."""
    heading = f"{label}: possible visit dates"
    intro = (
        f"The previous inspection ended {short_date(last_day)}, so the IRP falls between "
        f"{short_date(earliest)} and {short_date(latest)} (guide 2.1). Each row is three working "
        f"days in a row whose letter can still go out on time (guide 2.6) as of "
        f"{short_date(today)}."
    )
    headers = ["First day", "ISO", "Last day", "Letter by", "Documents due"]
    rows = [
        [
            short_date(s.start),
            s.start.isoformat(),
            short_date(s.days[-1]),
            short_date(s.letter_send_by),
            short_date(s.returns_due),
        ]
        for s in found
    ]
    week_ends = [
        n + 1 < len(found) and found[n + 1].start.isocalendar()[:2] != s.start.isocalendar()[:2]
        for n, s in enumerate(found)
    ]
    if not _is_terminal(sys.stdout):  # a pipe never loads rich
        print(terminal_safe(heading))
        print(intro)
        if found:
            blank = [""] * len(headers)
            spaced = (
                r for row, end in zip(rows, week_ends, strict=True) for r in [row, blank][: 1 + end]
            )
            plain_table(headers, spaced, wrap=0)
        return
    from rich.text import Text

    console = make_console()
    console.print(Text(heading, "bold"))
    console.print(intro)
    if not found:
        return
    table = new_table()
    for title in headers:
        table.add_column(title, no_wrap=True, style="dim" if title == "ISO" else "")
    for row, end in zip(rows, week_ends, strict=True):
        table.add_row(*row, end_section=end)
    console.print(table)


STATE_STYLE = {"overdue": "bold red", "due": "", "done": "green", "unrecorded": "dim"}
SOON = 5  # working days: 'due' this close is shown in yellow


def plain_table(
    headers: list[str], rows: Iterable[list[str]], *, wrap: int, stream: Any = None
) -> None:
    """A table as plain text, for a pipe or a file (rich is for terminals: it measures every
    cell, which for the deadlines of a thousand visits takes seconds). Columns are as wide as
    their widest line; column ``wrap`` is wrapped to fit the width (``COLUMNS``, else 100); a
    rule of dashes under the headings; every value made safe to print first."""
    import shutil
    import textwrap
    from itertools import zip_longest

    from irp_cli.text import terminal_safe

    out = stream or sys.stdout
    # Each distinct cell is made safe and split into lines once: the same dates, codes, titles
    # and states come back in every visit of a folder (a thousand visits: ten thousand rows).
    split: dict[str, list[str]] = {}

    def cell_lines(cell: str) -> list[str]:
        found = split.get(cell)
        if found is None:
            found = split[cell] = terminal_safe(cell).splitlines() or [""]
        return found

    head = [cell_lines(cell) for cell in headers]
    body = [[cell_lines(cell) for cell in row] for row in rows]
    widths = [
        max(len(line) for lines in column for line in lines)
        for column in zip(head, *body, strict=True)
    ]
    width = shutil.get_terminal_size((100, 24)).columns
    room = width - sum(w + 1 for n, w in enumerate(widths) if n != wrap)
    widths[wrap] = min(widths[wrap], max(room, 20, len(headers[wrap])))

    def wrapped(lines: list[str]) -> list[str]:
        found: list[str] = []
        for line in lines:
            if len(line) <= widths[wrap] and line.isprintable() and not line.endswith(" "):
                found.append(line)  # what textwrap gives a line that fits, without the work
                continue
            hang = "  " if line.startswith("- ") else ""  # a list item's lines stay under it
            found.extend(textwrap.wrap(line, widths[wrap], subsequent_indent=hang) or [""])
        return found

    # And each distinct cell of a column is wrapped (in column ``wrap``) and padded to the
    # column's width once, found again by the id of its lines (which live as long as ``split``).
    pads: list[dict[int, list[str]]] = [{} for _ in widths]
    blanks = [" " * w for w in widths]

    def padded(n: int, lines: list[str]) -> list[str]:
        shown = wrapped(lines) if n == wrap else lines
        found = pads[n][id(lines)] = [line.ljust(widths[n]) for line in shown]
        return found

    text: list[str] = []  # written a few thousand lines at once: one write a line was slow

    def emit(cells: list[list[str]]) -> None:
        columns = [
            pad.get(id(lines)) or padded(n, lines)
            for n, (pad, lines) in enumerate(zip(pads, cells, strict=True))
        ]
        if max(map(len, columns)) == 1:  # most rows: one line
            text.append(" ".join([c[0] for c in columns]).rstrip())
            return
        for parts in zip_longest(*columns):
            text.append(" ".join([p or blanks[n] for n, p in enumerate(parts)]).rstrip())

    emit(head)
    text.append(" ".join("-" * w for w in widths))
    for row in body:
        emit(row)
        if len(text) >= 4096:  # the memory of a few thousand lines, not of the whole table
            text.append("")
            out.write("\n".join(text))
            text.clear()
    text.append("")
    out.write("\n".join(text))


def _deadlines_plain(shown: list[Due], visits: int) -> None:
    headers = ["Due", *(["Visit"] if visits > 1 else []), "Deadline (guide)", "State"]
    rows = (
        [
            short_date(d.date),
            *([d.code] if visits > 1 else []),
            f"{d.milestone.title} ({d.milestone.paragraph})",
            d.short,
        ]
        for d in shown
    )
    plain_table(headers, rows, wrap=len(headers) - 2)


def deadlines_table(shown: list[Due], today: date, limit: int | None, visits: int) -> None:
    """``irp deadlines``: each deadline's date, visit (when there are several) and state; a
    coloured table in a terminal, plain text in a pipe or a file."""
    scope = "" if limit is None else f", due within {plural(limit, 'working day')} or overdue"
    title = f"Deadlines on {short_date(today)}{scope}"
    if not _is_terminal(sys.stdout):
        print(title)
        if not shown:
            print("Nothing to show.")
            return
        _deadlines_plain(shown, visits)
        if any(d.state == "unrecorded" for d in shown):
            print(UNRECORDED)
        return
    from rich.text import Text  # only for a terminal: a pipe never loads rich

    console = make_console()
    console.print(Text(title, "bold"))
    if not shown:
        console.print("Nothing to show.")
        return
    table = new_table()
    table.add_column("Due", no_wrap=True)
    if visits > 1:
        table.add_column("Visit", no_wrap=True)
    table.add_column("Deadline (guide)", ratio=1)
    table.add_column("State", no_wrap=True)
    for d in shown:
        style = STATE_STYLE[d.state]
        if d.state == "due" and d.working_days <= SOON:
            style = "yellow"
        row: list[Any] = [short_date(d.date)]
        if visits > 1:
            row.append(d.code)
        row += [f"{d.milestone.title} ({d.milestone.paragraph})", Text(d.short, style)]
        table.add_row(*row)
    console.print(table)
    if any(d.state == "unrecorded" for d in shown):
        console.print(UNRECORDED, style="dim")


UNRECORDED = (
    "not recorded: a deadline before the visit with no date in visit.status; the visit "
    "has begun, so it is not counted as overdue"
)


PROGRAMME_HEADERS = ["Visit days", "Establishment", "Team leader", "Partners", "Next due"]


def programme_table(heading: str, rows: list[list[str]]) -> None:
    """``irp programme``: a visit a row (``PROGRAMME_HEADERS``); plain text in a pipe or a
    file, where rich would measure every cell of a thousand visits."""
    if not _is_terminal(sys.stdout):  # a pipe never loads rich
        print(terminal_safe(heading))
        if not rows:
            print("No visits to show.")
            return
        plain_table(PROGRAMME_HEADERS, rows, wrap=len(PROGRAMME_HEADERS) - 1)
        return
    console = make_console()
    print_heading(console, heading)
    if not rows:
        console.print("No visits to show.")
        return
    table = new_table()
    table.add_column("Visit days", no_wrap=True)
    for name in PROGRAMME_HEADERS[1:-1]:
        table.add_column(name)
    table.add_column("Next due", ratio=1)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _is_terminal(stream: object) -> bool:
    return hasattr(stream, "isatty") and bool(stream.isatty())


_SOURCE_SHORT = {
    "staff": "Sta",
    "prisoners": "Pri",
    "prisoner-group": "Grp",
    "third-party": "3rd",
    "documentation": "Doc",
    "data": "Dat",
    "observation": "Obs",
}


def _progress_rows(area: AreaProgress) -> Iterator[list[tuple[str, str]]]:
    """An area's rows for ``irp progress``: each cell's text and its style in a terminal."""
    for row in area.concerns:
        marks = "".join(q.value[0].upper() if noted else "·" for q, noted in row.questions.items())
        concern = row.record.concern
        if concern.raised_at_visit:
            judged = ("raised at this visit", "cyan")
        elif concern.judgement is None:
            judged = ("not judged", "red")
        else:
            label = concern.judgement.value.replace("-", " ")
            judged = (
                label + ("" if row.written else " (no text)"),
                "" if row.written else "yellow",
            )
        yield [
            (concern.id, ""),
            *((str(n), "dim" if n == 0 else "") for n in row.counts.values()),
            (str(row.total), "bold"),
            (marks, "" if all(row.questions.values()) else "yellow"),
            ("yes", "green") if row.triangulated else ("no", "red"),
            judged,
        ]


def progress_table(establishment: str, view: Progress) -> None:
    """``irp progress``: per healthy prison area, a table of the concerns' evidence by source
    type, key questions noted, triangulation and judgement; gaps coloured in a terminal, plain
    text in a pipe or a file."""
    heading = f"{establishment}: evidence and judgements so far"
    key = (
        f"Tri, triangulated: evidence from at least {view.threshold} source types (guide 3.2). "
        "KQ, key questions with notes (4.3): L leadership, P planning, A action, E evaluation. "
        "Sources: Sta staff, Pri prisoners, Grp prisoner groups, 3rd third parties, "
        "Doc documentation, Dat data, Obs observation."
    )
    headers = ["Id", *_SOURCE_SHORT.values(), "All", "KQ", "Tri", "Judgement"]
    themes: list[tuple[str, str, str]] = []
    for theme in view.themes:
        state = "judged" if theme.judged else "not judged"
        style = (
            "green" if theme.judged and theme.written else "red" if not theme.judged else "yellow"
        )
        extra = "" if theme.written or not theme.judged else " (no text)"
        themes.append((f"  {theme.id} ({theme.partner}): ", state + extra, style))
    concerns = view.concerns
    judged_n = sum(c.judged for c in concerns if not c.record.concern.raised_at_visit)
    to_judge = sum(not c.record.concern.raised_at_visit for c in concerns)
    summary = (
        f"{judged_n} of {to_judge} concerns judged; "
        f"{sum(c.triangulated for c in concerns)} triangulated."
    )
    if not _is_terminal(sys.stdout):  # a pipe never loads rich
        print(terminal_safe(heading))
        print(key)
        for area in view.areas:
            print()
            print(area.label)
            rows = ([text for text, _style in row] for row in _progress_rows(area))
            plain_table(headers, rows, wrap=len(headers) - 1)
        if themes:
            print("Partner themes")
            for who, state, _style in themes:
                print(terminal_safe(who + state))
        print(summary)
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = make_console()
    print_heading(console, heading)
    console.print(key, style="dim")
    for area in view.areas:
        table = Table(
            title=area.label,
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            padding=(0, 1, 0, 0),
        )
        table.add_column("Id", no_wrap=True, min_width=4)
        for short in _SOURCE_SHORT.values():
            table.add_column(short, justify="right", no_wrap=True)
        table.add_column("All", justify="right", no_wrap=True)
        table.add_column("KQ", no_wrap=True)
        table.add_column("Tri", no_wrap=True)
        table.add_column("Judgement")
        for row in _progress_rows(area):
            (concern_id, _), *cells = row
            table.add_row(concern_id, *(Text(text, style) for text, style in cells))
        console.print(table)
    if themes:
        console.print(Text("Partner themes", "bold"))
        for who, state, style in themes:
            console.print(who, Text(state, style))
    console.print(summary)


def bar_character() -> str:
    """A full block where standard output can print it; '#' where it cannot (a cp1252 pipe)."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "█".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "#"
    return "█"


def schedule_table(visit: Visit, team: TeamSchedule) -> None:
    """``irp schedule``: each visit day's sessions with time, room and who attends; plain text
    in a pipe or a file."""
    from irp_cli.dates import day_date, span_dates
    from irp_cli.onsite.schedule import who

    est = visit.establishment
    whose = f"{team.person}'s schedule" if team.person else "the team's schedule"
    heading = f"{est.name} ({est.code}): {whose}"
    line = f"Visit: {span_dates([d.date for d in team.days])}"
    if team.base_room:
        line += f"; base room: {team.base_room}"
    guide = "Guide 3.1 (the day's schedule) and Appendix I (the liaison officer)"

    def day_rows(d: Day) -> tuple[list[str], list[list[str]]]:
        rooms = any(s.room for s in d.sessions)
        headers = ["Time", "Session", *(["Room"] if rooms else []), "Who"]
        rows = []
        for s in d.sessions:
            people = who(s, team.team)
            if s.others:
                people += ("; with " if people else "With ") + ", ".join(s.others)
            rows.append([s.when, s.title, *([s.room or ""] if rooms else []), people])
        return headers, rows

    def day_heading(d: Day) -> str:
        resumes = " (the visit resumes)" if d.after_break else ""
        return f"{d.label}: {day_date(d.date)}{resumes}"

    if not _is_terminal(sys.stdout):  # a pipe never loads rich
        for text in (heading, line, guide):
            print(terminal_safe(text))
        for d in team.days:
            print()
            print(terminal_safe(day_heading(d)))
            if not d.sessions:
                print("Nothing scheduled.")
                continue
            headers, rows = day_rows(d)
            plain_table(headers, rows, wrap=len(headers) - 1)
        return
    from rich.text import Text

    console = make_console()
    print_heading(console, heading)
    console.print(line, markup=False)
    console.print(guide, style="dim")
    for d in team.days:
        console.print()
        print_heading(console, day_heading(d))
        if not d.sessions:
            console.print("Nothing scheduled.")
            continue
        headers, rows = day_rows(d)
        table = new_table()
        table.add_column("Time", no_wrap=True)
        table.add_column("Session", ratio=3, min_width=24)
        if "Room" in headers:
            table.add_column("Room", ratio=1)
        table.add_column("Who", ratio=2)
        for cells in rows:
            table.add_row(*(Text(cell) for cell in cells))
        console.print(table)
