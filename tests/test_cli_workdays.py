"""``irp workdays``: the wiring from the command line to the core (the arithmetic itself is
tested in test_workdays.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from irp_cli.cli import app


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No settings file from the real world, and a private bank-holiday cache."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("IRP_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "config"))
    monkeypatch.setenv("IRP_CACHE_DIR", str(tmp_path / "cache"))


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["workdays", *args])


def assert_usage_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("irp: error [")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("args", "answer"),
    [
        (["add", "2026-12-24", "5"], "2027-01-05"),
        (["sub", "2026-03-09", "5"], "2026-03-02"),
        (["between", "2026-12-24", "2027-01-05"], "5"),
        (["between", "2027-01-05", "2026-12-24"], "-5"),
        (["add", "2026-03-07", "0"], "2026-03-09"),
        (["add", "2026-12-24", "+5"], "2027-01-05"),
    ],
    ids=["add", "sub", "between", "between-backwards", "add-zero", "plus-sign"],
)
def test_answer_is_the_only_line(args: list[str], answer: str) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{answer}\n"
    assert result.stderr == ""


def test_explain_add() -> None:
    result = run("add", "2026-12-24", "5", "--explain")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "2027-01-05"
    assert lines[1] == (
        "Tuesday 5 January 2027 is the fifth working day after Thursday 24 December 2026."
    )
    assert lines[2:] == [
        "Not counted:",
        "  2026-12-25  Christmas Day",
        "  2026-12-26  Saturday (also Boxing Day)",
        "  2026-12-27  Sunday",
        "  2026-12-28  Boxing Day (substitute day)",
        "  2027-01-01  New Year's Day",
        "  2027-01-02  Saturday",
        "  2027-01-03  Sunday",
    ]


def test_explain_sub_and_between() -> None:
    sub = run("sub", "2026-04-07", "1", "--explain").stdout.splitlines()
    assert sub[0] == "2026-04-02"
    assert "  2026-04-03  Good Friday" in sub
    assert "  2026-04-06  Easter Monday" in sub
    between = run("between", "2026-03-09", "2026-03-13", "--explain").stdout.splitlines()
    assert between[0] == "4"
    assert between[-1].startswith("Not counted: nothing")


def test_explain_zero_on_a_holiday() -> None:
    lines = run("add", "2026-12-25", "0", "--explain").stdout.splitlines()
    assert lines[0] == "2026-12-29"
    assert "not a working day (Christmas Day)" in lines[1]


def test_holidays() -> None:
    result = run("holidays", "2026")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "2026-01-01  New Year's Day",
        "2026-04-03  Good Friday",
        "2026-04-06  Easter Monday",
        "2026-05-04  Early May bank holiday",
        "2026-05-25  Spring bank holiday",
        "2026-08-31  Summer bank holiday",
        "2026-12-25  Christmas Day",
        "2026-12-28  Boxing Day (substitute day)",
    ]


# --------------------------------------------------------------------------- closures


def test_closure_option() -> None:
    # Wed 23 Dec 2026 + 1: Thu 24 closed, Fri 25, Sat, Sun, Mon 28 -> Tue 29
    result = run("add", "2026-12-23", "1", "--closure", "2026-12-24", "--explain")
    assert result.stdout.splitlines()[0] == "2026-12-29"
    assert "  2026-12-24  closure (--closure)" in result.stdout.splitlines()
    two = run(
        "between", "2026-03-06", "2026-03-13", "--closure", "2026-03-10", "--closure", "2026-03-11"
    )
    assert two.stdout == "3\n"


def test_closures_from_irp_toml_near_the_current_folder() -> None:
    Path("irp.toml").write_text("[calendar]\nclosures = [2026-12-24]\n", encoding="utf-8")
    result = run("add", "2026-12-23", "1", "--explain")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "2026-12-29"
    assert "  2026-12-24  closure (irp.toml)" in result.stdout.splitlines()
    listed = run("holidays", "2026").stdout.splitlines()
    assert "2026-12-24  closure (irp.toml)" in listed
    assert listed.index("2026-12-24  closure (irp.toml)") == 6  # in date order


def test_config_option(tmp_path: Path) -> None:
    settings = tmp_path / "office.toml"
    settings.write_text("[calendar]\nclosures = [2026-03-10]\n", encoding="utf-8")
    result = run("add", "2026-03-09", "1", "--config", str(settings))
    assert result.stdout == "2026-03-11\n"
    assert run("add", "2026-03-09", "1").stdout == "2026-03-10\n"


def test_bad_settings_file_is_reported_not_raised(tmp_path: Path) -> None:
    settings = tmp_path / "bad.toml"
    settings.write_text("[calendar]\nclosures = ['not a date']\n", encoding="utf-8")
    result = run("add", "2026-03-09", "1", "--config", str(settings))
    assert result.exit_code == 1
    assert "bad.toml" in result.stderr
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["add", "2025-02-30", "3"], ["'2025-02-30'", "February 2025 has 28 days"]),
        (["add", "2024-02-30", "3"], ["February 2024 has 29 days"]),
        (["add", "2026-13-01", "3"], ["no month 13"]),
        (["add", "09/03/2026", "3"], ["YYYY-MM-DD"]),
        (["add", "2026-03-09", "-3"], ["0 or more", "irp workdays sub"]),
        (["sub", "2026-03-09", "-3"], ["0 or more", "irp workdays add"]),
        (["add", "2026-03-09", "five"], ["whole number"]),
        (["add", "2026-03-09", "2.5"], ["whole number"]),
        (["add", "2026-03-09", "2001"], ["limit is 2000"]),
        (["add", "2026-03-09", "99999999999999999999"], ["limit is 2000"]),
        (["add", "2026-03-09", "-99999999999999999999"], ["0 or more"]),
        (["add", "2046-01-02", "1"], ["2046-01-02", "2000 to 2045"]),
        (["add", "2045-12-29", "1"], ["2000 to 2045"]),
        (["between", "2026-01-01", "2060-01-01"], ["2060-01-01", "2000 to 2045"]),
        (["between", "2026-01-01", "2026-02-31"], ["END", "February 2026 has 28 days"]),
        (["holidays", "1999"], ["1999", "2000 to 2045"]),
        (["holidays", "26"], ["four digits"]),
        (["add", "2026-03-09", "1", "--closure", "2026-02-29"], ["--closure", "28 days"]),
    ],
    ids=[
        "not-a-date",
        "leap-year",
        "month-13",
        "uk-format",
        "negative-add",
        "negative-sub",
        "word",
        "fraction",
        "too-many",
        "huge",
        "huge-negative",
        "date-after-range",
        "answer-after-range",
        "between-after-range",
        "between-bad-end",
        "year-before-range",
        "short-year",
        "bad-closure",
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str], fragments: list[str]) -> None:
    assert_usage_error(run(*args), *fragments)


def test_help_mentions_the_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("add", "sub", "between", "holidays"):
        assert command in result.stdout
