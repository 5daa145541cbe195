"""The draft report (irp report, guide 5.1): its shape, its words and its golden documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLES, HOUSE, assert_golden, docx_dump, example_data
from typer.testing import CliRunner

from irp_cli.cli import app
from irp_cli.documents import render
from irp_cli.onsite.evidence import load_record
from irp_cli.onsite.report import report_document
from irp_cli.review.session import Session

runner = CliRunner(env={"IRP_CONFIG": str(HOUSE)})
DAY = date(2026, 5, 20)


def rendered(path: Path, fmt: render.Format = "md") -> Any:
    loaded = Session(HOUSE).load(path, strict=True)
    document = report_document(load_record(loaded), DAY)
    return render.render_document(
        document.template,
        document.context,
        fmt,
        title=document.title,
        marking=loaded.config.house.marking,
        timestamp=datetime(2026, 1, 1),
    )


@pytest.mark.parametrize("name", ["hmp-redmarsh", "hmp-stallbridge"])
def test_report_matches_golden(name: str) -> None:
    path = EXAMPLES / f"{name}.yaml"
    assert_golden(f"report/{name}.md", rendered(path))
    assert_golden(f"report/{name}.html", rendered(path, "html"))
    assert_golden(f"report/{name}.docx.txt", docx_dump(rendered(path, "docx")))


def test_report_has_the_published_shape() -> None:
    text = str(rendered(EXAMPLES / "hmp-redmarsh.yaml"))
    assert text.startswith("# Report on an independent review of progress at HMP Redmarsh\n")
    assert "by HM Chief Inspector of Prisons\n\n12–14 May 2026\n" in text
    assert "factual accuracy checking by **Friday 29 May 2026**" in text  # 10 working days, 5.1
    assert "published by **Friday 19 June 2026**" in text  # 25 working days, 5.1
    assert "| Safety | poor |" in text  # the previous healthy prison assessments (1.4)
    assert "**S1** We followed up four of the five concerns from the previous inspection." in text
    # bands, best first, quoting the concerns' own words
    good = text.index("### Good progress")
    assert text.index("### Reasonable progress") > good
    assert "- Too many women were released without sustainable accommodation. (K2)" in text
    # sections by area, numbered paragraphs starting from the written judgement
    assert "**2.1** Leaders had put in place a realistic plan" in text
    assert "We judged that there had been reasonable progress in addressing this concern." in text
    assert (
        "Ofsted judged that there had been significant progress in addressing this theme." in text
    )
    assert "## Section 4 Notable positive practice" in text
    assert "| Nadia Perrin | Team leader |" in text
    assert "**No meaningful progress**: Leaders had not formulated" in text
    assert "overall" not in text.lower()  # there is never an overall judgement (4.1)


def test_gaps_show_as_placeholders_and_warnings() -> None:
    path = EXAMPLES / "hmp-stallbridge.yaml"
    text = str(rendered(path))
    assert "[The written judgement on P2 is still to be written.]" in text
    assert "[K1 has not been judged yet.]" in text
    assert "**S3** Two concerns had not been judged." in text
    assert "zero" not in text  # bands with no concern are left out of the summary
    result = runner.invoke(app, ["report", str(path), "--date", "2026-05-20"])
    assert result.exit_code == 0
    assert "warning [debrief-not-judged, guide 4.1] K1" in result.stderr


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"wording": "key-recommendations"}, "We followed up four of the five key recommendations"),
        ({"days": ["2026-05-08", "2026-05-13", "2026-05-14"]}, "8 and 13–14 May 2026"),
    ],
)
def test_wording_and_split_days(
    write_visit: Callable[..., Path], change: dict[str, Any], expected: str
) -> None:
    data = example_data("hmp-redmarsh")
    if "wording" in change:
        data["previous_inspection"]["findings_wording"] = change["wording"]
    if "days" in change:
        data["visit"]["days"] = change["days"]
    path = write_visit(data, name="hmp-redmarsh.yaml")
    evidence = EXAMPLES / "hmp-redmarsh.evidence"
    (path.parent / "hmp-redmarsh.evidence").symlink_to(evidence)
    assert expected in str(rendered(path))


def test_cli_writes_word_quietly_twice(tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    argv = ["report", str(EXAMPLES / "hmp-redmarsh.yaml"), "-o", str(out), "--date", "2026-05-20"]
    assert runner.invoke(app, argv).exit_code == 0
    data = out.read_bytes()
    second = runner.invoke(app, argv)
    assert f"{out}: unchanged" in second.stderr and out.read_bytes() == data
