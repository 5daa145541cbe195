"""Edit a visit (or evidence) file as text, at the places the YAML parser reports, so that every
other byte stays exactly as it was: comments, quotes, key order, blank lines, line endings, the
``# yaml-language-server`` line.

A round-trip through a YAML library would re-emit the whole file (re-indenting lists,
re-spacing flow lists, re-wrapping long lines), which a coordinator's hand-kept file must not
suffer. :class:`TextEditor` collects edits (set a key of a mapping, add an item to a list) and
applies them in one go; the caller parses the new text again before anything is written
(``irp proforma-import``, ``irp evidence add``, ``irp judge``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import yaml

from irp_cli.errors import IrpError
from irp_cli.visitfile import positions

BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
INDENT = 2

#: What can be written: text, numbers, true/false, dates, and mappings and lists of them.
Value = str | int | bool | date | Mapping[str, "Value"] | Sequence["Value"]


def split_lines(text: str) -> list[str]:
    """The text's lines, each with its own line break, split where YAML sees a break."""
    out, start = [], 0
    for match in BREAK.finditer(text):
        out.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        out.append(text[start:])
    return out


def last_line(node: yaml.Node) -> int:
    """The 0-based line of the last character that belongs to ``node``'s value."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        items = node.value
        if items:
            last = items[-1][1] if isinstance(node, yaml.MappingNode) else items[-1]
            return last_line(last)
    end, start = node.end_mark, node.start_mark
    if end.column == 0 and end.line > start.line:  # a block scalar ends at the next line
        return int(end.line) - 1
    return int(end.line)


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar that reads back as the same string: plain where that is
    safe, double-quoted (JSON escapes are valid YAML) otherwise. "Safe" is judged by PyYAML's
    YAML 1.1 reading, so other tools do not see ``no`` or ``on`` as yes/no either."""
    if value and value == value.strip() and "\n" not in value:
        try:
            back = yaml.load(f"k: {value}\n", Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            back = None
        if back == {"k": value}:
            return value
    return json.dumps(value, ensure_ascii=False)


def _scalar(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()  # irp reads dates as text, so a plain date stays a date
    assert isinstance(value, str)
    return yaml_scalar(value)


def render_entry(key: str, value: Value, column: int, eol: str) -> list[str]:
    """``key: value`` as block-style lines starting at ``column``."""
    pad = " " * column
    if isinstance(value, Mapping):
        lines = [f"{pad}{key}:{eol}"]
        for k, v in value.items():
            lines += render_entry(k, v, column + INDENT, eol)
        return lines
    if isinstance(value, Sequence) and not isinstance(value, str):
        lines = [f"{pad}{key}:{eol}"]
        for item in value:
            lines += render_item(item, column + INDENT, eol)
        return lines
    return [f"{pad}{key}: {_scalar(value)}{eol}"]


def render_item(item: Value, dash: int, eol: str) -> list[str]:
    """One list item (``- ...``) with its dash at column ``dash``."""
    if isinstance(item, Mapping):
        lines: list[str] = []
        for k, v in item.items():
            lines += render_entry(k, v, dash + 2, eol)
        if lines:
            lines[0] = " " * dash + "- " + lines[0][dash + 2 :]
            return lines
        return [f"{' ' * dash}- {{}}{eol}"]
    return [f"{' ' * dash}- {_scalar(item)}{eol}"]


@dataclass
class TextEditor:
    """Edits to one YAML text, applied together by :meth:`result`.

    ``root`` is the text's node tree (from :func:`irp_cli.visitfile.loader.compose`). Each
    edit names a block-style mapping node of that tree; a mapping written on one line
    (``{...}``) is refused with its place, since it cannot be edited without rewriting it.
    """

    text: str
    root: yaml.Node
    name: str
    _edits: list[tuple[int, int, int, list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lines = split_lines(self.text)
        eol = BREAK.search(self.text)
        self.newline = eol.group(0) if eol else "\n"

    def _block(self, node: yaml.Node, what: str, code: str) -> None:
        if getattr(node, "flow_style", False) or not getattr(node, "value", None):
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            raise IrpError.at(
                self.name,
                f"{what} is written on one line ({{...}} or [...]); write it as indented "
                "'key: value' lines so that irp can add to it",
                code=code,
                line=line,
                col=col,
            )

    def _add(self, first: int, end: int, lines: list[str]) -> None:
        self._edits.append((first, len(self._edits), end, lines))

    def set(
        self,
        mapping: yaml.Node,
        key: str,
        value: Value,
        *,
        what: str = "this part of the file",
        code: str = "edit",
    ) -> None:
        """Set ``key`` in ``mapping`` to ``value``: replace its lines if it is there, else add
        it after the mapping's last line."""
        self._block(mapping, what, code)
        assert isinstance(mapping, yaml.MappingNode)
        column = int(mapping.value[0][0].start_mark.column)
        new = render_entry(key, value, column, self.newline)
        existing = positions.item(mapping, key)
        if existing is not None:
            key_node, value_node = existing
            first, last = int(key_node.start_mark.line), last_line(value_node)
            prefix = self._lines[first][: key_node.start_mark.column]  # '  - ' if first key
            new[0] = prefix + new[0][column:]
            self._add(first, last + 1, new)
        else:
            after = last_line(mapping.value[-1][1]) + 1
            self._add(after, after, new)

    def append(
        self,
        mapping: yaml.Node,
        key: str,
        item: Value,
        *,
        what: str = "this part of the file",
        code: str = "edit",
    ) -> None:
        """Add ``item`` at the end of the list under ``key`` in ``mapping`` (a list of one item
        when the key is missing, empty or written on one line as ``[]``)."""
        existing = positions.item(mapping, key)
        if existing is not None:
            _key, seq = existing
            if isinstance(seq, yaml.SequenceNode) and seq.value and not seq.flow_style:
                dash = int(seq.start_mark.column)
                after = last_line(seq) + 1
                self._add(after, after, render_item(item, dash, self.newline))
                return
            if isinstance(seq, yaml.SequenceNode) and seq.value:  # [a, b]: keep them, in block
                self._block(seq, what, code)
        self.set(mapping, key, [item], what=what, code=code)

    def result(self) -> str:
        """The text with every edit made (the edits may not overlap)."""
        lines = list(self._lines)
        for first, _order, end, new in sorted(self._edits, reverse=True):
            if first >= len(lines) and lines and not BREAK.search(lines[-1]):
                lines[-1] += self.newline
            lines[first:end] = new
        return "".join(lines)
