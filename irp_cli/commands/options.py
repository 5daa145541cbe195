"""Options shared by several commands, defined once (sqlite-utils' habit), and the one parser
for each kind of value typed on the command line.

Use the options as annotations: ``as_json: options.AsJson = False``, ``output: options.Output =
None``. The document commands take the whole set :data:`Output` to :data:`DocumentDate` (see
:func:`irp_cli.commands.common.run_document`).

Dates and numbers are taken as text and checked by :func:`parse_date` and
:func:`parse_working_days` rather than by Typer, so that a bad value gets one plain sentence
(exit 2) instead of a usage box, and ``-3`` reaches them as a number instead of being read as
an unknown option.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from irp_cli.dates import MONTHS, day_first, long_date
from irp_cli.errors import UsageError

if TYPE_CHECKING:
    from irp_cli.documents.render import Format as DocumentFormat

# --------------------------------------------------------------------------------------------
# Parsers

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_WHOLE_NUMBER = re.compile(r"([+-]?)(\d+)", re.ASCII)
_FORMAT_HINT = "write dates as YYYY-MM-DD, for example 2026-03-09"


def parse_date(text: str, what: str = "DATE") -> date:
    """A YYYY-MM-DD date typed as ``what`` (``--today``, ``START``), or a :class:`UsageError`
    that says what is wrong with it. The supported years are not checked here."""
    match = _ISO_DATE.fullmatch(text.strip())
    if not match:
        if (meant := day_first(text)) is not None:
            raise UsageError(
                f"{what} '{text}' is not written YYYY-MM-DD: for {long_date(meant)} write "
                f"{meant.isoformat()}"
            )
        raise UsageError(f"{what} '{text}' is not a date: {_FORMAT_HINT}")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise UsageError(f"{what} '{text}' is not a date: there is no month {month}")
    if year < 1:
        raise UsageError(f"{what} '{text}' is not a date: there is no year 0")
    days_in_month = _stdlib_calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise UsageError(
            f"{what} '{text}' is not a date: {MONTHS[month - 1]} {year} has {days_in_month} days"
        )
    return date(year, month, day)


def parse_day(text: str, what: str = "DATE") -> date:
    """A date typed as ``what`` that irp can count working days from: as :func:`parse_date`,
    and within the years whose bank holidays irp knows (else a usage error, exit 2)."""
    from irp_cli.dates import unsupported

    day = parse_date(text, what)
    if problem := unsupported(day, what):
        raise UsageError(problem, code="out-of-range")
    return day


def parse_year(text: str, what: str = "YEAR") -> int:
    """A year typed as ``what`` (``--year``, ``YEAR``), within the years irp knows."""
    from irp_cli.dates import unsupported

    stripped = text.strip()
    if not re.fullmatch(r"\d{4}", stripped):
        raise UsageError(f"{what} '{text}' is not a year: write four digits, for example 2026")
    year = int(stripped)
    if problem := unsupported(year, what):
        raise UsageError(problem, code="out-of-range")
    return year


def parse_text(text: str, what: str, *, if_empty: str) -> str:
    """Free text typed as option ``what`` (``--note``, ``--text``), without surrounding
    spaces; a :class:`UsageError` naming the option when it is empty (``if_empty`` says
    what to do instead), too long, or holds a
    character a visit file may not (the same rules as free text in the file, so a refusal
    names what was typed, not a line of the file that was never written)."""
    from irp_cli.text import check_free_text
    from irp_cli.visitfile.models import MAX_TEXT

    text = text.strip()
    if not text:
        raise UsageError(f"{what} is empty; {if_empty}")
    if len(text) > MAX_TEXT:
        raise UsageError(
            f"{what} is {len(text):,} characters long; at most {MAX_TEXT:,} are kept in a visit "
            "file"
        )
    try:
        return check_free_text(text)
    except ValueError as exc:
        raise UsageError(f"{what}: {exc}") from None


def parse_working_days(text: str, what: str, *, other: str | None = None) -> int:
    """A whole number of working days from 0 to the limit (about 8 years), typed as ``what``
    (``N``, ``--within``). ``other`` names the command that counts the other way, for the
    message about a negative number."""
    from irp_cli.calendar.workdays import MAX_DAYS

    match = _WHOLE_NUMBER.fullmatch(text.strip())
    if not match:
        raise UsageError(f"{what} '{text}' is not a whole number of working days, for example 5")
    sign, digits = match.groups()
    if sign == "-" and digits.strip("0"):
        if other is None:
            raise UsageError(f"{what} must be 0 or more working days, not {text.strip()}")
        raise UsageError(
            f"{what} must be 0 or more, not {text.strip()}: to count the other way use "
            f"'irp workdays {other}'"
        )
    if len(digits.lstrip("0")) > len(str(MAX_DAYS)) or int(digits) > MAX_DAYS:
        raise UsageError(
            f"{what} {digits} is too many working days: the limit is {MAX_DAYS} (about 8 years)"
        )
    return int(digits)


def choose_format(output: Path | None, explicit: str | None) -> DocumentFormat:
    """The format of a document from ``--format``, else from the ``-o`` file's extension, else
    Markdown; a usage error (exit 2) when they disagree or name no format irp writes."""
    from irp_cli.documents.render import EXTENSIONS, FORMATS

    choices = ", ".join(FORMATS)
    chosen: DocumentFormat | None = None
    if explicit is not None:
        for fmt in FORMATS:
            if explicit.lower() == fmt:
                chosen = fmt
        if chosen is None:
            raise UsageError(f"unknown format '{explicit}'; choose one of {choices}", code="format")
    if output is None:
        return chosen or "md"
    implied = EXTENSIONS.get(output.suffix.lower())
    if chosen is not None:
        if implied is not None and implied != chosen:
            raise UsageError(
                f"--format {chosen} does not match the output file '{output}', which is "
                f"{implied}; change the file name or leave out --format",
                code="format",
            )
        return chosen
    if implied is None:
        endings = ", ".join(EXTENSIONS)
        raise UsageError(
            f"cannot tell the format of '{output}' from its name: end it with one of {endings}, "
            f"or give --format ({choices})",
            code="format",
        )
    return implied


# --------------------------------------------------------------------------------------------
# Options

JSON = typer.Option("--json", help="Print machine-readable JSON on stdout.")
CONFIG = typer.Option(
    "--config",
    metavar="FILE",
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

DocumentDate = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="The date on the document (YYYY-MM-DD); defaults to today.",
        metavar="DATE",
        show_default=False,
    ),
]
