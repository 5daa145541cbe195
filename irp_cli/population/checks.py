"""The checks of a population summary: do its figures add up, and is it the right report?

Each check returns findings at the figure that is wrong (``FILE:LINE:COL``). They are pure: a
summary (and, optionally, the visit it belongs to) in, findings out.

* ``row-total``: a row's counts add up to its ``Total`` column, where the report has one;
* ``section-total``: each column's rows add up to the section's ``Total`` row;
* ``population-total``: every section's total is the same population (the Status total);
* ``percentage``: each percentage matches its count within rounding (``[population]
  percentage_tolerance``, 0.1 by default), and a Total row's is 100%;
* ``age-order``: the minimum age is not above the maximum;
* ``age-plausible`` (warning): the ages are plausible for the kind of establishment;
* ``establishment``, ``report`` (with a visit): the summary is the visit's establishment's, from
  the report Appendix II names for its type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from irp_cli.errors import Finding, Severity
from irp_cli.population.reports import PARAGRAPH, PERCENT, REPORTS, TOTAL, report_for
from irp_cli.population.summary import Cell, Place, Row, Section, Summary
from irp_cli.visitfile.config import Config
from irp_cli.visitfile.models import Establishment


@dataclass(frozen=True)
class Limits:
    """What a coordinator may set in ``[population]`` of irp.toml."""

    percentage_tolerance: float = 0.1
    oldest_plausible_age: int = 100

    @classmethod
    def from_config(cls, config: Config) -> Limits:
        settings = config.population
        return cls(settings.percentage_tolerance, settings.oldest_plausible_age)


def _finding(
    summary: Summary,
    place: Place,
    code: str,
    message: str,
    *,
    loc: str = "",
    severity: Severity = "error",
) -> Finding:
    return Finding(
        summary.file,
        severity,
        code,
        message,
        line=place.line,
        col=place.col,
        paragraph=PARAGRAPH,
        loc=loc,
    )


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def check_summary(
    summary: Summary, *, limits: Limits | None = None, establishment: Establishment | None = None
) -> list[Finding]:
    """Every inconsistency in ``summary``, in file order."""
    limits = limits or Limits()
    findings: list[Finding] = []
    population: tuple[Section, int] | None = None
    for section in summary.sections:
        findings += _row_totals(summary, section)
        findings += _section_totals(summary, section)
        total = section_population(section)
        if total is None or section.total is None:
            continue
        if population is None:
            population = (section, total)
        elif total != population[1]:
            first = population[0]
            findings.append(
                _finding(
                    summary,
                    section.total.place,
                    "population-total",
                    f"the {section.title} section's total is {total} prisoners, but the "
                    f"{first.title} section's is {population[1]}: every section counts the "
                    "same population",
                    loc=f"{section.key}.Total",
                )
            )
        findings += _percentages(summary, section, total, limits)
    findings += _ages(summary, limits)
    if establishment is not None:
        findings += check_establishment(summary, establishment)
    return sorted(findings, key=lambda f: (f.line or 0, f.col or 0))


def section_population(section: Section) -> int | None:
    """The section's total number of prisoners: its Total row's counts (or Total column)."""
    if section.total is None:
        return None
    return int(row_count(section, section.total))


def row_count(section: Section, row: Row) -> float:
    """A row's number of prisoners: its Total column where there is one, else its counts."""
    index = section.column(TOTAL)
    if index is not None:
        return row.cells[index].value
    return sum(row.cells[i].value for i in section.count_columns())


def _row_totals(summary: Summary, section: Section) -> list[Finding]:
    index = section.column(TOTAL)
    if index is None:
        return []
    findings = []
    for row in (*section.rows, *([section.total] if section.total else [])):
        counts = [row.cells[i].value for i in section.count_columns()]
        if sum(counts) != row.cells[index].value:
            added = " + ".join(_number(c) for c in counts)
            findings.append(
                _finding(
                    summary,
                    row.cells[index].place,
                    "row-total",
                    f"the Total is {_number(row.cells[index].value)}, but the row's "
                    f"counts add up to {_number(sum(counts))} ({added})",
                    loc=f"{section.key}.{row.label}",
                )
            )
    return findings


