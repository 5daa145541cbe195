"""Property-based tests (issue 13.1): mutated visit and settings files never crash a command.

Each example starts from one of ``examples/*.yaml`` (and the house ``irp.toml``) and is mutated:
keys deleted, duplicated or retyped, values swapped between fields, nonsense or far dates, YAML
tags, anchors and merge keys, odd Unicode, NUL and control characters, CRLF, a byte-order mark,
very long strings, deep nesting. Every command that reads a visit file then runs in process. The
property: it succeeds or exits 1 or 2; every problem it reports is one line; there is never a
traceback or an exit 3, and never a partial or stray output file.

CI runs a bounded, seeded number of examples. For a longer hunt::

    IRP_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py -p no:randomly

(any failure is printed with the smallest file that shows it).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLE_FILES, EXAMPLES, read_in_one_walk, read_in_steps
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from irp_cli.cli import app

HOUSE = (EXAMPLES.parent / "tests" / "fixtures" / "house" / "irp.toml").read_text("utf-8")
TEXTS = {path.stem: path.read_text(encoding="utf-8") for path in EXAMPLE_FILES}
EXAMPLES_TO_RUN = int(os.environ.get("IRP_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES_TO_RUN,
    deadline=None,  # speed is measured in bench/, never asserted in a test
    derandomize=os.environ.get("IRP_FUZZ_EXAMPLES") is None,  # seeded in CI, random on a hunt
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

NASTY = [
    "\x00",
    "\x07",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "\r",
    "\u2028",
    "🙂",
    "Ǆ",
    "\ud7ff",
    "x" * 5000,
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "1e999",
    "-0",
    "0x1F",
    "0o17",
    "~",
    "null",
    "yes",
    "no",
    "9:30",
    "'",
    '"',
    "{",
    "[",
    ": ",
    "#",
    "&a",
    "*a",
    "<<: *a",
    "!!timestamp 2026-02-30",
    "!!timestamp 2026-13-01T10:00:00",
    "!!int abc",
    "9" * 5000,
    "!!float nan",
    "!!binary aGVsbG8=",
    "!!python/object:os.system ls",
    "!!python/name:os.system",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!custom x",
    "[" * 200 + "]" * 200,
    "{a: " * 100 + "1" + "}" * 100,
    "{{ 7*7 }}",
    "{% include '/etc/passwd' %}",
]
VALUE = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda d: d.isoformat()),
)


TOML_VALUE = st.sampled_from(
    [
        '"{year:>999999999}"',
        '"{code:.99999999}"',
        '"{code!r}"',
        '"{__class__}"',
        '"{code[0]}"',
        '"{nope}"',
        '"{"',
        "[" * 3000 + "]" * 3000,
        "{a = " * 500 + "1" + "}" * 500,
        "9" * 5000,
        "1979-05-27T07:32:00Z",
        "inf",
        "nan",
        "true",
        '"""\nmany\nlines"""',
    ]
)


def line_mutation(text: str, data: st.DataObject, *, toml: bool = False) -> str:
    """One change to the lines of ``text`` (YAML, or with ``toml`` a TOML file)."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    index = data.draw(st.integers(0, len(lines) - 1), label="line")
    line = lines[index]
    kind = data.draw(
        st.sampled_from(
            [
                "delete",
                "duplicate",
                "value",
                "swap",
                "insert",
                "indent",
                "truncate",
                "key",
            ]
        ),
        label="kind",
    )
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, line)
    elif kind == "value" and toml and "=" in line:
        key, _, _ = line.partition("=")
        value = data.draw(st.one_of(VALUE, VALUE.map(json.dumps), TOML_VALUE), label="value")
        lines[index] = f"{key}= {value}\n"
    elif kind == "value" and ":" in line:
        key, _, _ = line.partition(":")
        lines[index] = f"{key}: {data.draw(VALUE, label='value')}\n"
    elif kind == "swap":
        other = data.draw(st.integers(0, len(lines) - 1), label="other")
        a, b = lines[index].partition(":"), lines[other].partition(":")
        if a[1] and b[1]:
            lines[index], lines[other] = a[0] + ":" + b[2], b[0] + ":" + a[2]
    elif kind == "insert":
        lines.insert(index, data.draw(VALUE, label="inserted") + "\n")
    elif kind == "indent":
        lines[index] = data.draw(st.sampled_from(["\t", " ", "   ", ""]), label="ws") + line
    elif kind == "truncate":
        lines = lines[:index]
    elif kind == "key" and ":" in line:
        _, _, rest = line.partition(":")
        indent = line[: len(line) - len(line.lstrip())]
        lines[index] = f"{indent}{data.draw(st.sampled_from([*NASTY, 'x', 'team']))}:{rest}"
    return "".join(lines)


def whole_mutation(text: str, data: st.DataObject, *, toml: bool = False) -> str:
    """A change to the whole file: line endings, a BOM, an anchor and merge key, nesting."""
    kind = data.draw(
        st.sampled_from(["crlf", "bom", "anchor", "nest", "utf16", "none"]), label="whole"
    )
    if kind == "crlf":
        return text.replace("\n", "\r\n")
    if kind == "bom":
        return "\ufeff" + text
    if kind == "anchor":
        return text.replace("governor:\n", "governor: &g\n", 1) + "extra: &x\n  <<: *g\n"
    if kind == "nest":
        depth = data.draw(st.integers(1, 3000), label="depth")
        return text + ("deep = " if toml else "deep: ") + "[" * depth + "]" * depth + "\n"
    if kind == "utf16":
        return text.encode("utf-16").decode("latin-1")
    return text


