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
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from irp_cli.commands import common, options
from irp_cli.documents.recipients import Recipient
from irp_cli.errors import UsageError
from irp_cli.text import plural

if TYPE_CHECKING:
    from irp_cli.documents.context import Document
    from irp_cli.review.session import Loaded

# --------------------------------------------------------------------------------------------
# The commands


def letter(
    file: options.VisitFile,
    to: Annotated[
        Recipient,
        typer.Option(
            "--to",
            help="governor (the announcement letter), imb (to the IMB chair), or cqc, ofsted or "
            "estyn (to a partner that takes part).",
            case_sensitive=False,
        ),
    ] = Recipient.GOVERNOR,
    output: options.Output = None,
    fmt: options.Format = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    templates: options.Templates = None,
    config: options.ConfigFile = None,
    letter_date: options.DocumentDate = None,
    eml: Annotated[
        Path | None,
        typer.Option(
            "--eml",
            metavar="FILE",
            help="Also write the letter as an email draft (.eml) to open in Outlook and send: "
            "to the addressee, the governor's copied to the IMB chair (2.6), the Word letter "
            "attached.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """The Chief Inspector's letter announcing the visit (guide 2.6).

    To the governor or director: the visit dates, the concerns followed up (and those HMPPS
    rejected or partly accepted), Ofsted's or Estyn's themes, the liaison officer (2.7), what to
    send and by when (2.9, 2.10), copied to the IMB chair. --to imb writes the IMB chair's
    letter; --to cqc, ofsted or estyn the letter to a partner that takes part (2.2-2.5).

    Example: irp letter visits/hmp-fernlow.yaml -o letter.docx --date 2026-02-02
    """

    def build(loaded: Loaded, day: date) -> Document:
        from irp_cli.documents import context as documents
        from irp_cli.errors import Finding
        from irp_cli.output import print_findings

        document = documents.letter(
            loaded.doc.visit,
            loaded.config,
            loaded.timeline,
            loaded.calendar,
            letter_date=day,
            to=to,
            source=str(file),
        )
        notes = documents.letter_notes(loaded.timeline, day)
        print_findings(
            Finding(str(file), "warning", "letter-date", n, paragraph="2.6") for n in notes
        )
        return document

    opts = common.DocumentOptions(output, fmt, force, dry_run, templates, config, letter_date)
    if eml is None:
        common.run_document(file, opts, build)
        return
    loaded, day = common.load_for_document(file, opts)
    document = build(loaded, day)
    if output is not None:
        common.emit_document(document, loaded.config, opts, day)
    _write_eml(document, loaded, day, opts, eml, to)


def _write_eml(
    document: Document,
    loaded: Loaded,
    day: date,
    opts: common.DocumentOptions,
    eml: Path,
    to: Recipient,
) -> None:
    """The letter as an email draft with the Word letter attached (``irp letter --eml``)."""
    from datetime import datetime, time

    from irp_cli.documents import draft
    from irp_cli.documents.render import render_document
    from irp_cli.visitfile.config import letterhead_problem

    config, context = loaded.config, document.context
    if (problem := letterhead_problem(config)) is not None:
        raise problem
    data = render_document(
        document.template,
        context,
        "docx",
        title=document.title,
        marking=config.house.marking,
        user_dir=common.templates_dir(opts.templates, config),
        timestamp=datetime.combine(day, time()),
        letterhead=config.house.letterhead,
        logo_text=config.house.logo_text,
    )
    assert isinstance(data, bytes)

    def person(p: dict[str, object] | None) -> list[draft.Recipient]:
        if not p:
            return []
        return [draft.Recipient(str(p["name"]), str(p["email"]) if p.get("email") else None)]

    governor_at, imb_at = ("establishment", "governor"), ("establishment", "imb_chair")
    if to is Recipient.GOVERNOR:
        addressee, main, cc = (
            context["governor"],
            person(context["governor"]),
            person(context["imb_chair"]),
        )
        _warn_no_address(loaded, "To", "the governor", context["governor"], governor_at)
        copy = "the IMB chair, who is copied in (guide 2.6)"
        _warn_no_address(loaded, "Cc", copy, context["imb_chair"], imb_at)
    elif to is Recipient.IMB:
        addressee, main, cc = context["imb_chair"], person(context["imb_chair"]), []
        _warn_no_address(loaded, "To", "the IMB chair", addressee, imb_at)
    else:
        addressee = context["partner"]["contact"]
        main, cc = person(addressee), []
        where = ("partners", to.value, "contact")
        name = context["partner"]["short"]
        _warn_no_address(loaded, "To", f"{name}'s contact", addressee, where)
    signatory = context["house"]["signatory"]
    greeting = addressee["salutation"] if addressee else "Dear colleague"
    body = (
        f"{greeting},\n\nPlease find attached my letter about the independent review of "
        f"progress at {context['establishment']['name']} on {context['visit']['dates']}.\n\n"
        f"Yours sincerely,\n\n{signatory['name']}\n{signatory['title']}\n"
    )
    blob = draft.build_eml(
        to=main,
        cc=cc,
        subject=document.title,
        body=body,
        attachment=data,
        filename=f"{document.title.replace(':', ' -')}.docx",
    )
    common.deliver(blob, eml, force=opts.force, dry_run=opts.dry_run, what="email draft")


def _warn_no_address(
    loaded: Loaded,
    header: str,
    who: str,
    person: dict[str, object] | None,
    at: tuple[str, ...],
) -> None:
    """One warning when the email draft's ``header`` (To or Cc) has no address for ``who``:
    which visit-file field to fill in. The draft is still written, for the coordinator to
    address by hand."""
    if person and person.get("email"):
        return
    from irp_cli.errors import Finding
    from irp_cli.output import print_findings

    line, col, _path = loaded.doc.locate(at)  # the person (a planned visit always names them)
    message = (
        f"the email draft has no {header} address for {who}: add 'email:' under "
        f"{'.'.join(at)} in the visit file (the draft is written with {header} empty)"
    )
    print_findings([Finding(loaded.doc.name, "warning", "eml-address", message, line, col)])


def proforma(
    file: options.VisitFile,
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
    force: options.Force = False,
    dry_run: options.DryRun = False,
    templates: options.Templates = None,
    config: options.ConfigFile = None,
    letter_date: options.DocumentDate = None,
) -> None:
    """The pro forma naming the manager responsible for each concern followed up (guide 2.9).

    As a workbook (.xlsx: the ids and texts locked, the manager's name, job title and email to
    fill in), a CSV file, or a document. Read the filled one back with 'irp proforma-import'.

    Example: irp proforma visits/hmp-fernlow.yaml -o proforma.xlsx
    """
    chosen = _proforma_format(output, fmt)
    opts = common.DocumentOptions(output, chosen, force, dry_run, templates, config, letter_date)
    loaded, day = common.load_for_document(file, opts)
    document = _simple("proforma")(loaded, day)
    if chosen in ("xlsx", "csv"):
        from irp_cli.documents import proforma as sheets

        data: bytes
        if chosen == "xlsx":
            if output is None:
                raise UsageError("a workbook cannot be printed; give -o FILE.xlsx", code="format")
            from datetime import datetime, time

            marking, stamp = loaded.config.house.marking, datetime.combine(day, time())
            data = sheets.workbook_bytes(
                document.context, title=document.title, marking=marking, timestamp=stamp
            )
        else:  # a byte order mark in a file, for Excel; none when printed, for other tools
            data = sheets.csv_bytes(document.context, bom=output is not None)
        common.deliver(data, output, force=force, dry_run=dry_run, what=chosen)
        return
    common.emit_document(document, loaded.config, opts, day)


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
    received: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="The day the pro forma arrived (YYYY-MM-DD), recorded in visit.status.returns; "
            "defaults to today.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Record the managers from a filled pro forma in the visit file (guide 2.9).

    Writes each concern's responsible_manager (name, job title, email), and the pro forma's
    arrival (visit.status.returns: proforma, today or --date) when none is recorded, and
    leaves every other line of the file as it was, comments included. The pro forma must be
    this visit's: one for another visit (its 'Visit id'), or whose concern texts differ from
    the visit file's (an older version), is refused. Unknown ids, repeated ids and bad email
    addresses are errors (nothing is written); concerns left without a manager are warnings.

    Example: irp proforma-import visits/hmp-fernlow.yaml proforma-filled.xlsx
    """
    from irp_cli.files import exclusive

    day = common.date_or_today(received, "--date")
    with exclusive(file):  # read, change and write back with no other irp command in between
        _import_locked(file, filled, dry_run=dry_run, received=day)


def _import_locked(file: Path, filled: Path, *, dry_run: bool, received: date) -> None:
    from irp_cli.documents.proforma import describe, import_proforma
    from irp_cli.files import write_output
    from irp_cli.output import print_findings

    result = import_proforma(file, filled, received)
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
    status = write_output(file, result.new_text, force=True, dry_run=dry_run, replace_input=True)
    count = len(result.plan.managers)
    arrival = "; its arrival recorded" if result.recorded else ""
    typer.echo(f"{file}: {status} ({plural(count, 'manager')}{arrival})", err=True)
    for line in describe(result):
        typer.echo(f"  {line}", err=True)


def returns(
    file: options.VisitFile,
    output: options.Output = None,
    fmt: options.Format = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    templates: options.Templates = None,
    config: options.ConfigFile = None,
    letter_date: options.DocumentDate = None,
) -> None:
    """The checklist of what the prison sends before the visit, and what has arrived (2.9).

    The pro forma, action plan, presentation, data request, evidence, prisoner population report
    (the right NOMIS report for the establishment, Appendix II) and OSAG reports, due five
    working days before the visit (2.10); 'Received' comes from visit.status.

    Example: irp returns visits/hmp-fernlow.yaml -o returns.docx
    """
    opts = common.DocumentOptions(output, fmt, force, dry_run, templates, config, letter_date)
    common.run_document(file, opts, _simple("returns"))


def liaison(
    file: options.VisitFile,
    output: options.Output = None,
    fmt: options.Format = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    templates: options.Templates = None,
    config: options.ConfigFile = None,
    letter_date: options.DocumentDate = None,
) -> None:
    """The liaison officer's brief (guide Appendix I) with this visit's dates and times.

    Preparation (passes, keys, parking, the base room, documents by the due date, the venue for
    the 12.30pm presentation), contact with the team three times a day on each visit day, and
    what to do after the visit.

    Example: irp liaison visits/hmp-fernlow.yaml -o liaison.docx
    """
    opts = common.DocumentOptions(output, fmt, force, dry_run, templates, config, letter_date)
    common.run_document(file, opts, _simple("liaison"))


def _simple(kind: str) -> common.Builder:
    """The builder of a document made from the common context alone (``proforma``,
    ``returns``, ``liaison``: :data:`irp_cli.documents.context.SIMPLE_DOCUMENTS`)."""

    def build(loaded: Loaded, day: date) -> Document:
        from irp_cli.documents import context as documents

        visit, config, cal = loaded.doc.visit, loaded.config, loaded.calendar
        return documents.simple_document(kind, visit, config, loaded.timeline, cal, letter_date=day)

    return build


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command()(letter)
    app.command()(proforma)
    app.command(name="proforma-import")(proforma_import)
    app.command()(returns)
    app.command()(liaison)
