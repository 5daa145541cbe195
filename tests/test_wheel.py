"""The built wheel, installed (not editable) into a fresh virtual environment, still works.

This catches a module or a data file (templates) missing from the wheel, or a broken console
script. To stay offline and quick, the new environment borrows the already-installed
dependencies (pip among them) through a .pth line; irp itself comes only from the wheel, and
the ``irp`` the test runs is the script pip wrote for the new environment.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT


def run(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, code: int = 0
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == code, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_wheel_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--quiet", "-w", dist, ROOT, cwd=tmp_path,
    )  # fmt: skip
    [wheel] = dist.glob("irp_cli-*.whl")

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=tmp_path).stdout.strip())  # fmt: skip
    # Dependencies (and pip) from the running environment, after the wheel's own files.
    (site / "zz_irp_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(
        python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed",
        "--quiet", wheel, cwd=tmp_path,
    )  # fmt: skip

    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IRP_CONFIG")}
    env["IRP_CACHE_DIR"] = str(tmp_path / "cache")
    where = run(python, "-c", "import irp_cli; print(irp_cli.__file__)", cwd=work, env=env)
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout
    templates = run(
        python, "-c",
        "import importlib.resources as r; t = r.files('irp_cli') / 'templates'; "
        "print(sorted(p.name for p in t.iterdir()))",
        cwd=work, env=env,
    )  # fmt: skip
    assert "README.md" in templates.stdout
    assert "'letter.md.j2'" in templates.stdout

    script = bindir / ("irp.exe" if os.name == "nt" else "irp")
    assert script.is_file(), "pip wrote no irp console script"
    if os.name != "nt":
        assert script.read_text(encoding="utf-8").startswith(f"#!{python}")
    irp = [script]
    version = run(*irp, "--version", cwd=work, env=env)
    assert re.fullmatch(r"irp \d+\.\d+\.\d+\S*\n", version.stdout), version.stdout

    example = EXAMPLES / "hmp-ashcombe.yaml"
    checked = run(*irp, "validate", example, cwd=work, env=env)
    assert checked.stdout == ""
    assert checked.stderr == "1 file checked: 0 errors, 0 warnings\n"
    planned = run(*irp, "plan", example, "--today", "2026-02-10", "--json", cwd=work, env=env)
    plan = json.loads(planned.stdout)
    assert plan["visit_days"] == ["2026-04-21", "2026-04-22", "2026-04-23"]
    letter = run(*irp, "letter", example, "--date", "2026-02-10", cwd=work, env=env)
    assert "Dear Governor," in letter.stdout  # the templates came with the wheel
    assert "Date: 10 February 2026" in letter.stdout
    out = work / "letter.docx"
    written = run(*irp, "letter", example, "--date", "2026-02-10", "-o", out, cwd=work, env=env)
    assert written.stderr.endswith(f"{out}: created\n")
    assert out.read_bytes().startswith(b"PK")  # a Word file, written by the installed package
    bad = run(*irp, "workdays", "add", "2026-02-30", "3", cwd=work, env=env, code=2)
    assert "February 2026 has 28 days" in bad.stderr and bad.stdout == ""
