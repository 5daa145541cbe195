"""A date outside the years irp knows (2000 to 2045) behaves the same in every command (issue
7.4): typed on the command line, it is a usage error (one line, exit 2); written in a visit file
or irp.toml, or worked out from a visit file, it is an error at its line and column (exit 1).
The core raises one error for both (``workdays.OutOfRange``); which exit code it gets is decided
at the CLI's error boundary.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import EXAMPLES
from typer.testing import CliRunner, Result

from irp_cli.cli import app

ASHCOMBE = EXAMPLES / "hmp-ashcombe.yaml"
ONE_LINE = re.compile(r"^irp: error \[(out-of-range|usage)\] .*(2000 to 2045|not a year)", re.S)


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


# --------------------------------------------------------------------------------------------
# Typed on the command line: exit 2, one line

E = str(ASHCOMBE)
TYPED = [
    ("plan", E, "--today", "2046-01-01"),
    ("plan", "--suggest", E, "--today", "1999-12-31"),
    ("deadlines", E, "--today", "2046-01-01"),
    ("programme", str(EXAMPLES), "--today", "2046-01-01"),
    ("programme", str(EXAMPLES), "--year", "2046"),
    ("stats", str(EXAMPLES), "--year", "1999"),
    ("stats", str(EXAMPLES), "--today", "1999-06-01"),
    ("letter", E, "--date", "2046-01-01"),
    ("proforma", E, "--date", "1999-01-01"),
    ("returns", E, "--date", "2046-01-01"),
    ("liaison", E, "--date", "2046-01-01"),
    ("schedule", E, "--date", "2046-01-01"),
    ("debrief", E, "--date", "2046-01-01"),
    ("report", E, "--date", "2046-01-01"),
    ("population", "guide", E, "--date", "2046-01-01"),
    ("evidence", "add", E, "P1", "-s", "staff", "-n", "Seen", "--date", "2046-01-01"),
    ("workdays", "add", "2046-01-01", "1"),
    ("workdays", "sub", "1999-12-31", "1"),
    ("workdays", "add", "2045-12-29", "5"),  # the answer would be in 2046
    ("workdays", "sub", "2000-01-04", "5"),  # ... or in 1999
    ("workdays", "between", "1999-12-31", "2000-01-05"),
    ("workdays", "holidays", "2046"),
    ("workdays", "add", "2026-03-02", "1", "--closure", "2046-01-01"),
]


@pytest.mark.parametrize("args", TYPED, ids=" ".join)
def test_a_date_typed_outside_the_years_is_a_usage_error(args: tuple[str, ...]) -> None:
    before = ASHCOMBE.read_bytes()
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and ONE_LINE.match(lines[0]), result.stderr
    assert ASHCOMBE.read_bytes() == before


def test_init_with_a_today_outside_the_years_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "visit.yaml"
    result = run("init", str(target), "--no-input", "--today", "2046-01-01")
    assert result.exit_code == 2
    assert ONE_LINE.match(result.stderr)
    assert not target.exists()


def test_a_bad_year_is_one_line_too() -> None:
    result = run("programme", str(EXAMPLES), "--year", "20x6")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "irp: error [usage] --year '20x6' is not a year: write four digits, for example 2026\n"
    )


# --------------------------------------------------------------------------------------------
# Written in a file, or worked out from one: exit 1, at its line and column


def visit_with(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of HMP Ashcombe (with its population summary) with ``old`` replaced by ``new``,
    and the line ``new`` starts on."""
    text = ASHCOMBE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    changed = text.replace(old, new)
    path = tmp_path / "hmp-ashcombe.yaml"
    path.write_text(changed, encoding="utf-8")
    shutil.copytree(EXAMPLES / "population", tmp_path / "population")
    return path, changed[: changed.index(new)].count("\n") + 1


