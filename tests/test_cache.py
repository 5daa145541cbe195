"""The cache of what `irp validate` found in unchanged files (issue 13.5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import EXAMPLE_FILES, dump, example_data
from typer.testing import CliRunner

import irp_cli.review.session
from irp_cli.cli import app
from irp_cli.review.session import Session

runner = CliRunner()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("IRP_CACHE_DIR", str(folder))
    monkeypatch.delenv("IRP_NO_CACHE")
    return folder


@pytest.fixture
def visit(tmp_path: Path) -> Path:
    data = example_data()
    data["team"] = data["team"][:1]  # findings (team size, roles), so there is something to keep
    path = tmp_path / "visits" / "hmp-ashcombe.yaml"
    path.parent.mkdir()
    path.write_text(dump(data), encoding="utf-8")
    return path


def entries(cache: Path) -> dict[str, object]:
    stored = json.loads((cache / "checked" / "findings-v1.json").read_text(encoding="utf-8"))
    return stored["entries"]  # type: ignore[no-any-return]


def no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed and checked again")

    monkeypatch.setattr(irp_cli.review.session.Session, "load", refuse)


def test_an_unchanged_file_is_not_checked_again(
    cache: Path, visit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = runner.invoke(app, ["validate", str(visit)])
    assert "[team-size" in first.stderr
    assert len(entries(cache)) == 1
    no_loading(monkeypatch)
    second = runner.invoke(app, ["validate", str(visit)])
    assert (second.exit_code, second.stderr) == (first.exit_code, first.stderr)


def test_the_file_is_named_as_given_this_time(
    cache: Path, visit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.invoke(app, ["validate", str(visit)])
    no_loading(monkeypatch)
    monkeypatch.chdir(visit.parent)
    again = runner.invoke(app, ["validate", visit.name])
    assert again.stderr.startswith(f"{visit.name}:")


def test_a_changed_file_is_checked_again(cache: Path, visit: Path) -> None:
    runner.invoke(app, ["validate", str(visit)])
    visit.write_text(visit.read_text(encoding="utf-8") + "surprise: 1\n", encoding="utf-8")
    again = runner.invoke(app, ["validate", str(visit)])
    assert again.exit_code == 1
    assert "surprise" in again.stderr


def test_other_settings_are_another_entry(cache: Path, visit: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["validate", str(visit)])
    settings = visit.parent / "irp.toml"
    settings.write_text('[rules.severity]\nteam-size = "off"\n', encoding="utf-8")
    again = runner.invoke(app, ["validate", str(visit)])
    assert "team-size" not in again.stderr
    assert len(entries(cache)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b'{"format": 99}',
        b'{"format": 1}',
        b"[]",
        b'{"format": 1, "entries": []}',
        b'{"format": 1, "entries": {"x": 1}}',
    ],
)
def test_a_damaged_entry_is_ignored_and_written_again(
    cache: Path, visit: Path, damage: bytes
) -> None:
    first = runner.invoke(app, ["validate", str(visit)])
    entry = cache / "checked" / "findings-v1.json"
    entry.write_bytes(damage)
    again = runner.invoke(app, ["validate", str(visit)])
    assert again.stderr == first.stderr
    assert entry.read_bytes() != damage


def test_a_cache_folder_that_cannot_be_written_is_not_used(
    tmp_path: Path, visit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("IRP_CACHE_DIR", str(blocker))
    uncached = runner.invoke(app, ["validate", str(visit)])
    monkeypatch.delenv("IRP_NO_CACHE")
    result = runner.invoke(app, ["validate", str(visit)])
    assert (result.exit_code, result.stderr) == (uncached.exit_code, uncached.stderr)
    assert "[team-size" in result.stderr


@pytest.mark.parametrize("switch", ["option", "environment"])
def test_the_cache_can_be_turned_off(
    cache: Path, visit: Path, monkeypatch: pytest.MonkeyPatch, switch: str
) -> None:
    runner.invoke(app, ["validate", str(visit)])
    no_loading(monkeypatch)
    if switch == "option":
        result = runner.invoke(app, ["validate", "--no-cache", str(visit)])
    else:
        monkeypatch.setenv("IRP_NO_CACHE", "1")
        result = runner.invoke(app, ["validate", str(visit)])
    assert result.exit_code == 3  # it tried to check the file again: the patched load ran


def test_broken_files_are_cached_too_and_nothing_is_kept_in_memory(
    cache: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nestablishment: [\n", encoding="utf-8")
    session = Session()
    paths = [*EXAMPLE_FILES, broken]
    first = dict(session.findings_of(paths))
    assert session._parsed == {}  # one file at a time: nothing parsed is kept
    assert first[broken][0].code == "yaml-syntax"
    assert dict(Session().findings_of(paths)) == first
    assert len(entries(cache)) == len(paths)


def test_a_changed_evidence_file_beside_it_is_checked_again(cache: Path, visit: Path) -> None:
    folder = visit.with_name(visit.stem + ".evidence")
    folder.mkdir()
    notes = folder / "priya-lumsden.yaml"
    notes.write_text("schema_version: 1\nby: Priya Lumsden\nconcerns: {}\n", encoding="utf-8")
    first = runner.invoke(app, ["validate", str(visit)])
    notes.write_text("schema_version: 1\nby: Priya Lumsden\nconcerns: {Z9: {}}\n", "utf-8")
    again = runner.invoke(app, ["validate", str(visit)])
    assert "Z9" not in first.stderr
    assert f"{notes}:3" in again.stderr and "Z9" in again.stderr
