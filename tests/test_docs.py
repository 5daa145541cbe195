"""The README documents every command, and its reference matches --help."""

from __future__ import annotations

import re
from typing import Any

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


REGENERATE = (
    "docs/{}.md is generated from the commands: after changing a command's help or a rule, run "
    "'IRP_UPDATE_GOLDEN=1 python -m pytest tests/test_docs.py' and commit docs/{}.md"
)


def command_reference() -> str:
    """docs/commands.md, from the commands themselves: each one's usage, help and options."""
    from typer._click.core import Context  # typer's own click

    root = get_command(app)
    out = [
        "# Command reference",
        "",
        "Generated from the commands' own help (`irp COMMAND --help` shows the same); "
        "`tests/test_docs.py` checks that it matches. After changing a command, rewrite it "
        "with `IRP_UPDATE_GOLDEN=1 python -m pytest tests/test_docs.py` and look at the diff.",
        "Exit codes and the options shared by the document commands are in the "
        "[README](../README.md#command-reference).",
    ]

    def walk(group: Any, prefix: list[str]) -> None:
        ctx = Context(group, info_name=" ".join(prefix))
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            path = [*prefix, name]
            if hasattr(command, "list_commands"):
                walk(command, path)
                continue
            sub = Context(command, info_name=" ".join(path), parent=ctx)
            usage = " ".join(command.collect_usage_pieces(sub))
            out.extend(["", f"## `{' '.join(path)} {usage}`", ""])
            out.append((command.help or "").strip())
            rows = []
            for param in command.params:
                if param.name == "help":
                    continue
                if param.param_type_name == "argument":
                    names = (param.metavar or param.name or "").upper()
                    text = getattr(param, "help", None) or ""
                else:
                    record = param.get_help_record(sub)
                    if record is None:
                        continue
                    names, text = record
                names, text = (t.replace("|", "\\|").replace("\n", " ") for t in (names, text))
                rows.append(f"| `{names}` | {text} |")
            if rows:
                out.extend(["", "| Argument or option | What it does |", "| --- | --- |", *rows])

    walk(root, ["irp"])
    return "\n".join(out) + "\n"


def test_docs_command_reference_is_generated_from_the_commands() -> None:
    from helpers import assert_golden

    try:
        assert_golden("commands.md", command_reference(), root=ROOT / "docs")
    except AssertionError as exc:
        raise AssertionError(f"{REGENERATE.format('commands', 'commands')}\n{exc}") from None


def test_docs_rules_is_irp_rules_markdown() -> None:
    from helpers import assert_golden
    from typer.testing import CliRunner

    table = CliRunner().invoke(app, ["rules", "--markdown"]).stdout
    page = (
        "# The guide's rules\n\n"
        "Every rule `irp` applies, with the paragraph of the guide it comes from, as "
        "`irp rules --markdown` prints it (`tests/test_docs.py` checks; rewrite it with "
        "`IRP_UPDATE_GOLDEN=1 python -m pytest tests/test_docs.py`). A rule's severity can be "
        "changed, or the rule turned off, under `[rules.severity]` in `irp.toml`; how the "
        "rules read the guide is in the [README](../README.md#the-guides-rules).\n\n" + table
    )
    try:
        assert_golden("rules.md", page, root=ROOT / "docs")
    except AssertionError as exc:
        raise AssertionError(f"{REGENERATE.format('rules', 'rules')}\n{exc}") from None