def _section_totals(summary: Summary, section: Section) -> list[Finding]:
    if section.total is None or not section.rows:
        return []
    findings = []
    columns = section.count_columns()
    if (index := section.column(TOTAL)) is not None:
        columns.append(index)
    for i in columns:
        added = sum(row.cells[i].value for row in section.rows)
        given: Cell = section.total.cells[i]
        if added != given.value:
            findings.append(
                _finding(
                    summary,
                    given.place,
                    "section-total",
                    f"{section.columns[i]}: {_number(given.value)} is given, but the "
                    f"{len(section.rows)} rows above add up to {_number(added)}",
                    loc=f"{section.key}.Total",
                )
            )
    return findings


def _percentages(
    summary: Summary, section: Section, population: int, limits: Limits
) -> list[Finding]:
    index = section.column(PERCENT)
    if index is None or section.total is None:
        return []
    findings = []
    for row in (*section.rows, section.total):
        given = row.cells[index]
        count = row_count(section, row)
        if population == 0:
            if given.value != 0 and row is section.total:
                message = "the Total is 0 prisoners, so no percentage applies"
                loc = f"{section.key}.Total"
                findings.append(_finding(summary, given.place, "percentage", message, loc=loc))
            continue
        exact = 100 * count / population
        if abs(given.value - exact) > limits.percentage_tolerance + 1e-9:
            of = f"{_number(count)} of {population} prisoners is {exact:.1f}%"
            findings.append(
                _finding(
                    summary,
                    given.place,
                    "percentage",
                    f"{_number(given.value)}% does not match its count: {of}",
                    loc=f"{section.key}.{row.label}",
                )
            )
    return findings


def _ages(summary: Summary, limits: Limits) -> list[Finding]:
    lowest, highest = summary.minimum_age, summary.maximum_age
    findings = []
    report = REPORTS[summary.kind]
    if lowest is not None and highest is not None and lowest.value > highest.value:
        findings.append(
            _finding(
                summary,
                lowest.place,
                "age-order",
                f"the minimum age ({lowest.value}) is above the maximum age ({highest.value})",
                loc="age.Minimum Age",
            )
        )
        return findings
    if lowest is not None and lowest.value < report.youngest:
        findings.append(
            _finding(
                summary,
                lowest.place,
                "age-plausible",
                f"a minimum age of {lowest.value} is unusual for the '{report.name}' "
                f"(establishments it covers hold people aged {report.youngest} and over); "
                "check the figure on the report",
                loc="age.Minimum Age",
                severity="warning",
            )
        )
    oldest = report.oldest if report.oldest is not None else limits.oldest_plausible_age
    if highest is not None and highest.value > oldest:
        findings.append(
            _finding(
                summary,
                highest.place,
                "age-plausible",
                f"a maximum age of {highest.value} is not plausible (above {oldest}); check the "
                "figure on the report, or the date of birth recorded in NOMIS",
                loc="age.Maximum Age",
                severity="warning",
            )
        )
    return findings


_NAME_NOISE = re.compile(r"\b(hmp|hmyoi|yoi|hmp/yoi|hm prison|prison)\b|[^a-z0-9 ]")


def same_establishment(printed: str, name: str) -> bool:
    """'ASHCOMBE (HMP)' on the report is 'HMP Ashcombe' in the visit file."""

    def core(text: str) -> str:
        return " ".join(_NAME_NOISE.sub(" ", text.casefold().replace("&", " and ")).split())

    return core(printed) == core(name) and core(name) != ""


def check_establishment(summary: Summary, establishment: Establishment) -> list[Finding]:
    """The summary is this establishment's, from the report Appendix II names for its type."""
    findings = []
    printed = summary.establishment
    if not same_establishment(printed.text, establishment.name):
        findings.append(
            _finding(
                summary,
                printed.place,
                "establishment",
                f"the summary is for '{printed.text}', but the visit is to {establishment.name}",
                loc="establishment",
            )
        )
    wanted = report_for(establishment.type)
    if wanted.kind != summary.kind:
        findings.append(
            _finding(
                summary,
                summary.kind_place,
                "report",
                f"this is the '{summary.report_name}', but {establishment.name} "
                f"({establishment.type.value}) runs the '{wanted.name}'",
                loc="report",
            )
        )
    return findings
