"""Writes into a visit file never lose work (issue 13.3): a lock around read-change-write, and a
refusal when the file changed on disk since this run read it."""

from __future__ import annotations

import csv
import fcntl
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import EXAMPLES
from typer.testing import CliRunner

from irp_cli import files
from irp_cli.cli import app
from irp_cli.errors import IrpError

HOUSE = EXAMPLES.parent / "tests" / "fixtures" / "house" / "irp.toml"
runner = CliRunner(env={"IRP_CONFIG": str(HOUSE)})
ASHCOMBE = EXAMPLES / "hmp-ashcombe.yaml"


def filled_csv(folder: Path, concern: str, name: str) -> Path:
    """The pro forma as irp writes it, with one manager filled in for ``concern``."""
    blank = folder / f"blank-{concern}.csv"
    result = runner.invoke(
        app, ["proforma", str(folder / "visit.yaml"), "-o", str(blank), "--date", "2026-02-10"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(blank.read_text(encoding="utf-8-sig"))))
    header = next(i for i, row in enumerate(rows) if "Manager's name" in row)
    columns = {title: i for i, title in enumerate(rows[header])}
    for row in rows[header + 1 :]:
        if row and row[0] == concern:
            row[columns["Manager's name"]] = name
            row[columns["Job title"]] = "Head of Safety"
            row[columns["Email"]] = f"{name.split()[0].lower()}@ashcombe.example.org"
    path = folder / f"filled-{concern}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_an_input_changed_since_it_was_read_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "visit.yaml"
    path.write_text("first\n", encoding="utf-8")
    files.forget_inputs()
    files.read_bounded(path, limit=1000, what="a visit file")
    path.write_text("someone else's change\n", encoding="utf-8")
    with pytest.raises(IrpError) as caught:
        files.write_output(path, "irp's change\n", force=True, replace_input=True)
    assert caught.value.findings[0].code == "changed-on-disk"
    assert "since irp read it" in caught.value.findings[0].message
    assert path.read_text(encoding="utf-8") == "someone else's change\n"


@pytest.mark.parametrize("read_as", ["relative", "link", "twice"])
def test_a_change_is_seen_whatever_path_the_input_was_read_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_as: str
) -> None:
    """The digest of what was read is kept by the path given and matched to the file only when
    a command writes: read as ``visit.yaml`` (or through a link, or twice), written by its
    full path, a change made in between is still seen."""
    path = tmp_path / "visit.yaml"
    path.write_text("first\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(path.name)
    monkeypatch.chdir(tmp_path)
    files.forget_inputs()
    given = {"relative": ["visit.yaml"], "link": ["link.yaml"], "twice": ["visit.yaml", "."]}
    for spelling in given[read_as]:
        target = Path(spelling) if spelling != "." else path
        files.read_bounded(target, limit=1000, what="a visit file")
    path.write_text("someone else's change\n", encoding="utf-8")
    with pytest.raises(IrpError) as caught:
        files.write_output(path, "irp's change\n", force=True, replace_input=True)
    assert caught.value.findings[0].code == "changed-on-disk"
    assert path.read_text(encoding="utf-8") == "someone else's change\n"
    files.forget_inputs()


def test_an_unchanged_input_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "visit.yaml"
    path.write_text("first\n", encoding="utf-8")
    files.forget_inputs()
    files.read_bounded(path, limit=1000, what="a visit file")
    assert files.write_output(path, "second\n", force=True, replace_input=True) == "overwritten"
    assert path.read_text(encoding="utf-8") == "second\n"


def test_a_held_lock_makes_the_second_command_wait_then_give_up(tmp_path: Path) -> None:
    path = tmp_path / "visit.yaml"
    path.write_text("x\n", encoding="utf-8")
    with files.exclusive(path):
        # Another open file description (as another process would have) cannot take it.
        fd = os.open(tmp_path / ".visit.yaml.irp-lock", os.O_RDWR)
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(fd)
        with pytest.raises(IrpError) as caught, files.exclusive(path, wait=0.05):
            pass  # pragma: no cover - never reached
    assert caught.value.findings[0].code == "locked"
    with files.exclusive(path, wait=0.05):  # released when the first holder is done
        pass


@pytest.mark.slow
def test_fifty_pairs_of_concurrent_imports_keep_both_changes(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "IRP_CONFIG": str(HOUSE),
        "IRP_CACHE_DIR": str(tmp_path / "cache"),
    }
    outcomes: list[str] = []
    pairs, batch = 50, 5
    for start in range(0, pairs, batch):
        jobs = []
        for n in range(start, start + batch):
            folder = tmp_path / f"pair{n}"
            folder.mkdir()
            visit = folder / "visit.yaml"
            visit.write_bytes(ASHCOMBE.read_bytes())
            forms = [filled_csv(folder, "P1", "Alex Arden"), filled_csv(folder, "P2", "Bo Brent")]
            for form in forms:
                argv = [sys.executable, "-m", "irp_cli", "proforma-import", str(visit), str(form)]
                jobs.append((visit, subprocess.Popen(argv, env=env, stderr=subprocess.PIPE)))
        for _visit, job in jobs:
            _, err = job.communicate(timeout=120)
            assert job.returncode in (0, 1), err.decode()
            if job.returncode == 1:  # the only acceptable failure is a clear refusal
                assert b"changed-on-disk" in err or b"locked" in err, err.decode()
            outcomes.append("refused" if job.returncode else "written")
        for visit, _ in jobs[::2]:
            text = visit.read_text(encoding="utf-8")
            assert runner.invoke(app, ["validate", str(visit)]).exit_code == 0, text
            # Whole, and both changes in it (or one and a refusal).
            has = ["Alex Arden" in text, "Bo Brent" in text]
            assert any(has), text
            assert text.count("responsible_manager") >= sum(has)
            leftovers = [p.name for p in visit.parent.iterdir() if p.name.endswith(".tmp")]
            assert leftovers == []
    # With the lock, the second command reads what the first wrote: nothing is refused.
    assert outcomes.count("refused") == 0


@pytest.mark.slow
def test_concurrent_judgements_on_one_visit_keep_both(tmp_path: Path) -> None:
    source = EXAMPLES / "hmp-stallbridge.yaml"
    env = {**os.environ, "IRP_CACHE_DIR": str(tmp_path / "cache")}
    for n in range(10):
        folder = tmp_path / f"pair{n}"
        folder.mkdir()
        visit = folder / "hmp-stallbridge.yaml"
        visit.write_bytes(source.read_bytes())
        jobs = [
            subprocess.Popen(
                [sys.executable, "-m", "irp_cli", "judge", str(visit), concern, "good"],
                env=env,
                stderr=subprocess.PIPE,
            )
            for concern in ("K1", "K2")
        ]
        for job in jobs:
            _, err = job.communicate(timeout=120)
            assert job.returncode == 0, err.decode()
        text = visit.read_text(encoding="utf-8")
        before = source.read_text(encoding="utf-8").count("judgement: good-progress")
        assert text.count("judgement: good-progress") == before + 2, text
