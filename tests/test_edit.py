"""The comment-keeping text editor behind `irp evidence add` and `irp judge`
(irp_cli/visitfile/edit.py): each edit changes only its own lines."""

from __future__ import annotations

import datetime

import pytest

from irp_cli.errors import IrpError
from irp_cli.visitfile.edit import TextEditor
from irp_cli.visitfile.loader import compose
from irp_cli.visitfile.positions import child


def edited(text: str, *path: str | int, **kw: object) -> str:
    """Apply one set (``value=``) or append (``item=``) at the mapping ``path`` names."""
    root = compose(text, "t.yaml")
    node = root
    for part in path:
        found = child(node, part)
        assert found is not None, part
        node = found
    editor = TextEditor(text, root, "t.yaml")
    key = str(kw.pop("key"))
    if "item" in kw:
        editor.append(node, key, kw["item"])  # type: ignore[arg-type]
    else:
        editor.set(node, key, kw["value"])  # type: ignore[arg-type]
    return editor.result()


LIST = (
    "a: 1  # one\nitems:\n  - id: x   # first\n    n: 1\n\n  # between\n  - id: y\n    n: 2\nz: 3\n"
)


@pytest.mark.parametrize(
    ("path", "kw", "expected"),
    [
        # a new key goes after the mapping's last line, at its keys' column
        (("items", 0), {"key": "m", "value": "new"},
         LIST.replace("    n: 1\n", "    n: 1\n    m: new\n")),
        # a key that is there is replaced where it stands; a first key keeps its '- '
        (("items", 1), {"key": "id", "value": "w"}, LIST.replace("  - id: y\n", "  - id: w\n")),
        # a nested mapping and a list are written in block style
        ((), {"key": "b", "value": {"c": [{"d": datetime.date(2026, 6, 9), "e": True}]}},
         LIST + "b:\n  c:\n    - d: 2026-06-09\n      e: true\n"),
        # an item added after the last one, at the list's dash column
        ((), {"key": "items", "item": {"id": "v"}},
         LIST.replace("    n: 2\n", "    n: 2\n  - id: v\n")),
        # text that YAML would misread is quoted
        ((), {"key": "q", "value": "yes: no"}, LIST + 'q: "yes: no"\n'),
    ],
)  # fmt: skip
def test_edits_change_only_their_own_lines(
    path: tuple[str | int, ...], kw: dict[str, object], expected: str
) -> None:
    assert edited(LIST, *path, **kw) == expected


def test_an_empty_flow_list_becomes_a_block_list() -> None:
    text = "c:\n  evidence: []   # none yet\n  k: 1\n"
    assert edited(text, "c", key="evidence", item={"s": "x"}) == (
        "c:\n  evidence:\n    - s: x\n  k: 1\n"
    )


def test_a_mapping_on_one_line_is_refused_with_its_place() -> None:
    text = "items:\n  - {id: x, n: 1}\n"
    with pytest.raises(IrpError) as caught:
        edited(text, "items", 0, key="m", value="v")
    [finding] = caught.value.findings
    assert (finding.line, finding.col) == (2, 5)
    assert "written on one line" in finding.message


def test_crlf_and_a_missing_final_newline_are_kept() -> None:
    text = "a: 1\r\nb:\r\n  c: 2"
    assert edited(text, "b", key="d", value="e") == "a: 1\r\nb:\r\n  c: 2\r\n  d: e\r\n"


def test_two_edits_at_one_place_keep_their_order() -> None:
    text = "a:\n  b: 1\nz: 2\n"
    root = compose(text, "t.yaml")
    node = child(root, "a")
    assert node is not None
    editor = TextEditor(text, root, "t.yaml")
    editor.set(node, "first", "1")
    editor.set(node, "second", "2")
    assert editor.result() == "a:\n  b: 1\n  first: '1'\n  second: '2'\nz: 2\n".replace("'", '"')
