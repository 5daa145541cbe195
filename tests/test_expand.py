"""Folders and patterns as people give them (review.session.expand), and `validate DIR`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import EXAMPLE_FILES
from typer.testing import CliRunner

from irp_cli.cli import app
from irp_cli.review.session import expand

FILES = ("a.yaml", "b.YAML", "c.yml", "d.Yml", ".hidden.yaml", "notes.txt", "e.json")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "visits"
    root.mkdir()
    for name in FILES:
        (root / name).write_text("x: 1\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "f.yaml").write_text("x: 1\n", encoding="utf-8")
    (root / "sub.yaml").mkdir()  # a folder named like a file is not a file
    return root


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("{root}", ["a.yaml", "b.YAML", "c.yml", "d.Yml"]),
        ("{root}/*.yaml", ["a.yaml"]),
        ("{root}/*.[yY]*", ["a.yaml", "b.YAML", "c.yml", "d.Yml"]),
        ("{root}/?.yml", ["c.yml"]),
        ("{root}/*", ["a.yaml", "b.YAML", "c.yml", "d.Yml", "e.json", "notes.txt"]),
        ("{root}/a.yaml", ["a.yaml"]),
    ],
)
def test_expand(folder: Path, given: str, expected: list[str]) -> None:
    files, problems = expand([Path(given.format(root=folder))], folders=True)
    assert problems == []
    assert [p.name for p in files] == expected


@pytest.mark.parametrize(
    "given",
    [
        ["{root}/a.yaml", "{root}/a.yaml"],
        ["{root}", "{root}/a.yaml"],  # irp deadlines visits/ visits/*.yaml
        ["{root}/a.yaml", "{root}/../visits/a.yaml"],
        ["{root}/*.yaml", "{root}"],
    ],
)
def test_a_file_given_twice_is_read_once(folder: Path, given: list[str]) -> None:
    """A visit named twice (by a folder and a pattern, or two spellings of its path) is one
    visit: listing it twice would double its deadlines and its counts."""
    files, problems = expand([Path(g.format(root=folder)) for g in given], folders=True)
    assert problems == []
    names = [p.name for p in files]
    assert names.count("a.yaml") == 1
    assert len({p.resolve() for p in files}) == len(files)


def test_a_file_and_links_to_it_are_read_once(folder: Path) -> None:
    """A file is known by the file itself, not its name: a symbolic or hard link to a visit
    given beside it is the same visit. A missing file given twice is passed on once."""
    (folder / "soft.yaml").symlink_to(folder / "a.yaml")
    os.link(folder / "a.yaml", folder / "hard.yaml")
    given = [folder / "a.yaml", folder / "soft.yaml", folder / "hard.yaml"]
    missing = [folder / "gone.yaml", folder / "sub" / ".." / "gone.yaml"]
    files, problems = expand([*given, *missing], folders=True)
    assert problems == []
    assert files == [folder / "a.yaml", folder / "gone.yaml"]


@pytest.mark.parametrize(
    ("given", "message"),
    [("{root}/*.xlsx", "no files match this pattern"), ("{root}/sub.yaml", "no visit files")],
)
def test_expand_reports_what_finds_nothing(folder: Path, given: str, message: str) -> None:
    files, problems = expand([Path(given.format(root=folder))], folders=True)
    assert files == []
    assert [p.message.startswith(message) for p in problems] == [True]


def test_missing_file_without_magic_is_passed_on(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    assert expand([missing], folders=True) == ([missing], [])


def test_validate_a_folder_and_a_quoted_glob(tmp_path: Path) -> None:
    root = tmp_path / "v"
    root.mkdir()
    for path in EXAMPLE_FILES:
        (root / path.name.upper().replace(".YAML", ".YML")).write_bytes(path.read_bytes())
    (root / ".backup.yaml").write_text("not: [valid\n", encoding="utf-8")
    runner = CliRunner()
    for given in (str(root), str(root / "*.YML")):
        result = runner.invoke(app, ["validate", given])
        assert result.exit_code == 0, result.stderr
        assert f"{len(EXAMPLE_FILES)} files checked: 0 errors" in result.stderr


def test_paced_gives_every_path_and_puts_the_collector_back() -> None:
    import gc

    from irp_cli.review.session import COLLECT_AFTER, paced

    before = gc.get_threshold()
    paths = [Path(f"v{n}.yaml") for n in range(3)]
    seen = []
    for path in paced(paths):
        seen.append(path)
        assert gc.get_threshold()[0] == max(before[0], COLLECT_AFTER)
    assert seen == paths
    assert gc.get_threshold() == before
    stopped = paced(paths)
    next(stopped)
    stopped.close()  # a command that stops early (an error) leaves the setting as it was
    assert gc.get_threshold() == before


@pytest.mark.parametrize("collector_on", [True, False])
def test_paced_turns_the_collector_on_for_the_files_and_back_as_it_was(collector_on: bool) -> None:
    """The command line runs with the collector off (irp_cli/__main__.py); a run over many files
    has it on, with what was loaded before the first file frozen out of its scans. Under a
    test runner (collector on) nothing is frozen."""
    import gc

    from irp_cli.review.session import paced

    was_on = gc.isenabled()
    if collector_on:
        gc.enable()
    else:
        gc.disable()
    frozen = gc.get_freeze_count()
    try:
        inside = [gc.isenabled() for _ in paced([Path("a.yaml"), Path("b.yaml")])]
        assert inside == [True, True]
        assert gc.isenabled() is collector_on
        if collector_on:
            assert gc.get_freeze_count() == frozen
        else:
            assert gc.get_freeze_count() >= frozen
    finally:
        if not collector_on:
            gc.unfreeze()
        if was_on:
            gc.enable()
        else:
            gc.disable()