IN_THE_FILE = {
    "visit days": ("days: [2026-04-21, 2026-04-22, 2026-04-23]", "days: [2046-04-23, 2046-04-24]"),
    "previous inspection": ("first_day: 2025-06-09", "first_day: 1999-06-09"),
    "a status date": ("letter_sent: 2026-02-10", "letter_sent: 2046-02-10"),
    "a returns date": (
        "letter_sent: 2026-02-10",
        "letter_sent: 2026-02-10\n    returns: {proforma: 2050-04-01}",
    ),
    "an evidence date": (  # in a list of a list: concerns[0].evidence[0].date
        "    hmpps_response: partly-accepted\n  - id: P2",
        "    hmpps_response: partly-accepted\n    evidence:\n      - source: staff\n"
        "        note: Seen.\n        date: 2047-01-05\n  - id: P2",
    ),
    "worked out": (
        "days: [2026-04-21, 2026-04-22, 2026-04-23]",
        "days: [2045-12-27, 2045-12-28, 2045-12-29]",
    ),
}
COMMANDS = [
    ("validate",),
    ("plan",),
    ("deadlines",),
    ("letter",),
    ("schedule",),
    ("progress",),
    ("debrief",),
    ("report",),
    ("programme",),
    ("stats",),
]


@pytest.mark.parametrize("case", sorted(IN_THE_FILE))
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_date_in_the_visit_file_outside_the_years_is_placed(
    tmp_path: Path, case: str, command: tuple[str, ...]
) -> None:
    old, new = IN_THE_FILE[case]
    path, line = visit_with(tmp_path, old, new)
    if case == "a returns date":
        line += 1
    if case == "an evidence date":
        line += 4
    result = run(*command, str(path))
    assert result.exit_code == 1, result.output
    errors = [ln for ln in result.stderr.splitlines() if ": error " in ln]
    assert errors, result.stderr
    placed = re.compile(rf"^{re.escape(str(path))}:{line}:\d+: error \[out-of-range\] ")
    assert all(placed.match(ln) for ln in errors), result.stderr


def test_suggest_places_a_window_past_the_years_at_the_inspection(tmp_path: Path) -> None:
    old = "first_day: 2025-06-09\n  last_day: 2025-06-19\n  report_published: 2025-09-23"
    path, line = visit_with(tmp_path, old, old.replace("2025", "2045"))
    result = run("plan", "--suggest", str(path), "--today", "2045-07-01")
    assert result.exit_code == 1
    last_day = line + 1
    where = rf"{re.escape(str(path))}:{last_day}:\d+: error \[out-of-range\] "
    assert re.match(where + "previous_inspection.last_day: ", result.stderr), result.stderr


def test_a_closure_in_irp_toml_outside_the_years_is_placed(tmp_path: Path) -> None:
    path, _ = visit_with(tmp_path, "letter_sent: 2026-02-10", "letter_sent: 2026-02-10")
    settings = tmp_path / "irp.toml"
    settings.write_text("[calendar]\nclosures = [2026-12-24, 2050-01-01]\n", encoding="utf-8")
    for args in (
        ("validate", str(path)),
        ("workdays", "add", "2026-03-02", "1", "--config", str(settings)),
    ):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(
            f"{settings}:2:1: error [config] calendar.closures: closure 2050-01-01"
        )


@pytest.mark.parametrize("command", ["validate", "progress", "debrief", "report"])
def test_a_date_in_an_evidence_file_outside_the_years_is_placed(
    tmp_path: Path, command: str
) -> None:
    path, _ = visit_with(tmp_path, "letter_sent: 2026-02-10", "letter_sent: 2026-02-10")
    folder = tmp_path / "hmp-ashcombe.evidence"
    folder.mkdir()
    evidence = folder / "helen.yaml"
    evidence.write_text(
        "schema_version: 1\nconcerns:\n  P1:\n    evidence:\n      - source: staff\n"
        "        date: 2050-01-01\n        note: Seen on the wing.\n",
        encoding="utf-8",
    )
    result = run(command, str(path))
    assert result.exit_code == 1, result.output
    assert f"{evidence}:6:15: error [out-of-range] concerns.P1.evidence[0].date: " in result.stderr
