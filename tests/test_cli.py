"""Wiring of the visit-file commands: exit codes, streams, files written. Rules and parsing are
tested directly in test_checks.py and test_loader.py."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLE_FILES, ROOT
from typer.testing import CliRunner

from irp_cli import __version__
from irp_cli.cli import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"irp {__version__}\n"


def test_validate_examples_clean() -> None:
    result = runner.invoke(app, ["validate", *map(str, EXAMPLE_FILES)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"{len(EXAMPLE_FILES)} files checked: 0 errors, 0 warnings\n"


def test_validate_reports_every_file_and_carries_on(
    write_visit: Callable[..., Path], tmp_path: Path
) -> None:
    bad = write_visit("- a list\n", "bad.yaml")
    missing = tmp_path / "missing.yaml"
    result = runner.invoke(app, ["validate", str(bad), str(EXAMPLE_FILES[0]), str(missing)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:1:1: error [not-a-mapping]")
    assert lines[1] == f"{missing}: error [file] no such file"
    assert lines[-1] == "3 files checked: 2 errors, 0 warnings"
    assert "Traceback" not in result.output


def test_validate_warnings_pass_unless_strict(write_visit: Callable[..., Path]) -> None:
    text = EXAMPLE_FILES[0].read_text(encoding="utf-8")
    path = write_visit(text.replace("    on_previous_inspection: true\n", "", 1))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert "warning [previous-team-member, guide 2.1]" in result.stderr
    assert runner.invoke(app, ["validate", "--strict", str(path)]).exit_code == 1


def test_validate_json(write_visit: Callable[..., Path]) -> None:
    path = write_visit("a: [1\n")
    result = runner.invoke(app, ["validate", "--json", str(path)])
    assert result.exit_code == 1
    [item] = json.loads(result.stdout)
    assert item["code"] == "yaml-syntax"
    assert item["file"] == str(path)
    assert item["line"] == 2 and item["severity"] == "error"


def test_validate_without_files_is_a_usage_error() -> None:
    assert runner.invoke(app, ["validate"]).exit_code == 2


def test_bad_settings_file_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "irp.toml"
    config.write_text("[rules]\nofsted_grades = 3\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--config", str(config), str(EXAMPLE_FILES[0])])
    assert result.exit_code == 1
    assert f"{config}:2:1: error [config] rules.ofsted_grades:" in result.stderr


def test_the_default_settings_are_valid_settings(tmp_path: Path) -> None:
    """Without a settings file the defaults are used unvalidated (load_config): they must pass
    the settings model's own checks, and be what an empty irp.toml gives."""
    from irp_cli.visitfile.config import Config, load_config

    defaults = load_config(near=tmp_path)
    assert defaults.source is None
    assert Config.model_validate(defaults.model_dump()) == defaults
    empty = tmp_path / "irp.toml"
    empty.write_text("", encoding="utf-8")
    assert load_config(empty).model_copy(update={"source": None}) == defaults


