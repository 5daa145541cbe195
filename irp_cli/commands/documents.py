"""``irp letter``, ``irp proforma``, ``irp proforma-import``, ``irp returns`` and ``irp liaison``:
the documents the coordinator sends to the prison and its partners.

Each document command reads one visit file (refused if it breaks one of the guide's rules),
works out its dates from the timeline, renders the document's template and prints it (Markdown)
or writes it with ``-o`` (Markdown, HTML or Word, from the extension or ``--format``). The letter
date is ``--date`` or today: the only place the clock is read.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from irp_cli.commands import common, options
from irp_cli.errors import UsageError

if TYPE_CHECKING:
    from irp_cli.calendar.timeline import Timeline
    from irp_cli.review.session import Loaded

# --------------------------------------------------------------------------------------------
# Options shared by the document commands

FILE = typer.Argument(metavar="FILE", help="The visit file.", dir_okay=False)
OUTPUT = typer.Option(
    "--output",
    "-o",
    metavar="FILE",
    help="Write the document to this file (.md, .html or .docx) instead of printing it.",
    dir_okay=False,
)
FORMAT = typer.Option(
    "--format",
    help="md, html or docx; by default from the -o file's extension, else md.",
    metavar="FORMAT",
)
TEMPLATES = typer.Option(
    "--templates",
    metavar="DIR",
    help="A folder of your own templates, searched before the built-in ones (overrides "
    "'templates' in irp.toml).",
    file_okay=False,
)
DATE = typer.Option(
    "--date",
    help="The date on the document (YYYY-MM-DD); defaults to today.",
    metavar="DATE",
    show_default=False,
)


class LetterTo(StrEnum):
    """Who the letter is for (the same values as :class:`irp_cli.documents.context.Recipient`)."""

    GOVERNOR = "governor"
    IMB = "imb"
    CQC = "cqc"
    OFSTED = "ofsted"
    ESTYN = "estyn"


# --------------------------------------------------------------------------------------------
# The shared steps


def _load(file: Path, config: Path | None) -> Loaded:
    from irp_cli.review.session import Session

    return Session(config).load(file, strict=True)


def _timeline(loaded: Loaded, letter_date: date) -> Timeline:
    return loaded.timeline(today=letter_date)  # a date beyond the known years: at its line


# --------------------------------------------------------------------------------------------
# The commands


def letter(
    file: Annotated[Path, FILE],
    to: Annotated[
        LetterTo,
        typer.Option(
            "--to",
            help="governor (the announcement letter), imb (to the IMB chair), or cqc, ofsted or "
            "estyn (to a partner that takes part).",
            case_sensitive=False,
        ),
    ] = LetterTo.GOVERNOR,
    output: Annotated[Path | None, OUTPUT] = None,
    fmt: Annotated[str | None, FORMAT] = None,
    force: Annotated[bool, options.FORCE] = False,
    dry_run: Annotated[bool, options.DRY_RUN] = False,
    templates: Annotated[Path | None, TEMPLATES] = None,
    config: Annotated[Path | None, options.CONFIG] = None,
    letter_date: Annotated[str | None, DATE] = None,
) -> None:
    """The Chief Inspector's letter announcing the visit (guide 2.6).

    To the governor or director: the visit dates, the concerns followed up (and those HMPPS
    rejected or partly accepted), Ofsted's or Estyn's themes, the liaison officer (2.7), what to
    send and by when (2.9, 2.10), copied to the IMB chair. --to imb writes the IMB chair's
    letter; --to cqc, ofsted or estyn the letter to a partner that takes part (2.2-2.5).

    Example: irp letter visits/hmp-fernlow.yaml -o letter.docx --date 2026-02-02
    """
    from irp_cli.documents import context as documents
    from irp_cli.errors import Finding
    from irp_cli.output import print_findings

    day = common.date_or_today(letter_date, "--date")
    loaded = _load(file, config)
    timeline = _timeline(loaded, day)
    document = documents.letter(
        loaded.doc.visit,
        loaded.config,
        timeline,
        loaded.calendar,
        letter_date=day,
        to=documents.Recipient(to.value),
        source=str(file),
    )
    notes = documents.letter_notes(timeline, day)
    print_findings(Finding(str(file), "warning", "letter-date", n, paragraph="2.6") for n in notes)
    common.emit_document(
        document,
        loaded,
        output=output,
        fmt=fmt,
        force=force,
        dry_run=dry_run,
        templates=templates,
        letter_date=day,
    )


def proforma(
    file: Annotated[Path, FILE],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write it to this file: a workbook (.xlsx) or CSV file (.csv) for the prison "
            "to fill in, or a document (.md, .html, .docx).",
            dir_okay=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="xlsx, csv, md, html or docx; by default from the -o file's extension, else md.",
            metavar="FORMAT",
        ),
    ] = None,
    force: Annotated[bool, options.FORCE] = False,
    dry_run: Annotated[bool, options.DRY_RUN] = False,
    templates: Annotated[Path | None, TEMPLATES] = None,
    config: Annotated[Path | None, options.CONFIG] = None,
    letter_date: Annotated[str | None, DATE] = None,
) -> None:
    """The pro forma naming the manager responsible for each concern followed up (guide 2.9).

    As a workbook (.xlsx: the ids and texts locked, the manager's name, job title and email to
    fill in), a CSV file, or a document. Read the filled one back with 'irp proforma-import'.

    Example: irp proforma visits/hmp-fernlow.yaml -o proforma.xlsx
    """
    from irp_cli.documents import context as documents

    chosen = _proforma_format(output, fmt)
    day = common.date_or_today(letter_date, "--date")
    loaded = _load(file, config)
    timeline = _timeline(loaded, day)
    document = documents.simple_document(
        "proforma", loaded.doc.visit, loaded.config, timeline, loaded.calendar, letter_date=day
    )
    if chosen in ("xlsx", "csv"):
        from irp_cli.documents import proforma as sheets

        data: bytes
        if chosen == "xlsx":
            if output is None:
                raise UsageError("a workbook cannot be printed; give -o FILE.xlsx", code="format")
            marking = loaded.config.house.marking
            data = sheets.workbook_bytes(document.context, title=document.title, marking=marking)
        else:  # a byte order mark in a file, for Excel; none when printed, for other tools
            data = sheets.csv_bytes(document.context, bom=output is not None)
        common.deliver(data, output, force=force, dry_run=dry_run, what=chosen)
        return
    common.emit_document(
        document,
        loaded,
        output=output,
        fmt=chosen,
        force=force,
        dry_run=dry_run,
        templates=templates,
        letter_date=day,
    )


_SHEETS = {".xlsx": "xlsx", ".csv": "csv"}


def _proforma_format(output: Path | None, fmt: str | None) -> str | None:
    """xlsx or csv when asked for (or named by the -o extension); else None, for choose_format."""
    wanted = fmt.lower() if fmt is not None else None
    implied = _SHEETS.get(output.suffix.lower()) if output is not None else None
    if wanted in ("xlsx", "csv"):
        if output is not None and output.suffix.lower() != f".{wanted}":
            raise UsageError(
                f"--format {wanted} does not match the output file '{output}'; name it "
                f"'.{wanted}' or leave out --format",
                code="format",
            )
        return wanted
    if implied is not None:
        if wanted is not None:
            raise UsageError(
                f"--format {wanted} does not match the output file '{output}', which is "
                f"{implied}; change the file name or leave out --format",
                code="format",
            )
        return implied
    return fmt


def proforma_import(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The visit file to update.", dir_okay=False)
    ],
    filled: Annotated[
        Path,
        typer.Argument(
            metavar="FILLED",
            help="The pro forma the prison filled in (.xlsx or .csv).",
            dir_okay=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the changes to the visit file; write nothing.")
    ] = False,
) -> None:
    """Record the managers from a filled pro forma in the visit file (guide 2.9).

    Writes each concern's responsible_manager (name, job title, email) and leaves every other
    line of the file as it was, comments included. Unknown ids, repeated ids and bad email
    addresses are errors (nothing is written); concerns left without a manager are warnings.

    Example: irp proforma-import visits/hmp-fernlow.yaml proforma-filled.xlsx
    """
    from irp_cli.documents.proforma import describe, import_proforma
    from irp_cli.files import write_output
    from irp_cli.output import print_findings

    result = import_proforma(file, filled)
    print_findings(result.plan.findings)
    if not result.changed:
        typer.echo(f"{file}: unchanged (no new managers in {filled})", err=True)
        return
    if dry_run:
        import difflib

        diff = difflib.unified_diff(
            result.old_text.splitlines(keepends=True),
            result.new_text.splitlines(keepends=True),
            fromfile=str(file),
            tofile=f"{file} (with managers)",
        )
        sys.stdout.writelines(diff)
    status = write_output(file, result.new_text, force=True, dry_run=dry_run)
    count = len(result.plan.managers)
    typer.echo(f"{file}: {status} ({count} manager{'s' * (count != 1)})", err=True)
    for line in describe(result):
        typer.echo(f"  {line}", err=True)


def returns(
    file: Annotated[Path, FILE],
    output: Annotated[Path | None, OUTPUT] = None,
    fmt: Annotated[str | None, FORMAT] = None,
    force: Annotated[bool, options.FORCE] = False,
    dry_run: Annotated[bool, options.DRY_RUN] = False,
    templates: Annotated[Path | None, TEMPLATES] = None,
    config: Annotated[Path | None, options.CONFIG] = None,
    letter_date: Annotated[str | None, DATE] = None,
) -> None:
    """The checklist of what the prison sends before the visit, and what has arrived (2.9).

    The pro forma, action plan, presentation, data request, evidence, prisoner population report
    (the right NOMIS report for the establishment, Appendix II) and OSAG reports, due five
    working days before the visit (2.10); 'Received' comes from visit.status.

    Example: irp returns visits/hmp-fernlow.yaml -o returns.docx
    """
    _simple("returns", file, output, fmt, force, dry_run, templates, config, letter_date)


def liaison(
    file: Annotated[Path, FILE],
    output: Annotated[Path | None, OUTPUT] = None,
    fmt: Annotated[str | None, FORMAT] = None,
    force: Annotated[bool, options.FORCE] = False,
    dry_run: Annotated[bool, options.DRY_RUN] = False,
    templates: Annotated[Path | None, TEMPLATES] = None,
    config: Annotated[Path | None, options.CONFIG] = None,
    letter_date: Annotated[str | None, DATE] = None,
) -> None:
    """The liaison officer's brief (guide Appendix I) with this visit's dates and times.

    Preparation (passes, keys, parking, the base room, documents by the due date, the venue for
    the 12.30pm presentation), contact with the team three times a day on each visit day, and
    what to do after the visit.

    Example: irp liaison visits/hmp-fernlow.yaml -o liaison.docx
    """
    _simple("liaison", file, output, fmt, force, dry_run, templates, config, letter_date)


def _simple(
    kind: str,
    file: Path,
    output: Path | None,
    fmt: str | None,
    force: bool,
    dry_run: bool,
    templates: Path | None,
    config: Path | None,
    letter_date: str | None,
) -> None:
    """A document with no options of its own: ``irp returns`` and ``irp liaison``."""
    from irp_cli.documents import context as documents

    day = common.date_or_today(letter_date, "--date")
    loaded = _load(file, config)
    timeline = _timeline(loaded, day)
    document = documents.simple_document(
        kind, loaded.doc.visit, loaded.config, timeline, loaded.calendar, letter_date=day
    )
    common.emit_document(
        document,
        loaded,
        output=output,
        fmt=fmt,
        force=force,
        dry_run=dry_run,
        templates=templates,
        letter_date=day,
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command()(letter)
    app.command()(proforma)
    app.command(name="proforma-import")(proforma_import)
    app.command()(returns)
    app.command()(liaison)
