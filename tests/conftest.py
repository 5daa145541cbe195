"""Shared fixtures: a fixed, isolated environment for every test, and visit-file builders."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test reads the developer's settings or cache, or depends on the terminal."""
    home = tmp_path_factory.mktemp("home")
    saved = dict(os.environ)
    os.environ.update(
        {
            "IRP_CACHE_DIR": str(tmp_path_factory.mktemp("irp-cache")),
            "XDG_CONFIG_HOME": str(home / "config"),
            "NO_COLOR": "1",
            "COLUMNS": "100",
            "TERMINAL_WIDTH": "100",
            "_TYPER_FORCE_DISABLE_TERMINAL": "1",
            # Results of earlier checks would hide a monkeypatched rule: the cache's own tests
            # turn it back on.
            "IRP_NO_CACHE": "1",
        }
    )
    os.environ.pop("IRP_CONFIG", None)
    yield
    os.environ.clear()
    os.environ.update(saved)


def example_data(name: str = "hmp-ashcombe") -> dict[str, Any]:
    """A deep copy of an example visit file's data, to change in one place for a test."""
    data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    return copy.deepcopy(data)  # type: ignore[no-any-return]


def dump(data: dict[str, Any]) -> str:
    """YAML text for ``data`` with dates written as plain YYYY-MM-DD."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@pytest.fixture
def write_visit(tmp_path: Path) -> Callable[..., Path]:
    """Write a visit file from text or data and return its path."""

    def write(content: str | dict[str, Any], name: str = "visit.yaml") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else dump(content)
        path.write_text(text, encoding="utf-8")
        return path

    return write
