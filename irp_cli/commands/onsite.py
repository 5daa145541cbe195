"""``irp evidence add``, ``irp judge``, ``irp progress`` and ``irp debrief``: recording the visit
and compiling its judgements (guide 3.1, 3.2, 4.1-4.4)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from irp_cli.commands import common, options
from irp_cli.errors import EXIT_OK, EXIT_PROBLEMS, UsageError

if TYPE_CHECKING:
    from irp_cli.onsite.evidence import Record
    from irp_cli.onsite.record import Change
    from irp_cli.review.session import Loaded


class Source(StrEnum):
    """The source types of guide 3.2 (the same values as models.EvidenceSource)."""

    STAFF = "staff"
    PRISONERS = "prisoners"
    PRISONER_GROUP = "prisoner-group"
    THIRD_PARTY = "third-party"
    DOCUMENTATION = "documentation"
    DATA = "data"
    OBSERVATION = "observation"


class Question(StrEnum):
    """The key questions of guide 4.3 (the same values as models.KeyQuestion)."""

    LEADERSHIP = "leadership"
    PLANNING = "planning"
    ACTION = "action"
    EVALUATION = "evaluation"


def _load(file: Path, config: Path | None) -> Loaded:
    from irp_cli.review.session import Session

    return Session(config).load(file, strict=True)


def _record(loaded: Loaded) -> Record:
    """The visit with its evidence files; errors in them stop the command."""
    from irp_cli.errors import IrpError, errors_only
    from irp_cli.onsite.evidence import load_record

    record = load_record(loaded)
    if errors_only(record.findings):
        raise IrpError(record.findings)
    return record


def _write(change: Change, dry_run: bool) -> None:
    from irp_cli.files import write_output

    if not change.changed:  # pragma: no cover - every edit adds or changes a line
        typer.echo(f"{change.path}: unchanged", err=True)
        return
    if dry_run:
        import difflib

        diff = difflib.unified_diff(
            change.old_text.splitlines(keepends=True),
            change.new_text.splitlines(keepends=True),
            fromfile=str(change.path),
            tofile=f"{change.path} (after)",
        )
        sys.stdout.writelines(diff)
    status = write_output(
        change.path, change.new_text, force=True, dry_run=dry_run, replace_input=True
    )
    typer.echo(f"{change.path}: {status}: {change.summary}", err=True)


DRY_RUN = typer.Option("--dry-run", help="Show the change to the file; write nothing.")

# --------------------------------------------------------------------------------------------
# irp evidence add

evidence_app = typer.Typer(
    help="Record evidence gathered at the visit (guide 3.2).", no_args_is_help=True
)


@evidence_app.command("add")
def evidence_add(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The visit file, or an evidence file beside it (NAME.evidence/WHO.yaml, "
            "created if it does not exist yet).",
            dir_okay=False,
        ),
    ],
    concern: Annotated[str, typer.Argument(metavar="CONCERN", help="The concern's id, e.g. P1.")],
    note: Annotated[
        str,
        typer.Option("--note", "-n", metavar="TEXT", help="What was found, in a sentence or two."),
    ],
    source: Annotated[
        Source | None,
        typer.Option(
            "--source",
            "-s",
            help="Where it comes from: staff, prisoners, prisoner-group, third-party, "
            "documentation, data or observation.",
            case_sensitive=False,
        ),
    ] = None,
    question: Annotated[
        Question | None,
        typer.Option(
            "--question",
            "-q",
            help="Instead of --source: record the note against a key question (leadership, "
            "planning, action or evaluation, guide 4.3).",
            case_sensitive=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="NAME",
            help="Who gathered it: a name as under 'team', or a part of it no one else's has "
            "(any case), e.g. --by helen.",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--date", help="When it was gathered (YYYY-MM-DD); defaults to today.", metavar="DATE"
        ),
    ] = None,
    dry_run: Annotated[bool, DRY_RUN] = False,
    config: options.ConfigFile = None,
) -> None:
    """Add a piece of evidence, or a key-question note, about a concern.

    Writes into the visit file, or into an evidence file beside it so that each inspector
    has a file of their own (see docs/visit-file.md, 'Evidence files'). Every other line of the file
    stays as it was, comments included. An unknown concern, a concern not followed up, or a
    name not on the team is refused, and nothing is written.

    Example: irp evidence add visits/hmp-fernlow.yaml P1 -s observation -n "Wings unlocked on
    time" --by "Helen Ardagh"
    """
    from irp_cli.files import exclusive
    from irp_cli.onsite.evidence import is_evidence_file, visit_file_for
    from irp_cli.onsite.record import add_evidence
    from irp_cli.visitfile.models import EvidenceSource, KeyQuestion

    if (source is None) == (question is None):
        raise UsageError(
            "give either --source (a piece of evidence) or --question (a key-question note)"
        )
    note = options.parse_text(note, "--note", if_empty="say what was found")
    visit_path = visit_file_for(file) if is_evidence_file(file) else file
    day = common.date_or_today(on, "--date")
    with exclusive(visit_path):  # one edit of a visit (or its evidence files) at a time
        loaded = _load(visit_path, config)
        _record(loaded)  # the evidence files must read cleanly before one is added to
        change = add_evidence(
            loaded,
            file,
            concern,
            note,
            source=EvidenceSource(source.value) if source else None,
            question=KeyQuestion(question.value) if question else None,
            by=by,
            on=day,
        )
        _write(change, dry_run)


# --------------------------------------------------------------------------------------------
# irp judge


def judge(
    file: options.VisitFile,
    item: Annotated[
        str, typer.Argument(metavar="CONCERN", help="A concern's id (e.g. P1) or a theme's (T1).")
    ],
    judgement: Annotated[
        str,
        typer.Argument(
            metavar="JUDGEMENT",
            help="For a concern (4.1): no-meaningful-progress, insufficient-progress, "
            "reasonable-progress or good-progress; for a partner theme (4.2): "
            "insufficient-progress, reasonable-progress or significant-progress. 'good' "
            "is short for 'good-progress', and so on.",
        ),
    ],
    text: Annotated[
        str | None, typer.Option("--text", "-t", help="The short written judgement (3.1).")
    ] = None,
    dry_run: Annotated[bool, DRY_RUN] = False,
    config: options.ConfigFile = None,
) -> None:
    """Record the judgement on a concern (guide 4.1) or a partner's theme (4.2).

    Writes 'judgement' (and 'judgement_text' with --text) into the visit file, every other
    line as it was. A judgement on the wrong scale, an unknown id, or a concern that is not
    followed up is refused, and nothing is written.

    Example: irp judge visits/hmp-fernlow.yaml P1 reasonable --text "Leaders had a realistic
    plan and time out of cell had improved."
    """
    from irp_cli.files import exclusive
    from irp_cli.onsite.record import judge as record_judgement

    if text is not None:
        text = options.parse_text(
            text, "--text", if_empty="write the judgement, or leave --text out"
        )
    with exclusive(file):  # read, change and write back with no other irp edit in between
        loaded = _load(file, config)
        _write(record_judgement(loaded, item, judgement, text), dry_run)


# --------------------------------------------------------------------------------------------
# irp progress


def progress(
    file: options.VisitFile,
    as_json: options.AsJson = False,
    config: options.ConfigFile = None,
) -> None:
    """The team leader's view of the evidence and judgements so far (guide 3.2, 4.1, 4.3).

    Per concern followed up, grouped by healthy prison area: the evidence by source type, the
    key questions with notes, whether its evidence is triangulated (from at least two source
    types; [evidence] triangulation_sources in irp.toml) and whether it is judged. Gaps are
    coloured in a terminal. Always exits 0 for a file that reads: it is a view.
    """
    from irp_cli.onsite.progress import progress as build

    loaded = _load(file, config)
    record = _record(loaded)
    from irp_cli.output import print_findings

    print_findings(record.findings)
    view = build(record)
    if as_json:
        from irp_cli.output import print_json

        print_json(view.as_dict())
        return
    from irp_cli.output import progress_table

    progress_table(loaded.doc.visit.establishment.name, view)


# --------------------------------------------------------------------------------------------
# irp debrief


def debrief(
    file: options.VisitFile,
    output: options.Output = None,
    fmt: options.Format = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    templates: options.Templates = None,
    config: options.ConfigFile = None,
    letter_date: options.DocumentDate = None,
    as_json: options.AsJson = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Treat the checks' warnings as errors: exit 1, write nothing."
        ),
    ] = False,
) -> None:
    """The debrief document: the judgements on each concern and theme (guide 4.4).

    First the checks, one line each on stderr: every concern followed up and every partner
    theme judged, judgements on triangulated evidence (3.2), key-question notes (4.3), written
    judgements (3.1), and a debrief dated before the last visit day (4.4). They are warnings;
    broken files and wrong scales are errors (exit 1).
    Then the document: the visit's details, each concern by healthy prison area with its
    judgement and written judgement, the partner themes, a summary table of how many are at
    each judgement, and the definitions of 4.1 and 4.2. There is no overall judgement. When
    visit.population_summary names the prisoner population summary (Appendix II), it is
    checked (any inconsistency: exit 1, nothing written) and ends the document as an appendix.

    Example: irp debrief visits/hmp-fernlow.yaml -o debrief.docx
    """
    from irp_cli.errors import IrpError
    from irp_cli.onsite import debrief as core
    from irp_cli.output import print_findings, print_json

    opts = common.DocumentOptions(output, fmt, force, dry_run, templates, config, letter_date)
    loaded, day = common.load_for_document(file, opts)
    record = _record(loaded)
    found = core.findings(record, day)
    if as_json:
        print_json(core.as_json(record, found))
        raise typer.Exit(EXIT_PROBLEMS if strict and found else EXIT_OK)
    if strict and found:
        raise IrpError(found)
    from irp_cli.population.document import load_appendix, with_appendix

    appendix = load_appendix(loaded.doc, loaded.config)  # visit.population_summary, checked
    print_findings(found)
    document = with_appendix(core.document(record, day), appendix)
    common.emit_document(document, loaded.config, opts, day)


def report(
    file: options.VisitFile,
    output: options.Output = None,
    fmt: options.Format = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    templates: options.Templates = None,
    config: options.ConfigFile = None,
    letter_date: options.DocumentDate = None,
) -> None:
    """The draft report, in the shape of published IRP reports (guide 5.1).

    The title with the visit dates, a cover note with the dates for factual accuracy checking
    and publication (5.1), an introduction restating the previous inspection's healthy prison
    assessments (1.4), numbered summary paragraphs, the concerns by judgement band, a section
    per concern by healthy prison area starting from its written judgement (3.1), the partner
    themes (4.2), notable positive practice, the team and judgement definitions, and the
    prisoner population summary (Appendix II) when visit.population_summary names it (checked
    first: figures that do not add up stop it, exit 1). The debrief's checks are printed first
    as warnings; gaps show as [placeholders] in the draft.

    Example: irp report visits/hmp-fernlow.yaml -o draft-report.docx
    """
    from irp_cli.onsite import debrief as checks
    from irp_cli.onsite.report import report_document
    from irp_cli.output import print_findings

    opts = common.DocumentOptions(output, fmt, force, dry_run, templates, config, letter_date)
    loaded, day = common.load_for_document(file, opts)
    record = _record(loaded)
    print_findings(checks.findings(record, day, document="the draft report"))
    from irp_cli.population.document import load_appendix, with_appendix

    appendix = load_appendix(loaded.doc, loaded.config)  # visit.population_summary, checked
    document = with_appendix(report_document(record, day), appendix)
    common.emit_document(document, loaded.config, opts, day)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(evidence_app, name="evidence")
    app.command()(judge)
    app.command()(progress)
    app.command()(debrief)
    app.command()(report)
