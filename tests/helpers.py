"""Small helpers shared by the tests: the one module tests import from (never from another
test module or from conftest.py, which holds only fixtures; tests/test_layers.py checks).

Golden files live under ``tests/golden/``. When an output changes on purpose, regenerate them
and review the diff before committing::

    IRP_UPDATE_GOLDEN=1 python -m pytest tests/test_render.py
"""

from __future__ import annotations

import copy
import difflib
import io
import os
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import yaml
from docx.oxml.ns import qn

from irp_cli.documents import context as documents
from irp_cli.documents import render
from irp_cli.documents.recipients import Recipient
from irp_cli.review.session import Loaded, Session
from irp_cli.visitfile.config import Config

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE_VARIABLE = "IRP_UPDATE_GOLDEN"


def text_diff(expected: str, actual: str, expected_name: str, actual_name: str) -> str:
    """A unified diff of two texts, for a failing comparison's message."""
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=expected_name,
        tofile=actual_name,
    )
    return "".join(lines)


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
        diff = text_diff(golden_text, actual, f"golden/{name}", "actual")
        raise AssertionError(f"output differs from golden/{name} ({hint}):\n{diff}")
    if golden != actual:
        raise AssertionError(
            f"output differs from golden/{name}: {len(golden)} bytes expected, "
            f"{len(actual)} bytes actual ({hint})"
        )


# --------------------------------------------------------------------------------------------
# The examples and visit data

#: "Today" for a command run without --today or --date in a test (conftest.py fixes the
#: clock): inside HMP Ashcombe's letter window, before its visit.
TEST_TODAY = date(2026, 2, 10)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def read_in_steps(text: str) -> tuple[str, ...]:
    """What the loader's three steps (compose, construct, then placeholders) make of ``text``:
    the data (its repr, so that 1, True and '1' differ) and the placeholders, or the findings
    that stop it."""
    from irp_cli.errors import IrpError
    from irp_cli.visitfile.loader import compose, construct, placeholders

    try:
        root = compose(text, "v.yaml")
        data = construct(root, "v.yaml")
    except IrpError as exc:
        return ("refused", *(f.format() for f in exc.findings))
    return ("read", repr(data), *(f.format() for f in placeholders(root, "v.yaml")))


def read_in_one_walk(text: str) -> tuple[str, ...]:
    """The same from the loader's one walk (``compose_data``), for comparing with the above."""
    from irp_cli.errors import IrpError
    from irp_cli.visitfile.loader import compose_data, placeholders

    try:
        root, data, left = compose_data(text, "v.yaml")
    except IrpError as exc:
        return ("refused", *(f.format() for f in exc.findings))
    found = placeholders(root, "v.yaml") if left is None else list(left)
    return ("read", repr(data), *(f.format() for f in found))


def example_data(name: str = "hmp-ashcombe") -> dict[str, Any]:
    """A deep copy of an example visit file's data, to change in one place for a test."""
    data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    return copy.deepcopy(data)  # type: ignore[no-any-return]


