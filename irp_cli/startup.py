"""Two costs of every run that irp has no use for, taken away before anything else is loaded
(:func:`prepare`, the first thing :func:`irp_cli.cli.main` does). Kept apart from the command line
so that the benchmarks' floor apps (``bench/``) can start the same way and be compared fairly.

Only the standard library is imported here.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any


def prepare() -> None:
    """Plugins off, their discovery skipped, and PyYAML's unused pattern compiled only if used."""
    # pydantic looks for plugins (observability hooks) by scanning every installed package's
    # metadata the first time a model is built: about 30 ms that irp has no use for. An explicit
    # setting in the environment still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    skip_plugin_discovery()
    defer_yaml_printable_pattern()


def skip_plugin_discovery() -> None:
    """With its plugins turned off, pydantic still imports ``importlib.metadata`` (about 10 ms)
    for the module that would look for them. Stand in for that module with one that finds
    none, while they are off and it is not loaded yet; any other name asked of it loads the
    real module, so a newer pydantic that wants more from it still gets it."""
    name = "pydantic.plugin._loader"
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("__all__", "1", "true"):
        return
    if name in sys.modules:
        return
    import types

    stand_in = types.ModuleType(name)

    def get_plugins() -> tuple[()]:
        return ()

    def real(attribute: str) -> Any:
        if attribute.startswith("__"):  # the import system asking (``__path__``): not ours
            raise AttributeError(attribute)
        sys.modules.pop(name, None)
        import importlib

        return getattr(importlib.import_module(name), attribute)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[name] = stand_in


#: The pattern PyYAML compiles when it is imported (``yaml.reader.Reader.NON_PRINTABLE``):
#: about 5 ms of every run that reads a YAML file, for its pure-Python reader, which the C
#: loader irp reads with never calls.
YAML_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


class LazyPattern:
    """Stands in for a compiled regular expression and compiles it when it is first used."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __getattr__(self, name: str) -> Any:
        real = self.__dict__.get("_real")
        if real is None:  # re.UNICODE is a str pattern's default: the same expression, but
            real = re.compile(self.pattern, re.UNICODE)  # not this stand-in's cache key
            self.__dict__["_real"] = real
        return getattr(real, name)


def defer_yaml_printable_pattern() -> None:
    """Before PyYAML is imported, put a :class:`LazyPattern` for its pattern in the ``re``
    module's cache, so that its ``re.compile`` at import costs nothing. Where the cache is not
    a dict (another Python) or PyYAML is loaded already, nothing changes; where the pattern
    differs (another PyYAML), PyYAML compiles its own, as it would anyway."""
    cache = getattr(re, "_cache", None)
    if "yaml.reader" in sys.modules or not isinstance(cache, dict):
        return
    cache.setdefault((str, YAML_NON_PRINTABLE, 0), LazyPattern(YAML_NON_PRINTABLE))
