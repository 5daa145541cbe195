"""The document commands print the visit file's warnings on stderr (issue 9.2).

A coordinator about to send a letter sees what validate and plan would say (``team-size``,
``visit-consecutive``, ...), as ``FILE:LINE:COL: warning [...]`` lines; the warnings change
neither what is printed on stdout nor the exit code. Each command is run twice on the same
file, once with the rule turned off in the settings, and stdout must be byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import dump, example_data
from typer.testing import CliRunner

from irp_cli.cli import app

HOUSE = Path(__file__).parent / "fixtures" / "house" / "irp.toml"
runner = CliRunner()
DATE = ["--date", "2026-02-10"]

#: Every command that reads one visit file and makes a document from it, as printed.
DOCUMENT_COMMANDS = [
    ["letter"],
    ["letter", "--to", "imb"],
    ["letter", "--to", "cqc"],
    ["proforma"],
    ["proforma", "--format", "csv"],
    ["returns"],
    ["liaison", "--format", "html"],
    ["schedule"],
    ["schedule", "--format", "md"],
    ["schedule", "--json"],
    ["debrief"],
    ["debrief", "--json"],
    ["report"],
    ["population", "guide"],
]


def _visit(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Ashcombe with a sixth inspector (team-size warns, guide 2.1), its settings, and the
    same settings with the rule turned off."""
    data = example_data()
    data["team"].append({"name": "Sam Extra", "role": "inspector"})
    del data["visit"]["population_summary"]  # not copied here; the debrief would need it
    path = tmp_path / "hmp-ashcombe.yaml"
    path.write_text(dump(data), encoding="utf-8")
    settings = HOUSE.read_text(encoding="utf-8")
    config, off = tmp_path / "irp.toml", tmp_path / "off.toml"
    config.write_text(settings, encoding="utf-8")
    off.write_text(settings + '\n[rules.severity]\nteam-size = "off"\n', encoding="utf-8")
    return path, config, off


@pytest.mark.parametrize("words", DOCUMENT_COMMANDS, ids=" ".join)
def test_document_commands_print_the_visit_files_warnings(words: list[str], tmp_path: Path) -> None:
    path, config, off = _visit(tmp_path)
    warned = runner.invoke(app, [*words, str(path), *DATE, "--config", str(config)])
    silent = runner.invoke(app, [*words, str(path), *DATE, "--config", str(off)])
    assert warned.exit_code == silent.exit_code == 0, warned.output
    text = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if t == "team:") + 1  # the list under it
    [warning] = [w for w in warned.stderr.splitlines() if "[team-size" in w]
    assert warning.startswith(f"{path}:{line}:1: warning [team-size, guide 2.1] the team has 6 ")
    assert "team-size" not in silent.stderr
    assert warned.stdout_bytes == silent.stdout_bytes  # the warning is on stderr only


def test_a_split_visit_warns_before_the_letter_is_written(tmp_path: Path) -> None:
    """visit-consecutive (guide 1.3, 3.1): Thursday 25 March 2027, then Easter, so the letter
    would run from a Thursday to a Wednesday; the coordinator sees why, and the letter is
    still written (a warning, exit 0)."""
    data = example_data()
    data["previous_inspection"].update(
        first_day="2026-06-01", last_day="2026-06-12", report_published="2026-09-01"
    )
    data["visit"].pop("days", None)
    data["visit"]["start"] = "2027-03-25"
    data["visit"]["status"] = {}
    del data["visit"]["population_summary"]
    path = tmp_path / "split.yaml"
    path.write_text(dump(data), encoding="utf-8")
    out = tmp_path / "letter.docx"
    result = runner.invoke(
        app, ["letter", str(path), "-o", str(out), "--date", "2027-01-12", "--config", str(HOUSE)]
    )
    assert result.exit_code == 0, result.output
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "start:" in t)
    assert f"{path}:{line}:" in result.stderr
    assert "warning [visit-consecutive" in result.stderr
    assert out.exists()