def dump(data: dict[str, Any]) -> str:
    """YAML text for ``data`` with dates written as plain YYYY-MM-DD."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# --------------------------------------------------------------------------------------------
# Documents of the examples

HOUSE = Path(__file__).parent / "fixtures" / "house" / "irp.toml"

#: A fixed letter date per example, inside each visit's letter window (guide 2.6).
DATES = {
    "hmp-ashcombe": date(2026, 2, 10),
    "hmp-glanmorfa": date(2026, 3, 30),
    "hmyoi-thornbeck": date(2025, 12, 16),
}

#: Every document checked against golden files: (example, document, --to).
CASES = [
    *[(name, "letter", Recipient.GOVERNOR) for name in DATES],
    ("hmp-ashcombe", "letter", Recipient.IMB),
    ("hmp-ashcombe", "letter", Recipient.CQC),
    ("hmp-ashcombe", "letter", Recipient.OFSTED),
    ("hmp-glanmorfa", "letter", Recipient.ESTYN),
    *[(name, kind, None) for name in DATES for kind in ("proforma", "returns", "liaison")],
]


def load(name: str) -> Loaded:
    return Session(HOUSE).load(EXAMPLES / f"{name}.yaml", strict=True)


def build(loaded: Loaded, kind: str, to: Recipient | None = None, **kw: Any) -> documents.Document:
    visit, config, cal = loaded.doc.visit, loaded.config, loaded.calendar
    day = kw.pop("letter_date", DATES.get(loaded.doc.path.stem, date(2026, 2, 2)))
    timeline = loaded.timeline
    if kind in documents.SIMPLE_DOCUMENTS:
        return documents.simple_document(kind, visit, config, timeline, cal, letter_date=day)
    extra = {"to": to} if to is not None else {}
    return documents.letter(visit, config, timeline, cal, letter_date=day, **extra, **kw)


def render_as(document: documents.Document, fmt: render.Format, config: Config, **kw: Any) -> Any:
    return render.render_document(
        document.template,
        document.context,
        fmt,
        title=document.title,
        marking=config.house.marking,
        timestamp=datetime(2026, 1, 1),
        **kw,
    )


def case_id(case: tuple[str, str, Recipient | None]) -> str:
    name, kind, to = case
    return f"{name}-{kind}" + (f"-{to.value}" if to not in (None, Recipient.GOVERNOR) else "")


# --------------------------------------------------------------------------------------------
# Reading what was rendered


def docx_dump(data: bytes) -> str:
    """A readable structural dump of a .docx: styles, runs, lists, tables, header and footer."""
    document: Any = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    props = document.core_properties
    lines.append(f"title: {props.title!r}; author: {props.author!r}; revision: {props.revision}")
    lines.append(f"created: {props.created}; modified: {props.modified}")
    section = document.sections[0]
    lines.append(f"page: {section.page_width.mm:.0f} x {section.page_height.mm:.0f} mm")
    lines.append(f"header: {section.header.paragraphs[0].text!r}")
    lines.append(f"footer: {' / '.join(_with_fields(p) for p in section.footer.paragraphs)!r}")
    numbering: dict[str, int] = {}
    block: Any
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            repeat = block.rows[0]._tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None
            whole = all(row._tr.xpath("./w:trPr/w:cantSplit") for row in block.rows)
            together = all(  # every row but the last kept with the next: on one page
                p.paragraph_format.keep_with_next
                for row in block.rows[:-1]
                for cell in row.cells
                for p in cell.paragraphs
            )
            widths = ", ".join(f"{column.width.mm:.0f}" for column in block.columns)
            lines.append(
                f"[table {getattr(block.style, 'name', None)}; header row repeats: {repeat}; "
                f"rows kept whole: {whole}; on one page: {together}; widths (mm): {widths}]"
            )
            for row in block.rows:
                lines.append("  | " + " | ".join(_runs(c.paragraphs[0]) for c in row.cells) + " |")
            continue
        num_ids = block._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        number = ""
        if num_ids:
            number = f" (list {numbering.setdefault(num_ids[0], len(numbering) + 1)})"
        if block._p.xpath(".//w:br[@w:type='page']"):
            lines.append("[page break]")
            continue
        layout = block.paragraph_format
        kept = " [kept with next]" if layout.keep_with_next else ""
        if layout.space_before is not None:
            kept += f" [{layout.space_before.pt:.0f}pt above]"
        lines.append(f"{block.style.name}{number}{kept}: {_runs(block)}")
    return "\n".join(lines) + "\n"


def _with_fields(paragraph: Any) -> str:
    """A paragraph's text with each Word field shown as {NAME} instead of its last result."""
    out, in_result = [], False
    for run in paragraph._p.xpath("./w:r"):
        for child in run:
            if child.tag == qn("w:fldChar"):
                in_result = child.get(qn("w:fldCharType")) == "separate"
            elif child.tag == qn("w:instrText"):
                out.append("{" + (child.text or "").strip() + "}")
            elif child.tag == qn("w:t") and not in_result:
                out.append(child.text or "")
    return "".join(out)


def _runs(paragraph: Any) -> str:
    out = []
    for run in paragraph.runs:
        text = run.text
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    return parser


def proforma_context(path: Path = EXAMPLES / "hmp-ashcombe.yaml") -> dict[str, Any]:
    """The pro forma's context for an example, dated 10 February 2026."""
    loaded: Loaded = Session().load(path, strict=True)
    visit, config, cal = loaded.doc.visit, loaded.config, loaded.calendar
    day = date(2026, 2, 10)
    return documents.simple_document(
        "proforma", visit, config, loaded.timeline, cal, letter_date=day
    ).context


def _png() -> bytes:
    """A 2x2 red PNG, the letterhead's 'logo'."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def letterhead(tmp_path: Path) -> Path:
    """An office's letterhead as Word saves one: its own fonts and margins, a logo and a
    line in the header, an address in the footer, some text, and only the styles it used."""
    from docx.shared import Mm

    document: Any = docx.Document()
    for name in ("List Bullet", "List Number", "Table Grid", "Heading 2", "Quote"):
        element = document.styles[name].element
        element.getparent().remove(element)
    document.styles["Normal"].font.name = "Georgia"
    section = document.sections[0]
    section.left_margin = Mm(30)
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png())
    header = section.header.paragraphs[0]
    header.add_run().add_picture(str(logo), width=Mm(20))
    header.add_run("Ministry of Examples")
    section.footer.paragraphs[0].text = "1 Example Street, London"
    document.add_paragraph("Delete me: the letterhead's own text")
    path = tmp_path / "letterhead.docx"
    document.save(str(path))
    return path
