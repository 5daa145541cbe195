"""What people receive, printed: every Word document rendered through LibreOffice (where it is
installed; the tests are skipped, not passed, where it is not) and read back page by page.

The same properties are checked in the XML by test_render.py; this checks that an office suite
honours them: "Page N of M" on every page, no heading left at the foot of a page, and a letter's
sign-off on the same page as the name under it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from helpers import CASES, build, case_id, load, render_as

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None or PDFTOTEXT is None, reason="LibreOffice or pdftotext not installed"
    ),
]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, list[str]]]:
    """Each case's Word document and the text of each of its printed pages."""
    folder = tmp_path_factory.mktemp("print")
    documents = {}
    assert PDFTOTEXT is not None
    for case in CASES:
        name, kind, to = case
        loaded = load(name)
        data = render_as(build(loaded, kind, to), "docx", loaded.config)
        (folder / f"{case_id(case)}.docx").write_bytes(data)
        documents[case_id(case)] = docx.Document(io.BytesIO(data))
    to_pdf(folder, sorted(folder.glob("*.docx")))
    pages = {}
    for stem, document in documents.items():
        pdf = folder / f"{stem}.pdf"
        text = subprocess.run(
            [PDFTOTEXT, str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        pages[stem] = (document, [p for p in text.split("\f") if p.strip()])
    return pages


def to_pdf(folder: Path, files: list[Path]) -> None:
    """Print ``files`` to PDF in ``folder``, with a LibreOffice profile of their own (another
    LibreOffice may be running on the machine)."""
    assert SOFFICE is not None
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    command = [SOFFICE, profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
    subprocess.run([*command, *map(str, files)], check=True, capture_output=True, timeout=240)


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


@pytest.mark.parametrize("case", [case_id(c) for c in CASES])
def test_every_page_is_numbered_and_marked(
    printed: dict[str, tuple[Any, list[str]]], case: str
) -> None:
    _, pages = printed[case]
    for number, page in enumerate(pages, start=1):
        lines = _lines(page)
        assert f"Page {number} of {len(pages)}" in lines, lines[-3:]
        assert lines[0] == "OFFICIAL-SENSITIVE"


@pytest.mark.parametrize("case", [case_id(c) for c in CASES])
def test_no_heading_ends_a_page_and_the_sign_off_stays_with_the_name(
    printed: dict[str, tuple[Any, list[str]]], case: str
) -> None:
    document, pages = printed[case]
    headings = {p.text for p in document.paragraphs if p.style.name.startswith("Heading")}
    for page in pages[:-1]:
        body = [line for line in _lines(page) if line != "OFFICIAL-SENSITIVE"]
        last = [line for line in body if not line.startswith("Page ")][-1]
        assert not any(h.endswith(last) for h in headings), f"a heading ends a page: {last}"
    signed = [n for n, page in enumerate(pages) if "Yours sincerely," in page]
    if "letter" in case:
        assert len(signed) == 1
        assert "HM Chief Inspector of Prisons" in pages[signed[0]]


def test_a_long_table_repeats_its_header_and_keeps_rows_whole(tmp_path: Path) -> None:
    """Forty long rows: each page after the first starts with the header row again, and no
    row's text is split over two pages."""
    from irp_cli.documents import render

    rows = "\n".join(
        f"| R{n} | {'Leaders did not make sure that prisoners were allocated well. ' * 3}"
        f"End of row {n}. |"
        for n in range(40)
    )
    markdown = f"# Long table\n\n| No. | Concern |\n| --- | --- |\n{rows}\n"
    data = render.to_docx(markdown, title="t", marking="OFFICIAL")
    (tmp_path / "long.docx").write_bytes(data)
    to_pdf(tmp_path, [tmp_path / "long.docx"])
    assert PDFTOTEXT is not None
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(tmp_path / "long.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) > 2
    for number, page in enumerate(pages):
        lines = _lines(page)[2 if number == 0 else 1 :]  # the marking, and the heading
        assert re.fullmatch(r"No\.\s+Concern", lines[0]), lines[:3]
        starts = sum(bool(re.match(r"R\d+\s", line)) for line in lines)
        assert starts == page.count("End of row")


def test_a_workbook_of_17_long_concerns_prints_readably(tmp_path: Path) -> None:
    """Each row's words stay inside it: every concern's text is printed line after line, none
    over the row below, one page wide, the marking on every page, the About sheet on one."""
    from helpers import EXAMPLES, proforma_context

    from irp_cli.documents import proforma

    long = "Too many prisoners were locked in their cells for more than 22 hours a day, " * 2
    concerns = "".join(
        f"  - id: C{n}\n    text: {long}Row {n} ends here.\n    area: safety\n"
        "    kind: key\n    hmpps_response: accepted\n"
        for n in range(1, 18)
    )
    text = (EXAMPLES / "hmp-ashcombe.yaml").read_text(encoding="utf-8")
    start, end = text.index("concerns:\n"), text.index("\npartner_themes:")
    visit = tmp_path / "v.yaml"
    visit.write_text(text[:start] + "concerns:\n" + concerns + text[end:], encoding="utf-8")
    (tmp_path / "w.xlsx").write_bytes(
        proforma.workbook_bytes(proforma_context(visit), title="Pro forma", marking="OFFICIAL")
    )
    to_pdf(tmp_path, [tmp_path / "w.xlsx"])
    assert PDFTOTEXT is not None
    out = subprocess.run(
        [PDFTOTEXT, "-layout", str(tmp_path / "w.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = [p for p in out.split("\f") if p.strip()]
    for page in pages:
        lines = _lines(page)
        assert lines[0] == "OFFICIAL" and lines[-1].startswith("OFFICIAL")
    assert "Establishment" in pages[-1] and "Marking" in pages[-1]  # About: one page
    body = "\n".join(pages[:-1])
    # Overprinted rows would run two rows' words into one line, out of order.
    numbers = [int(m) for m in re.findall(r"Row (\d+) ends here", body)]
    assert numbers == list(range(1, 18))
    assert all(body.count(f"C{n} ") >= 1 for n in range(1, 18))


def test_a_letter_on_the_office_letterhead_prints_its_header_on_every_page(
    tmp_path: Path,
) -> None:
    from helpers import letterhead

    loaded = load("hmp-ashcombe")
    data = render_as(
        build(loaded, "letter"), "docx", loaded.config, letterhead=letterhead(tmp_path)
    )
    (tmp_path / "letter.docx").write_bytes(data)
    to_pdf(tmp_path, [tmp_path / "letter.docx"])
    assert PDFTOTEXT is not None
    text = subprocess.run(
        [PDFTOTEXT, str(tmp_path / "letter.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        lines = _lines(page)
        for expected in ("Ministry of Examples", "1 Example Street, London", "OFFICIAL-SENSITIVE"):
            assert expected in lines
        assert f"Page {number} of {len(pages)}" in lines


def test_a_heading_its_introduction_and_a_short_table_move_to_the_next_page_together(
    tmp_path: Path,
) -> None:
    """The heading, the paragraph that introduces the table and the whole (short) table are
    printed on one page, wherever the page would otherwise break: the text before them is
    made a little longer each time, so that the break falls at each point in turn."""
    from irp_cli.documents import render

    filler = "Leaders had made progress on the plan, and staff said so to the team. " * 3
    files = []
    for n in range(38, 50):
        body = "\n\n".join(f"Paragraph {i}. " + filler[: 120 + (i * 7) % 90] for i in range(n))
        rows = "\n".join(f"| R{k} | Row {k} of the table, in a few words. |" for k in range(1, 6))
        markdown = (
            f"# Title\n\n{body}\n\n## The heading\n\nThe introduction.\n\n"
            f"| No. | Concern |\n| --- | --- |\n{rows}\n\nAfter the table.\n"
        )
        files.append(tmp_path / f"flow{n}.docx")
        files[-1].write_bytes(render.to_docx(markdown, title="t", marking="OFFICIAL"))
    to_pdf(tmp_path, files)
    assert PDFTOTEXT is not None
    for path in files:
        text = subprocess.run(
            [PDFTOTEXT, str(path.with_suffix(".pdf")), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        pages = text.split("\f")
        [page] = [p for p in pages if "The heading" in p]
        for line in ("The introduction.", "No.", "Row 1 of", "Row 5 of"):
            assert line in page, f"{path.name}: '{line}' is not on the heading's page"
