"""``irp workdays``: working-day arithmetic for England and Wales.

The answer is always the first line of standard output, alone (an ISO date or a whole number),
so scripts can read it; ``--explain`` adds lines after it. Bad input raises
:class:`~irp_cli.errors.UsageError` (exit 2), which the CLI's error boundary prints as one line.
A date, or an answer, outside the supported years is the calendar's ``OutOfRange``, which the
boundary makes exit 2 too: every date here was typed on the command line.

Dates and numbers are taken as text and checked by the parsers in :mod:`options`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from irp_cli.commands.options import parse_date, parse_day, parse_working_days, parse_year
from irp_cli.text import ordinal

if TYPE_CHECKING:
    from irp_cli.calendar.workdays import Calendar


app = typer.Typer(
    help="Count working days in England and Wales. Weekends, England-and-Wales bank holidays "
    "(including substitute days) and any closure days you list are not working days.",
    no_args_is_help=True,
)

# Pass "-3" through as an argument so it gets a clear message (not "No such option: -3").
_NUMBER_COMMAND = {"ignore_unknown_options": True}


def build_calendar(closure: list[str] | None, config: Path | None) -> Calendar:
    """The calendar with the closures from the settings file and from ``--closure``. With no
    settings file, the settings model (and the visit file's models it uses) is never loaded."""
    from irp_cli.calendar.workdays import calendar
    from irp_cli.paths import find_config

    closures: dict[date, str] = {}
    for text in closure or []:
        closures[parse_day(text, "--closure")] = "closure (--closure)"
    path = config or find_config(Path.cwd())
    if path is not None:
        from irp_cli.visitfile.config import load_config

        cfg = load_config(explicit=path)
        label = f"closure ({path.name})"
        for day in cfg.calendar.closures:
            closures.setdefault(day, label)
    return calendar(closures)


def _echo_skipped(skipped: list[tuple[date, str]]) -> None:
    if not skipped:
        typer.echo("Not counted: nothing (no weekends, bank holidays or closures in between).")
        return
    typer.echo("Not counted:")
    for day, reason in skipped:
        typer.echo(f"  {day.isoformat()}  {reason}")


# --------------------------------------------------------------------------- options

_DATE_HELP = "A date written YYYY-MM-DD, for example 2026-03-09."

Closures = Annotated[
    list[str] | None,
    typer.Option(
        "--closure",
        metavar="DATE",
        help="An extra day that is not a working day (e.g. an office closure or a newly "
        "announced bank holiday). Repeat for more days.",
        show_default=False,
    ),
]
ConfigFile = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Settings file to use. Without it, irp.toml in this folder or a folder above it, "
        "or in your user settings folder, is used if there is one. The closure days it lists "
        "are not working days.",
        dir_okay=False,
        show_default=False,
    ),
]
Explain = Annotated[
    bool,
    typer.Option(
        "--explain",
        help="After the answer, list the days that were not counted, and why.",
    ),
]


# --------------------------------------------------------------------------- commands


@app.command(context_settings=_NUMBER_COMMAND)
def add(
    start: Annotated[str, typer.Argument(metavar="DATE", help=_DATE_HELP, show_default=False)],
    days: Annotated[
        str,
        typer.Argument(metavar="N", help="How many working days to count.", show_default=False),
    ],
    explain: Explain = False,
    closure: Closures = None,
    config: ConfigFile = None,
) -> None:
    """Print the date N working days after DATE.

    DATE itself is never counted. For example, the report must be published within 25 working
    days of the end of the visit (guide 5.1); for a visit ending on 11 March 2026:

        irp workdays add 2026-03-11 25

    With N = 0 the answer is DATE itself if it is a working day, otherwise the next working day.
    """
    start_date = parse_date(start)
    n = parse_working_days(days, "N", other="sub")
    cal = build_calendar(closure, config)
    answer = cal.add(start_date, n)
    typer.echo(answer.isoformat())
    if explain:
        if n == 0:
            _explain_zero(cal, start_date, "next")
        else:
            typer.echo(
                f"{_long(answer)} is the {ordinal(n)} working day after {_long(start_date)}."
            )
        _echo_skipped(cal.skipped(start_date, answer))


