"""Messages that say how to fix it (issue 9.5): YAML syntax in plain words, empty values,
irp.toml errors located with "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLE_FILES

from irp_cli.errors import IrpError
from irp_cli.visitfile.config import load_config, toml_position
from irp_cli.visitfile.loader import parse_visit

ASHCOMBE = EXAMPLE_FILES[0].read_text(encoding="utf-8")
TEXT = "    text: Too many prisoners were locked in their cells for more than 22 hours a day.\n"
TEXT_LINE = ASHCOMBE[: ASHCOMBE.index(TEXT)].count("\n") + 1


def problem(replacement: str) -> tuple[int | None, str]:
    assert TEXT in ASHCOMBE
    with pytest.raises(IrpError) as raised:
        parse_visit(ASHCOMBE.replace(TEXT, replacement), "v.yaml")
    first = raised.value.findings[0]
    return first.line, first.message


@pytest.mark.parametrize(
    ("replacement", "line", "words"),
    [
        (
            "    text: Staff said: the regime is poor\n",
            0,
            'put the whole text in quotes, e.g. text: "Staff said: the regime is poor"',
        ),
        ("     text: Staff said the regime is poor\n", 0, "indented differently"),
        ('    text: "Staff said the regime is poor\n', None, f"quote opened on line {TEXT_LINE}"),
        ("    text: @home\n", 0, "put the whole value in quotes"),
        ("    text [poor\n", 1, "is not 'key: value'"),
    ],
    ids=["colon-in-text", "indent", "unclosed-quote", "at-sign", "no-colon"],
)
def test_yaml_syntax_in_plain_words_with_the_fix(
    replacement: str, line: int | None, words: str
) -> None:
    at, message = problem(replacement)
    assert words in message
    if line is not None:
        assert at == TEXT_LINE + line
    assert message.endswith(")")  # the parser's own words stay, in brackets


@pytest.mark.parametrize("replacement", ["    text:\n", '    text: ""\n'], ids=["null", "empty"])
def test_an_empty_text_says_what_to_write(replacement: str) -> None:
    at, message = problem(replacement)
    assert at == TEXT_LINE
    assert message == (
        "is empty; write the concern as worded in the previous report (it cannot be left out)"
    )
    assert "leave the key out" not in message


TOML = """\
# settings
[house]
marking = "OFFICIAL"
  adress = ["1 Street"]

[calendar]
closures = [2026-04-22]
house.x = 1
"quoted".key = 2
"""


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (("house", "adress"), (4, 3)),
        (("house", "marking"), (3, 1)),
        (("house", "missing"), (2, 1)),  # not written: its table
        (("calendar", "closures", 0), (7, 1)),
        (("calendar", "house", "x"), (8, 1)),  # a dotted key inside [calendar]
        (("calendar", "quoted", "key"), (9, 1)),
        (("nowhere",), (None, None)),
    ],
)
def test_toml_position(loc: tuple[str | int, ...], expected: tuple[int | None, int | None]) -> None:
    assert toml_position(TOML, loc) == expected


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (
            '[house]\nadress = ["x"]\n',
            "2:1",
            "unknown setting 'adress' in [house]; did you mean 'address'?",
        ),
        ('house.signatori_name = "A"\n', "1:1", "did you mean 'signatory_name'?"),
        ("[calender]\nclosures = []\n", "1:1", "at the top of the file; did you mean 'calendar'?"),
        ("[timeline]\nzzz = 1\n", "2:1", "the settings here are draft_report_working_days"),
        ('[house]\nmarking = "A"\nreference_format = "{bogus}"\n', "3:1", "only {code}"),
        (
            '[timeline]\nletter_latest_months = "two"\n',
            "2:1",
            "timeline.letter_latest_months: 'two' is not a whole number",
        ),
        (
            '[rules.severity]\nteam-size = "warn"\n',
            "2:1",
            "'warn' is not allowed here; use one of: 'error', 'warning' or 'off'",
        ),
        ("[evidence]\ntriangulation_sources = 9\n", "2:1", "9 is too large: at most 7"),
        ("[evidence]\ntriangulation_sources = 0\n", "2:1", "0 is too small: at least 1"),
        ("[calendar]\nreminder_days = true\n", "2:1", "true is not a whole number"),
        ('[timeline]\nfollow_up_months = "12"\n', "2:1", "'12' is not a whole number"),
        ("[programme]\nvisits_per_year = 20.5\n", "2:1", "20.5 is not a whole number"),
    ],
)
def test_settings_errors_are_located(tmp_path: Path, text: str, where: str, words: str) -> None:
    path = tmp_path / "irp.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IrpError) as raised:
        load_config(path)
    line = raised.value.lines()[0]
    assert line.startswith(f"{path}:{where}: error [config]"), line
    assert words in line
