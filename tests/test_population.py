"""The population summary (guide Appendix II): reading the typed file, and its checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES

from irp_cli.errors import IrpError
from irp_cli.population.checks import Limits, check_summary, same_establishment
from irp_cli.population.reports import ReportKind, kind_from_text
from irp_cli.population.summary import load_summary, parse_summary

ALBANY = EXAMPLES / "population" / "albany-guide-sample.yaml"

# A small, consistent summary: 10 prisoners. Line numbers below refer to this text.
SMALL = """\
report: adult
establishment: FERNLOW (HMP)
data_refreshed: 02/03/2026
status:
  Sentenced: [1, 7, 0, 80.0%]
  Remand: [0, 2, 0, 20.0%]
  Total: [1, 9, 0, 100.0%]
sentence:
  Unsentenced: [0, 2, 0, 20.0%]
  Life: [1, 7, 0, 80.0%]
  Total: [1, 9, 0, 100.0%]
age:
  Minimum Age: 19
  Under 21: [1, 10.0%]
  21 years and over: [9, 90.0%]
  Maximum Age: 64
  Total: [10, 100.0%]
nationality:
  British: [1, 8, 0, 90.0%]
  Foreign nationals: [0, 1, 0, 10.0%]
  Total: [1, 9, 0, 100.0%]
