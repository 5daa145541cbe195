"""Tables printed to a pipe or a file are plain text (rich is for terminals)."""

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
