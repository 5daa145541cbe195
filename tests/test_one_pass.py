"""Each command reads a visit once: one timeline, one pass of the rules (issue 7)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from irp_cli.calendar import timeline
from irp_cli.cli import app
from irp_cli.review import checks, session

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
    assert calls == {"timeline": 1, "checks": 1}


def test_the_folder_of_examples_is_one_pass_per_file(calls: Counter[str]) -> None:
    files = sorted(Path(EXAMPLES).glob("*.yaml"))
    result = CliRunner(env={"IRP_CONFIG": str(HOUSE)}).invoke(app, ["validate", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert calls == {"timeline": len(files), "checks": len(files)}