def test_settings_next_to_the_visit_file_apply(tmp_path: Path) -> None:
    visit = tmp_path / "v.yaml"
    visit.write_text(EXAMPLE_FILES[0].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "irp.toml").write_text("[calendar]\nclosures = [2026-04-22]\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(visit)])
    assert "warning [visit-working-days, guide 3.1]" in result.stderr
    assert "2026-04-22, is a closure" in result.stderr


def test_init_writes_a_starter_and_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    result = runner.invoke(app, ["init", "--no-input", str(path), "--today", "2026-03-10"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "visit.schema.json").is_file()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=visit.schema.json\n")
    check = runner.invoke(app, ["validate", str(path)])
    assert "9 errors" in check.stderr, check.stderr  # the placeholders, and nothing else
    assert check.stderr.count("error [placeholder]") == 9

    path.write_text("mine\n", encoding="utf-8")
    again = runner.invoke(app, ["init", "--no-input", str(path)])
    assert again.exit_code == 1
    assert "use --force" in again.stderr
    assert path.read_text(encoding="utf-8") == "mine\n"
    forced = runner.invoke(
        app, ["init", "--no-input", "--force", str(path), "--today", "2026-03-10"]
    )
    assert forced.exit_code == 0
    assert path.read_text(encoding="utf-8") == text


def test_init_makes_the_folder_for_a_new_visit(tmp_path: Path) -> None:
    path = tmp_path / "visits" / "2026" / "hmp-new.yaml"
    result = runner.invoke(app, ["init", "--no-input", str(path)])
    assert result.exit_code == 0, result.output
    assert path.is_file()
    assert (path.parent / "visit.schema.json").is_file()


def test_init_asks_in_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from irp_cli.commands import visitfile

    monkeypatch.setattr(visitfile, "stdin_is_terminal", lambda: True)
    answers = "\n".join(
        ["HMP Fernlow", "frn", "adult-women", "england", "n", "Jo Keld", "Ann Brue",
         "2025-09-29", "2025-10-10", "2026-07-07"]
    ) + "\n"  # fmt: skip
    path = tmp_path / "v.yaml"
    result = runner.invoke(app, ["init", str(path), "--today", "2025-11-03"], input=answers)
    assert result.exit_code == 0, result.output
    # The previous inspection's days are asked in the order they happened.
    assert result.output.index("First day of the previous") < result.output.index(
        "Last day of the previous"
    )
    text = path.read_text(encoding="utf-8")
    assert "first_day: 2025-09-29" in text
    assert "last_day: 2025-10-10" in text
    assert 'name: "HMP Fernlow"' in text
    assert "code: FRN" in text
    assert "type: adult-women" in text
    assert "start: 2026-07-07" in text


def test_init_reprompts_in_plain_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer in capitals is taken; a yes/no answer that is neither says so in words, as the
    other questions do (not click's "Error: invalid input")."""
    from irp_cli.commands import visitfile

    monkeypatch.setattr(visitfile, "stdin_is_terminal", lambda: True)
    answers = "\n".join(
        ["HMP Fernlow", "frn", "Adult-Women", "England", "maybe", "Yes", "Jo Keld", "Ann Brue",
         "2025-09-29", "2025-10-10", "2026-07-07"]
    ) + "\n"  # fmt: skip
    path = tmp_path / "v.yaml"
    result = runner.invoke(app, ["init", str(path), "--today", "2025-11-03"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Please type yes or no" in result.stderr
    assert "invalid input" not in result.output
    text = path.read_text(encoding="utf-8")
    assert "type: adult-women" in text
    assert "nation: england" in text
    assert "holds_children: true" in text


def test_placeholders_are_errors_at_their_lines_in_every_command(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    runner.invoke(app, ["init", "--no-input", str(path), "--today", "2026-03-10"])
    lines = path.read_text(encoding="utf-8").splitlines()
    governor = next(n for n, t in enumerate(lines, 1) if "[Governor's name]" in t)
    code = next(n for n, t in enumerate(lines, 1) if "code: XXX" in t)
    check = runner.invoke(app, ["validate", str(path)])
    assert check.exit_code == 1
    assert (
        f"{path}:{governor}:11: error [placeholder] establishment.governor.name: " in check.stderr
    )
    assert f"{path}:{code}:9: error [placeholder] establishment.code: XXX" in check.stderr
    for command in (["letter"], ["proforma"], ["returns"], ["plan"], ["deadlines"]):
        result = runner.invoke(
            app,
            [
                *command,
                str(path),
                "--today" if command[0] in ("plan", "deadlines") else "--date",
                "2026-03-10",
            ],
        )
        assert result.exit_code == 1, command
        assert "error [placeholder]" in result.stderr, command
        assert "Dear [" not in result.stdout


def test_init_proposes_the_first_day_plan_suggest_would(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    runner.invoke(app, ["init", "--no-input", str(path), "--today", "2026-03-10"])
    suggested = runner.invoke(
        app, ["plan", "--suggest", str(path), "--today", "2026-03-10", "--json"]
    )
    first = json.loads(suggested.stdout)["suggestions"][0]["start"]
    assert f"  start: {first}" in path.read_text(encoding="utf-8")
    assert first == "2026-09-14"  # 10 Sep 2026 opens the window; 14 Sep is a Monday


def test_init_proposes_a_day_whose_letter_can_still_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inspection ended 2025-02-14: the window is 2025-10-14 to 2026-02-14. On 2025-09-01
    a letter for mid-October should have gone by mid-August (2.6), so the first day proposed
    is later: the first whose letter can still go out."""
    from irp_cli.commands import visitfile

    monkeypatch.setattr(visitfile, "stdin_is_terminal", lambda: True)
    answers = "\n".join(
        ["HMP Fernlow", "frn", "adult-men", "england", "n", "Jo Keld", "Ann Brue",
         "2025-02-03", "2025-01-31", "2025-02-14", ""]
    ) + "\n"  # fmt: skip
    path = tmp_path / "v.yaml"
    result = runner.invoke(app, ["init", str(path), "--today", "2025-09-01"], input=answers)
    assert result.exit_code == 0, result.output
    assert "cannot be before the first day (2025-02-03)" in result.stderr  # 01-31 asked again
    suggested = runner.invoke(
        app, ["plan", "--suggest", str(path), "--today", "2025-09-01", "--json"]
    )
    data = json.loads(suggested.stdout)
    first = data["suggestions"][0]
    assert first["start"] > data["window"]["from"] and first["letter_send_by"] >= "2025-09-01"
    text = path.read_text(encoding="utf-8")
    assert f"  start: {first['start']}" in text
    assert "first_day: 2025-02-03" in text


def test_schema_matches_the_committed_file() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    committed = (ROOT / "visit.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed, "run: irp schema -o visit.schema.json --force"
    schema = json.loads(result.stdout)
    assert "establishment" in schema["required"]
    assert schema["properties"]["concerns"]["type"] == "array"


def test_examples_point_editors_at_the_schema() -> None:
    for path in EXAMPLE_FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../visit.schema.json"


def test_rules_lists_the_rulebook() -> None:
    result = runner.invoke(app, ["rules", "--json"])
    data = json.loads(result.stdout)
    assert {"id": "team-size", "paragraph": "2.1"}.items() <= data[0].items()


def test_unexpected_errors_exit_3_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import irp_cli.review.session

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(irp_cli.review.session.Session, "load", boom)
    result = runner.invoke(app, ["validate", str(EXAMPLE_FILES[0])])
    assert result.exit_code == 3
    assert "unexpected error (RuntimeError: kaput)" in result.stderr
    assert "Traceback" not in result.output


def test_irp_errors_cross_the_boundary_as_one_line(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["schema", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{target}: error [output-exists] already exists and differs; nothing written "
        "(use --force to replace it)\n"
    )
    assert target.read_text(encoding="utf-8") == "{}"
    assert runner.invoke(app, ["schema", "-o", str(target), "--force"]).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "IRP visit file"


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ('[rules.severity]\nteam-sise = "warning"\n', "did you mean 'team-size'?"),
        ('[rules]\nofsted_grades = ["poor"]\n', "'poor' is not a grade"),
        ("[rules\n", "irp.toml:1:7: error [config] Expected ']'"),
        ('[calendar]\nclosures = ["2026-02-30"]\n', "calendar.closures.0"),
        ("[unknown]\n", "unknown"),
    ],
)
def test_settings_mistakes_are_named(tmp_path: Path, toml: str, words: str) -> None:
    config = tmp_path / "irp.toml"
    config.write_text(toml, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--config", str(config), str(EXAMPLE_FILES[0])])
    assert result.exit_code == 1
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_dates_outside_the_holiday_years_are_placed(write_visit: Callable[..., Path]) -> None:
    text = EXAMPLE_FILES[0].read_text(encoding="utf-8").replace("2026-04-2", "2056-04-2")
    path = write_visit(text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "2056-04-21" in t)
    assert result.stderr.startswith(f"{path}:{line}:10: error [out-of-range] visit.days[0]: ")
    assert "2000 to 2045" in result.stderr


def test_rules_says_truthfully_which_commands_apply_each_rule(tmp_path: Path) -> None:
    """validate applies returns-before-letter; letter-window-passed needs a today."""
    data = json.loads(runner.invoke(app, ["rules", "--json"]).stdout)
    by_id = {r["id"]: r for r in data}
    assert "validate included" in by_id["returns-before-letter"]["applied_by"]
    assert "not validate" in by_id["letter-window-passed"]["applied_by"]
    visit = tmp_path / "v.yaml"
    text = EXAMPLE_FILES[0].read_text(encoding="utf-8")
    visit.write_text(text.replace("letter_sent: 2026-02-10", "letter_sent: 2026-04-13"), "utf-8")
    assert "warning [returns-before-letter, guide 2.10]" in (
        runner.invoke(app, ["validate", str(visit)]).stderr
    )
    visit.write_text(text.replace("  status:\n    letter_sent: 2026-02-10\n", ""), "utf-8")
    assert "letter-window-passed" not in runner.invoke(app, ["validate", str(visit)]).stderr
    planned = runner.invoke(app, ["plan", str(visit), "--today", "2026-03-02"])
    assert "warning [letter-window-passed, guide 2.6]" in planned.stderr


def test_usually_rules_never_stop_plan_or_letter(tmp_path: Path) -> None:
    """team-size comes from 'usually three to five' (2.1): a warning, naming the setting."""
    visit = tmp_path / "v.yaml"
    text = EXAMPLE_FILES[0].read_text(encoding="utf-8")
    start = text.index("team:")
    end = text.index("\n\n", start)
    team = text[start:end].split("\n  - ")
    visit.write_text(text[:start] + "\n  - ".join(team[:3]) + text[end:], "utf-8")
    for command in (["plan", "--today"], ["letter", "--date"]):
        result = runner.invoke(app, [command[0], str(visit), command[1], "2026-02-02"])
        assert result.exit_code == 0, result.stderr
    check = runner.invoke(app, ["validate", str(visit)])
    assert "warning [team-size, guide 2.1]" in check.stderr
    assert 'team-size = "error" under [rules.severity] in irp.toml' in check.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["letter", "{visit}", "--to", "nobody"], "'nobody' is not one of 'governor', 'imb'"),
        (["stats", "{visit}", "--year", "20x6"], "--year '20x6' is not a year: write four digits"),
        (["evidence", "add", "{visit}", "P1", "-s", "staf", "-n", "x"], "'staf' is not one of"),
    ],
)
def test_a_value_typer_cannot_convert_is_said_plainly(args: list[str], words: str) -> None:
    """Typer passes on pydantic's wording ("Value error, ...", "Input should be a valid
    integer, unable to parse string as an integer"); a coordinator reads a plain one."""
    result = CliRunner().invoke(app, [a.replace("{visit}", str(EXAMPLE_FILES[0])) for a in args])
    assert result.exit_code == 2
    message = " ".join(result.stderr.replace("│", " ").split())
    assert words in message
    assert "Value error" not in message and "Input should be" not in message


def _help_pages() -> list[list[str]]:
    """Every command's path (``["evidence", "add"]``), sub-commands included, and the root."""
    from typer.main import get_command

    pages: list[list[str]] = [[]]

    def walk(group: Any, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            pages.append([*prefix, name])
            if hasattr(command, "commands"):
                walk(command, [*prefix, name])

    walk(get_command(app), [])
    return pages


@pytest.mark.parametrize("path", _help_pages(), ids=lambda p: " ".join(p) or "irp")
def test_help_reads_cleanly_at_80_columns(path: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """No Python type names, nothing wider than the terminal, and each paragraph wrapped at
    the terminal's width: a line ends early only where the next word would not fit."""
    import typer.rich_utils

    monkeypatch.setattr(typer.rich_utils, "MAX_WIDTH", 80)  # read from the environment once
    result = CliRunner(env={"COLUMNS": "80"}).invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for token in ("<bool>", "<str>", "<file>", "<dir>", "<int>", "<list[", "<Path"):
        assert token not in result.stdout
    assert all(len(line) <= 80 for line in lines)
    prose = [line.rstrip() for line in lines if not line.startswith(("│", "╭", "╰"))]
    for line, after in itertools.pairwise(prose):
        if line.startswith(" ") and not line.startswith("  ") and after.strip():
            assert len(line) + 1 + len(after.split()[0]) > 79, (line, after)


def test_help_shows_bracketed_words_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich took '[rules.severity]' and '[rule, guide x.y]' for styles and dropped them."""
    rules = CliRunner().invoke(app, ["rules", "--help"]).stdout
    assert "under [rules.severity] in irp.toml" in " ".join(rules.split())
    validate = CliRunner().invoke(app, ["validate", "--help"]).stdout
    assert "error|warning [rule, guide x.y] message" in " ".join(validate.split())


@pytest.mark.parametrize(
    ("given", "words"),
    [
        (
            "hmp-redmarsh.evidence/amira-sole.yaml",
            "this is an evidence file, not a visit file: give the visit file 'hmp-redmarsh.yaml'",
        ),
        (
            "population/albany-guide-sample.yaml",
            "this is a prisoner population summary, not a visit file: check it with 'irp "
            "population check",
        ),
    ],
)
def test_a_file_of_another_kind_is_named_in_one_line(given: str, words: str) -> None:
    """Given where a visit file is expected, an evidence file or a population summary gets
    one line naming the right file or command, not one per key a visit file has."""
    path = ROOT / "examples" / given
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    first, summary = result.stderr.splitlines()
    assert first.startswith(f"{path}:1:1: error [not-a-visit-file] ") and words in first
    assert summary == "1 file checked: 1 error, 0 warnings"


def test_every_argument_is_named_in_capitals_in_the_usage_line() -> None:
    """The usage line names what to type as the README does (`irp init [PATH]`), never a
    Python parameter name."""
    from typer.main import get_command

    root = get_command(app)
    lower = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        for sub, cmd in (getattr(command, "commands", None) or {"": command}).items():
            for param in cmd.params:
                if param.param_type_name == "argument" and not (param.metavar or "").isupper():
                    lower.append(f"irp {name} {sub}: {param.name}".replace("  ", " "))
    assert lower == []


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["lettr"], "No such command 'lettr'. Did you mean 'letter'? See 'irp -h'."),
        (
            ["letter", "--tox"],
            "No such option: --tox (Possible options: --to); see 'irp letter -h'",
        ),
        (["letter", "x.yaml", "--to", "ofsed"], "'ofsed' is not one of 'governor', 'imb',"),
        (["plan", str(ROOT / "examples")], "is a directory; see 'irp plan -h'"),
        (["letter"], "Missing argument 'FILE'; see 'irp letter -h'"),
        (["--bogus"], "No such option: --bogus; see 'irp -h'"),
        (["evidence", "add", "x.yaml", "P1", "--source", "gossip"], "'gossip' is not one of"),
    ],
    ids=["command", "option", "choice", "directory", "missing", "root-option", "sub-command"],
)
def test_a_command_line_click_refuses_is_one_plain_line(argv: list[str], words: str) -> None:
    """Typer's boxed error is one line in irp's own usage style, naming the help to read."""
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("irp: error [usage] "), line
    assert words in line
    assert "╭" not in result.stderr and "Usage:" not in result.stderr


@pytest.mark.parametrize("argv", [[], ["workdays"], ["evidence"], ["population"]])
def test_a_group_with_nothing_after_it_shows_its_help(argv: list[str]) -> None:
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2
    assert "Usage: irp" in result.output
    assert "irp: error" not in result.output