@app.command(context_settings=_NUMBER_COMMAND)
def sub(
    start: Annotated[str, typer.Argument(metavar="DATE", help=_DATE_HELP, show_default=False)],
    days: Annotated[
        str,
        typer.Argument(
            metavar="N", help="How many working days to count back.", show_default=False
        ),
    ],
    explain: Explain = False,
    closure: Closures = None,
    config: ConfigFile = None,
) -> None:
    """Print the date N working days before DATE.

    DATE itself is not counted; the answer is. For example, the documents must reach HMI
    Prisons no later than five working days before the visit starts (guide 2.10); for a visit
    starting on 9 March 2026:

        irp workdays sub 2026-03-09 5

    With N = 0 the answer is DATE itself if it is a working day, otherwise the last working
    day before it.
    """
    start_date = parse_date(start)
    n = parse_working_days(days, "N", other="add")
    cal = build_calendar(closure, config)
    answer = cal.sub(start_date, n)
    typer.echo(answer.isoformat())
    if explain:
        if n == 0:
            _explain_zero(cal, start_date, "last")
        else:
            typer.echo(
                f"{_long(answer)} is the {ordinal(n)} working day before {_long(start_date)}."
            )
        _echo_skipped(cal.skipped(start_date, answer))


@app.command()
def between(
    start: Annotated[str, typer.Argument(metavar="START", help=_DATE_HELP, show_default=False)],
    end: Annotated[str, typer.Argument(metavar="END", help=_DATE_HELP, show_default=False)],
    explain: Explain = False,
    closure: Closures = None,
    config: ConfigFile = None,
) -> None:
    """Print how many working days there are after START, up to and including END.

    START itself is not counted. If END is before START the answer is negative: the number of
    working days after END up to and including START, with a minus sign.
    """
    start_date = parse_date(start, "START")
    end_date = parse_date(end, "END")
    cal = build_calendar(closure, config)
    count = cal.between(start_date, end_date)
    typer.echo(str(count))
    if explain:
        first, last = sorted((start_date, end_date))
        sentence = (
            f"{abs(count)} working day{'' if abs(count) == 1 else 's'} after {_long(first)}, "
            f"up to and including {_long(last)}"
        )
        if end_date < start_date:
            sentence += ", counted as negative because END is before START"
        typer.echo(sentence + ".")
        _echo_skipped(cal.skipped(first, last))


@app.command("holidays")
def holidays_command(
    year: Annotated[
        str,
        typer.Argument(metavar="YEAR", help="A year, for example 2026.", show_default=False),
    ],
    closure: Closures = None,
    config: ConfigFile = None,
) -> None:
    """List the England-and-Wales bank holidays in YEAR, one per line, with closure days.

    A bank holiday that falls at a weekend is shown as its substitute day, as on GOV.UK.
    Closure days (from --closure or the settings file) are listed too, marked "closure".
    """
    y = parse_year(year, "year")
    cal = build_calendar(closure, config)
    rows = [(day, name) for day, name in cal.holidays_in(y)]
    rows += [(day, label) for day, label in cal.closures.items() if day.year == y]
    for day, name in sorted(rows, key=lambda row: row[0]):
        typer.echo(f"{day.isoformat()}  {name}")


def _long(d: date) -> str:
    from irp_cli.dates import day_date

    return day_date(d)


def _explain_zero(cal: Calendar, start: date, which: str) -> None:
    why = cal.why_not_working(start)
    if why is None:
        typer.echo(f"{_long(start)} is a working day, so with N = 0 the answer is that day.")
    else:
        typer.echo(
            f"{_long(start)} is not a working day ({why}), so with N = 0 the answer is the "
            f"{which} working day."
        )
