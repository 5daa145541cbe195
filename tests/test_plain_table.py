"""Tables and JSON printed to a pipe or a file: plain text (rich is for terminals)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from irp_cli.cli import app
from irp_cli.output import plain_table


def render(headers: list[str], rows: list[list[str]], wrap: int) -> list[str]:
    out = io.StringIO()
    plain_table(headers, rows, wrap=wrap, stream=out)
    return out.getvalue().splitlines()


def test_columns_are_as_wide_as_their_widest_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    lines = render(["Due", "What"], [["Fri 2 Jan 2026", "Letter"], ["Mon 5 Jan", "Pro forma"]], 1)
    assert lines == [
        "Due            What",
        "-------------- ---------",
        "Fri 2 Jan 2026 Letter",
        "Mon 5 Jan      Pro forma",
    ]


def test_a_long_table_is_written_whole_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lines go out a few thousand at a time: none lost, doubled or left blank between."""
    monkeypatch.setenv("COLUMNS", "40")
    long = "a deadline whose title is long enough to wrap onto a second line"
    rows = [[f"row {n}", long if n % 3 == 0 else "short", "x" * (n % 2)] for n in range(5_000)]
    lines = render(["Row", "Deadline", "?"], rows, 1)
    assert len(lines) == 2 + 5_000 + sum(n % 3 == 0 for n in range(5_000)) * 2
    firsts = [" ".join(line.split()[:2]) for line in lines[2:] if line.startswith("row ")]
    assert firsts == [f"row {n}" for n in range(5_000)]
    assert all(line.strip() for line in lines)


def test_the_wrapped_column_fits_the_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    text = "Coordinating inspector contacts the prison and asks for its documents (2.7, 2.9)"
    lines = render(["Due", "Deadline", "State"], [["Tue 3 Feb", text, "overdue"]], 1)
    assert max(len(line) for line in lines) <= 40
    assert lines[2].startswith("Tue 3 Feb Coordinating") and lines[2].endswith("overdue")
    words = " ".join(lines[2:]).split()
    assert [w for w in words if w not in ("Tue", "3", "Feb", "overdue")] == text.split()


def test_a_value_cannot_drive_the_terminal() -> None:
    lines = render(["Visit"], [["HMP \x1b[2JAshcombe"]], 0)
    assert "\x1b" not in "".join(lines)


@pytest.mark.parametrize(
    "cell",
    [
        "Letter (2.6)",
        "  indented at the start",
        "ends with spaces   ",
        "two  spaces inside",
        "x" * 30,
        "x" * 31,
        "a tab\there",
        "- a list item that is long enough to wrap onto a second line",
        "",
    ],
)
def test_a_line_that_fits_is_printed_as_textwrap_would(
    cell: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import textwrap

    from irp_cli.text import terminal_safe

    monkeypatch.setenv("COLUMNS", "40")
    lines = render(["Due", "What"], [["Fri 2 Jan", cell]], 1)
    hang = "  " if cell.startswith("- ") else ""
    width = len(lines[1].split(" ")[1])
    wrapped = textwrap.wrap(terminal_safe(cell), width, subsequent_indent=hang) or [""]
    expected = [
        f"{'Fri 2 Jan' if n == 0 else '':<9} {part}".rstrip() for n, part in enumerate(wrapped)
    ]
    assert lines[2:] == expected


@pytest.mark.parametrize("size", [0, 3, 5000])
def test_print_json_writes_what_json_dumps_gives(
    size: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """Written a batch of the encoder's pieces at a time, the text is json.dumps's, whole."""
    import json

    from irp_cli.output import print_json

    data = {"visits": [{"n": n, "name": f"HMP Ünder {n}", "days": [n, None]} for n in range(size)]}
    print_json(data)
    assert capsys.readouterr().out == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# The commands' tables in a pipe (CliRunner's output is not a terminal): plain_table's text.
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_suggested_dates_in_a_pipe_have_a_blank_line_between_weeks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    args = ["plan", "--suggest", str(EXAMPLES / "hmp-ashcombe.yaml"), "--today", "2026-01-01"]
    lines = CliRunner().invoke(app, args).stdout.splitlines()
    assert lines[0] == "HMP Ashcombe: possible visit dates"
    assert lines[2:6] == [
        "First day       ISO        Last day        Letter by       Documents due",
        "--------------- ---------- --------------- --------------- ---------------",
        "Mon 2 Mar 2026  2026-03-02 Wed 4 Mar 2026  Fri 2 Jan 2026  Mon 23 Feb 2026",
        "Tue 3 Mar 2026  2026-03-03 Thu 5 Mar 2026  Fri 2 Jan 2026  Tue 24 Feb 2026",
    ]
    assert lines[7:9] == [
        "",
        "Mon 9 Mar 2026  2026-03-09 Wed 11 Mar 2026 Fri 9 Jan 2026  Mon 2 Mar 2026",
    ]
    assert lines[-1] != ""  # no blank line after the last week


def test_the_schedule_in_a_pipe_wraps_who_attends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    args = ["schedule", str(EXAMPLES / "hmp-ashcombe.yaml"), "--date", "2026-02-10"]
    lines = CliRunner().invoke(app, args).stdout.splitlines()
    assert lines[:5] == [
        "HMP Ashcombe (ASH): the team's schedule",
        "Visit: 21–23 April 2026",
        "Guide 3.1 (the day's schedule) and Appendix I (the liaison officer)",
        "",
        "Day 1 of 3: Tuesday 21 April 2026",
    ]
    assert lines[5].split() == ["Time", "Session", "Who"]
    row = lines.index(next(ln for ln in lines if ln.startswith("12.30pm to 1.15pm")))
    assert "The governor's presentation (30–45 minutes)" in lines[row]
    assert lines[row].endswith("Whole team; with Dana Whitcombe") and len(lines[row]) <= 100
    assert lines[row + 1].lstrip().startswith("(Governor)")  # under its column, not wider
    assert lines[row + 1].startswith(" " * len("12.30pm to 1.15pm The governor's"))


def test_progress_in_a_pipe_is_a_plain_table_per_area() -> None:
    result = CliRunner().invoke(app, ["progress", str(EXAMPLES / "hmp-redmarsh.yaml")])
    lines = result.stdout.splitlines()
    assert lines[0] == "HMP Redmarsh: evidence and judgements so far"
    at = lines.index("Safety")
    assert lines[at + 1].split() == [
        "Id", "Sta", "Pri", "Grp", "3rd", "Doc", "Dat", "Obs", "All", "KQ", "Tri", "Judgement"
    ]  # fmt: skip
    assert lines[at + 3].split() == [
        "P1", "0", "1", "0", "0", "1", "0", "1", "3", "LPAE", "yes", "reasonable", "progress"
    ]  # fmt: skip
    assert lines[-1].endswith("triangulated.") and "concerns judged" in lines[-1]


def test_the_programme_in_a_pipe_is_a_plain_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    args = ["programme", str(EXAMPLES / "programme"), "--today", "2026-03-01"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "IRP programme, as of Sun 1 Mar 2026"
    assert lines[1].split() == [
        "Visit",
        "days",
        "Establishment",
        "Team",
        "leader",
        "Partners",
        "Next",
        "due",
    ]
    assert set(lines[2]) == {"-", " "}  # a rule of dashes, not rich's line
    assert lines[3].startswith("13–15 Feb 2024 HMP Fernlow (FNL)")
    assert lines[3].endswith("report published Mon 25 Mar 2024")
    assert len(lines) == 3 + 4  # one line a visit: nothing wrapped at 120 columns
