"""Tables and JSON printed to a pipe or a file: plain text (rich is for terminals)."""

from __future__ import annotations

import io

import pytest

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
