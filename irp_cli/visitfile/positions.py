"""Where things are in a visit file: the YAML node tree, followed by a pydantic-style ``loc``.

The loader builds the tree once; the messages about bad values, the guide's rules
(:mod:`irp_cli.review.checks`, through :meth:`VisitFile.locate`) and the pro forma editor all
find their line and column here. This module imports nothing of the project's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

#: A place in the file as pydantic names it: keys and list indexes, e.g. ``("team", 2, "role")``.
Loc = tuple[str | int, ...]


def mark(node_or_mark: Any) -> tuple[int, int]:
    """The 1-based line and column where a node (or a YAML mark) starts."""
    start = getattr(node_or_mark, "start_mark", node_or_mark)
    return start.line + 1, start.column + 1


def item(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The key node and the value node of ``key`` in a mapping node; None if it has none."""
    if isinstance(node, yaml.MappingNode):
        for k, value in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, value
    return None


def child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    """The value under a key of a mapping, or the item at an index of a list."""
    if isinstance(part, str):
        found = item(node, part)
        return found[1] if found else None
    if isinstance(node, yaml.SequenceNode) and 0 <= part < len(node.value):
        value: yaml.Node = node.value[part]
        return value
    return None


def locate(root: yaml.Node, loc: Sequence[str | int]) -> tuple[int, int, str]:
    """Follow a pydantic ``loc`` through the node tree.

    Parts that match no key (union member names, model tags) are skipped; a missing field
    ends at its parent mapping. Returns 1-based line and column and a display path such as
    ``team[2].role``.
    """
    node, path = root, ""
    for part in loc:
        found = child(node, part)
        if found is None:
            continue
        node = found
        path = f"{path}[{part}]" if isinstance(part, int) else f"{path}.{part}".lstrip(".")
    line, col = mark(node)
    return line, col, path


def key_position(root: yaml.Node, loc: Sequence[str | int]) -> tuple[int, int] | None:
    """Line and column of the *key* named by the last part of ``loc`` (for unknown keys)."""
    *parent, last = loc
    node = root
    for part in parent:
        node = child(node, part) or node
    found = item(node, str(last))
    return mark(found[0]) if found else None
