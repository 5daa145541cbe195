"""``irp population guide`` and ``irp population check``: the prisoner population summary of
guide Appendix II.

The core is :mod:`irp_cli.population`; this module reads the options, calls it, and prints the
problems (stderr) and the tables with their bar charts (stdout).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from irp_cli.commands import common, options
from irp_cli.errors import EXIT_OK, EXIT_PROBLEMS
from irp_cli.output import bar_character
from irp_cli.text import plural

if TYPE_CHECKING:
    from datetime import date

    from irp_cli.documents.context import Document
    from irp_cli.errors import Finding
    from irp_cli.population.summary import Summary
    from irp_cli.review.session import Loaded
    from irp_cli.visitfile.config import Config
    from irp_cli.visitfile.models import Establishment

app = typer.Typer(
    help="The prisoner population summary (guide Appendix II): which report to ask for, and "
    "whether the figures the prison sent add up.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

SUMMARY = typer.Argument(
    metavar="SUMMARY",
    help="The summary's figures typed into a YAML file (see examples/population/), or the "
    "PDF the prison sent (.pdf, read from its text layer).",
    dir_okay=False,
)
VISIT = typer.Option(
    "--visit",
    metavar="FILE",
    help="The visit file: the summary must be its establishment's, from the right report.",
    dir_okay=False,
)


def guide(
    file: options.VisitFile,
    output: options.Output = None,
    fmt: options.Format = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    templates: options.Templates = None,
    config: options.ConfigFile = None,
    letter_date: options.DocumentDate = None,
) -> None:
    """Which NOMIS population report the prison runs, and how to send it (guide Appendix II).

    From the establishment's type: the 'Adult HMP Establishments Population Breakdown', the
    'YOI Population Breakdown' or the 'Population Breakdown for Split Establishments - Adults
    and Young Adults'; only its first tab, 'summary', as a PDF, by the day the prison's
    documents are due (2.10), with the steps to produce it. The same text is in 'irp returns'
    and 'irp letter'.

    Example: irp population guide visits/hmp-fernlow.yaml -o population-report.docx
    """
    opts = common.DocumentOptions(output, fmt, force, dry_run, templates, config, letter_date)
    common.run_document(file, opts, _guide)


def _guide(loaded: Loaded, day: date) -> Document:
    from irp_cli.population.document import guide_document

    visit, cal = loaded.doc.visit, loaded.calendar
    return guide_document(visit, loaded.config, loaded.timeline, cal, letter_date=day)


def _settings(summary: Path, visit: Path | None, config: Path | None) -> Config:
    from irp_cli.visitfile.config import load_config

    return load_config(config, near=visit if visit is not None else summary)


def _establishment(visit: Path | None, config: Path | None) -> Establishment | None:
    if visit is None:
        return None
    from irp_cli.review.session import Session

    return Session(config).load(visit).doc.visit.establishment


def checked(
    summary_path: Path, visit: Path | None, config: Path | None
) -> tuple[Summary, list[Finding]]:
    """Read and check a summary (the steps shared by the commands that show one)."""
    from irp_cli.population.checks import Limits, check_summary
    from irp_cli.population.pdf import read_summary

    settings = _settings(summary_path, visit, config)
    establishment = _establishment(visit, config)
    summary = read_summary(summary_path)
    findings = check_summary(
        summary, limits=Limits.from_config(settings), establishment=establishment
    )
    return summary, findings


def check(
    summary_file: Annotated[Path, SUMMARY],
    visit: Annotated[Path | None, VISIT] = None,
    as_json: Annotated[bool, options.JSON] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only the problems, not the tables.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    output: options.Output = None,
    fmt: options.Format = None,
    force: options.Force = False,
    dry_run: options.DryRun = False,
    templates: options.Templates = None,
    config: Annotated[Path | None, options.CONFIG] = None,
) -> None:
    """Check that the population summary's figures add up (guide Appendix II).

    Each row's counts add up to its Total where the report has a Total column; each section's
    rows add up to its Total row; every section counts the same population; each percentage
    matches its count (within 0.1); the minimum age is not above the maximum, and both are
    plausible. With --visit, the summary must be the visit's establishment's. Every problem is
    one line, FILE:LINE:COL. Then each section as a table with a bar chart; with -o FILE
    (.md, .html with SVG charts, .docx with Word charts) or --format, as a document.

    Exit 0 when the figures are consistent (warnings allowed unless --strict), 1 otherwise.

    Example: irp population check visits/population/hmp-fernlow.yaml --visit visits/hmp-fernlow.yaml
    """
    from irp_cli.output import print_findings, print_json
    from irp_cli.population.view import json_view, summary_view

    summary, findings = checked(summary_file, visit, config)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    print_findings(findings)
    if output is not None or fmt is not None:
        opts = common.DocumentOptions(output, fmt, force, dry_run, templates, config)
        _emit_summary(summary, findings, _settings(summary_file, visit, config), opts)
    elif as_json:
        print_json(json_view(summary, findings))
    elif not quiet:
        sys.stdout.write(terminal_tables(summary_view(summary, findings), bar_character()))
    typer.echo(
        f"{summary_file}: {plural(errors, 'inconsistency', 'inconsistencies')}, "
        f"{plural(warnings, 'warning')}",
        err=True,
    )
    failed = errors > 0 or (strict and warnings > 0)
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _emit_summary(
    summary: Summary, findings: list[Finding], config: Config, opts: common.DocumentOptions
) -> None:
    """The summary as a document, dated by its data refreshed date."""
    from irp_cli.population.document import summary_document

    document = summary_document(summary, findings)
    common.emit_document(document, config, opts, summary.data_refreshed)


# --------------------------------------------------------------------------------------------
# The terminal view

BAR_WIDTH = 30


def terminal_tables(view: dict[str, Any], block: str = "█") -> str:
    """Each section as a plain-text table, every row with a bar of its share of the population."""
    lines = [
        f"{view['establishment']}: {view['report_name']} - Summary",
        f"Data refreshed {view['data_refreshed_text']}; {view['population']} prisoners; "
        f"ages {view['minimum_age']} to {view['maximum_age']}",
    ]
    for section in view["sections"]:
        lines.append("")
        lines.extend(_table(section, block))
    return "\n".join(lines) + "\n"


def _table(section: dict[str, Any], block: str) -> list[str]:
    rows = [*section["rows"], *([section["total"]] if section["total"] else [])]
    headings = [section["title"], *section["columns"]]
    label_width = max(len(headings[0]), *(len(r["label"]) for r in rows))
    widths = [
        max(len(h), *(len(r["figures"][i]) for r in rows)) for i, h in enumerate(section["columns"])
    ]
    largest = max((b["share"] for b in section["bars"]), default=0.0) or 1.0

    def line(label: str, figures: list[str], bar: str = "") -> str:
        cells = "  ".join(f.rjust(w) for f, w in zip(figures, widths, strict=True))
        return f"{label.ljust(label_width)}  {cells}  {bar}".rstrip()

    out = [line(headings[0], headings[1:])]
    for row, bar in zip(section["rows"], section["bars"], strict=True):
        length = round(BAR_WIDTH * bar["share"] / largest)
        length = max(length, 1) if bar["count"] else 0  # a few prisoners still show
        out.append(line(row["label"], row["figures"], block * length))
    if section["total"]:
        out.append(line(section["total"]["label"], section["total"]["figures"]))
    return out


def register(root: typer.Typer) -> None:
    """Add the ``population`` group to the root app."""
    app.command()(guide)
    app.command()(check)
    root.add_typer(app, name="population")
