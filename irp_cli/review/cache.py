"""What ``irp validate`` found in a file last time, so a folder of hundreds of visits that have
not changed is checked again in a blink (as linters keep their results).

An entry is keyed by everything the findings depend on: the file's bytes, the settings that
apply to it, the irp version (in a checkout, also the modification times of the modules that
read and check a file) and the ``holidays`` version (working days). It holds the findings alone,
so it never stands in for a document. Entries are small JSON files in the user's cache folder,
written atomically; a damaged, unreadable or foreign entry is ignored and written again, and a
cache folder that cannot be written is simply not used.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

from irp_cli import __version__
from irp_cli.errors import Finding

FORMAT = 1
#: The modules whose code decides what a check finds; their modification times join the key,
#: so that in a checkout an edited rule is never hidden by an old entry.
_CODE = ("guide.py", "visitfile/models.py", "visitfile/loader.py", "review/checks.py")


@functools.cache
def _code_stamp() -> str:
    """The irp and holidays versions, and the check modules' modification times."""
    from irp_cli.calendar.workdays import holidays_version

    package = Path(__file__).resolve().parents[1]
    stamps = []
    for name in _CODE:
        with contextlib.suppress(OSError):
            stamps.append(str((package / name).stat().st_mtime_ns))
    return "|".join([__version__, holidays_version() or "-", *stamps])


def key(data: bytes, settings: str) -> str:
    """The entry's name for a file holding ``data`` checked under ``settings`` (a digest)."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (f"irp-check-v{FORMAT}", _code_stamp(), settings):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


class FindingsCache:
    """Entries under ``folder`` (``<cache>/checked``); every failure to read or write is quiet."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.usable = True

    def _path(self, entry: str) -> Path:
        return self.folder / entry[:2] / f"{entry}.json"

    def get(self, entry: str, name: str) -> list[Finding] | None:
        """The findings stored for ``entry``, told as findings in the file called ``name``."""
        try:
            stored = json.loads(self._path(entry).read_bytes())
            if stored.get("format") != FORMAT:
                return None
            return [_finding(item, stored["name"], name) for item in stored["findings"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, entry: str, name: str, findings: list[Finding]) -> None:
        if not self.usable:
            return
        body = {
            "format": FORMAT,
            "name": name,
            "findings": [dataclasses.asdict(f) for f in findings],
        }
        path = self._path(entry)
        tmp: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name_ = tempfile.mkstemp(prefix=f".{entry[:8]}.", suffix=".tmp", dir=path.parent)
            tmp = Path(name_)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(body, handle, ensure_ascii=False, separators=(",", ":"))
            tmp.replace(path)
        except OSError:
            self.usable = False  # a read-only or full cache folder: carry on without it
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink()


def _finding(item: dict[str, object], stored_name: str, name: str) -> Finding:
    fields = {f.name for f in dataclasses.fields(Finding)}
    values = {k: v for k, v in item.items() if k in fields}
    if values.get("file") == stored_name:  # the same file, perhaps named another way this time
        values["file"] = name
    return Finding(**values)  # type: ignore[arg-type]
