"""The population documents: ``irp population guide`` (which report to ask for, and how to
produce it) and the summary itself as a document (tables and bar charts), which the debrief and
the draft report can include as an appendix.

Pure builders: a visit (or a checked summary) in, a
:class:`~irp_cli.documents.context.Document` out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from irp_cli.calendar.timeline import Timeline, WorkingDays
from irp_cli.documents.context import Document, common_context
from irp_cli.errors import Finding, IrpError, errors_only
from irp_cli.visitfile.config import Config
from irp_cli.visitfile.models import Visit

if TYPE_CHECKING:
    from irp_cli.population.summary import Summary
    from irp_cli.visitfile.loader import VisitFile


def reports_table(visit: Visit | None = None) -> list[dict[str, Any]]:
    """Appendix II's table: each establishment type and its report, this visit's marked."""
    from irp_cli.population.reports import BY_ESTABLISHMENT, REPORTS  # not for an appendix

    this = BY_ESTABLISHMENT[visit.establishment.type] if visit is not None else None
    return [
        {
            "kind": kind.value,
            "establishments": report.establishments,
            "name": report.name,
            "this": kind is this,
        }
        for kind, report in REPORTS.items()
    ]


def guide_document(
    visit: Visit, config: Config, timeline: Timeline, cal: WorkingDays, *, letter_date: date
) -> Document:
    """``irp population guide``: the report this establishment runs, and the steps to send its
    'summary' tab as a PDF (templates/population-guide.md.j2, whose text comes from
    templates/_population.md.j2, shared with the returns checklist and the letter)."""
    context = common_context(visit, config, timeline, cal, letter_date=letter_date)
    context["population_reports"] = reports_table(visit)
    title = f"Independent review of progress at {visit.establishment.name}: population report"
    return Document("population-guide.md.j2", title, context)


def summary_context(summary: Summary, findings: list[Finding]) -> dict[str, Any]:
    """What a document that shows the summary adds to its context: ``population`` (see
    templates/_population_summary.md.j2) and the ``charts`` it draws. The debrief and the draft
    report merge this into theirs for their appendix (:func:`appendix_context`)."""
    from irp_cli.population.reports import PARAGRAPH
    from irp_cli.population.view import charts_for, summary_view

    view = summary_view(summary, findings)
    view["paragraph"] = PARAGRAPH
    return {"population": view, "charts": charts_for(summary)}


def appendix_context(context: dict[str, Any], summary: Summary | None) -> dict[str, Any]:
    """``context`` with the population summary added (or ``population: none`` without one),
    for a document that ends with it as an appendix."""
    if summary is None:
        return {**context, "population": None}
    added = summary_context(summary, [])
    charts = {**context.get("charts", {}), **added["charts"]}
    return {**context, "population": added["population"], "charts": charts}


def summary_document(summary: Summary, findings: list[Finding]) -> Document:
    """The summary on its own: each section's table and bar chart
    (templates/population-summary.md.j2)."""
    title = f"{summary.establishment.text}: prisoner population summary"
    return Document("population-summary.md.j2", title, summary_context(summary, findings))


# --------------------------------------------------------------------------------------------
# The appendix of the debrief (and of the draft report)

SUMMARY_FIELD = ("visit", "population_summary")


def summary_path(doc: VisitFile) -> Path | None:
    """The summary the visit file points to (``visit.population_summary``, relative to it)."""
    given = doc.visit.visit.population_summary
    if given is None:
        return None
    path = Path(given).expanduser()
    return path if path.is_absolute() else doc.path.parent / path


def load_appendix(doc: VisitFile, config: Config) -> Summary | None:
    """The summary for the appendix, read and checked; None when the visit file names none.

    Figures that do not add up are not put in a report: any error in the summary (or a missing
    file, reported at the visit file's ``population_summary`` line) raises :class:`IrpError`
    with every problem, so the document is not written. Warnings (an implausible age) do not.
    """
    path = summary_path(doc)
    if path is None:
        return None  # without importing the summary's model, checks and charts
    from irp_cli.population.checks import Limits, check_summary
    from irp_cli.population.pdf import read_summary
    from irp_cli.population.reports import PARAGRAPH

    limits = Limits.from_config(config)
    if not path.is_file():
        line, col, loc = doc.locate(SUMMARY_FIELD)
        message = f"no population summary at '{path}' (the path is relative to this file)"
        raise IrpError(
            [Finding(doc.name, "error", "population-summary", message, line, col, PARAGRAPH, loc)]
        )
    summary = read_summary(path)
    problems = errors_only(
        check_summary(summary, limits=limits, establishment=doc.visit.establishment)
    )
    if problems:
        raise IrpError(problems)
    return summary


def with_appendix(document: Document, summary: Summary | None) -> Document:
    """``document`` with ``population`` (and its ``charts``) in its context, for a template
    that ends with {% if population %} ... the macros of _population_summary.md.j2."""
    return document._replace(context=appendix_context(document.context, summary))
