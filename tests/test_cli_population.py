"""Wiring of ``irp population``: streams, exit codes, --json, --visit. What the checks find is
tested in test_population.py."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import EXAMPLES
from typer.testing import CliRunner

from irp_cli.cli import app

runner = CliRunner()
ALBANY = str(EXAMPLES / "population" / "albany-guide-sample.yaml")
ASHCOMBE_SUMMARY = str(EXAMPLES / "population" / "hmp-ashcombe.yaml")
ASHCOMBE = str(EXAMPLES / "hmp-ashcombe.yaml")


def test_a_consistent_summary_prints_its_tables_and_exits_0() -> None:
    result = runner.invoke(app, ["population", "check", ASHCOMBE_SUMMARY, "--visit", ASHCOMBE])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{ASHCOMBE_SUMMARY}: 0 inconsistencies, 0 warnings\n"
    lines = result.stdout.splitlines()
    assert lines[0] == "ASHCOMBE (HMP): Adult HMP Establishments Population Breakdown - Summary"
    bar = "█" * 30
    assert "Sentenced                           38          512      0   84.4%  " + bar in lines
    assert "Recall                               3           61      0    9.8%  ███" in lines
    assert "Total                               47          605      0  100.0%" in lines


def test_the_guides_sample_warns_and_passes_unless_strict() -> None:
    result = runner.invoke(app, ["population", "check", ALBANY, "-q"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "55:16: warning [age-plausible, guide Appendix II]" in result.stderr
    strict = runner.invoke(app, ["population", "check", ALBANY, "-q", "--strict"])
    assert strict.exit_code == 1


def test_an_inconsistent_summary_exits_1_with_one_line_per_problem(tmp_path: Path) -> None:
    text = Path(ASHCOMBE_SUMMARY).read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("[3, 61, 0, 9.8%]", "[3, 60, 0, 9.8%]", 1), encoding="utf-8")
    result = runner.invoke(app, ["population", "check", str(bad), "-q"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{bad}:13:37: error [percentage, guide Appendix II] status.Recall: 9.8% does not match "
        "its count: 63 of 652 prisoners is 9.7%",
        f"{bad}:19:31: error [section-total, guide Appendix II] status.Total: 21 and over: 605 "
        "is given, but the 7 rows above add up to 604",
        f"{bad}: 2 inconsistencies, 0 warnings",
    ]


def test_json_has_the_figures_and_the_problems() -> None:
    result = runner.invoke(app, ["population", "check", ALBANY, "--visit", ASHCOMBE, "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["population"] == 571
    assert data["data_refreshed"] == "2012-01-20"
    assert [p["code"] for p in data["problems"]] == ["establishment", "age-plausible"]
    status = data["sections"][0]
    assert status["rows"][0] == {
        "label": "Sentenced",
        "figures": ["4", "519", "0", "91.6%"],
        "values": [4, 519, 0, 91.6],
        "count": 523,
    }


def test_a_broken_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("report: adult\nestablishment: [\n", encoding="utf-8")
    result = runner.invoke(app, ["population", "check", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:3:1: error [yaml-syntax]")
    assert len(result.stderr.splitlines()) == 1


def test_the_tolerance_comes_from_irp_toml(tmp_path: Path) -> None:
    text = Path(ASHCOMBE_SUMMARY).read_text(encoding="utf-8")
    summary = tmp_path / "s.yaml"
    summary.write_text(text.replace("[3, 61, 0, 9.8%]", "[3, 61, 0, 10.0%]"), encoding="utf-8")
    assert runner.invoke(app, ["population", "check", str(summary), "-q"]).exit_code == 1
    (tmp_path / "irp.toml").write_text("[population]\npercentage_tolerance = 0.3\n")
    assert runner.invoke(app, ["population", "check", str(summary), "-q"]).exit_code == 0


def test_check_writes_the_summary_as_a_document_and_still_reports(tmp_path: Path) -> None:
    out = tmp_path / "summary.docx"
    result = runner.invoke(app, ["population", "check", ALBANY, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].endswith(
        "a maximum age of 111 is not plausible (above 100); check the figure on the report, or "
        "the date of birth recorded in NOMIS"
    )
    assert f"{out}: created" in result.stderr
    assert out.read_bytes()[:2] == b"PK"
    again = runner.invoke(app, ["population", "check", ALBANY, "-o", str(out)])
    assert f"{out}: unchanged" in again.stderr


def test_check_prints_html_with_format() -> None:
    result = runner.invoke(app, ["population", "check", ASHCOMBE_SUMMARY, "--format", "html"])
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert result.stdout.count("<svg ") == 4


def test_a_summary_cannot_be_written_over_itself(tmp_path: Path) -> None:
    summary = tmp_path / "s.yaml"
    summary.write_bytes(Path(ASHCOMBE_SUMMARY).read_bytes())
    before = summary.read_bytes()
    argv = ["population", "check", str(summary), "-o", str(summary), "--format", "md", "--force"]
    result = runner.invoke(app, argv)
    assert result.exit_code == 1
    assert "[output-is-input]" in result.stderr
    assert summary.read_bytes() == before
