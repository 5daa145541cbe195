"""A filled pro forma must be this visit's (issue 9.1): another visit's is refused, an older
version's is reported concern by concern, and importing records its arrival (guide 2.9)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from helpers import EXAMPLES
from typer.testing import CliRunner

from irp_cli.cli import app
from irp_cli.documents.proforma import splice_return
from irp_cli.visitfile.loader import parse_visit

runner = CliRunner()
ASHCOMBE = EXAMPLES / "hmp-ashcombe.yaml"
P1_TEXT = "Too many prisoners were locked in their cells for more than 22 hours a day."


def made(tmp_path: Path, visit: Path, suffix: str = ".xlsx") -> Path:
    out = tmp_path / f"{visit.stem}-proforma{suffix}"
    result = runner.invoke(app, ["proforma", str(visit), "-o", str(out), "--date", "2026-02-02"])
    assert result.exit_code == 0, result.output
    return out


def fill(book: Path) -> None:
    filled = openpyxl.load_workbook(book)
    filled["Pro forma"]["C7"] = "Jo Bloggs"
    filled.save(book)


@pytest.fixture
def visit(tmp_path: Path) -> Path:
    path = tmp_path / "hmp-ashcombe.yaml"
    shutil.copy(ASHCOMBE, path)
    return path


def test_another_visits_workbook_is_refused(visit: Path, tmp_path: Path) -> None:
    """Fernlow's file and Ashcombe's workbook: the same concern ids, another visit."""
    other = tmp_path / "hmp-fernlow.yaml"
    other.write_text(visit.read_text(encoding="utf-8").replace("code: ASH", "code: FNL"), "utf-8")
    book = made(tmp_path, visit)
    fill(book)
    before = other.read_bytes()
    result = runner.invoke(app, ["proforma-import", str(other), str(book), "--date", "2026-04-09"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{book}: error [proforma-visit] this pro forma is for another visit (Visit id "
        "irp-ASH-20250619), not HMP Ashcombe's (irp-FNL-20250619); nothing imported"
    )
    assert other.read_bytes() == before


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_older_version_is_reported_concern_by_concern(
    visit: Path, tmp_path: Path, suffix: str
) -> None:
    book = made(tmp_path, visit, suffix)
    if suffix == ".xlsx":
        fill(book)
    text = visit.read_text(encoding="utf-8")
    assert P1_TEXT in text
    changed = text.replace(P1_TEXT, "Prisoners spent too long locked in their cells.")
    visit.write_text(changed, encoding="utf-8")
    result = runner.invoke(app, ["proforma-import", str(visit), str(book), "--date", "2026-04-09"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if " error " in line]
    row = 7 if suffix == ".xlsx" else 3
    assert errors == [
        f"{book}:{row}: error [proforma-text] P1's text differs from the visit file's (the pro "
        "forma says 'Too many prisoners were locked in their cells for…', the visit file "
        "'Prisoners spent too long locked in their cells.'): it comes from an older version "
        "of this visit or from another visit; nothing imported. Make a new one with 'irp "
        "proforma' if the concerns have changed"
    ]
    assert visit.read_text(encoding="utf-8") == changed


def test_a_hand_made_csv_without_a_visit_id_is_checked_by_its_texts(
    visit: Path, tmp_path: Path
) -> None:
    filled = tmp_path / "filled.csv"
    filled.write_text(f'Id,Concern,Manager\'s name\nP1,"{P1_TEXT}",Jo Bloggs\n', "utf-8")
    result = runner.invoke(
        app, ["proforma-import", str(visit), str(filled), "--date", "2026-04-09"]
    )
    assert result.exit_code == 0, result.stderr
    assert f"{filled}: warning [proforma-visit] the pro forma does not say which visit" in (
        result.stderr
    )
    assert "proforma: 2026-04-09" in visit.read_text(encoding="utf-8")


VISIT_HEAD = "schema_version: 1\nvisit:\n  start: 2026-04-21\n"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("", "  status:\n    returns:\n      proforma: 2026-04-09\n"),
        ("  status:\n", "  status:\n    returns:\n      proforma: 2026-04-09\n"),
        (
            "  status:\n    letter_sent: 2026-02-10  # sent\n",
            "  status:\n    letter_sent: 2026-02-10  # sent\n    returns:\n"
            "      proforma: 2026-04-09\n",
        ),
        (
            "  status:\n    returns:\n      action-plan: 2026-04-08\n    letter_sent: 2026-02-10\n",
            "  status:\n    returns:\n      action-plan: 2026-04-08\n      proforma: 2026-04-09\n"
            "    letter_sent: 2026-02-10\n",
        ),
        ("  status:\n    returns:\n", "  status:\n    returns:\n      proforma: 2026-04-09\n"),
        ("  status: {letter_sent: 2026-02-10}\n", None),
    ],
    ids=["no-status", "empty-status", "no-returns", "returns", "empty-returns", "flow"],
)
def test_splice_return(status: str, expected: str | None) -> None:
    from irp_cli.visitfile.loader import compose

    text = VISIT_HEAD + status + "team: []\n"
    got = splice_return(text, compose(text, "v.yaml"), "proforma", date(2026, 4, 9))
    if expected is None:
        assert got is None
    else:
        assert got == VISIT_HEAD + expected + "team: []\n"


def test_splice_return_reads_back_in_a_real_visit(visit: Path) -> None:
    text = visit.read_text(encoding="utf-8").rstrip("\n")  # no final line break either
    got = splice_return(text, parse_visit(text, "v.yaml").root, "proforma", date(2026, 4, 9))
    assert got is not None
    back = parse_visit(got, "v.yaml").visit.visit.status
    assert back.returns == {"proforma": date(2026, 4, 9)}
    assert back.letter_sent == date(2026, 2, 10)
    assert got.startswith(text[: text.index("  status:")])
