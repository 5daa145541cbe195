"""Hostile and accidental input (issues 13 and 14): each case is a reproducer of something that
once crashed, hung or exhausted memory, and now gets one located line and exit 1."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLES

from irp_cli.errors import Finding, IrpError
from irp_cli.text import check_free_text, check_line, terminal_safe
from irp_cli.visitfile.config import MAX_CONFIG_BYTES, load_config
from irp_cli.visitfile.loader import load_visit

ASHCOMBE = (EXAMPLES / "hmp-ashcombe.yaml").read_text(encoding="utf-8")


def visit_problem(path: Path) -> Finding:
    with pytest.raises(IrpError) as caught:
        load_visit(path)
    assert len(caught.value.findings) == 1, caught.value.lines()
    return caught.value.findings[0]


def config_problems(path: Path) -> list[Finding]:
    with pytest.raises(IrpError) as caught:
        load_config(path)
    return caught.value.findings


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


# --- the YAML loader: every tag and every number is built at its place, or refused there ------


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        pytest.param(
            "schema_version: 1",
            "schema_version: !!timestamp 2025-02-31",
            "tag '!!timestamp' is not used in visit files",
            id="timestamp-day-out-of-range",
        ),
        pytest.param(
            "first_day: 2025-06-09",
            "first_day: !!timestamp 2025-06-09",
            "write the date as YYYY-MM-DD",
            id="timestamp-valid",
        ),
        pytest.param(
            "schema_version: 1",
            "schema_version: !!int abc",
            "'abc' is not a whole number",
            id="int-abc",
        ),
        pytest.param(
            "schema_version: 1",
            "schema_version: !!float abc",
            "'abc' is not a number",
            id="float-abc",
        ),
        pytest.param(
            "schema_version: 1",
            "schema_version: !!bool maybe",
            "not true or false",
            id="bool-maybe",
        ),
        pytest.param(
            "schema_version: 1",
            "schema_version: " + "9" * 5000,
            "a number of 5,000 digits",
            id="int-5000-digits",
        ),
        pytest.param(
            "schema_version: 1", "schema_version: !!binary aGVsbG8=", "'!!binary'", id="binary"
        ),
        pytest.param("schema_version: 1", "schema_version: !!set {a: 1}", "'!!set'", id="set"),
        pytest.param(
            "schema_version: 1",
            "schema_version: !!python/object:os.system ls",
            "'!!python/object:os.system'",
            id="python-object",
        ),
        pytest.param(
            "schema_version: 1", "schema_version: !custom 1", "'!custom'", id="custom-tag"
        ),
    ],
)
def test_yaml_tags_and_numbers_are_refused_at_their_place(
    write_visit: Callable[..., Path], old: str, new: str, words: str
) -> None:
    text = ASHCOMBE.replace(old, new, 1)
    finding = visit_problem(write_visit(text))
    assert finding.code == "yaml-value"
    assert words in finding.message
    assert finding.line == _line_of(text, new)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("1749427200", id="unix-timestamp"),
        pytest.param("1749427200.0", id="unix-timestamp-float"),
        pytest.param("'20250609'", id="digits-only"),
        pytest.param("'2025-06-09T00:00:00'", id="with-a-time"),
    ],
)
def test_dates_are_yyyy_mm_dd_only(write_visit: Callable[..., Path], value: str) -> None:
    text = ASHCOMBE.replace("first_day: 2025-06-09", f"first_day: {value}", 1)
    finding = visit_problem(write_visit(text))
    assert finding.loc == "previous_inspection.first_day"
    assert "write dates as YYYY-MM-DD" in finding.message


def test_a_huge_value_is_quoted_short(write_visit: Callable[..., Path]) -> None:
    text = ASHCOMBE.replace("schema_version: 1", f"schema_version: '{'9' * 5000}'", 1)
    finding = visit_problem(write_visit(text))
    assert "(5,000 characters)" in finding.message
    assert len(finding.format()) < 300


# --- bounded reads: only regular files, size-checked before reading ------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "visit.yaml"
    os.mkfifo(fifo)
    finding = visit_problem(fifo)  # would block for ever if it were opened
    assert finding.code == "file"
    assert "not a regular file" in finding.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("kind", ["visit", "config"])
def test_dev_zero_is_refused_without_reading(kind: str) -> None:
    found = (
        visit_problem(Path("/dev/zero"))
        if kind == "visit"
        else config_problems(Path("/dev/zero"))[0]
    )
    assert "not a regular file" in found.message


# --- irp.toml: bounded like a visit file, its values validated -----------------------------


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        pytest.param(
            "x = " + "[" * 5000 + "]" * 5000 + "\n", "nested more than", None, id="deep-array"
        ),
        pytest.param(
            "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
            "nested more than",
            None,
            id="deep-table",
        ),
        pytest.param(
            "[rules]\nseverity = " + "{a = " * 20 + "'off'" + "}" * 20 + "\n",
            "nested more than",
            None,
            id="moderately-deep",
        ),
        pytest.param(
            "[timeline]\ndraft_report_working_days = " + "9" * 5000 + "\n",
            "a number too long",
            2,
            id="int-5000-digits",
        ),
        pytest.param(
            '[house]\nreference_format = "{year:>999999999}"\n',
            "width of 999,999,999",
            None,
            id="huge-width",
        ),
        pytest.param(
            '[house]\nreference_format = "{name:.99999}"\n',
            "width of 99,999",
            None,
            id="huge-precision",
        ),
        pytest.param(
            '[house]\nreference_format = "{year:{code}}"\n',
            "a field inside a field",
            None,
            id="nested-field",
        ),
        pytest.param(
            '[house]\nreference_format = "{code:d}"\n', "cannot be filled in", None, id="wrong-type"
        ),
        pytest.param(
            '[house]\nreference_format = "{governor}"\n',
            "only {code}, {year}",
            None,
            id="unknown-field",
        ),
        pytest.param(
            "[timeline]\nletter_earliest_months = 2\nletter_latest_months = 3\n",
            "the latest point for the letter would come before the earliest",
            None,
            id="letter-window-reversed",
        ),
        pytest.param(
            '[house]\nmarking = "OFFICIAL\\u001b[2J"\n', "U+001B", None, id="control-character"
        ),
        pytest.param(
            '[house]\ninspectorate = "HM\\nInspectorate"\n', "a line break", None, id="line-break"
        ),
        pytest.param(
            "[calendar]\nclosures = [1749427200]\n", "YYYY-MM-DD", None, id="timestamp-closure"
        ),
    ],
)
def test_bad_settings_are_refused(tmp_path: Path, text: str, words: str, line: int | None) -> None:
    path = tmp_path / "irp.toml"
    path.write_text(text, encoding="utf-8")
    (finding,) = config_problems(path)
    assert finding.code == "config"
    assert words in finding.message
    assert finding.line == line


def test_settings_with_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "irp.toml"
    path.write_bytes(b'\xef\xbb\xbf[house]\nmarking = "OFFICIAL-SENSITIVE"\n')
    assert load_config(path).house.marking == "OFFICIAL-SENSITIVE"


def test_an_oversized_settings_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "irp.toml"
    path.write_bytes(b"# " + b"x" * MAX_CONFIG_BYTES + b"\n")
    (finding,) = config_problems(path)
    assert "at most" in finding.message


def test_a_small_width_is_still_allowed(tmp_path: Path) -> None:
    path = tmp_path / "irp.toml"
    path.write_text(
        '[house]\nreference_format = "IRP/{code}/{year:04d}/{name:.10}"\n', encoding="utf-8"
    )
    assert load_config(path).house.reference_format.endswith("{name:.10}")


# --- characters: one decision for single lines and free text -------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("HMP\nAshcombe", "a line break"),
        ("HMP\u2028Ashcombe", "a line break"),
        ("HMP\tAshcombe", "a tab"),
        ("HMP \x1b[31mAshcombe", "U+001B"),
        ("HMP \x00Ashcombe", "U+0000"),
        ("HMP \x85Ashcombe", "a line break"),
        ("HMP \u202eebmohsA", "U+202E"),
        ("HMP \x7fAshcombe", "U+007F"),
    ],
)
def test_a_line_refuses_breaks_and_controls(value: str, words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)):
        check_line(value)


def test_free_text_keeps_line_breaks_but_no_other_control() -> None:
    assert check_free_text("One.\r\nTwo.\rThree.\tFour.") == "One.\nTwo.\nThree.\tFour."
    with pytest.raises(ValueError, match=r"U\+001B"):
        check_free_text("One.\n\x1b[2JTwo.")


@pytest.mark.parametrize(
    ("old", "new", "loc", "words"),
    [
        (
            "name: HMP Ashcombe",
            'name: "HMP \\e[31mAshcombe"',
            "establishment.name",
            "U+001B",
        ),
        ("name: HMP Ashcombe", 'name: "HMP\\nAshcombe"', "establishment.name", "a line break"),
        (
            "name: HMP Ashcombe",
            "name: " + "A" * 201,
            "establishment.name",
            "at most 200",
        ),
        (
            "    text: Too many prisoners",
            '    text: "\\x07Too many prisoners',
            "concerns[0].text",
            "U+0007",
        ),
        (
            "    email: dana.whitcombe@ashcombe.example.org",
            '    email: "dana\\e@ashcombe.example.org"',
            "establishment.governor.email",
            "not an email address",
        ),
    ],
)
def test_visit_file_characters_are_refused_at_their_place(
    write_visit: Callable[..., Path], old: str, new: str, loc: str, words: str
) -> None:
    text = ASHCOMBE.replace(old, new, 1)
    if new.startswith('    text: "'):
        text = text.replace("22 hours a day.", '22 hours a day."', 1)
    assert text != ASHCOMBE
    finding = visit_problem(write_visit(text))
    assert finding.loc == loc
    assert words in finding.message
    assert finding.line == _line_of(text, new.strip())


def test_free_text_line_breaks_are_kept(write_visit: Callable[..., Path]) -> None:
    text = ASHCOMBE.replace(
        "    text: Too many prisoners",
        '    text: "First part.\\n\\nSecond part. Too many prisoners',
        1,
    ).replace("22 hours a day.", '22 hours a day."', 1)
    doc = load_visit(write_visit(text))
    assert doc.visit.concerns[0].text.startswith("First part.\n\nSecond part.")


def test_terminal_output_is_escaped() -> None:
    assert terminal_safe("a\x1b[2Jb\u202ec") == "a\\x1b[2Jb\\u202ec"
    assert terminal_safe("one\ntwo\tthree") == "one\ntwo\tthree"
    assert terminal_safe("one\ntwo", one_line=True) == "one\\x0atwo"


def test_findings_reach_the_terminal_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    from irp_cli.output import print_findings

    print_findings(
        [Finding("v\x1b]0;x\x07.yaml", "error", "x", "'\x1b[2J' is\nnot a role", line=3)]
    )
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert err == "v\\x1b]0;x\\x07.yaml:3: error [x] '\\x1b[2J' is\\x0anot a role\n"
