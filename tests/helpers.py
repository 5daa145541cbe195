"""Small helpers shared by the tests.

Golden files live under ``tests/golden/``. When an output changes on purpose, regenerate them
and review the diff before committing::

    IRP_UPDATE_GOLDEN=1 python -m pytest tests/test_render.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE_VARIABLE = "IRP_UPDATE_GOLDEN"


def assert_golden(name: str, actual: str | bytes, *, root: Path = GOLDEN_DIR) -> None:
    """Compare ``actual`` with the golden file ``tests/golden/<name>``.

    With ``IRP_UPDATE_GOLDEN=1`` in the environment the file is (re)written instead. Text is
    compared with ``\\n`` line endings whatever the checkout did to the file.
    """
    path = root / name
    expected_bytes = actual.encode("utf-8") if isinstance(actual, str) else actual
    if os.environ.get(UPDATE_VARIABLE) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(expected_bytes)
        return
    hint = f"run with {UPDATE_VARIABLE}=1 to accept the new output, then review the diff"
    if not path.exists():
        raise AssertionError(f"golden file {path} is missing; {hint}")
    golden = path.read_bytes()
    if isinstance(actual, str):
        golden_text = golden.decode("utf-8").replace("\r\n", "\n")
        if golden_text == actual:
            return
        diff = "".join(
            difflib.unified_diff(
                golden_text.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"golden/{name}",
                tofile="actual",
            )
        )
        raise AssertionError(f"output differs from golden/{name} ({hint}):\n{diff}")
    if golden != actual:
        raise AssertionError(
            f"output differs from golden/{name}: {len(golden)} bytes expected, "
            f"{len(actual)} bytes actual ({hint})"
        )