"""


def _check(text: str, limits: Limits | None = None) -> list[str]:
    summary = parse_summary(text, "s.yaml")
    return [f.format() for f in check_summary(summary, limits=limits)]


def _errors(text: str) -> list[str]:
    with pytest.raises(IrpError) as caught:
        parse_summary(text, "s.yaml")
    return caught.value.lines()


def test_the_small_summary_is_consistent() -> None:
    assert _check(SMALL) == []


def test_the_guides_sample_passes_with_one_warning_for_its_age_of_111() -> None:
    summary = load_summary(ALBANY)
    findings = check_summary(summary)
    assert [(f.severity, f.code, f.line) for f in findings] == [("warning", "age-plausible", 55)]
    assert summary.kind is ReportKind.ADULT
    assert summary.establishment.text == "ALBANY (HMP)"
    assert [s.key for s in summary.sections] == ["status", "sentence", "age", "nationality"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # a row's figure changed: its column no longer adds up to the section's Total
        (
            "Sentenced: [1, 7, 0, 80.0%]",
            "Sentenced: [1, 8, 0, 80.0%]",
            [
                "s.yaml:5:24: error [percentage, guide Appendix II] status.Sentenced: 80% does "
                "not match its count: 9 of 10 prisoners is 90.0%",
                "s.yaml:7:14: error [section-total, guide Appendix II] status.Total: 21 and "
                "over: 9 is given, but the 2 rows above add up to 10",
            ],
        ),
        # a percentage off by more than the rounding
        (
            "Remand: [0, 2, 0, 20.0%]",
            "Remand: [0, 2, 0, 2.0%]",
            [
                "s.yaml:6:21: error [percentage, guide Appendix II] status.Remand: 2% does not "
                "match its count: 2 of 10 prisoners is 20.0%"
            ],
        ),
        # within the rounding (0.1) is fine
        ("Remand: [0, 2, 0, 20.0%]", "Remand: [0, 2, 0, 20.1%]", []),
        # a percentage written as a plain number is read as one
        ("Remand: [0, 2, 0, 20.0%]", "Remand: [0, 2, 0, 20]", []),
        # the Total row's percentage must be 100
        (
            "  Total: [1, 9, 0, 100.0%]\nsentence:",
            "  Total: [1, 9, 0, 99.0%]\nsentence:",
            [
                "s.yaml:7:20: error [percentage, guide Appendix II] status.Total: 99% does not "
                "match its count: 10 of 10 prisoners is 100.0%"
            ],
        ),
        # a section whose Total is another population
        (
            "  Total: [10, 100.0%]",
            "  Total: [11, 100.0%]",
            [
                "s.yaml:14:17: error [percentage, guide Appendix II] age.Under 21: 10% does not "
                "match its count: 1 of 11 prisoners is 9.1%",
                "s.yaml:15:26: error [percentage, guide Appendix II] age.21 years and over: 90% "
                "does not match its count: 9 of 11 prisoners is 81.8%",
                "s.yaml:17:3: error [population-total, guide Appendix II] age.Total: the Age "
                "section's total is 11 prisoners, but the Status section's is 10: every "
                "section counts the same population",
                "s.yaml:17:11: error [section-total, guide Appendix II] age.Total: No. of "
                "Prisoners: 11 is given, but the 2 rows above add up to 10",
            ],
        ),
        # ages
        (
            "Minimum Age: 19",
            "Minimum Age: 70",
            [
                "s.yaml:13:16: error [age-order, guide Appendix II] age.Minimum Age: the "
                "minimum age (70) is above the maximum age (64)"
            ],
        ),
        (
            "Minimum Age: 19",
            "Minimum Age: 16",
            [
                "s.yaml:13:16: warning [age-plausible, guide Appendix II] age.Minimum Age: a "
                "minimum age of 16 is unusual for the 'Adult HMP Establishments Population "
                "Breakdown' (establishments it covers hold people aged 18 and over); check the "
                "figure on the report"
            ],
        ),
        (
            "Maximum Age: 64",
            "Maximum Age: 111",
            [
                "s.yaml:16:16: warning [age-plausible, guide Appendix II] age.Maximum Age: a "
                "maximum age of 111 is not plausible (above 100); check the figure on the "
                "report, or the date of birth recorded in NOMIS"
            ],
        ),
    ],
)
def test_inconsistencies_are_reported_at_the_figure(
    old: str, new: str, expected: list[str]
) -> None:
    assert old in SMALL
    assert _check(SMALL.replace(old, new, 1)) == expected


def test_the_oldest_plausible_age_and_the_tolerance_come_from_the_settings() -> None:
    text = SMALL.replace("Maximum Age: 64", "Maximum Age: 104").replace(
        "Remand: [0, 2, 0, 20.0%]", "Remand: [0, 2, 0, 20.4%]"
    )
    assert len(_check(text)) == 2
    assert _check(text, Limits(percentage_tolerance=0.5, oldest_plausible_age=105)) == []


def test_a_total_column_must_be_the_sum_of_the_row() -> None:
    text = SMALL.replace("report: adult\n", "report: yoi\ncolumns: [15-17, 18-20, Total, '%']\n")
    text = text.replace("Maximum Age: 64", "Maximum Age: 20")
    for old, new in [
        ("[1, 7, 0, 80.0%]", "[1, 7, 8, 80.0%]"),
        ("[0, 2, 0, 20.0%]", "[0, 2, 2, 20.0%]"),
        ("[1, 9, 0, 100.0%]", "[1, 9, 10, 100.0%]"),
        ("Life: [1, 7, 0, 80.0%]", "Life: [1, 7, 8, 80.0%]"),
        ("British: [1, 8, 0, 90.0%]", "British: [1, 8, 9, 90.0%]"),
        ("Foreign nationals: [0, 1, 0, 10.0%]", "Foreign nationals: [0, 1, 1, 10.0%]"),
    ]:
        text = text.replace(old, new)
    assert _check(text) == []
    wrong = text.replace("Sentenced: [1, 7, 8, 80.0%]", "Sentenced: [1, 7, 9, 80.0%]")
    assert _check(wrong)[0] == (
        "s.yaml:6:21: error [row-total, guide Appendix II] status.Sentenced: the Total is 9, "
        "but the row's counts add up to 8 (1 + 7)"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "Remand: [0, 2, 0, 20.0%]",
            "Remand: [0, 2, 20.0%]",
            "s.yaml:6:11: error [row-length] status.Remand: 3 figures, but the columns are "
            "[18 - 20 yr olds, 21 and over, Other, %] (4)",
        ),
        (
            "Remand: [0, 2, 0, 20.0%]",
            "Remand: [0, 1,234, 0, 20.0%]",
            "s.yaml:6:11: error [row-length] status.Remand: 5 figures, but the columns are "
            "[18 - 20 yr olds, 21 and over, Other, %] (4); write numbers without a thousands "
            "comma (1234, not 1,234)",
        ),
        (
            "Remand: [0, 2, 0, 20.0%]",
            "Remand: [0, -, 0, 20.0%]",
            "s.yaml:6:15: error [invalid] status.Remand: '-' is not a number of prisoners "
            "(21 and over) (type 0 for an empty cell or '-')",
        ),
        (
            "Remand: [0, 2, 0, 20.0%]",
            "Remand: [0, 2.5, 0, 20.0%]",
            "s.yaml:6:15: error [invalid] status.Remand: '2.5' is not a number of prisoners "
            "(21 and over)",
        ),
        (
            "Remand: [0, 2, 0, 20.0%]",
            "Remand: [0, 2, 0, twenty]",
            "s.yaml:6:21: error [invalid] status.Remand: 'twenty' is not a percentage such as "
            "91.6%",
        ),
        (
            "data_refreshed: 02/03/2026",
            "data_refreshed: 31/02/2026",
            "s.yaml:3:17: error [invalid] data_refreshed: '31/02/2026' is not a date; write it "
            "as on the report (20/01/2012) or 2012-01-20",
        ),
        (
            "report: adult",
            "report: women",
            "s.yaml:1:9: error [invalid] 'women' is not one of the reports: adult (Adult HMP "
            "Establishments Population Breakdown); yoi (YOI Population Breakdown); split "
            "(Population Breakdown for Split Establishments – Adults and Young Adults)",
        ),
        (
            "nationality:",
            "natonality:",
            "s.yaml:18:1: error [unknown] 'natonality' is not part of a population summary; "
            "did you mean 'nationality'?",
        ),
        (
            "  Total: [10, 100.0%]\n",
            "",
            "s.yaml:12:1: error [missing] age: the Age section has no 'Total' row",
        ),
        (
            "  Maximum Age: 64\n",
            "",
            "s.yaml:12:1: error [missing] age: the Age section has no 'Maximum Age' line",
        ),
        (
            "  Life: [1, 7, 0, 80.0%]\n",
            "  Life: [1, 7, 0, 80.0%]\n  Life: [1, 7, 0, 80.0%]\n",
            "s.yaml:11:3: error [duplicate-key] duplicate key 'Life' (first at line 10); keep "
            "one of them",
        ),
    ],
)
def test_a_badly_typed_summary_is_refused_at_the_place(old: str, new: str, expected: str) -> None:
    assert old in SMALL
    assert expected in _errors(SMALL.replace(old, new, 1))


def test_the_guides_sample_as_printed_is_refused_for_its_repeated_row() -> None:
    text = ALBANY.read_text(encoding="utf-8").replace(
        "  Life:                                 [0, 200",
        "  10 Years or more and Less than Life:  [0, 200",
    )
    assert any("duplicate key '10 Years or more and Less than Life'" in e for e in _errors(text))


def test_a_file_that_is_not_a_summary_says_so(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(IrpError) as caught:
        load_summary(path)
    assert caught.value.lines() == [
        f"{path}:1:1: error [not-a-mapping] the file holds a list; a population summary is a "
        "set of 'key: value' lines"
    ]


def test_a_visit_file_given_as_the_summary_says_so_in_one_line() -> None:
    """The visit file is the easy mistake (irp population guide takes it): one line naming
    what to give instead, not a line for each of its keys."""
    path = EXAMPLES / "hmp-ashcombe.yaml"
    with pytest.raises(IrpError) as caught:
        load_summary(path)
    assert caught.value.lines() == [
        f"{path}:1:1: error [visit-file] this is a visit file, not a population summary: give "
        "the summary the prison sent (typed into a YAML file, or its PDF); "
        f"'irp population guide {path}' says which report it is"
    ]


@pytest.mark.parametrize(
    ("printed", "name", "same"),
    [
        ("ASHCOMBE (HMP)", "HMP Ashcombe", True),
        ("THORNBECK (HMYOI)", "HMYOI Thornbeck", True),
        ("Glan-Morfa (HMP)", "HMP Glan Morfa", True),
        ("ALBANY (HMP)", "HMP Ashcombe", False),
        ("(HMP)", "HMP", False),
    ],
)
def test_establishment_names_are_compared_without_their_prefix(
    printed: str, name: str, same: bool
) -> None:
    assert same_establishment(printed, name) is same


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("adult", ReportKind.ADULT),
        ("YOI", ReportKind.YOI),
        ("Adult HMP Establishments Population Breakdown - Summary", ReportKind.ADULT),
        (
            "Population Breakdown for Split Establishments - Adults and Young Adults",
            ReportKind.SPLIT,
        ),
        ("YOI Population Breakdown", ReportKind.YOI),
        ("women", None),
    ],
)
def test_the_report_is_named_by_a_word_or_its_title(text: str, kind: ReportKind | None) -> None:
    assert kind_from_text(text) is kind


@pytest.mark.parametrize(
    ("summary", "visit"),
    [
        ("hmp-ashcombe", "hmp-ashcombe"),
        ("hmyoi-thornbeck", "hmyoi-thornbeck"),
        ("albany-guide-sample", None),
    ],
)
def test_every_example_summary_is_consistent(summary: str, visit: str | None) -> None:
    from irp_cli.visitfile.loader import load_visit

    establishment = load_visit(EXAMPLES / f"{visit}.yaml").visit.establishment if visit else None
    found = check_summary(
        load_summary(EXAMPLES / "population" / f"{summary}.yaml"), establishment=establishment
    )
    assert [f for f in found if f.severity == "error"] == []


def test_the_example_summaries_are_all_tested() -> None:
    names = sorted(p.stem for p in (EXAMPLES / "population").glob("*.yaml"))
    assert names == ["albany-guide-sample", "hmp-ashcombe", "hmyoi-thornbeck"]
