"""The three NOMIS population reports of guide Appendix II, as data.

Appendix II names one report per type of establishment and shows the first page of the adult
one (its 'summary' tab). The guide shows neither the young offender institution's report nor the
split establishments' one, so their columns here are a reading, documented in docs/population.md
("The population summary"): a summary file can always name its own columns (``columns:``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from irp_cli.visitfile.models import EstablishmentType

PARAGRAPH = "Appendix II"


class ReportKind(StrEnum):
    """Which report a summary comes from (``report:`` in a summary file)."""

    ADULT = "adult"
    YOI = "yoi"
    SPLIT = "split"


@dataclass(frozen=True)
class Report:
    """One of the NOMIS population reports of Appendix II, and what its summary tab holds."""

    kind: ReportKind
    name: str  # exactly as Appendix II names it (one source: EstablishmentType)
    establishments: str  # the row of Appendix II's table it comes from
    columns: tuple[str, ...]  # the columns of the Status, Sentence and Nationality sections
    youngest: int  # the lowest age the establishment can hold: a lower minimum age warns
    oldest: int | None  # the highest plausible age for this kind, None for the general limit


REPORTS: dict[ReportKind, Report] = {
    ReportKind.ADULT: Report(
        ReportKind.ADULT,
        EstablishmentType.ADULT_MEN.population_report,
        "Adult establishments",
        ("18 - 20 yr olds", "21 and over", "Other", "%"),
        youngest=18,
        oldest=None,
    ),
    ReportKind.YOI: Report(
        ReportKind.YOI,
        EstablishmentType.YOUNG_OFFENDER_INSTITUTION.population_report,
        "Young offender institutions",
        ("15 - 17 yr olds", "18 - 20 yr olds", "Other", "%"),
        youngest=15,
        oldest=21,
    ),
    ReportKind.SPLIT: Report(
        ReportKind.SPLIT,
        EstablishmentType.SPLIT_ADULTS_YOUNG_ADULTS.population_report,
        "Split establishments – adults and young adults",
        ("18 - 20 yr olds", "21 and over", "Other", "%"),
        youngest=18,
        oldest=None,
    ),
}

#: The establishment types of a visit file, and the report each sends (Appendix II's table).
BY_ESTABLISHMENT: dict[EstablishmentType, ReportKind] = {
    EstablishmentType.ADULT_MEN: ReportKind.ADULT,
    EstablishmentType.ADULT_WOMEN: ReportKind.ADULT,
    EstablishmentType.YOUNG_OFFENDER_INSTITUTION: ReportKind.YOI,
    EstablishmentType.SPLIT_ADULTS_YOUNG_ADULTS: ReportKind.SPLIT,
}

#: The four sections of the summary page, in the report's order: file key and heading.
SECTIONS: dict[str, str] = {
    "status": "Status",
    "sentence": "Sentence",
    "age": "Age",
    "nationality": "Nationality",
}

#: The age section's columns (the same in every report).
AGE_COLUMNS: tuple[str, ...] = ("No. of Prisoners", "%")

#: The names of the rows and columns that have a meaning of their own.
TOTAL = "Total"
PERCENT = "%"
MINIMUM_AGE = "Minimum Age"
MAXIMUM_AGE = "Maximum Age"


def report_for(establishment_type: EstablishmentType) -> Report:
    """The report a prison of this type runs (Appendix II's table)."""
    return REPORTS[BY_ESTABLISHMENT[establishment_type]]


def kind_from_text(text: str) -> ReportKind | None:
    """``adult``/``yoi``/``split``, or a report's name as printed at the top of the page (with
    or without '- Summary'); None when it is neither."""
    wanted = " ".join(text.replace("—", "–").split()).casefold()
    wanted = wanted.removesuffix("- summary").removesuffix("summary").strip(" -–")
    for kind, report in REPORTS.items():
        names = {kind.value, report.name.casefold(), report.name.replace("–", "-").casefold()}
        if wanted in names or wanted.replace("–", "-") in names:
            return kind
    return None
