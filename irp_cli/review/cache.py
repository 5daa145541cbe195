"""What ``irp validate`` found in a file last time, so a folder of hundreds of visits that have
not changed is checked again in a blink (as linters keep their results).

An entry is keyed by everything the findings depend on: the file's bytes, the settings that
apply to it, the irp version (in a checkout, also the modification times of the modules that
read and check a file) and the ``holidays`` version (working days). It holds the findings alone,
so it never stands in for a document. The entries are one JSON file in the user's cache folder,
read once and written once a run (atomically); a damaged, unreadable or foreign file or entry is
ignored and written again, and a cache folder that cannot be written is simply not used.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from irp_cli import __version__
from irp_cli.errors import Finding
from irp_cli.files import write_cache

FORMAT = 1
#: Entries kept: enough for several programmes' folders; the oldest are dropped first.
MAX_ENTRIES = 20_000
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
    """The entries in one file under ``folder`` (``<cache>/checked``), read once when first
    asked and written back once by :meth:`save` (one read and one write a run, however many
    files are checked). Every failure to read or write is quiet: the cache is only a help."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / f"findings-v{FORMAT}.json"
        self._entries: dict[str, dict[str, Any]] | None = None
        self._changed = False

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            self._entries = {}
            with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
                stored = json.loads(self.path.read_bytes())
                if stored.get("format") == FORMAT and isinstance(stored.get("entries"), dict):
                    self._entries = stored["entries"]
        return self._entries

    def get(self, entry: str, name: str) -> list[Finding] | None:
        """The findings stored for ``entry``, told as findings in the file called ``name``."""
        stored = self._load().get(entry)
        if stored is None:
            return None
        try:
            return [_finding(item, stored["name"], name) for item in stored["findings"]]
        except (KeyError, TypeError, AttributeError, ValueError):
            return None

    def put(self, entry: str, name: str, findings: list[Finding]) -> None:
        entries = self._load()
        entries.pop(entry, None)  # re-inserted last: the oldest entries go first
        entries[entry] = {"name": name, "findings": [f._asdict() for f in findings]}
        self._changed = True

    def save(self) -> None:
        """Write the entries back (atomically), keeping the newest :data:`MAX_ENTRIES`."""
        if not self._changed or self._entries is None:
            return
        keep = dict(list(self._entries.items())[-MAX_ENTRIES:])
        data = json.dumps({"format": FORMAT, "entries": keep}, separators=(",", ":"))
        write_cache(self.path, data.encode("utf-8"))  # a read-only or full folder: not kept
        self._changed = False


def _finding(item: dict[str, object], stored_name: str, name: str) -> Finding:
    fields = set(Finding._fields)
    values = {k: v for k, v in item.items() if k in fields}
    if values.get("file") == stored_name:  # the same file, perhaps named another way this time
        values["file"] = name
    return Finding(**values)  # type: ignore[arg-type]
