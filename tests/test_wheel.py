"""The built wheel, installed (not editable) into a fresh virtual environment, still works.

This catches a module or a data file (templates) missing from the wheel. To stay offline and
quick, the new environment borrows the already-installed dependencies through a .pth line; irp
itself comes only from the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


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
                    cwd=tmp_path).strip())  # fmt: skip
    run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "--no-deps",
        "--quiet",
        "--target",
        site,
        wheel,
        cwd=tmp_path,
    )
    # Dependencies from the running environment, after the wheel's own files.
    (site / "zz_irp_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    where = run(python, "-c", "import irp_cli; print(irp_cli.__file__)", cwd=work, env=env)
    assert Path(where.strip()).is_relative_to(site), where
    templates = run(
        python, "-c",
        "import importlib.resources as r; t = r.files('irp_cli') / 'templates'; "
        "print(sorted(p.name for p in t.iterdir()))",
        cwd=work, env=env,
    )  # fmt: skip
    assert "README.md" in templates
    assert "'letter.md.j2'" in templates

    example = EXAMPLES / "hmp-ashcombe.yaml"
    script = bindir / "irp"
    # pip --target does not write console scripts for this interpreter: run the module too.
    out = run(python, "-m", "irp_cli", "validate", example, cwd=work, env=env)
    assert out == ""
    run(python, "-m", "irp_cli", "plan", example, cwd=work, env=env)
    letter = run(
        python, "-m", "irp_cli", "letter", example, "--date", "2026-02-10", cwd=work, env=env
    )
    assert "Dear Governor," in letter  # the templates came with the wheel
    assert not script.exists() or run(script, "--version", cwd=work, env=env).startswith("irp ")