COMMANDS: list[list[str]] = [
    ["validate", "{file}"],
    ["validate", "--json", "{file}"],
    ["plan", "{file}", "--today", "2026-02-10"],
    ["plan", "{file}", "--json", "--today", "2026-02-10"],
    ["plan", "{file}", "--ics", "{out}.ics", "--today", "2026-02-10"],
    ["deadlines", "{file}", "--today", "2026-02-10"],
    ["letter", "{file}", "--date", "2026-02-10"],
    ["letter", "{file}", "-o", "{out}.docx", "--date", "2026-02-10"],
    ["proforma", "{file}", "-o", "{out}.xlsx", "--date", "2026-02-10"],
    ["proforma", "{file}", "-o", "{out}.csv", "--date", "2026-02-10"],
    ["returns", "{file}", "--format", "html", "--date", "2026-02-10"],
    ["liaison", "{file}", "--date", "2026-02-10"],
]
LOCATED = re.compile(r"^\S[^\n]*?(:\d+:\d+)?: (error|warning)\b")
SYNTAX = re.compile(r"^\S.*: error \[yaml-syntax\]")
PLACED = re.compile(r"^\S.*?:\d+(:\d+)?: error \[yaml-syntax\]")


def run(argv: list[str], folder: Path) -> Any:
    out = folder / "out"
    words = [
        w.replace("{file}", str(folder / "visit.yaml")).replace("{out}", str(out)) for w in argv
    ]
    runner = CliRunner(env={"IRP_CONFIG": str(folder / "irp.toml")})
    result = runner.invoke(app, words, catch_exceptions=True)
    return words, result


def assert_well_behaved(words: list[str], result: Any, folder: Path) -> None:
    shown = f"irp {' '.join(words)}\n{result.output}"
    event(f"exit {result.exit_code}")  # shown by --hypothesis-show-statistics
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert result.exit_code in (0, 1, 2), shown
    assert "Traceback" not in result.output, shown
    if "--json" in words and result.stdout.strip():
        printed = json.loads(result.stdout)
        if result.exit_code == 1 and isinstance(printed, list):
            assert any(f["severity"] == "error" for f in printed), shown
    elif result.exit_code == 1 and words[0] != "deadlines":  # deadlines: 1 is "overdue"
        assert any(LOCATED.match(line) for line in result.stderr.splitlines()), shown
    # a file YAML cannot read is always read far enough to say where (a control character,
    # an unclosed quote): never PyYAML's unplaced words
    unplaced = [
        ln for ln in result.stderr.splitlines() if SYNTAX.match(ln) and not PLACED.match(ln)
    ]
    assert unplaced == [], shown
    names = sorted(p.name for p in folder.iterdir())
    stray = [n for n in names if n not in ("visit.yaml", "irp.toml", "out.ics", "out.docx")]
    stray = [n for n in stray if n not in ("out.xlsx", "out.csv")]
    assert stray == [], f"{shown}\nleft behind: {stray}"
    for produced in folder.glob("out.*"):
        assert produced.stat().st_size > 0, shown
        produced.unlink()


@pytest.fixture
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(data=st.data())
def test_mutated_visit_files(data: st.DataObject, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("visit")
    name = data.draw(st.sampled_from(sorted(TEXTS)), label="example")
    text = TEXTS[name]
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        text = line_mutation(text, data)
    text = whole_mutation(text, data)
    (folder / "visit.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
    (folder / "irp.toml").write_text(HOUSE, encoding="utf-8")
    command = data.draw(st.sampled_from(COMMANDS), label="command")
    words, result = run(command, folder)
    assert_well_behaved(words, result, folder)


@FUZZ
@given(data=st.data())
def test_mutated_settings_files(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("settings")
    text = HOUSE
    for _ in range(data.draw(st.integers(1, 2), label="changes")):
        text = line_mutation(text, data, toml=True)
    text = whole_mutation(text, data, toml=True)
    (folder / "irp.toml").write_bytes(text.encode("utf-8", "surrogatepass"))
    (folder / "visit.yaml").write_text(TEXTS["hmp-ashcombe"], encoding="utf-8")
    command = data.draw(st.sampled_from(COMMANDS), label="command")
    words, result = run(command, folder)
    assert_well_behaved(words, result, folder)


@settings(FUZZ, max_examples=EXAMPLES_TO_RUN * 2)
@given(data=st.data())
def test_one_walk_reads_what_the_three_steps_read(data: st.DataObject) -> None:
    """The loader's fast path (one walk over the nodes) builds the same data and reports the
    same problems, at the same places, as PyYAML's constructor and the separate walks."""
    text = TEXTS[data.draw(st.sampled_from(sorted(TEXTS)), label="example")]
    for _ in range(data.draw(st.integers(1, 4), label="changes")):
        text = line_mutation(text, data)
    text = whole_mutation(text, data)
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    assert read_in_one_walk(text) == read_in_steps(text)
