"""Steps shared by the commands that write documents and files: the document pipeline
(:func:`run_document`), render in the chosen format, then print or write safely."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import typer

from irp_cli.errors import Finding, IrpError, UsageError

if TYPE_CHECKING:
    from irp_cli.documents.context import Document
    from irp_cli.review.session import Loaded
    from irp_cli.visitfile.config import Config


def date_or_today(text: str | None, option: str) -> date:
    """A date option such as ``--today`` or ``--date``, or the real date when it is left out
    (the CLI reads the clock; the core never does). A date that does not exist, or lies outside
    the years irp knows the bank holidays for, is a usage error (exit 2)."""
    if text is None:
        return date.today()
    from irp_cli.commands.options import parse_day

    return parse_day(text, option)


# --------------------------------------------------------------------------------------------
# The document pipeline


class DocumentOptions(NamedTuple):
    """The options every document command takes (declared once, in :mod:`options`)."""

    output: Path | None = None  # -o FILE; None prints the document
    fmt: str | None = None  # --format md|html|docx; None: from -o's extension, else md
    force: bool = False  # --force: replace an existing output file
    dry_run: bool = False  # --dry-run: say what would be written, write nothing
    templates: Path | None = None  # --templates DIR, before irp.toml's 'templates'
    config: Path | None = None  # --config irp.toml
    date: str | None = None  # --date YYYY-MM-DD, the date on the document; None: today


#: The one part of a document command that is its own: from the loaded visit (its settings,
#: calendar and timeline) and the date on the document to the template, title and context.
Builder = Callable[["Loaded", date], "Document"]


def run_document(file: Path, opts: DocumentOptions, build: Builder) -> None:
    """The pipeline of every document command, so that a new document is a template, a
    context builder and a short command (register it in the module's ``register``)::

    def debrief(
        file: options.VisitFile,
        output: options.Output = None,
        fmt: options.Format = None,
        force: options.Force = False,
        dry_run: options.DryRun = False,
        templates: options.Templates = None,
        config: options.ConfigFile = None,
        letter_date: options.DocumentDate = None,
    ) -> None:
        '''The help, whose first line is the summary in 'irp --help'.'''
        opts = common.DocumentOptions(output, fmt, force, dry_run, templates, config, letter_date)
        common.run_document(file, opts, debrief_document)  # (loaded, day) -> Document

    The steps: the date on the document (``--date``, else today: the only place the clock is
    read; a bad date exits 2); the visit file loaded once with its settings, calendar and
    timeline and checked against the guide's rules (an error exits 1 before anything is
    written; its warnings go to stderr as FILE:LINE:COL lines, as in validate and plan);
    ``build(loaded, day)``, which returns a
    :class:`~irp_cli.documents.context.Document` (it may raise :class:`IrpError` for a
    document that cannot be made, or print warnings for the coordinator); then the document
    rendered in the chosen format and printed or written safely (:func:`emit_document`).
    """
    loaded, day = load_for_document(file, opts)
    emit_document(build(loaded, day), loaded.config, opts, day)


def load_for_document(file: Path, opts: DocumentOptions) -> tuple[Loaded, date]:
    """The first half of :func:`run_document`: the date on the document and the checked
    visit, for a command that delivers something other than a rendered document. The visit
    file's warnings (``team-size``, ``visit-consecutive``, ...) are printed on stderr, as
    ``validate`` and ``plan`` print them: whoever is about to send a document sees them. They
    change neither stdout nor the exit code."""
    from irp_cli.output import print_findings
    from irp_cli.review.session import Session

    day = date_or_today(opts.date, "--date")
    loaded = Session(opts.config).load(file, strict=True, today=day)
    if loaded.doc.visit.record is not None:
        from irp_cli.visitfile.positions import key_position

        line, col = key_position(loaded.doc.root, ("record",)) or (None, None)
        raise IrpError.at(
            loaded.doc.name,
            "this is a past record (it has a 'record:' section): letters and the documents "
            "sent to the prison are made only for a visit being planned",
            code="past-record",
            line=line,
            col=col,
        )
    print_findings(loaded.warnings)
    return loaded, day


def templates_dir(option: Path | None, config: Config) -> Path | None:
    return option if option is not None else config.templates


def emit_document(
    document: Document,
    config: Config,
    opts: DocumentOptions,
    day: date,
) -> None:
    """The second half of :func:`run_document`: render ``document`` in the chosen format
    (``day`` is the Word file's creation date) and print or write it. ``config`` is the
    settings of the visit (or, for a document over a folder of visits, of the folder)."""
    from datetime import datetime, time

    from irp_cli.commands.options import choose_format
    from irp_cli.documents.render import convert, render_text
    from irp_cli.visitfile.config import letterhead_problem

    chosen = choose_format(opts.output, opts.fmt)
    if opts.output is None and chosen == "docx":
        raise UsageError("a Word document cannot be printed; give -o FILE.docx", code="format")
    if chosen == "docx" and (problem := letterhead_problem(config)) is not None:
        raise problem
    user_dir = templates_dir(opts.templates, config)
    markdown = render_text(document.template, document.context, user_dir=user_dir)
    warn_placeholders(config, markdown)
    data = convert(  # the Markdown rendered once, for the warning and the document
        markdown,
        chosen,
        title=document.title,
        marking=config.house.marking,
        timestamp=datetime.combine(day, time()),
        letterhead=config.house.letterhead,
        logo_text=config.house.logo_text,
        charts=document.context.get("charts") or None,
    )
    deliver(data, opts.output, force=opts.force, dry_run=opts.dry_run, what=chosen)


def warn_placeholders(config: Config, markdown: str) -> None:
    """Say so when this document (``markdown``, as rendered) shows the letterhead's or the
    signature's '[placeholder]': only documents that print them, and naming the settings file
    to edit, or saying to create one when there is none."""
    from irp_cli.output import print_findings
    from irp_cli.paths import CONFIG_NAME, user_config_dir

    house = config.house
    settings = {"address": house.address, "signatory_name": [house.signatory_name]}

    def printed(value: str) -> bool:  # as written, or with Markdown's escaped brackets
        escaped = value.replace("[", "\\[").replace("]", "\\]")
        return value.startswith("[") and (value in markdown or escaped in markdown)

    shown = [key for key, values in settings.items() if any(map(printed, values))]
    if not shown:
        return
    names = " and ".join(shown)
    if config.source is not None:
        where = str(config.source)
        message = (
            f"the document shows placeholders for {names}: set them under [house] in this "
            "file (see docs/settings.md)"
        )
    else:
        where = "irp"
        message = (
            f"the document shows placeholders for {names}: no settings file was found; create "
            f"{CONFIG_NAME} beside the visit file (or in {user_config_dir()}) with a [house] "
            "section that sets them (see docs/settings.md)"
        )
    print_findings([Finding(where, "warning", "house-settings", message)])


def deliver(
    data: str | bytes, output: Path | None, *, force: bool, dry_run: bool, what: str
) -> None:
    if output is None:
        if dry_run:
            typer.echo(f"would print the document ({what}) on standard output", err=True)
            return
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            from irp_cli.text import terminal_safe

            sys.stdout.write(terminal_safe(data))  # a user's template may hold escape codes
        return
    from irp_cli.files import write_output

    status = write_output(output, data, force=force, dry_run=dry_run)
    typer.echo(f"{output}: {status}", err=True)
