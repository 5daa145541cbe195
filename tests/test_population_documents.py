"""The population documents: ``irp population guide`` (golden files in every format) and the
one source of its text, shared with the returns checklist and the letter."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from helpers import (
    DATES,
    EXAMPLES,
    HOUSE,
    assert_golden,
    build,
    docx_dump,
    example_data,
    load,
    render_as,
)

from irp_cli.population.document import guide_document, reports_table
from irp_cli.review.session import Loaded, Session


def guide_markdown(loaded: Loaded, day: date = date(2026, 2, 10)) -> str:
    visit, cal = loaded.doc.visit, loaded.calendar
    document = guide_document(visit, loaded.config, loaded.timeline, cal, letter_date=day)
    return str(render_as(document, "md", loaded.config))


@pytest.mark.parametrize("name", list(DATES))
def test_population_guide_matches_golden_in_every_format(name: str) -> None:
    loaded = load(name)
    visit, cal = loaded.doc.visit, loaded.calendar
    document = guide_document(visit, loaded.config, loaded.timeline, cal, letter_date=DATES[name])
    stem = f"documents/{name}-population-guide"
    assert_golden(f"{stem}.md", render_as(document, "md", loaded.config))
    assert_golden(f"{stem}.html", render_as(document, "html", loaded.config))
    assert_golden(f"{stem}.docx.txt", docx_dump(render_as(document, "docx", loaded.config)))


def _steps(markdown: str) -> list[str]:
    return re.findall(r"^\d\. .*$", markdown, re.M)


def test_the_steps_are_the_same_text_in_the_guide_and_the_returns_checklist() -> None:
    loaded = load("hmp-ashcombe")
    guide = guide_markdown(loaded)
    returns = str(render_as(build(loaded, "returns"), "md", loaded.config))
    steps = _steps(guide)
    assert len(steps) == 6
    assert "4. Click the 'Adult HMP Establishments Population Breakdown' report." in steps[3]
    assert all(step in returns for step in steps)
    request = next(line for line in guide.splitlines() if line.startswith("From NOMIS"))
    assert request in returns


def test_the_letter_names_the_report_from_the_same_source() -> None:
    loaded = load("hmyoi-thornbeck")
    letter = str(render_as(build(loaded, "letter"), "md", loaded.config))
    assert (
        "The prisoner population report (summary tab, as a PDF): the 'YOI Population "
        "Breakdown' report from NOMIS." in letter
    )


@pytest.mark.parametrize(
    ("kind", "report"),
    [
        ("adult-men", "Adult HMP Establishments Population Breakdown"),
        ("adult-women", "Adult HMP Establishments Population Breakdown"),
        ("young-offender-institution", "YOI Population Breakdown"),
        (
            "split-adults-young-adults",
            "Population Breakdown for Split Establishments – Adults and Young Adults",
        ),
    ],
)
def test_the_guide_names_the_report_for_the_establishment_type(
    write_visit: Any, kind: str, report: str
) -> None:
    data = example_data("hmp-ashcombe")
    data["establishment"]["type"] = kind
    loaded = Session(HOUSE).load(write_visit(data), strict=True)
    text = guide_markdown(loaded)
    assert f"the report for HMP Ashcombe is the **{report}**" in text
    assert f"| **{report}** (this establishment) |" in text
    assert [row["this"] for row in reports_table(loaded.doc.visit)].count(True) == 1


def test_the_guide_asks_for_the_pdf_by_the_returns_due_date() -> None:
    text = guide_markdown(load("hmp-ashcombe"))
    assert "as a PDF, by **Tuesday 14 April 2026**: five working days before" in text


def test_population_guide_is_a_document_command(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from irp_cli.cli import app

    out = tmp_path / "guide.docx"
    runner = CliRunner(env={"IRP_CONFIG": str(HOUSE)})
    argv = ["population", "guide", str(EXAMPLES / "hmp-ashcombe.yaml"), "-o", str(out)]
    result = runner.invoke(app, [*argv, "--date", "2026-02-10"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{out}: created\n"
    assert out.read_bytes()[:2] == b"PK"


# --------------------------------------------------------------------------------------------
# The summary as a document: tables and bar charts in every format

SUMMARY = EXAMPLES / "population" / "hmp-ashcombe.yaml"


def summary_rendered(fmt: Any) -> Any:
    from irp_cli.documents.render import render_document
    from irp_cli.population.checks import check_summary
    from irp_cli.population.document import summary_document
    from irp_cli.population.summary import load_summary

    summary = load_summary(SUMMARY)
    document = summary_document(summary, check_summary(summary))
    return render_document(
        document.template, document.context, fmt, title=document.title, marking="OFFICIAL"
    )


def test_summary_document_matches_golden_in_every_format() -> None:
    stem = "documents/hmp-ashcombe-population-summary"
    assert_golden(f"{stem}.md", summary_rendered("md"))
    assert_golden(f"{stem}.html", summary_rendered("html"))
    assert_golden(f"{stem}.docx.txt", docx_dump(summary_rendered("docx")))


def test_summary_markdown_has_a_table_and_text_bars_per_section() -> None:
    text = summary_rendered("md")
    assert "| **Total** | **47** | **605** | **0** | **100.0%** |" in text
    assert "Sentenced              " + "█" * 30 + " 550 (84.4%)" in text
    assert "](chart:" not in text
    assert text.count("```text") == 4


def test_summary_html_has_an_accessible_svg_chart_per_section() -> None:
    page = summary_rendered("html")
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 4
    assert '<title id="chart-population-age-title">Number of prisoners by age</title>' in page
    assert '<desc id="chart-population-age-desc">Bar chart of the Age section' in page
    assert "<img" not in page


def test_summary_word_file_has_a_native_chart_per_section() -> None:
    import io
    import zipfile

    package = zipfile.ZipFile(io.BytesIO(summary_rendered("docx")))
    charts = sorted(n for n in package.namelist() if n.startswith("word/charts/"))
    assert charts == [f"word/charts/chart{n}.xml" for n in range(1, 5)]
    types = package.read("[Content_Types].xml").decode()
    assert "drawingml.chart+xml" in types
    body = package.read("word/document.xml").decode()
    assert body.count("<c:chart ") == 4
    assert 'descr="Bar chart of the Status section, number of prisoners: Sentenced 550' in body
    status = package.read("word/charts/chart1.xml").decode()
    assert "<c:v>Sentenced</c:v>" in status and "<c:v>550</c:v>" in status


# --------------------------------------------------------------------------------------------
# The appendix of the debrief: visit.population_summary


def _run(command: str, argv: list[str]) -> Any:
    from typer.testing import CliRunner

    from irp_cli.cli import app

    return CliRunner(env={"IRP_CONFIG": str(HOUSE)}).invoke(app, [command, *argv])


def _debrief(argv: list[str]) -> Any:
    return _run("debrief", argv)


def test_the_debrief_ends_with_the_population_summary_the_visit_file_names() -> None:
    result = _debrief([str(EXAMPLES / "hmp-ashcombe.yaml"), "--date", "2026-04-23"])
    assert result.exit_code == 0, result.output
    appendix = result.stdout.split("## Appendix: the prisoner population\n", 1)[1]
    assert appendix.startswith(
        "\nASHCOMBE (HMP), from the 'Adult HMP Establishments Population Breakdown' report"
    )
    assert "### Status" in appendix and "### Nationality" in appendix
    assert "British            " + "█" * 30 + " 558 (85.6%)" in appendix


def test_a_debrief_without_a_summary_has_no_such_appendix() -> None:
    result = _debrief([str(EXAMPLES / "hmp-glanmorfa.yaml"), "--date", "2026-06-18"])
    assert result.exit_code == 0, result.output
    assert "prisoner population" not in result.stdout


def test_the_debrief_as_html_and_word_draws_the_charts(tmp_path: Any) -> None:
    import zipfile

    ashcombe = str(EXAMPLES / "hmp-ashcombe.yaml")
    page = _debrief([ashcombe, "--format", "html", "--date", "2026-04-23"]).stdout
    assert page.count('role="img"') == 4
    out = tmp_path / "debrief.docx"
    assert _debrief([ashcombe, "-o", str(out), "--date", "2026-04-23"]).exit_code == 0
    names = zipfile.ZipFile(out).namelist()
    assert sum(n.startswith("word/charts/") for n in names) == 4


def _visit_with_summary(tmp_path: Any, summary_text: str | None) -> Any:
    text = (EXAMPLES / "hmp-ashcombe.yaml").read_text(encoding="utf-8")
    visit = tmp_path / "visit.yaml"
    visit.write_text(text.replace("population/hmp-ashcombe.yaml", "pop/s.yaml"), encoding="utf-8")
    if summary_text is not None:
        (tmp_path / "pop").mkdir()
        (tmp_path / "pop" / "s.yaml").write_text(summary_text, encoding="utf-8")
    return visit


def test_a_missing_summary_stops_the_debrief_at_the_visit_files_line(tmp_path: Any) -> None:
    visit = _visit_with_summary(tmp_path, None)
    out = tmp_path / "d.md"
    result = _debrief([str(visit), "-o", str(out), "--date", "2026-04-23"])
    assert result.exit_code == 1
    line = next(
        n
        for n, text in enumerate(visit.read_text().splitlines(), 1)
        if "population_summary:" in text and not text.lstrip().startswith("#")
    )
    assert f"{visit}:{line}:23: error [population-summary, guide Appendix II]" in result.stderr
    assert not out.exists()


def test_figures_that_do_not_add_up_are_not_put_in_the_debrief(tmp_path: Any) -> None:
    good = (EXAMPLES / "population" / "hmp-ashcombe.yaml").read_text(encoding="utf-8")
    visit = _visit_with_summary(tmp_path, good.replace("[3, 61, 0, 9.8%]", "[3, 0, 0, 9.8%]"))
    out = tmp_path / "d.md"
    result = _debrief([str(visit), "-o", str(out), "--date", "2026-04-23"])
    assert result.exit_code == 1
    assert f"{tmp_path / 'pop' / 's.yaml'}:13:" in result.stderr
    assert "[section-total, guide Appendix II]" in result.stderr
    assert not out.exists()


def _report(argv: list[str]) -> Any:
    return _run("report", argv)


def test_the_draft_report_ends_with_the_population_summary_too() -> None:
    result = _report([str(EXAMPLES / "hmp-ashcombe.yaml"), "--date", "2026-05-01"])
    assert result.exit_code == 0, result.output
    appendix = result.stdout.split("## Appendix III The prisoner population\n", 1)[1]
    assert appendix.startswith(
        "\nASHCOMBE (HMP), from the 'Adult HMP Establishments Population Breakdown' report"
    )
    assert "### Nationality" in appendix
    without = _report([str(EXAMPLES / "hmp-glanmorfa.yaml"), "--date", "2026-07-01"])
    assert "prisoner population" not in without.stdout


def test_figures_that_do_not_add_up_are_not_put_in_the_report(tmp_path: Any) -> None:
    good = (EXAMPLES / "population" / "hmp-ashcombe.yaml").read_text(encoding="utf-8")
    visit = _visit_with_summary(tmp_path, good.replace("[3, 61, 0, 9.8%]", "[3, 0, 0, 9.8%]"))
    out = tmp_path / "r.md"
    result = _report([str(visit), "-o", str(out), "--date", "2026-05-01"])
    assert result.exit_code == 1
    assert "[section-total, guide Appendix II]" in result.stderr
    assert not out.exists()
