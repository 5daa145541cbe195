"""Shared fixtures: a fixed, isolated environment for every test, and visit-file builders."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import TEST_TODAY, dump


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


class _FixedClock(date):
    """``date`` for the command line, whose today() is :data:`helpers.TEST_TODAY` (or the day
    a test sets with the ``today_is`` fixture), whatever day the tests run on."""

    fixed: date = TEST_TODAY

    @classmethod
    def today(cls) -> _FixedClock:
        return cls(cls.fixed.year, cls.fixed.month, cls.fixed.day)


@pytest.fixture(autouse=True)
def _cycle_collector_as_it_was() -> Iterator[None]:
    """The entry point (``irp_cli.__main__.main``) turns the collector off and freezes what is
    loaded, for the rest of its process: a test that calls it in this process is followed by
    the collector back as it was."""
    import gc

    was_on = gc.isenabled()
    yield
    if was_on and not gc.isenabled():
        gc.unfreeze()
        gc.enable()


@pytest.fixture(autouse=True)
def _no_real_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the real clock (the CLI's one read is in common.date_or_today)."""
    from irp_cli.commands import common

    monkeypatch.setattr(common, "date", _FixedClock)
    yield
    _FixedClock.fixed = TEST_TODAY


@pytest.fixture
def today_is() -> Callable[[date], None]:
    """Set the day the command line takes for today when --today or --date is left out."""

    def set_today(day: date) -> None:
        _FixedClock.fixed = day

    return set_today


@pytest.fixture
def write_visit(tmp_path: Path) -> Callable[..., Path]:
    """Write a visit file from text or data and return its path."""

    def write(content: str | dict[str, Any], name: str = "visit.yaml") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else dump(content)
        path.write_text(text, encoding="utf-8")
        return path

    return write
