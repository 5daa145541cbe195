"""Start-up stays light: the CLI module loads no heavy library (speed itself is in bench/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hmp-ashcombe.yaml"
HEAVY = ["jinja2", "holidays", "yaml", "docx", "openpyxl", "icalendar", "markdown_it", "pypdf"]


def modules_after(code: str, cwd: Path | None = None) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def run_command(args: list[str]) -> str:
    """Code that runs ``irp ARGS`` as the console script does, to the end."""
    return (
        f"import sys\nfrom irp_cli import cli\nsys.argv = ['irp', *{args!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass"
    )


@pytest.mark.slow
def test_importing_the_cli_loads_no_heavy_library() -> None:
    loaded = modules_after("import irp_cli.cli")
    assert "irp_cli.cli" in loaded
    # Typer's own rich help loads markdown_it (a bare Typer app does too), so it is not ours.
    assert sorted(loaded & set(HEAVY) - {"markdown_it"}) == []


@pytest.mark.slow
def test_help_loads_no_heavy_library() -> None:
    loaded = modules_after(
        "import sys\nfrom irp_cli.cli import app\nsys.argv = ['irp', '--help']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    # Typer's own rich help loads markdown_it (a bare Typer app does too), so it is not ours.
    assert sorted(loaded & set(HEAVY) - {"markdown_it"}) == []


@pytest.mark.slow
def test_workdays_without_a_settings_file_loads_no_settings_or_visit_model(
    tmp_path: Path,
) -> None:
    loaded = modules_after(run_command(["workdays", "add", "2026-04-21", "25"]), cwd=tmp_path)
    assert "irp_cli.calendar.workdays" in loaded
    assert {"irp_cli.visitfile.config", "irp_cli.visitfile.models"} & loaded == set()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "output", "unused"),
    [
        # The workbook is written with openpyxl alone: no template is rendered.
        ("proforma", "p.xlsx", {"jinja2", "markdown_it"}),
        # Markdown is written as it is rendered: html (for an HTML page) is not needed.
        ("letter", "letter.md", {"html", "html.entities"}),
        # XML is escaped without xml.sax.saxutils, which brings urllib.request and ssl; a
        # letter has no chart.
        (
            "letter",
            "letter.docx",
            {"xml.sax.saxutils", "urllib.request", "irp_cli.documents.charts"},
        ),
    ],
)
def test_a_document_loads_only_what_its_format_needs(
    tmp_path: Path, command: str, output: str, unused: set[str]
) -> None:
    args = [command, str(EXAMPLE), "-o", str(tmp_path / output), "--date", "2026-02-10"]
    loaded = modules_after(run_command(args), cwd=tmp_path)
    assert (tmp_path / output).stat().st_size > 0
    assert unused & loaded == set()


@pytest.mark.slow
@pytest.mark.parametrize(("example", "appendix"), [("hmp-redmarsh", False), ("hmp-ashcombe", True)])
def test_a_debrief_loads_the_population_summary_only_for_its_appendix(
    tmp_path: Path, example: str, appendix: bool
) -> None:
    """hmp-ashcombe.yaml names a population summary (visit.population_summary), hmp-redmarsh
    none: its debrief builds neither the summary's model nor its charts."""
    out = tmp_path / "debrief.md"
    path = EXAMPLE.parent / f"{example}.yaml"
    args = ["debrief", str(path), "-o", str(out), "--date", "2026-02-10"]
    loaded = modules_after(run_command(args), cwd=tmp_path)
    assert ("Appendix: the prisoner population" in out.read_text(encoding="utf-8")) is appendix
    assert "irp_cli.onsite.debrief" in loaded
    heavy = {
        "irp_cli.population.summary",
        "irp_cli.population.reports",
        "irp_cli.documents.charts",
    }
    assert (heavy <= loaded) is appendix and (heavy & loaded == set()) is not appendix
    assert "irp_cli.onsite.progress" not in loaded  # irp progress's, not the debrief's


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["plan", str(EXAMPLE), "--today", "2026-02-10"],
        ["deadlines", str(EXAMPLE.parent)],
        ["plan", "--suggest", str(EXAMPLE), "--today", "2026-01-01"],
        ["schedule", str(EXAMPLE), "--date", "2026-02-10"],
        ["progress", str(EXAMPLE.parent / "hmp-redmarsh.yaml")],
        ["programme", str(EXAMPLE.parent / "programme"), "--today", "2026-03-01"],
    ],
)
def test_a_table_in_a_pipe_loads_no_rich(tmp_path: Path, args: list[str]) -> None:
    """Rich draws tables for a terminal; a pipe or a file gets plain text without it."""
    loaded = modules_after(run_command(args), cwd=tmp_path)
    assert "irp_cli.output" in loaded
    assert "rich" not in loaded


@pytest.mark.slow
def test_with_plugins_off_pydantic_does_not_scan_package_metadata() -> None:
    code = (
        "import os\nos.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'\n"
        "from irp_cli import startup\nstartup.skip_plugin_discovery()\n"
        "from pathlib import Path\nfrom irp_cli.review.session import Session\n"
        f"Session().load(Path({str(EXAMPLE)!r}))"
    )
    modules_after(code)  # the first run builds the bank-holiday table (holidays scans metadata)
    loaded = modules_after(code)
    assert "irp_cli.visitfile.models" in loaded
    assert "importlib.metadata" not in loaded


def test_the_stand_in_plugin_loader_hands_other_names_to_the_real_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from irp_cli import startup

    real = sys.modules.get("pydantic.plugin._loader")
    monkeypatch.delitem(sys.modules, "pydantic.plugin._loader", raising=False)
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")
    startup.skip_plugin_discovery()
    stand_in = sys.modules["pydantic.plugin._loader"]
    assert list(stand_in.get_plugins()) == []
    assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"  # from the real module
    if real is not None:
        monkeypatch.setitem(sys.modules, "pydantic.plugin._loader", real)


