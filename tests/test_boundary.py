"""The error boundary (issue 9.1): Ctrl-C and Ctrl-D, closed pipes and bugs, wherever they
happen. Exit codes: 130 interrupted, 141 closed pipe, 3 a bug (the traceback in a log)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.core
from helpers import EXAMPLE_FILES
from typer.testing import CliRunner

import irp_cli.__main__ as entry
import irp_cli.cli
import irp_cli.review.session
from irp_cli.cli import app
from irp_cli.commands import visitfile

runner = CliRunner()
VISIT = str(EXAMPLE_FILES[0])


def interrupt(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


def test_ctrl_c_while_a_command_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(irp_cli.review.session.Session, "load", interrupt)
    result = runner.invoke(app, ["plan", VISIT])
    assert (result.exit_code, result.stderr) == (130, "irp: interrupted\n")


def test_ctrl_c_while_the_command_line_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typer.core.TyperGroup, "parse_args", interrupt)
    result = runner.invoke(app, ["plan", VISIT])
    assert (result.exit_code, result.stderr) == (130, "irp: interrupted\n")


@pytest.fixture
def sigint_restored() -> Iterator[None]:
    saved = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, saved)


@pytest.mark.usefixtures("sigint_restored")
def test_ctrl_c_while_irp_is_still_loading(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(irp_cli.cli, "main", interrupt)  # the entry point imports it late
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == "irp: interrupted\n"


@pytest.mark.parametrize("keys", ["", "HMP Fernlow\n"], ids=["ctrl-d-first", "ctrl-d-later"])
def test_end_of_input_at_an_init_question(
    keys: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(visitfile, "stdin_is_terminal", lambda: True)
    target = tmp_path / "visit.yaml"
    result = runner.invoke(app, ["init", str(target)], input=keys)
    assert result.exit_code == 130
    assert result.stderr.endswith("irp: interrupted\n")
    assert "Aborted" not in result.output
    assert not target.exists()


def test_ctrl_c_at_an_init_question(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(visitfile, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(typer, "prompt", interrupt)
    result = runner.invoke(app, ["init", str(tmp_path / "v.yaml")])
    assert (result.exit_code, result.stderr) == (130, "irp: interrupted\n")


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [["deadlines", str(EXAMPLE_FILES[0].parent), "--today", "2026-01-05"], ["rules"], ["--help"]],
    ids=["deadlines", "rules", "help"],
)
def test_a_closed_pipe_stops_quietly_with_141(args: list[str]) -> None:
    """`irp deadlines visits/ | head -1` must not exit 1, which means "overdue"."""
    process = subprocess.Popen(
        [sys.executable, "-m", "irp_cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader goes away before anything is written
    with process.stderr:
        err = process.stderr.read().decode()
    assert process.wait() == 141
    assert "Traceback" not in err and "Exception ignored" not in err
    assert "overdue" not in err.split("\n")[-1]


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("kaput")


def test_a_bug_leaves_its_traceback_in_the_named_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("IRP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("IRP_DEBUG", raising=False)
    monkeypatch.setattr(irp_cli.review.session.Session, "load", boom)
    # The log names the command from sys.argv: set it, so the test does not depend on how
    # pytest itself was started (plain `python -m pytest` has no arguments).
    monkeypatch.setattr(sys, "argv", ["irp", "validate", VISIT])
    result = runner.invoke(app, ["validate", VISIT])
    assert result.exit_code == 3
    log = tmp_path / "cache" / "irp-error.log"
    assert result.stderr.count("\n") == 1  # one line
    assert "unexpected error (RuntimeError: kaput)" in result.stderr
    assert f"the file {log}" in result.stderr
    assert "Traceback" not in result.output
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "RuntimeError: kaput" in text
    assert f"command: irp validate {VISIT}\n" in text


def test_irp_debug_prints_the_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IRP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("IRP_DEBUG", "1")
    monkeypatch.setattr(irp_cli.review.session.Session, "load", boom)
    result = runner.invoke(app, ["validate", VISIT])
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.rstrip().endswith("please report it with the command you ran.")
    assert not (tmp_path / "cache" / "irp-error.log").exists()


def test_a_bug_with_no_writable_cache_says_how_to_see_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("IRP_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot exist
    monkeypatch.delenv("IRP_DEBUG", raising=False)
    monkeypatch.setattr(irp_cli.review.session.Session, "load", boom)
    result = runner.invoke(app, ["validate", VISIT])
    assert result.exit_code == 3
    assert "IRP_DEBUG=1" in result.stderr
