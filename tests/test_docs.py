"""The README documents every command, and its reference matches --help."""

from __future__ import annotations

import re

from helpers import ROOT
from typer.main import get_command

from irp_cli.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_names() -> list[str]:
    root = get_command(app)
    names = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            names.extend(f"{name} {child}" for child in sub)
        else:
            names.append(name)
    return sorted(names)


def test_every_command_is_in_the_readme() -> None:
    missing = [name for name in command_names() if f"irp {name}" not in README]
    assert missing == []


def test_every_command_has_help() -> None:
    root = get_command(app)
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        assert command.help, name


def test_every_option_of_every_command_is_in_the_readme() -> None:
    root = get_command(app)
    missing = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        commands = getattr(command, "commands", None) or {"": command}
        for sub, cmd in commands.items():
            for param in cmd.params:
                for opt in param.opts:
                    if opt.startswith("--") and opt != "--help" and opt not in README:
                        missing.append(f"irp {name} {sub} {opt}".replace("  ", " "))
    assert missing == []


def test_readme_has_exactly_two_setup_commands() -> None:
    block = re.search(r"## Set up\n.*?```(?:sh|bash)?\n(.*?)```", README, re.S)
    assert block is not None
    lines = [ln for ln in block.group(1).splitlines() if ln.strip()]
    assert len(lines) == 2
    assert "irp plan examples/" in lines[0]
    assert "pytest" in lines[1]


def test_ci_runs_the_readme_test_command() -> None:
    block = re.search(r"## Set up\n.*?```(?:sh|bash)?\n(.*?)```", README, re.S)
    assert block is not None
    test_command = [ln for ln in block.group(1).splitlines() if ln.strip()][1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command.strip() in ci


def test_exit_codes_are_documented() -> None:
    for code in ("0", "1", "2", "3", "130", "141"):
        assert re.search(rf"\| `{code}` \|", README), code


def test_readme_rule_table_is_irp_rules_markdown() -> None:
    """The README's table of rules is `irp rules --markdown`, row for row (issue 9.4)."""
    from typer.testing import CliRunner

    table = CliRunner().invoke(app, ["rules", "--markdown"]).stdout
    assert table.startswith("| Rule | Guide | Severity | Applied by | Checks |\n")
    assert table in README, "paste the output of 'irp rules --markdown' into the README"
