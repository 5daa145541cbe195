"""Steps shared by the commands that write documents and files: render in the chosen format,
then print or write safely."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from irp_cli.errors import Finding, UsageError

if TYPE_CHECKING:
    from irp_cli.documents.context import Document
    from irp_cli.review.session import Loaded


def date_or_today(text: str | None, option: str) -> date:
    """A date option such as ``--today`` or ``--date``, or the real date when it is left out
    (the CLI reads the clock; the core never does). A date that does not exist, or lies outside
    the years irp knows the bank holidays for, is a usage error (exit 2)."""
    if text is None:
        return date.today()
    from irp_cli.calendar.workdays import FIRST_DAY, LAST_DAY, SUPPORTED, OutOfRange
    from irp_cli.commands.workdays import parse_date

    day = parse_date(text, option)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise OutOfRange(f"{option} {day.isoformat()} is outside the supported years: {SUPPORTED}")
    return day


def templates_dir(option: Path | None, loaded: Loaded) -> Path | None:
    return option if option is not None else loaded.config.templates


def emit_document(
    document: Document,
    loaded: Loaded,
    *,
    output: Path | None,
    fmt: str | None,
    force: bool,
    dry_run: bool,
    templates: Path | None,
    letter_date: date,
) -> None:
    """Render ``document`` in the chosen format and print or write it."""
    from datetime import datetime, time

    from irp_cli.documents.render import choose_format, render_document

    chosen = choose_format(output, fmt)
    if output is None and chosen == "docx":
        raise UsageError("a Word document cannot be printed; give -o FILE.docx", code="format")
    warn_placeholders(loaded)
    data = render_document(
        document.template,
        document.context,
        chosen,
        title=document.title,
        marking=loaded.config.house.marking,
        user_dir=templates_dir(templates, loaded),
        timestamp=datetime.combine(letter_date, time()),
    )
    deliver(data, output, force=force, dry_run=dry_run, what=chosen)


def warn_placeholders(loaded: Loaded) -> None:
    """Say so when the letterhead or signature would print a '[placeholder]'."""
    from irp_cli.output import print_findings

    missing = loaded.config.house.placeholders()
    if missing:
        where = str(loaded.config.source) if loaded.config.source else "irp.toml"
        message = (
            f"the document shows placeholders for {' and '.join(missing)}: set them under "
            f"[house] in {where} (see the README, 'Settings')"
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
            sys.stdout.write(data)
        return
    from irp_cli.files import write_output

    status = write_output(output, data, force=force, dry_run=dry_run)
    typer.echo(f"{output}: {status}", err=True)
