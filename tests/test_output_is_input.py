"""An output is never one of the command's own input files, even with --force (issue 9.1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import EXAMPLE_FILES
from typer.testing import CliRunner

from irp_cli.cli import app
from irp_cli.errors import IrpError
from irp_cli.files import forget_inputs, remember_input, write_output

runner = CliRunner()


@pytest.fixture
def visit(tmp_path: Path) -> Path:
    path = tmp_path / "hmp-ashcombe.yaml"
    path.write_bytes(EXAMPLE_FILES[0].read_bytes())
    (tmp_path / "irp.toml").write_text('[house]\nmarking = "OFFICIAL"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["plan", "{visit}", "-o", "{visit}", "--format", "md"], "visit"),
        (["plan", "{visit}", "--ics", "{visit}"], "visit"),
        (["plan", "{visit}", "--ics", "{toml}"], "toml"),
        (["deadlines", "{visit}", "--ics", "{visit}"], "visit"),
        (["deadlines", "{folder}", "--ics", "{visit}"], "visit"),
        (["letter", "{visit}", "-o", "{visit}", "--format", "md"], "visit"),
        (["letter", "{visit}", "-o", "{link}", "--format", "md"], "visit"),
        (["returns", "{visit}", "-o", "{toml}", "--format", "md"], "toml"),
        (["proforma", "{visit}", "-o", "{visit}", "--format", "md"], "visit"),
    ],
)
@pytest.mark.parametrize("extra", [["--force"], ["--force", "--dry-run"]], ids=["force", "dry"])
def test_output_onto_an_input_is_refused_even_with_force(
    visit: Path, args: list[str], target: str, extra: list[str]
) -> None:
    link = visit.parent / "link.yaml"
    link.symlink_to(visit.name)
    toml = visit.parent / "irp.toml"
    before = {p: p.read_bytes() for p in (visit, toml)}
    names = {"visit": visit, "toml": toml, "folder": visit.parent, "link": link}
    argv = (
        [a.format(**names) for a in args]
        + extra
        + ["--today", "2026-01-05"] * (args[0] in ("plan", "deadlines"))
    )
    result = runner.invoke(app, argv)
    assert result.exit_code == 1, result.output
    assert "error [output-is-input]" in result.stderr
    assert "even with --force" in result.stderr
    assert {p: p.read_bytes() for p in before} == before  # nothing lost


def test_a_hard_link_to_an_input_is_the_same_file(tmp_path: Path) -> None:
    source = tmp_path / "a.yaml"
    source.write_text("x\n", encoding="utf-8")
    other = tmp_path / "b.yaml"
    os.link(source, other)
    forget_inputs()
    remember_input(source)
    try:
        with pytest.raises(IrpError) as refused:
            write_output(other, "y\n", force=True)
        assert refused.value.findings[0].code == "output-is-input"
        assert write_output(other, "y\n", force=True, replace_input=True) == "overwritten"
    finally:
        forget_inputs()


def test_a_file_not_read_this_run_is_written(tmp_path: Path) -> None:
    forget_inputs()
    remember_input(tmp_path / "a.yaml")  # never existed: nothing to protect beyond its name
    assert write_output(tmp_path / "b.yaml", "y\n") == "created"
    forget_inputs()