@pytest.mark.parametrize(
    ("args", "built"),
    [
        (["rules"], {"rules"}),
        (["validate", "--json", "x.yaml"], {"validate"}),
        (["workdays", "add", "2026-01-05", "3"], {"workdays"}),
        (["--version"], None),
        (["-h"], None),
        (["--help", "rules"], None),  # the root's help, which lists every command
        ([], None),
        (["valdate", "x.yaml"], None),  # unknown: all, so that the error suggests 'validate'
    ],
)
def test_only_the_command_that_runs_is_built(args: list[str], built: set[str] | None) -> None:
    import typer.main

    from irp_cli.cli import app, only_command

    every = set(typer.main.get_group(app).commands)
    with only_command(app, args):
        inside = set(typer.main.get_group(app).commands)
    assert inside == (every if built is None else built)
    assert set(typer.main.get_group(app).commands) == every


def test_the_list_of_commands_is_built_without_their_options() -> None:
    import typer.main

    from irp_cli.cli import app, only_command

    with only_command(app, ["--help"]):
        listed = typer.main.get_group(app)
        workdays = listed.commands["workdays"]
        assert listed.commands["validate"].params == []
        assert [c.params for c in workdays.commands.values()] == [[]] * len(workdays.commands)
    assert typer.main.get_group(app).commands["validate"].params != []


def test_the_table_of_command_modules_names_what_each_registers() -> None:
    from irp_cli.cli import COMMAND_MODULES, _command_name, registered_by

    for module, names in COMMAND_MODULES.items():
        commands, groups = registered_by(module)
        assert {_command_name(c) for c in commands} | {g.name for g in groups} == set(names)
        assert {c.callback.__module__ for c in commands} <= {f"irp_cli.commands.{module}"}


@pytest.mark.slow
def test_a_command_imports_only_its_own_module_of_commands(tmp_path: Path) -> None:
    loaded = modules_after(run_command(["rules"]), cwd=tmp_path)
    assert "irp_cli.commands.visitfile" in loaded
    assert {"irp_cli.commands.documents", "irp_cli.commands.programme"} & loaded == set()


def test_no_settings_or_visit_model_has_a_built_in_default_factory() -> None:
    """pydantic reads each default factory's signature, and a built-in's (``list``, ``dict``)
    is parsed from its text by the tokenizer, compiled on first use: 2-3 ms of every run."""
    from pydantic import BaseModel

    from irp_cli.visitfile import config, models

    found = [
        f"{obj.__name__}.{name}"
        for module in (models, config)
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, BaseModel)
        and obj.__module__ == module.__name__
        for name, field in obj.model_fields.items()
        if getattr(field.default_factory, "__text_signature__", None) is not None
    ]
    assert found == []


@pytest.mark.slow
def test_pyyaml_printable_pattern_is_compiled_only_when_used() -> None:
    """The stand-in main() puts in re's cache is the pattern PyYAML's reader gets (no compiling
    at import), and that reader still refuses a control character."""
    code = """
from irp_cli import startup
startup.defer_yaml_printable_pattern()
import yaml
assert isinstance(yaml.reader.Reader.NON_PRINTABLE, startup.LazyPattern)
try:
    yaml.load("a: \\x01", Loader=yaml.SafeLoader)
except yaml.reader.ReaderError as exc:
    assert "#x0001" in str(exc), exc
else:
    raise AssertionError("not refused")
assert yaml.load("a: b", Loader=yaml.SafeLoader) == {"a": "b"}
"""
    modules_after(code)


@pytest.mark.parametrize("module", ["models", "config", "evidencefile"])
def test_the_models_annotations_are_types_not_text(module: str) -> None:
    """With ``from __future__ import annotations``, pydantic would compile each field's
    annotation from text on every run (2-3 ms for the visit models)."""
    import ast

    path = Path(__file__).resolve().parents[1] / "irp_cli" / "visitfile" / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    future = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "__future__"]
    assert future == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "unused"),
    [
        (["validate", "--no-cache", str(EXAMPLE)], {"tempfile", "zipfile", "glob"}),
        (["plan", str(EXAMPLE), "--today", "2026-01-01"], {"tempfile", "zipfile", "glob"}),
        # Jinja's bytecode cache loads tempfile itself.
        (["letter", str(EXAMPLE), "--date", "2026-02-10"], {"zipfile", "glob"}),
    ],
)
def test_a_command_that_writes_nothing_loads_no_writer(
    tmp_path: Path, args: list[str], unused: set[str]
) -> None:
    """Temporary files, zip archives and glob patterns are loaded by the runs that use them."""
    loaded = modules_after(run_command(args), cwd=tmp_path)
    assert "irp_cli.files" in loaded
    assert unused & loaded == set()


@pytest.mark.slow
@pytest.mark.parametrize("args", [["rules"], ["validate", "--no-cache", str(EXAMPLE)]])
def test_the_entry_point_runs_with_the_collector_off_and_freezes_before_exit(
    tmp_path: Path, args: list[str]
) -> None:
    """irp_cli/__main__.py turns the cycle collector off first, and freezes what is loaded
    when the command is over, so Python's last collection at exit does not scan it."""
    code = (
        f"import gc, sys\nsys.argv = ['irp', *{args!r}]\nfrom irp_cli.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('STATE', gc.isenabled(), gc.get_freeze_count() > 1000)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout
    assert out.splitlines()[-1] == "STATE False True"
