"""Read a visit file: bytes -> YAML nodes -> plain data -> :class:`~irp_cli.visitfile.models.Visit`.

Every problem becomes a :class:`~irp_cli.errors.Finding` with the file, line and column, so a
coordinator can go straight to it. The YAML dialect is deliberately strict:

* dates and times stay strings (no YAML timestamps), so pydantic parses them and reports
  ``2025-02-30`` properly;
* booleans are only ``true`` and ``false``: ``no``, ``on``, ``yes`` stay words, so they are
  reported where a yes/no answer is expected instead of silently becoming booleans;
* integers are plain decimals: ``9:30`` is not the number 570 and ``012`` is not 10;
* duplicate keys are errors naming both lines; tabs used for indentation are reported;
* the file size and the number of aliases are bounded before anything is built, so an alias
  bomb ("billion laughs") is refused at once.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import yaml
from pydantic import ValidationError

from irp_cli.dates import unsupported
from irp_cli.errors import Finding, IrpError
from irp_cli.text import article, describe_char
from irp_cli.visitfile.messages import describe_validation_errors
from irp_cli.visitfile.models import PlanningStart, PreviousInspection, Visit
from irp_cli.visitfile.positions import child, key_position, locate, mark

MAX_BYTES = 1_000_000  # a visit file is a few kilobytes; anything near this is not one
MAX_ALIASES = 100
MAX_DEPTH = 50
MAX_VALUES = 100_000  # values after expanding aliases; a large visit file has a few hundred

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _INT_TAG, _BOOL = f"{_TAG}str", f"{_TAG}null", f"{_TAG}int", f"{_TAG}bool"
_MAP, _SEQ = f"{_TAG}map", f"{_TAG}seq"

_SCALAR_NODE, _MAPPING_NODE = yaml.ScalarNode, yaml.MappingNode
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader with YAML-1.2-like plain scalars: no timestamps, no yes/no, no sexagesimal."""

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
        """The tag of a node written without one, as PyYAML's resolver gives it (this loader
        has no path resolvers), in fewer steps: it is asked for every node of every file. A
        plain scalar's is looked up once per distinct text (keys and the common words repeat
        in every file); a quoted one is text; a list or a mapping is one."""
        if kind is not _SCALAR_NODE:
            return _MAP if kind is _MAPPING_NODE else _SEQ
        if not implicit[0]:
            return _STR
        tag = _PLAIN_TAGS.get(value)  # type: ignore[arg-type]
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_PLAIN_TAGS) < _PLAIN_TAGS_KEPT:
                _PLAIN_TAGS[value] = tag  # type: ignore[index]
        return tag

    # The composer tells the resolver where it is in the tree before and after each node, for
    # path resolvers; there are none here, so those two calls a node do nothing. They are two
    # C functions that take those arguments and return at once (the composer ignores what they
    # return): even an empty Python method costs a call frame, twice a node of every file.
    descend_resolver = operator.is_  # (parent, index) -> whether they are one object
    ascend_resolver = tuple  # () -> the empty tuple


#: The tag of each plain scalar text met so far (a pure function of the text: StrictLoader has
#: no path resolvers); bounded, so a folder of thousands of files does not grow it for ever.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_KEPT = 20_000


