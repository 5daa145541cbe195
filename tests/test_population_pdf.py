"""Reading the population summary from the NOMIS PDF itself (issue 11.5): a PDF built in the
report's layout (fpdf2) gives the same figures as the typed summary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import EXAMPLES
from typer.testing import CliRunner

from irp_cli.cli import app
from irp_cli.errors import IrpError
from irp_cli.population.checks import check_summary
from irp_cli.population.pdf import read_summary as load_summary
from irp_cli.population.reports import PERCENT
from irp_cli.population.summary import Summary

ALBANY = EXAMPLES / "population" / "albany-guide-sample.yaml"
ASHCOMBE = EXAMPLES / "population" / "hmp-ashcombe.yaml"


def _figure(column: str, value: float) -> str:
    return f"{value:.1f}%" if column == PERCENT else f"{int(value):,}"


def build_pdf(summary: Summary, path: Path, *, change: tuple[str, str] | None = None) -> Path:
    """The summary laid out as the NOMIS 'summary' tab is (guide Appendix II's sample page)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=8)

    def line(cells: list[str]) -> None:
        widths = [70] + [28] * (len(cells) - 1)
        for text, width in zip(cells, widths, strict=True):
            if change is not None and text == change[0]:
                text = change[1]
            pdf.cell(width, 4.5, text, align="L" if width == 70 else "R")
        pdf.ln(4.5)

    line(["RESTRICTED"])
    line([f"{summary.report_name} - Summary"])
    line([f"Data Refreshed Date {summary.data_refreshed:%d/%m/%Y}"])
    line([summary.establishment.text])
    for section in summary.sections:
        line([section.title, *section.columns])
        if section.key == "age" and summary.minimum_age:
            line([f"Minimum Age: {summary.minimum_age.value}", "-", "-"])
        for row in section.rows:
            figures = [
                _figure(c, cell.value) for c, cell in zip(section.columns, row.cells, strict=True)
            ]
            line([row.label, *figures])
        if section.key == "age" and summary.maximum_age:
            line([f"Maximum Age: {summary.maximum_age.value}", "-", "-"])
        assert section.total is not None
        total = section.total
        line(
            [
                "Total",
                *[
                    _figure(c, cell.value)
                    for c, cell in zip(section.columns, total.cells, strict=True)
                ],
            ]
        )
    line([f"Reference: {summary.report_name} IOP0001 Page 1 of 3"])
    pdf.output(str(path))
    return path


def _figures(summary: Summary) -> list[tuple[str, str, list[float]]]:
    return [
        (s.key, row.label, [c.value for c in row.cells])
        for s in summary.sections
        for row in (*s.rows, *([s.total] if s.total else []))
    ]


@pytest.mark.parametrize("typed", [ALBANY, ASHCOMBE], ids=["albany", "ashcombe"])
def test_the_figures_read_from_the_pdf_equal_the_typed_ones(typed: Path, tmp_path: Path) -> None:
    summary = load_summary(typed)
    read = load_summary(build_pdf(summary, tmp_path / "summary.pdf"))
    assert _figures(read) == _figures(summary)
    assert (read.kind, read.establishment.text) == (summary.kind, summary.establishment.text)
    assert read.data_refreshed == summary.data_refreshed
    assert read.minimum_age and summary.minimum_age
    assert read.minimum_age.value == summary.minimum_age.value
    assert read.maximum_age and summary.maximum_age
    assert read.maximum_age.value == summary.maximum_age.value
    assert [f.code for f in check_summary(read)] == [f.code for f in check_summary(summary)]


def test_a_wrong_figure_in_the_pdf_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    pdf = build_pdf(load_summary(ASHCOMBE), tmp_path / "s.pdf", change=("84.4%", "80.4%"))
    findings = check_summary(load_summary(pdf))
    assert [f.format() for f in findings] == [
        f"{pdf}:6:20: error [percentage, guide Appendix II] status.Sentenced: 80.4% does not "
        "match its count: 550 of 652 prisoners is 84.4%"
    ]


def test_check_accepts_the_pdf_on_the_command_line(tmp_path: Path) -> None:
    pdf = build_pdf(load_summary(ASHCOMBE), tmp_path / "s.pdf")
    result = CliRunner().invoke(app, ["population", "check", str(pdf), "-q"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{pdf}: 0 inconsistencies, 0 warnings\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4\nnot really a pdf", "cannot read this PDF"),
        (b"", "cannot read this PDF"),
    ],
)
def test_a_broken_pdf_is_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "s.pdf"
    path.write_bytes(content)
    with pytest.raises(IrpError) as caught:
        load_summary(path)
    assert message in caught.value.lines()[0]


def test_a_broken_pdf_on_the_command_line_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """Nothing of pypdf's own logging ('EOF marker not found') reaches the coordinator: in a
    process of its own, as pytest's log capture would hide what Python prints by default."""
    path = tmp_path / "s.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a pdf")
    result = subprocess.run(
        [sys.executable, "-m", "irp_cli", "population", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{path}: error [pdf] cannot read this PDF (PdfStreamError); is it the PDF saved from "
        "NOMIS?"
    ]


def test_a_pdf_without_the_summary_layout_says_what_is_missing(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 5, "Minutes of the meeting")
    path = tmp_path / "other.pdf"
    pdf.output(str(path))
    with pytest.raises(IrpError) as caught:
        load_summary(path)
    lines = caught.value.lines()
    assert lines[0].startswith(f"{path}:1:1: error [pdf] no report name found")
    assert any("no Status section found" in line for line in lines)
