"""Each command reads a visit once: one read and one parse of each file, one timeline, one
pass of the rules (issue 7)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLES
from typer.testing import CliRunner

from irp_cli import files
from irp_cli.calendar import timeline
from irp_cli.cli import app
from irp_cli.review import checks, session
from irp_cli.visitfile import loader

HOUSE = EXAMPLES.parent / "tests" / "fixtures" / "house" / "irp.toml"
ASHCOMBE = str(EXAMPLES / "hmp-ashcombe.yaml")


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each step ran, wherever it is called from."""
    counts: Counter[str] = Counter()

    def counted(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return func(*args, **kwargs)

        return wrapper

    build, check = timeline.build_timeline, checks.check_visit
    for module in (timeline, session):
        monkeypatch.setattr(module, "build_timeline", counted("timeline", build))
    monkeypatch.setattr(checks, "check_visit", counted("checks", check))
    node_tree = loader._node_tree

    def parse(text: str, name: str, what: str) -> Any:
        # Every reading of YAML into nodes (compose, compose_data) goes through _node_tree;
        # visit files only, as for "read".
        if what == "visit file":
            counts["parse"] += 1
        return node_tree(text, name, what)

    monkeypatch.setattr(loader, "_node_tree", parse)
    read = files.read_bounded

    def read_bounded(path: Path, **kwargs: Any) -> bytes:
        # Visit files only: not irp.toml, nor the evidence files beside a visit (each read once).
        if path.suffix == ".yaml" and not path.parent.name.endswith(".evidence"):
            counts["read"] += 1
        return read(path, **kwargs)

    monkeypatch.setattr(files, "read_bounded", read_bounded)
    return counts


@pytest.mark.parametrize(
    "args",
    [
        ["letter", ASHCOMBE, "--date", "2026-02-10"],
        ["returns", ASHCOMBE, "--date", "2026-02-10"],
        ["proforma", ASHCOMBE, "--date", "2026-02-10"],
        ["plan", ASHCOMBE, "--today", "2026-02-10"],
        ["plan", ASHCOMBE, "--today", "2026-02-10", "--format", "md"],
        ["deadlines", ASHCOMBE, "--today", "2026-02-10"],
        ["validate", ASHCOMBE],
    ],
    ids=lambda args: "-".join(a for a in args if not a.startswith(("/", "2"))),
)
def test_one_timeline_and_one_pass_of_the_rules(args: list[str], calls: Counter[str]) -> None:
    result = CliRunner(env={"IRP_CONFIG": str(HOUSE)}).invoke(app, args)
    assert result.exit_code == 0, result.output
    assert calls == {"read": 1, "parse": 1, "timeline": 1, "checks": 1}


def test_the_folder_of_examples_is_one_pass_per_file(calls: Counter[str]) -> None:
    visits = sorted(Path(EXAMPLES).glob("*.yaml"))
    result = CliRunner(env={"IRP_CONFIG": str(HOUSE)}).invoke(app, ["validate", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    n = len(visits)
    assert calls == {"read": n, "parse": n, "timeline": n, "checks": n}


PARTIAL = (
    "schema_version: 1\nestablishment:\n  name: HMP Fernlow\n"
    "previous_inspection:\n  first_day: 2026-06-01\n  last_day: 2026-06-12\n"
)


@pytest.mark.parametrize("extra", [[], ["--suggest"], ["--suggest", "--json"]])
def test_plan_of_an_unfinished_file_reads_it_once(
    extra: list[str], calls: Counter[str], tmp_path: Path
) -> None:
    partial = tmp_path / "fernlow.yaml"
    partial.write_text(PARTIAL, encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", str(partial), "--today", "2026-11-30", *extra])
    assert result.exit_code == 0, result.output
    assert calls == {"read": 1, "parse": 1}


def test_plan_suggest_on_a_whole_file_reads_it_once(calls: Counter[str]) -> None:
    args = ["plan", ASHCOMBE, "--suggest", "--today", "2025-11-03"]
    result = CliRunner(env={"IRP_CONFIG": str(HOUSE)}).invoke(app, args)
    assert result.exit_code == 0, result.output
    assert calls == {"read": 1, "parse": 1}
