"""Where irp keeps things outside the visit folders: its cache and the user's settings.

* the cache (the bank-holiday table, compiled templates, what ``irp validate`` found in
  unchanged files, the log of an unexpected error):
  ``$IRP_CACHE_DIR``, else ``$XDG_CACHE_HOME/irp``, else ``~/.cache/irp``
  (``%LOCALAPPDATA%\\irp`` on Windows); anything there can be deleted and is rebuilt;
* the user's settings folder, searched last for ``irp.toml``: ``$XDG_CONFIG_HOME/irp``, else
  ``~/.config/irp`` (``%APPDATA%\\irp`` on Windows). ``IRP_CONFIG`` names a settings file
  that wins over every other (:func:`find_config`).
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "IRP_CACHE_DIR"
CONFIG_ENV = "IRP_CONFIG"
CONFIG_NAME = "irp.toml"


def cache_dir() -> Path:
    """irp's cache folder (it may not exist yet)."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "irp"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "irp"


def templates_cache_dir() -> Path:
    """Compiled templates (Jinja's bytecode cache)."""
    return cache_dir() / "templates"


def checked_cache_dir() -> Path:
    """What ``irp validate`` found in unchanged files (:mod:`irp_cli.review.cache`)."""
    return cache_dir() / "checked"


def error_log() -> Path:
    """The traceback of the last unexpected error (exit 3)."""
    return cache_dir() / "irp-error.log"


def user_config_dir() -> Path:
    """The user's settings folder (it may not exist)."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "irp"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "irp"


def find_config(near: Path | None = None) -> Path | None:
    """The settings file that applies to a visit file (or folder) at ``near``."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    if near is not None:
        start = near if near.is_dir() else near.parent
        for folder in [start.resolve(), *start.resolve().parents]:
            candidate = folder / CONFIG_NAME
            if candidate.is_file():
                return candidate
    candidate = user_config_dir() / CONFIG_NAME
    return candidate if candidate.is_file() else None
