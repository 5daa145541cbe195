"""A summary as plain data for tables, charts and ``--json``; the bar chart as inline SVG.

Pure functions: the terminal, Markdown, HTML and Word views all start from :func:`section_view`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from irp_cli import dates
from irp_cli.documents.charts import Bar as ChartBar
from irp_cli.documents.charts import BarChart
from irp_cli.errors import Finding
from irp_cli.population.checks import row_count, section_population
from irp_cli.population.reports import PERCENT
from irp_cli.population.summary import Row, Section, Summary


@dataclass(frozen=True)
class Bar:
    """One bar of a population chart: a row's count and its share of the section."""

    label: str
    count: int
    share: float  # of the section's population, 0 to 1 (0 when the population is 0)


def _figure(column: str, value: float) -> str:
    if column == PERCENT:
        return f"{value:.1f}%"
    return str(int(value))


def bars(section: Section) -> list[Bar]:
    """One bar per row (not the Total): the row's number of prisoners and its share."""
    population = section_population(section) or 0
    out = []
    for row in section.rows:
        count = int(row_count(section, row))
        out.append(Bar(row.label, count, count / population if population else 0.0))
    return out


def _row(section: Section, row: Row) -> dict[str, Any]:
    pairs = list(zip(section.columns, row.cells, strict=True))
    return {
        "label": row.label,
        "figures": [_figure(c, cell.value) for c, cell in pairs],
        "values": [cell.value if c == PERCENT else int(cell.value) for c, cell in pairs],
        "count": int(row_count(section, row)),
    }


def section_view(section: Section) -> dict[str, Any]:
    """A section as plain data: headings, rows, Total, bars and the chart's description."""
    chart = bars(section)
    return {
        "key": section.key,
        "title": section.title,
        "columns": list(section.columns),
        "rows": [_row(section, r) for r in section.rows],
        "total": _row(section, section.total) if section.total else None,
        "population": section_population(section),
        "bars": [{"label": b.label, "count": b.count, "share": b.share} for b in chart],
        "chart": chart_key(section.key),
        "chart_description": describe_chart(section.title, chart),
    }


def describe_chart(title: str, chart: list[Bar]) -> str:
    """The chart in words, for alt text and screen readers."""
    parts = [f"{b.label} {b.count} ({100 * b.share:.1f}%)" for b in chart]
    return f"Bar chart of the {title} section, number of prisoners: " + "; ".join(parts) + "."


def summary_view(summary: Summary, findings: list[Finding] | None = None) -> dict[str, Any]:
    """Everything about a summary that a document or ``--json`` prints."""
    findings = findings or []
    return {
        "file": summary.file,
        "report": summary.kind.value,
        "report_name": summary.report_name,
        "establishment": summary.establishment.text,
        "data_refreshed": summary.data_refreshed,
        "data_refreshed_text": dates.long_date(summary.data_refreshed),
        "minimum_age": summary.minimum_age.value if summary.minimum_age else None,
        "maximum_age": summary.maximum_age.value if summary.maximum_age else None,
        "population": next(
            (p for s in summary.sections if (p := section_population(s)) is not None), None
        ),
        "sections": [section_view(s) for s in summary.sections],
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity == "warning" for f in findings),
        "problems": [f.as_dict() for f in findings],
    }


def json_view(summary: Summary, findings: list[Finding]) -> dict[str, Any]:
    view = summary_view(summary, findings)
    view["data_refreshed"] = summary.data_refreshed.isoformat()
    view["ok"] = view["errors"] == 0
    for section in view["sections"]:
        del section["chart_description"], section["chart"]
    return view


# --------------------------------------------------------------------------------------------
# Charts for the documents (drawn by irp_cli.documents.charts)


def chart_key(section_key: str) -> str:
    return f"population-{section_key}"


def charts_for(summary: Summary) -> dict[str, BarChart]:
    """One bar chart per section: each row's number of prisoners and its share."""
    charts = {}
    for section in summary.sections:
        chart = bars(section)
        charts[chart_key(section.key)] = BarChart(
            key=chart_key(section.key),
            title=f"Number of prisoners by {section.title.lower()}",
            description=describe_chart(section.title, chart),
            bars=tuple(ChartBar(b.label, b.count, f"({100 * b.share:.1f}%)") for b in chart),
        )
    return charts