# A fresh table for this subclass only, so the global SafeLoader is left as it was.
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag.rsplit(":", 1)[-1] in ("null", "float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
#: An unquoted whole number of at most MAX_DIGITS digits is a number; a longer one stays text,
#: so that every reader of the node tree (the visit file, the population summary) can convert
#: an int node with int() without meeting Python's limit of 4,300 digits.
_SHORT_INT = re.compile(r"^[-+]?(?:0|[1-9](?:_?[0-9]){0,17})$")
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:int", _SHORT_INT, list("-+0123456789"))

#: A whole number in a visit file is a day number or a version: a few digits. Longer ones are
#: refused before Python converts them (it refuses over 4,300 digits with an exception).
MAX_DIGITS = 18


def _refuse(node: yaml.Node, problem: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


def _construct_int(loader: StrictLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if not _INT.fullmatch(text):
        raise _refuse(node, f"'{text}' is not a whole number")
    digits = text.lstrip("+-").replace("_", "")
    if len(digits) > MAX_DIGITS:
        raise _refuse(node, f"a number of {len(digits):,} digits is not a value in a visit file")
    return int(text.replace("_", ""))


def _guarded(
    construct: Callable[[StrictLoader, yaml.ScalarNode], object], kind: str
) -> Callable[[StrictLoader, yaml.ScalarNode], object]:
    """A scalar constructor whose failure on a bad value (``!!float abc``) is located."""

    def guarded(loader: StrictLoader, node: yaml.ScalarNode) -> object:
        try:
            return construct(loader, node)
        except (ValueError, KeyError, TypeError, OverflowError):
            raise _refuse(node, f"'{node.value}' is not {kind}") from None

    return guarded


def _construct_refused(loader: StrictLoader, node: yaml.Node) -> object:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    hint = " and write the date as YYYY-MM-DD" if tag == "!!timestamp" else ""
    raise _refuse(node, f"the tag '{tag}' is not used in visit files; remove it{hint}")


# Only the plain kinds of value are built. The tags YAML offers for others (timestamps, binary,
# sets, ordered maps, Python objects, custom '!tags') are refused at their place.
StrictLoader.yaml_constructors = {
    **{
        tag: construct
        for tag, construct in yaml.SafeLoader.yaml_constructors.items()
        if tag is not None and tag.rsplit(":", 1)[-1] in ("null", "str", "seq", "map")
    },
    "tag:yaml.org,2002:int": _construct_int,
    "tag:yaml.org,2002:float": _guarded(yaml.SafeLoader.construct_yaml_float, "a number"),
    "tag:yaml.org,2002:bool": _guarded(yaml.SafeLoader.construct_yaml_bool, "true or false"),
    None: _construct_refused,
}


class Parsed:
    """A visit file read and parsed, not yet validated: what even an unfinished file holds
    (``irp plan`` proposes dates from its previous inspection alone).

    Not changed once made (mypy holds its attributes final). Plain classes with slots, not
    frozen dataclasses: one is made for every file of a folder, and a frozen dataclass sets
    each field through ``object.__setattr__`` (and compiles its methods when the module loads).
    """

    __slots__ = ("data", "left", "name", "path", "root")

    def __init__(
        self,
        path: Path,
        name: str,
        root: yaml.Node,
        data: dict[str, Any],
        *,
        left: tuple[Finding, ...] | None = None,
    ) -> None:
        self.path: Final = path
        self.name: Final = name
        self.root: Final = root
        self.data: Final = data
        #: The placeholders left by ``irp init`` (:func:`placeholders`), when they were found
        #: while the data was built; None: not looked for yet.
        self.left: Final = left

    def locate(self, loc: Sequence[str | int]) -> tuple[int, int, str]:
        """Line, column (1-based) and display path of ``loc`` in this file."""
        return locate(self.root, loc)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r}, name={self.name!r})"


class VisitFile(Parsed):
    """A visit file read, parsed and validated: the model plus the node tree, for mapping
    locations later."""

    __slots__ = ("visit",)

    def __init__(
        self, path: Path, name: str, root: yaml.Node, data: dict[str, Any], visit: Visit
    ) -> None:
        super().__init__(path, name, root, data)
        self.visit: Final = visit


def display_name(path: Path) -> str:
    return str(path)


def _a(what: str) -> str:
    """'a visit file', 'an evidence file'."""
    return f"{'an' if what[:1] in 'aeiou' else 'a'} {what}"


def read_text(path: Path, *, what: str = "visit file") -> str:
    """The file's text, or an IrpError saying plainly why it cannot be read (``what`` names the
    kind of file in the messages)."""
    from irp_cli.files import read_bounded

    raw = read_bounded(path, limit=MAX_BYTES, what=_a(what))
    return decode(raw, display_name(path), what=what)


def decode(raw: bytes, name: str, *, what: str = "visit file") -> str:
    if b"\x00" in raw:
        raise IrpError.at(name, f"this is a binary file, not a YAML {what}", code="file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise IrpError.at(
            name,
            f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8 "
            "(in Notepad: Save As, Encoding: UTF-8)",
            code="encoding",
            line=line,
            col=col,
        ) from None
    return text


def _check_tabs(text: str, name: str) -> list[Finding]:
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            findings.append(
                Finding(
                    file=name,
                    severity="error",
                    code="yaml-tab",
                    message="a tab is used for indentation; YAML needs spaces",
                    line=number,
                    col=len(line) - len(stripped) + 1,
                )
            )
    return findings


def syntax_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    """A YAML syntax error in plain words, with the fix (the parser's own words follow in
    brackets, for anyone who knows YAML)."""
    problem = exc.problem or "not valid YAML"
    context = exc.context or ""
    raw = f"{problem} ({context})" if context else problem
    lines = text.splitlines()
    at = exc.problem_mark.line if exc.problem_mark else -1
    here = lines[at] if 0 <= at < len(lines) else ""
    plain: str | None = None
    col = exc.problem_mark.column if exc.problem_mark else -1
    opened = _unclosed_quote(lines[:at])
    if opened is not None:
        plain = (
            f"the quote opened on line {opened} is not closed: end that text with the same "
            "quote mark"
        )
    elif problem.startswith("mapping values are not allowed") and col == here.find(":"):
        plain = (
            "this line is indented differently from the lines above it: use exactly as many "
            "spaces as the other keys at its level"
        )
    elif problem.startswith("mapping values are not allowed"):
        key, _, value = here.strip().removeprefix("- ").partition(":")
        example = ""
        if key and value.strip():
            quoted = value.strip().replace("\\", "\\\\").replace('"', '\\"')
            example = f', e.g. {key.strip()}: "{quoted}"'
        plain = (
            "a colon followed by a space inside a value starts a new key; if this is text, "
            f"put the whole text in quotes{example}"
        )
    elif "could not find expected ':'" in problem:
        plain = (
            "this line is not 'key: value': add ': ' after the key, or put text that runs "
            "over several lines in quotes"
        )
    elif "quoted scalar" in context:
        plain = (
            'a quote opened here is not closed: end the text with the same quote mark; a " '
            "inside \"...\" is written \\\", a ' inside '...' is written ''"
        )
    elif "cannot start any token" in problem:
        plain = "a value cannot start with this character: put the whole value in quotes"
    elif any(f"flow {kind}" in context for kind in ("sequence", "mapping", "node")):
        plain = (
            "a list in [ ] (or a set in { }) is not closed, or a value in it needs quotes: "
            "write [2026-04-21, 2026-04-22] and put text with commas in quotes"
        )
    elif "expected <block end>" in problem or "did not find expected key" in problem:
        plain = (
            "the indentation does not line up: indent this line with spaces exactly like "
            "the other keys at its level (or the '- ' items of its list)"
        )
    elif "did not find expected '-' indicator" in problem:
        plain = "a list item must start with '- ' at the same indentation as the others"
    return f"{plain} ({raw})" if plain else raw


def _unclosed_quote(lines: list[str]) -> int | None:
    """The 1-based number of the last line before the error whose value opens a double
    quote that the line does not close (a common slip that YAML reports lines later)."""
    for number in range(len(lines), 0, -1):
        line = lines[number - 1]
        _, sep, value = line.partition(": ")
        value = value.strip() if sep else line.strip().removeprefix("- ").strip()
        if value.startswith('"') and value.replace('\\"', "").count('"') % 2 == 1:
            return number
    return None


def _unreadable_character(
    exc: yaml.reader.ReaderError, text: str, name: str, what: str
) -> IrpError:
    """A character YAML does not allow (a control character), at its line and column.
    PyYAML and libyaml count the position differently (characters or bytes), so the character
    itself is looked for."""
    char = chr(exc.character) if isinstance(exc.character, int) else ""
    at = text.find(char) if char else -1
    line = text.count("\n", 0, at) + 1 if at >= 0 else None
    col = at - text.rfind("\n", 0, at) if at >= 0 else None
    described = describe_char(char) if char else "a character"
    return IrpError.at(
        name,
        f"{described} is not allowed in {article(what)}; delete it (it often comes with text "
        "copied from another program)",
        code="yaml-syntax",
        line=line,
        col=col,
    )


def duplicate_key(name: str, key: yaml.Node, first: yaml.Node) -> Finding:
    """A key written twice in one mapping, at the second, naming the line of the first."""
    first_line, _ = mark(first)
    line, col = mark(key)
    return Finding(
        file=name,
        severity="error",
        code="duplicate-key",
        message=f"duplicate key '{key.value}' (first at line {first_line}); keep one of them",
        line=line,
        col=col,
    )


def compose(text: str, name: str, *, what: str = "visit file") -> yaml.Node:
    """The node tree of a single-document YAML text, checked for the traps listed above."""
    root, _aliased = _node_tree(text, name, what)
    duplicates: list[Finding] = []
    _walk(root, name, duplicates, depth=0, seen=set())
    if duplicates:
        raise IrpError(duplicates)
    return root


def _node_tree(text: str, name: str, what: str) -> tuple[yaml.MappingNode, bool]:
    """The node tree of ``text``, a mapping, with its size checked (not yet its keys); and
    whether the text may hold an alias."""
    empty = (
        "the file is empty; start from `irp init`" if what == "visit file" else "the file is empty"
    )
    if "\t" in text and (problems := _check_tabs(text, name)):
        raise IrpError(problems)
    if _only_comments(text):
        raise IrpError.at(name, empty, code="empty", line=1)
    # An alias is written '*name': a file with no '*' has none, and needs neither alias check
    # (the token pre-pass and the expansion count are a third of the time of a large folder).
    aliased = "*" in text
    if aliased:
        _count_aliases(text, name)
    loader = StrictLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        line, col = mark(exc.problem_mark) if exc.problem_mark else (None, None)
        raise IrpError.at(
            name, syntax_message(exc, text), code="yaml-syntax", line=line, col=col
        ) from None
    except yaml.reader.ReaderError as exc:
        raise _unreadable_character(exc, text, name, what) from None
    except yaml.YAMLError as exc:
        raise IrpError.at(name, f"not valid YAML: {exc}", code="yaml-syntax") from None
    except RecursionError:  # PyYAML's pure-Python composer (no libyaml) on deep nesting
        raise IrpError.at(name, "nested too deeply", code="yaml-depth") from None
    finally:
        loader.dispose()
    if root is None:
        raise IrpError.at(name, empty, code="empty", line=1)
    if not isinstance(root, yaml.MappingNode):
        line, col = mark(root)
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise IrpError.at(
            name,
            f"the file holds {kind}; {_a(what)} is a set of 'key: value' lines"
            + (" (see `irp init`)" if what == "visit file" else ""),
            code="not-a-mapping",
            line=line,
            col=col,
        )
    if aliased or len(text) >= MAX_VALUES // 2:  # short: too few values to bomb
        _check_expansion(root, name)
    return root, aliased


#: Where ``str.splitlines`` breaks a line (CR LF counts twice here: an empty line between).
_LINE_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def _only_comments(text: str) -> bool:
    """Whether every line of ``text`` is blank or a comment, looking no further than the first
    line that is neither (the second of a file ``irp init`` wrote): ``str.splitlines`` would
    split the whole file first."""
    start = 0
    for found in _LINE_BREAK.finditer(text):
        line = text[start : found.start()].lstrip()
        if line and not line.startswith("#"):
            return False
        start = found.end()
    rest = text[start:].lstrip()
    return not rest or rest.startswith("#")


def _count_aliases(text: str, name: str) -> None:
    """Refuse alias bombs from the token stream, before any node is built."""
    aliases = 0
    try:
        for token in yaml.scan(text, Loader=StrictLoader):
            if isinstance(token, yaml.AliasToken):
                aliases += 1
                if aliases > MAX_ALIASES:
                    line, col = mark(token)
                    raise IrpError.at(
                        name,
                        f"more than {MAX_ALIASES} aliases (*name); a visit file needs few or "
                        "none, so this file is refused",
                        code="yaml-aliases",
                        line=line,
                        col=col,
                    )
    except yaml.YAMLError:
        return  # syntax errors are reported, with their place, when composing


def _check_expansion(root: yaml.Node, name: str) -> None:
    """Refuse a tree whose aliases expand to more values than any visit file has.

    Sizes are counted once per distinct node, so this is quick even for an alias bomb.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if depth > MAX_DEPTH:
            line, col = mark(node)
            raise IrpError.at(name, "nested too deeply", code="yaml-depth", line=line, col=col)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item, depth + 1) for item in node.value)
        if total > MAX_VALUES:
            line, col = mark(node)
            raise IrpError.at(
                name,
                f"aliases (*name) here expand to more than {MAX_VALUES:,} values; "
                "this is not a visit file, so it is refused",
                code="yaml-aliases",
                line=line,
                col=col,
            )
        sizes[id(node)] = total
        return total

    size(root, 0)


def _walk(node: yaml.Node, name: str, out: list[Finding], depth: int, seen: set[int]) -> None:
    if id(node) in seen:  # an alias: its target was checked where it was defined
        return
    seen.add(id(node))
    if depth > MAX_DEPTH:
        line, col = mark(node)
        raise IrpError.at(name, "nested too deeply", code="yaml-depth", line=line, col=col)
    if isinstance(node, yaml.MappingNode):
        keys: dict[Any, yaml.Node] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value == "<<" and key.tag.endswith(":merge"):
                    pass
                elif key.value in keys:
                    out.append(duplicate_key(name, key, keys[key.value]))
                else:
                    keys[key.value] = key
            _walk(value, name, out, depth + 1, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(item, name, out, depth + 1, seen)


def construct(root: yaml.Node, name: str) -> dict[str, Any]:
    loader = StrictLoader("")
    try:
        data = loader.construct_document(root)
    except yaml.constructor.ConstructorError as exc:
        line, col = mark(exc.problem_mark) if exc.problem_mark else (None, None)
        raise IrpError.at(
            name, exc.problem or "cannot read this value", code="yaml-value", line=line, col=col
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):  # pragma: no cover - compose() checked the root
        raise IrpError.at(name, "a visit file is a set of 'key: value' lines", code="yaml")
    return data


def read_visit(path: Path) -> Parsed:
    """Read and parse one visit file (once: :class:`~irp_cli.review.session.Session` keeps the
    result for the run), or raise IrpError saying where it is not YAML irp accepts."""
    name = display_name(path)
    return parse_text(read_text(path), name, path)


def parse_text(text: str, name: str, path: Path | None = None) -> Parsed:
    root, data, left = compose_data(text, name)
    return Parsed(path=path or Path(name), name=name, root=root, data=data, left=left)


def compose_data(
    text: str, name: str, *, what: str = "visit file"
) -> tuple[yaml.MappingNode, dict[str, Any], tuple[Finding, ...] | None]:
    """What :func:`compose` then :func:`construct` give, and the placeholders in it (None when
    not looked for), with the same checks and the same messages.

    A text without aliases, holding only the plain kinds of value, is read in one walk over
    its nodes (:class:`_Plain`) that checks the keys and the depth, builds the data and finds
    the placeholders; anything else (an alias, a tag, a merge key, a value in error) goes
    through PyYAML's constructor as before, which reports what is wrong at its place."""
    root, aliased = _node_tree(text, name, what)
    if aliased:
        duplicates: list[Finding] = []
        _walk(root, name, duplicates, depth=0, seen=set())
        if duplicates:
            raise IrpError(duplicates)
        return root, construct(root, name), None
    walk = _Plain(name)
    data = walk.mapping(root, 0)
    if walk.duplicates:
        raise IrpError(walk.duplicates)
    if walk.other:
        return root, construct(root, name), None
    return root, data, tuple(walk.left)


_BOOLS: dict[str, bool] = yaml.constructor.SafeConstructor.bool_values


class _Plain:
    """One walk over an alias-free node tree doing what :func:`_walk`, :func:`construct` and
    :func:`placeholders` do in three: duplicate keys and depth checked (the same findings, in
    the same order), the data built as the constructor builds it, placeholders found.

    A node the walk does not build the way the constructor would (a float, a merge key, a
    tag for any other kind, a value the constructor refuses) sets ``other``: the data is then
    built by :func:`construct` instead, so that what it builds and what it says stay PyYAML's.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.duplicates: list[Finding] = []
        self.left: list[Finding] = []
        self.other = False
        self.parts: list[str | int] = []  # where the walk is, for placeholders' messages

    def value(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            line, col = mark(node)
            raise IrpError.at(self.name, "nested too deeply", code="yaml-depth", line=line, col=col)
        if isinstance(node, _SCALAR_NODE):
            if node.tag == _STR:
                text: str = node.value
                if "[" in text or PLACEHOLDER_CODE in text:
                    self._placeholder(node, text.strip())
                return text
            return self.scalar(node)
        if isinstance(node, _MAPPING_NODE):
            return self.mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.other = True
            items = []
            parts = self.parts
            for n, item in enumerate(node.value):
                parts.append(n)
                items.append(self.value(item, depth + 1))
                parts.pop()
            return items
        self.other = True  # pragma: no cover - the composer makes no other kind of node
        return None

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        if depth > MAX_DEPTH:
            line, col = mark(node)
            raise IrpError.at(self.name, "nested too deeply", code="yaml-depth", line=line, col=col)
        if node.tag != _MAP:
            self.other = True
        keys: dict[Any, yaml.Node] = {}
        built: dict[Any, Any] = {}
        parts = self.parts
        inline = depth < MAX_DEPTH  # a text value here is not too deep: built in this loop
        for key, value in node.value:
            if isinstance(key, _SCALAR_NODE):
                text = key.value  # a scalar's value is its text, whatever its tag
                if text == "<<" and key.tag.endswith(":merge"):
                    self.other = True
                elif text in keys:
                    self._duplicate(key, keys[text])
                else:
                    keys[text] = key
                name = text if key.tag == _STR else self.scalar(key)
                parts.append(text)
            else:  # a list or mapping as a key: the constructor refuses it, at its place
                self.other = True
                name = None
                parts.append("?")
            if inline and value.tag == _STR and isinstance(value, _SCALAR_NODE):
                words: str = value.value  # most values: text, as value() builds it
                if "[" in words or PLACEHOLDER_CODE in words:
                    self._placeholder(value, words.strip())
                built[name] = words
            else:
                built[name] = self.value(value, depth + 1)
            parts.pop()
        return built

    def scalar(self, node: yaml.ScalarNode) -> Any:
        """A scalar that is not text, as the constructor builds it."""
        tag, text = node.tag, node.value
        if tag == _NULL:
            return None
        if tag == _INT_TAG:
            if _INT.fullmatch(text) and len(text.lstrip("+-").replace("_", "")) <= MAX_DIGITS:
                return int(text.replace("_", ""))
        elif tag == _BOOL:
            answer = _BOOLS.get(text.lower())
            if answer is not None:
                return answer
        elif tag == _STR:
            return text
        self.other = True
        return None

    def _duplicate(self, key: yaml.Node, first: yaml.Node) -> None:
        self.duplicates.append(duplicate_key(self.name, key, first))

    def _placeholder(self, node: yaml.Node, value: str) -> None:
        if "[" in value and _PLACEHOLDER.fullmatch(value):
            message = f"{value} is a placeholder left by 'irp init': replace it"
            self.left.append(_placeholder(self.name, node, _path(tuple(self.parts)), message))
        elif value == PLACEHOLDER_CODE and self.parts == ["establishment", "code"]:
            self.left.append(_placeholder(self.name, node, "establishment.code", _CODE_LEFT))


def validate(parsed: Parsed) -> VisitFile:
    """The visit in a parsed file, or IrpError with every problem found, each at its place
    (the placeholders left by ``irp init`` included)."""
    left = list(parsed.left) if parsed.left is not None else placeholders(parsed.root, parsed.name)
    try:
        visit = Visit.model_validate(parsed.data)
    except ValidationError as exc:
        if (other := other_kind_of_file(parsed)) is not None:
            raise IrpError([other]) from None
        found = describe_validation_errors(exc, parsed.root, parsed.name) + left
        raise IrpError(sorted(found, key=lambda f: (f.line or 0, f.col or 0))) from None
    if gaps := visit.planning_gaps():
        left += [_gap(parsed, loc, message) for loc, message in gaps]
    if left:
        raise IrpError(sorted(left, key=lambda f: (f.line or 0, f.col or 0)))
    return VisitFile(parsed.path, parsed.name, parsed.root, parsed.data, visit)


#: The folder beside a visit file that holds its evidence files (docs/visit-file.md).
EVIDENCE_FOLDER_SUFFIX = ".evidence"
#: The endings of a visit file's name, and of an evidence file's.
YAML_SUFFIXES = (".yaml", ".yml")


def evidence_folder(visit_path: Path) -> Path:
    """Where the evidence files of a visit file are: ``<name>.evidence/`` beside it."""
    return visit_path.with_name(visit_path.stem + EVIDENCE_FOLDER_SUFFIX)


def evidence_files(visit_path: Path) -> list[Path]:
    """The visit's evidence files, sorted; hidden files (editors' backups) are left out."""
    folder = evidence_folder(visit_path)
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in YAML_SUFFIXES and p.is_file() and not p.name.startswith(".")
    )


#: Top-level keys of a prisoner population summary (``irp population check``).
_SUMMARY_KEYS = frozenset({"sentence", "nationality", "data_refreshed"})
_VISIT_KEYS = frozenset({"schema_version", "previous_inspection", "visit"})


def other_kind_of_file(parsed: Parsed) -> Finding | None:
    """One line naming the right command for a file of another kind given where a visit file
    is expected (an evidence file, a population summary), instead of a line for every key a
    visit file has and it lacks. Only for a file that is not a valid visit file."""
    folder = parsed.path.parent.name
    if folder.endswith(EVIDENCE_FOLDER_SUFFIX):
        visit = folder.removesuffix(EVIDENCE_FOLDER_SUFFIX)
        message = (
            f"this is an evidence file, not a visit file: give the visit file '{visit}.yaml' "
            "beside its folder instead (its checks include its evidence files)"
        )
    elif _SUMMARY_KEYS & parsed.data.keys() and not _VISIT_KEYS & parsed.data.keys():
        message = (
            "this is a prisoner population summary, not a visit file: check it with "
            f"'irp population check {parsed.name}'"
        )
    else:
        return None
    return Finding(parsed.name, "error", "not-a-visit-file", message, 1, 1)


def _gap(parsed: Parsed, loc: tuple[str | int, ...], message: str) -> Finding:
    """Something only a past record may leave out: at the key when it is there (an empty list,
    an 'unknown'), else at the section that lacks it, as for any missing key."""
    line, col, path = locate(parsed.root, loc)
    node: yaml.Node | None = parsed.root
    for part in loc:
        node = child(node, part) if node is not None else None
    if node is None and len(loc) > 1:
        position = key_position(parsed.root, loc[:-1])
        if position is not None:
            line, col = position
    code = "unknown-not-allowed" if message.startswith("'unknown'") else "missing-key"
    return Finding(parsed.name, "error", code, message, line, col, loc=path)


def load_visit(path: Path) -> VisitFile:
    """Read, parse and validate one visit file, or raise IrpError with every problem found."""
    return validate(read_visit(path))


#: A value in square brackets is one of ``irp init``'s placeholders ("[Governor's name]").
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]+\]")
#: The starter's establishment code, which must be three capital letters to be read at all.
PLACEHOLDER_CODE = "XXX"


def placeholders(root: yaml.Node, name: str) -> list[Finding]:
    """Every placeholder left from the starter file, at its line: a text value that is
    wholly in square brackets, and the establishment code ``XXX``. A file that still holds
    one is not a real visit, so every command that reads it refuses it."""
    found: list[Finding] = []

    def report(node: yaml.Node, path: str, message: str) -> None:
        found.append(_placeholder(name, node, path, message))

    def walk(node: yaml.Node, parts: tuple[str | int, ...], seen: set[int]) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                part = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                walk(value, (*parts, part), seen)
        elif isinstance(node, yaml.SequenceNode):
            for n, item in enumerate(node.value):
                walk(item, (*parts, n), seen)
        elif isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str"):
            value = str(node.value).strip()
            if "[" in value and _PLACEHOLDER.fullmatch(value):
                message = f"{value} is a placeholder left by 'irp init': replace it"
                report(node, _path(parts), message)
            elif value == PLACEHOLDER_CODE and parts == ("establishment", "code"):
                report(node, "establishment.code", _CODE_LEFT)

    walk(root, (), set())
    return found


_CODE_LEFT = (
    f"{PLACEHOLDER_CODE} is a placeholder left by 'irp init': write the establishment's "
    "three-letter NOMIS code, e.g. ASH"
)


def _placeholder(name: str, node: yaml.Node, path: str, message: str) -> Finding:
    line, col = mark(node)
    return Finding(name, "error", "placeholder", message, line=line, col=col, loc=path)


def _path(parts: tuple[str | int, ...]) -> str:
    """``team[2].role``: the display form of a loc (only built when a problem is reported)."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")


def parse_visit(text: str, name: str, path: Path | None = None) -> VisitFile:
    return validate(parse_text(text, name, path))


def previous_inspection(parsed: Parsed) -> tuple[PreviousInspection, str]:
    """Only what ``irp plan --suggest`` needs: the previous inspection, and the establishment's
    name if it is there (else the file's). The rest of the file may be unfinished."""
    try:
        planning = PlanningStart.model_validate(parsed.data)
    except ValidationError as exc:
        raise IrpError(describe_validation_errors(exc, parsed.root, parsed.name)) from None
    prev = planning.previous_inspection
    if problem := unsupported(prev.last_day):
        line, col, loc = parsed.locate(("previous_inspection", "last_day"))
        finding = Finding(parsed.name, "error", "out-of-range", problem, line, col, loc=loc)
        raise IrpError([finding])
    establishment = parsed.data.get("establishment")
    label = parsed.name
    if isinstance(establishment, dict) and isinstance(establishment.get("name"), str):
        label = establishment["name"]
    return prev, label
