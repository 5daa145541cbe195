"""Every command, in every output format, on every example (issue 13.2).

For each: the exit code is one docs/commands.md documents for a good file, what it prints or
writes is well formed (JSON parses, HTML parses, ``.docx`` and ``.xlsx`` open, ``.ics``
parses), and a second run into the same file says "unchanged" and leaves it byte-identical. A
new command or format is added to ``CASES``; ``test_every_command_is_covered`` fails until it is.
"""

from __future__ import annotations

import io
import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import EXAMPLE_FILES, EXAMPLES
from typer.testing import CliRunner

from irp_cli.cli import app

HOUSE = EXAMPLES.parent / "tests" / "fixtures" / "house" / "irp.toml"
runner = CliRunner(env={"IRP_CONFIG": str(HOUSE)})
TODAY = "2026-02-10"

# (command words, format: what is printed or the extension written, exit codes allowed).
# "{file}" is the example; output goes to "-o" (documents) or "--ics" (calendars).
CASES: list[tuple[list[str], str, set[int]]] = [
    (["validate", "{file}"], "text", {0}),
    (["validate", "--json", "{file}"], "json", {0}),
    (["plan", "{file}", "--today", TODAY], "text", {0}),
    (["plan", "{file}", "--json", "--today", TODAY], "json", {0}),
    (["plan", "{file}", "--format", "md", "--today", TODAY], "md", {0}),
    (["plan", "{file}", "--format", "html", "--today", TODAY], "html", {0}),
    (["plan", "{file}", "-o", "{out}.docx", "--today", TODAY], "docx", {0}),
    (["plan", "{file}", "--ics", "{out}.ics", "--today", TODAY], "ics", {0}),
    (["deadlines", "{file}", "--today", TODAY], "text", {0, 1}),
    (["deadlines", "{file}", "--json", "--today", TODAY], "json", {0, 1}),
    (["deadlines", "{file}", "--ics", "{out}.ics", "--today", TODAY], "ics", {0, 1}),
    *[
        ([doc, "{file}", *fmt, "--date", TODAY], kind, {0})
        for doc in ["letter", "proforma", "returns", "liaison"]
        for fmt, kind in [
            ([], "md"),
            (["--format", "html"], "html"),
            (["-o", "{out}.docx"], "docx"),
        ]
    ],
    *[
        (["population", "guide", "{file}", *fmt, "--date", TODAY], kind, {0})
        for fmt, kind in [
            ([], "md"),
            (["--format", "html"], "html"),
            (["-o", "{out}.docx"], "docx"),
        ]
    ],
    (["letter", "{file}", "--to", "imb", "--date", TODAY], "md", {0}),
    (["report", "{file}", "--date", TODAY], "md", {0}),
    (["report", "{file}", "-o", "{out}.docx", "--date", TODAY], "docx", {0}),
    (["schedule", "{file}", "--date", TODAY], "text", {0}),
    (["schedule", "{file}", "--json", "--date", TODAY], "json", {0}),
    (["schedule", "{file}", "--format", "html", "--date", TODAY], "html", {0}),
    (["schedule", "{file}", "-o", "{out}.docx", "--date", TODAY], "docx", {0}),
    (["schedule", "{file}", "--ics", "{out}.ics", "--date", TODAY], "ics", {0}),
    (["proforma", "{file}", "-o", "{out}.xlsx", "--date", TODAY], "xlsx", {0}),
    (["proforma", "{file}", "-o", "{out}.csv", "--date", TODAY], "csv", {0}),
    (["programme", "{file}", "--today", TODAY], "text", {0}),
    (["programme", "{file}", "--json", "--today", TODAY], "json", {0}),
    (["programme", "{file}", "--format", "md", "--today", TODAY], "md", {0}),
    (["programme", "{file}", "--format", "html", "--today", TODAY], "html", {0}),
    (["programme", "{file}", "-o", "{out}.docx", "--today", TODAY], "docx", {0}),
    (["programme", "{file}", "--ics", "{out}.ics", "--today", TODAY], "ics", {0}),
    (["progress", "{file}"], "text", {0}),
    (["progress", "{file}", "--json"], "json", {0}),
    (["debrief", "{file}", "--date", TODAY], "md", {0}),
    (["debrief", "{file}", "--format", "html", "--date", TODAY], "html", {0}),
    (["debrief", "{file}", "-o", "{out}.docx", "--date", TODAY], "docx", {0}),
    (["debrief", "{file}", "--json"], "json", {0}),
    (["stats", "{file}", "--today", TODAY], "text", {0}),
    (["stats", "{file}", "--json", "--today", TODAY], "json", {0}),
    (["stats", "{file}", "--format", "html", "--today", TODAY], "html", {0}),
    (["stats", "{file}", "-o", "{out}.html", "--today", TODAY], "html", {0}),
]
# Commands that read no visit file, or are covered by their own tests.
NOT_PER_EXAMPLE = {"init", "schema", "rules", "workdays", "proforma-import", "evidence", "judge"}


class _Balance(HTMLParser):
    VOID = frozenset(
        "area base br col embed hr img input link meta source track wbr".split()  # noqa: SIM905
    )

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def check_html(text: str) -> None:
    assert text.lstrip().lower().startswith("<!doctype html>")
    parser = _Balance()
    parser.feed(text)
    parser.close()
    assert parser.problems == []
    assert parser.stack == []


def check_output(kind: str, data: bytes) -> None:
    if kind == "json":
        json.loads(data)
    elif kind == "html":
        check_html(data.decode("utf-8"))
    elif kind in ("md", "text", "csv"):
        assert data.decode("utf-8").strip()
    elif kind in ("docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None
        if kind == "docx":
            import docx

            assert docx.Document(io.BytesIO(data)).paragraphs
        else:
            import openpyxl

            assert openpyxl.load_workbook(io.BytesIO(data)).worksheets
    elif kind == "ics":
        import icalendar

        calendar = icalendar.Calendar.from_ical(data)
        assert calendar.walk("VEVENT")
    else:  # pragma: no cover - a new kind needs a check
        raise AssertionError(f"no check for {kind}")


def case_id(case: tuple[list[str], str, set[int]]) -> str:
    words = [w for w in case[0] if not w.startswith("{") and w != TODAY]
    return "-".join(w.lstrip("-") for w in words if w not in ("--today", "--date")) or "x"


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_command_on_example(
    case: tuple[list[str], str, set[int]], example: Path, tmp_path: Path
) -> None:
    words, kind, codes = case
    out = tmp_path / "out"
    argv = [w.replace("{file}", str(example)).replace("{out}", str(out)) for w in words]
    written = [Path(w) for w in argv if w.startswith(str(out))]

    first = runner.invoke(app, argv)
    assert first.exit_code in codes, first.output
    assert "Traceback" not in first.output
    if not written:
        check_output(kind, first.output_bytes if kind == "text" else first.stdout_bytes)
        second = runner.invoke(app, argv)
        assert second.exit_code == first.exit_code
        assert second.stdout_bytes == first.stdout_bytes, "a second run prints something else"
        return
    (target,) = written
    data = target.read_bytes()
    check_output(kind, data)
    assert [p.name for p in tmp_path.iterdir()] == [target.name], "a stray file was left"

    second = runner.invoke(app, argv)
    assert second.exit_code == first.exit_code, second.output
    assert f"{target}: unchanged" in second.stderr
    assert target.read_bytes() == data


def test_every_command_is_covered() -> None:
    import typer.main

    group = typer.main.get_group(app)
    covered = {words[0] for words, _, _ in CASES}
    assert set(group.commands) - covered - NOT_PER_EXAMPLE == set()
