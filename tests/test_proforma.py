"""The pro forma of guide 2.9 as a workbook and CSV file, and reading the filled one back into
the visit file without disturbing anything else in it."""

from __future__ import annotations

import difflib
import io
import itertools
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import EXAMPLES, assert_golden, proforma_context

from irp_cli.documents import proforma
from irp_cli.documents.proforma import (
    Row,
    import_proforma,
    plan_import,
    read_filled,
    splice_managers,
)
from irp_cli.errors import IrpError
from irp_cli.visitfile import edit
from irp_cli.visitfile.loader import parse_visit
from irp_cli.visitfile.models import Person

ASHCOMBE = EXAMPLES / "hmp-ashcombe.yaml"


def workbook(path: Path = ASHCOMBE) -> bytes:
    return proforma.workbook_bytes(
        proforma_context(path), title="Pro forma", marking="OFFICIAL-SENSITIVE"
    )


# --------------------------------------------------------------------------------------------
# Writing


def test_workbook_reads_back_with_header_rows_and_protection(tmp_path: Path) -> None:
    path = tmp_path / "proforma.xlsx"
    path.write_bytes(workbook())
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Pro forma", "About"]
    sheet = book["Pro forma"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    top = proforma.HEADER_ROW - 1  # the title block is above the table
    assert rows[top] == ["No.", "Concern", "Manager's name", "Job title", "Email"]
    assert [r[0] for r in rows[top + 1 :]] == ["P1", "P2", "P3", "K1", "K2"]  # followed up only
    assert (
        rows[top + 2][1]
        == "Use of force was not always justified, proportionate or properly reviewed."
    )
    assert all(r[2:] == [None, None, None] for r in rows[top + 1 :])
    assert sheet.freeze_panes == "A7"
    assert sheet.protection.sheet is True
    assert sheet["A7"].protection.locked and sheet["B11"].protection.locked
    assert not sheet["C7"].protection.locked and not sheet["E11"].protection.locked
    assert sheet["A7"].fill.fgColor.rgb.endswith("F3F2F1")  # locked cells are shaded
    assert sheet["B7"].alignment.wrap_text and sheet["C7"].alignment.wrap_text
    assert sheet["A6"].font.bold
    assert [sheet.column_dimensions[c].width for c in "ABCDE"] == [8, 70, 28, 28, 36]
    assert sheet.print_title_rows == "$6:$6"
    assert sheet.oddHeader is not None
    assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE"
    about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
    assert about["Return by"] == "Tuesday 14 April 2026"
    assert about["Return to"] == "Tomasz Keel (tomasz.keel@inspectorate.example.org)"
    assert book.properties.title == "Pro forma"
    assert book.properties.creator in (None, "")


def test_the_pro_forma_sheet_says_what_it_is_on_its_own() -> None:
    """Printed or forwarded without the About sheet, it still names the establishment, the
    visit, the reference, the date it is due back and to whom, and how to fill it in."""
    sheet = openpyxl.load_workbook(io.BytesIO(workbook()))["Pro forma"]
    block = " ".join(str(sheet.cell(row=r, column=1).value or "") for r in range(1, 6))
    for expected in (
        "Pro forma",
        "HMP Ashcombe",
        "Tuesday 21 to Thursday 23 April 2026",
        "IRP/ASH/2026",
        "Please return by Tuesday 14 April 2026 to Tomasz Keel",
        "type the name, job title and email address",
        "paragraph 2.9",
    ):
        assert expected in block
    assert "A1:E1" in {str(r) for r in sheet.merged_cells.ranges}
    for name in ("Pro forma", "About"):
        part = openpyxl.load_workbook(io.BytesIO(workbook()))[name]
        assert part.oddHeader.center.text == part.oddFooter.center.text == "OFFICIAL-SENSITIVE"
        assert part.oddFooter.right.text == "Page &P of &N"
        assert part.page_setup.orientation == "landscape" and part.page_setup.paperSize == 9
        assert part.sheet_properties.pageSetUpPr.fitToPage and part.page_setup.fitToWidth == 1
    about = openpyxl.load_workbook(io.BytesIO(workbook()))["About"]
    assert about.page_setup.fitToHeight == 1  # the About sheet prints on one page


def test_every_cell_is_arial_and_the_answer_columns_have_prompts() -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook()))
    fonts = {c.font.name for s in book.worksheets for row in s.iter_rows() for c in row}
    assert fonts == {"Arial"}
    sheet = book["Pro forma"]
    prompts = {
        str(v.sqref): (v.promptTitle, v.showInputMessage)
        for v in sheet.data_validations.dataValidation
    }
    assert prompts == {
        "C7:C11": ("Manager's name", True),
        "D7:D11": ("Job title", True),
        "E7:E11": ("Email", True),
    }


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Short.", 70, 1),
        # a column 70 wide has 489 pixels for text, 464 counted on; "word" is 28.9 pixels in
        # Arial 10 and a space 3.7, so a line holds 14 words
        ("word " * 28, 70, 2),
        ("word " * 29, 70, 3),
        ("W" * 100, 70, 3),  # by the letters' own widths: 'W' is four times an 'i'
        ("i" * 200, 70, 2),
        ("x", 8, 1),
        ("x" * 60, 8, 8),  # a word too long for the column breaks where each line is full
        ("one\ntwo", 70, 2),
        ("", 70, 1),
    ],
)
def test_wrapped_lines(text: str, width: float, lines: int) -> None:
    assert proforma._wrapped_lines(text, width) == lines


def test_text_pixels_are_arial_widths() -> None:
    assert proforma.text_pixels("0123456789") == pytest.approx(10 * 556 / 1000 * 40 / 3)
    assert proforma.text_pixels("W") > 4 * proforma.text_pixels("i")
    assert proforma.text_pixels("é") > proforma.text_pixels("e")  # not in the table: an 'm'
    assert proforma.text_pixels("Mm", bold=True) > proforma.text_pixels("Mm")


def test_a_17_concern_workbook_sets_each_row_to_its_wrapped_text(tmp_path: Path) -> None:
    """In the sheet's XML: every row's height is explicit (``customHeight``, so Excel keeps it
    rather than guessing), a longer text gets a taller row, and no row is shorter than its
    text needs at Arial's average width (0.45 em a character with the spaces, a low bound)."""
    from lxml import etree

    texts = [
        "Short concern."
        if n % 3 == 0
        else (
            "Too many prisoners were locked in their cells for more than 22 hours a day. " * (n % 5)
        )
        + ("WIDE CAPITALS MAKE A LONGER LINE " * (n % 4 == 1))
        + f"Row {n} ends here."
        for n in range(1, 18)
    ]
    concerns = "".join(
        f"  - id: C{n}\n    text: {text}\n    area: safety\n    kind: key\n"
        "    hmpps_response: accepted\n"
        for n, text in enumerate(texts, start=1)
    )
    source = ASHCOMBE.read_text(encoding="utf-8")
    start, end = source.index("concerns:\n"), source.index("\npartner_themes:")
    visit = tmp_path / "v.yaml"
    visit.write_text(source[:start] + "concerns:\n" + concerns + source[end:], encoding="utf-8")
    with zipfile.ZipFile(io.BytesIO(workbook(visit))) as archive:
        sheet = etree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    ns = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rows = {int(r.get("r")): r for r in sheet.iterfind(".//s:sheetData/s:row", ns)}
    widths = {
        int(c.get("min")): float(c.get("width")) for c in sheet.iterfind(".//s:cols/s:col", ns)
    }
    top = proforma.HEADER_ROW
    assert sorted(rows) == list(range(1, top + 18))  # the gap row above the table too
    assert all(r.get("customHeight") == "1" and float(r.get("ht")) > 0 for r in rows.values())
    heights = [float(rows[top + n].get("ht")) for n in range(1, 18)]
    column_pixels = widths[2] * 7 + 5
    for text, height in zip(texts, heights, strict=True):
        needed = -(-len(text) * 0.45 * 10 * 4 / 3 // column_pixels)  # lines, rounded up
        assert height >= needed * 12.75, (text[:40], height)
    by_length = sorted(zip(texts, heights, strict=True), key=lambda pair: len(pair[0]))
    for (short, low), (long, high) in itertools.pairwise(by_length):
        if len(long) > len(short) + 80:
            assert high > low, (short[:30], long[:30])
    # the same length in wide capitals or in narrow letters: by the letters' widths
    assert proforma._wrapped_lines("W" * 150, widths[2]) > proforma._wrapped_lines(
        "i" * 150, widths[2]
    )


def test_rows_are_as_tall_as_their_wrapped_concern(tmp_path: Path) -> None:
    """Without a height, LibreOffice prints a long concern over the row below."""
    text = ASHCOMBE.read_text(encoding="utf-8").replace(
        "text: Too few prisoners were released to settled accommodation.",
        "text: " + "Too few prisoners were released to settled accommodation. " * 4,
    )
    visit = tmp_path / "v.yaml"
    visit.write_text(text, encoding="utf-8")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook(visit)))["Pro forma"]
    heights = {
        sheet.cell(row=r, column=1).value: sheet.row_dimensions[r].height for r in range(7, 12)
    }
    assert heights["K2"] >= 4 * proforma.LINE_POINTS  # four lines of text
    assert heights["P2"] == 2 * proforma.LINE_POINTS + 4  # one line, and room to write
    assert heights["K2"] > heights["K1"]


def test_workbook_is_deterministic() -> None:
    first = workbook()
    assert workbook() == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core
    dated = proforma.workbook_bytes(
        proforma_context(), title="t", marking="OFFICIAL", timestamp=datetime(2026, 2, 10)
    )
    with zipfile.ZipFile(io.BytesIO(dated)) as archive:  # dated as the document is
        assert "2026-02-10T00:00:00Z" in archive.read("docProps/core.xml").decode()


def test_workbook_prefills_managers_already_recorded(tmp_path: Path) -> None:
    text = ASHCOMBE.read_text(encoding="utf-8").replace(
        "    hmpps_response: accepted\n",
        "    hmpps_response: accepted\n    responsible_manager:\n      name: Jo Bloggs\n",
        1,
    )
    visit = tmp_path / "v.yaml"
    visit.write_text(text, encoding="utf-8")
    path = tmp_path / "p.xlsx"
    path.write_bytes(workbook(visit))
    sheet = openpyxl.load_workbook(path)["Pro forma"]
    assert sheet["A8"].value == "P2" and sheet["C8"].value == "Jo Bloggs"


def test_csv_is_utf8_with_bom_and_crlf() -> None:
    data = proforma.csv_bytes(proforma_context())
    assert data.startswith(
        b"\xef\xbb\xbfVisit id,irp-ASH-20250619,HMP Ashcombe\r\n"
        b"No.,Concern,Manager's name,Job title,Email\r\n"
    )
    text = data.decode("utf-8-sig")
    assert (
        '\r\nP2,"Use of force was not always justified, proportionate or properly reviewed.",,,\r\n'
        in text
    )
    assert not proforma.csv_bytes(proforma_context(), bom=False).startswith(b"\xef\xbb\xbf")
    assert_golden("documents/hmp-ashcombe-proforma.csv", data)  # bytes: BOM and CRLF kept


# --------------------------------------------------------------------------------------------
# Reading the filled pro forma


def fill(tmp_path: Path, answers: dict[int, tuple[str, ...]], name: str = "filled.xlsx") -> Path:
    """Our workbook with some rows filled in (row of the table, the header being row 1 ->
    name, title, email)."""
    path = tmp_path / name
    path.write_bytes(workbook())
    book = openpyxl.load_workbook(path)
    sheet = book["Pro forma"]
    for row, values in answers.items():
        for column, value in enumerate(values, start=3):
            sheet.cell(row=row + proforma.HEADER_ROW - 1, column=column, value=value)
    book.save(path)
    return path


def test_filled_workbook_reads_back(tmp_path: Path) -> None:
    path = fill(
        tmp_path, {2: ("Jo Bloggs", "Head of Regime", "jo@example.org"), 4: (" Ann  Lee ",)}
    )
    rows = read_filled(path)
    assert rows[0] == Row(7, "P1", "Jo Bloggs", "Head of Regime", "jo@example.org")
    assert rows[2] == Row(9, "P3", "Ann Lee", "", "")
    assert [r.id for r in rows] == ["P1", "P2", "P3", "K1", "K2"]


def test_columns_are_found_by_header_wherever_they_are(tmp_path: Path) -> None:
    path = tmp_path / "moved.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["HMP Ashcombe pro forma"])
    sheet.append([])
    sheet.append(["E-mail address", "Name", "No.", "Job Title:"])
    sheet.append(["a@b.org", "Jo Bloggs", "P1", "Head"])
    book.save(path)
    assert read_filled(path) == [Row(4, "P1", "Jo Bloggs", "Head", "a@b.org")]


def test_csv_from_excel_reads_back_whatever_the_encoding(tmp_path: Path) -> None:
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes(
        "\ufeffNo.,Concern,Manager's name,Job title,Email\r\nP1,x,Zoë Ng,Head,z@x.org\r\n".encode()
    )
    assert read_filled(utf8) == [Row(2, "P1", "Zoë Ng", "Head", "z@x.org")]
    ansi = tmp_path / "ansi.csv"  # Excel's plain 'CSV (Comma delimited)' on Windows
    ansi.write_bytes(
        "Id;Concern;Manager’s name;Job title;Email\nP1;x;Zoë Ng;Head – Safety;\n".encode("cp1252")
    )
    assert read_filled(ansi) == [Row(2, "P1", "Zoë Ng", "Head – Safety", "")]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("filled.pdf", b"%PDF-1.4", "cannot read a '.pdf' pro forma"),
        ("filled.xlsx", b"No.,Concern\nP1,x\n", "not an Excel workbook"),
        ("filled.xls", b"\xd0\xcf\x11\xe0", "cannot read a '.xls' pro forma"),
        ("filled.csv", b"PK\x03\x04rest", "not a CSV file"),
        ("filled.csv", b"Concern,Owner\nx,y\n", "no header row with 'No.' and 'Manager's name'"),
        ("filled.csv", b"", "no header row"),
    ],
)
def test_unreadable_pro_forma_is_refused(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IrpError) as info:
        read_filled(path)
    (finding,) = info.value.findings
    assert finding.file == str(path)
    assert words in finding.message


def test_missing_pro_forma_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IrpError, match="no such file"):
        read_filled(tmp_path / "nope.xlsx")


def test_workbook_without_a_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(IrpError, match=r"expected the columns No\., Concern, Manager's name"):
        read_filled(path)


# --------------------------------------------------------------------------------------------
# Checking the rows against the visit


@pytest.fixture(scope="module")
def visit() -> Any:
    return parse_visit(ASHCOMBE.read_text(encoding="utf-8"), str(ASHCOMBE)).visit


def plan(visit: Any, *rows: Row) -> proforma.ImportPlan:
    return plan_import(visit, rows, "filled.csv", "v.yaml")


def lines(result: proforma.ImportPlan) -> list[str]:
    return [f.format() for f in result.findings]


def test_unknown_and_repeated_ids_are_errors(visit: Any) -> None:
    result = plan(
        visit,
        Row(2, "P1", "Jo", "", ""),
        Row(3, "X9", "Al", "", ""),
        Row(4, "P1", "Bo", "", ""),
        Row(5, "k1", "Cy", "", ""),
    )
    assert (
        "filled.csv:5: error [unknown-concern] 'k1' is not a concern in v.yaml; did you mean 'K1'?"
        in lines(result)
    )
    assert (
        "filled.csv:3: error [unknown-concern] 'X9' is not a concern in v.yaml; "
        "the ids followed up are P1, P2, P3, K1, K2" in lines(result)
    )
    assert (
        "filled.csv:4: error [proforma-duplicate] P1 appears again (first on row 2); "
        "keep one row for it" in lines(result)
    )
    assert len(result.errors) == 3


def test_followed_up_concerns_without_a_manager_are_warnings(visit: Any) -> None:
    result = plan(visit, Row(2, "P1", "Jo", "", ""), Row(3, "P2", "", "", ""))
    assert result.errors == []
    assert lines(result) == [
        "filled.csv: warning [no-manager] P3 is not in the pro forma; no manager",
        "filled.csv: warning [no-manager] K1 is not in the pro forma; no manager",
        "filled.csv: warning [no-manager] K2 is not in the pro forma; no manager",
        "filled.csv:3: warning [no-manager] no manager named for P2",
    ]
    assert list(result.managers) == ["P1"]


def test_bad_rows_are_errors(visit: Any) -> None:
    result = plan(
        visit,
        Row(2, "P1", "Jo", "", "not-an-email"),
        Row(3, "P2", "", "Head of Safety", ""),
        Row(4, "", "Orphan", "", ""),
        Row(5, "K3", "Kay", "", ""),
    )
    assert (
        "filled.csv:2: error [proforma-email] P1: 'not-an-email' is not an email address"
        in lines(result)
    )
    assert (
        "filled.csv:3: error [proforma-name] P2 has a job title or email but no manager's name"
        in lines(result)
    )
    assert (
        "filled.csv:4: error [proforma-row] this row has no id; keep the id of each row"
        in lines(result)
    )
    assert (
        "filled.csv:5: warning [not-followed-up] K3 is not followed up in this IRP; "
        "its manager is not recorded" in lines(result)
    )


def test_a_row_with_an_error_is_not_also_missing_from_the_pro_forma(visit: Any) -> None:
    """A row whose email or name is wrong is reported once, at its row: the pro forma does have
    that concern, so "is not in the pro forma" would contradict the error."""
    result = plan(
        visit,
        Row(2, "P1", "Jo", "", "not-an-email"),
        Row(3, "P2", "", "Head of Safety", ""),
        Row(4, "P3", "Al", "", ""),
        Row(5, "K1", "Bo", "", ""),
        Row(6, "K2", "Cy", "", ""),
    )
    assert lines(result) == [
        "filled.csv:2: error [proforma-email] P1: 'not-an-email' is not an email address",
        "filled.csv:3: error [proforma-name] P2 has a job title or email but no manager's name",
    ]


# --------------------------------------------------------------------------------------------
# Writing managers into the visit file


def added_lines(old: str, new: str) -> list[str]:
    """The lines ``new`` adds to ``old``; fails if any line was removed or changed."""
    diff = list(difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True)))
    assert [d for d in diff if d.startswith("- ")] == []
    return [d[2:] for d in diff if d.startswith("+ ")]


def test_import_round_trip_only_adds_the_manager_lines(tmp_path: Path) -> None:
    target = tmp_path / "visit.yaml"
    original = ASHCOMBE.read_text(encoding="utf-8")
    target.write_text(original, encoding="utf-8")
    filled = fill(
        tmp_path,
        {
            2: ("Jo O'Brien", "Head of Activities: Learning", "jo@ashcombe.example.org"),
            6: ("Zoë Ng",),
        },
    )
    result = import_proforma(target, filled)
    assert target.read_text(encoding="utf-8") == original  # nothing written yet
    assert added_lines(original, result.new_text) == [
        "    responsible_manager:\n",
        "      name: Jo O'Brien\n",
        '      title: "Head of Activities: Learning"\n',
        "      email: jo@ashcombe.example.org\n",
        "    responsible_manager:\n",
        "      name: Zoë Ng\n",
    ]
    assert result.new_text.startswith(
        "# yaml-language-server: $schema=../visit.schema.json\n# An invented"
    )
    concerns = {c.id: c for c in parse_visit(result.new_text, "v").visit.concerns}
    assert concerns["P1"].responsible_manager == Person(
        name="Jo O'Brien", title="Head of Activities: Learning", email="jo@ashcombe.example.org"
    )
    assert concerns["K2"].responsible_manager == Person(name="Zoë Ng")
    assert concerns["P2"].responsible_manager is None
    assert [w.code for w in result.plan.findings] == ["no-manager"] * 3


ODD = """\
# yaml-language-server: $schema=visit.schema.json
schema_version: 1   # keep me
establishment: {name: HMP Odd, code: ODD, type: adult-men, nation: england,
  governor: {name: G}, imb_chair: {name: I}}
previous_inspection:
    first_day: 2025-06-09
    last_day:   2025-06-19
concerns:
- id: 'P1'
  text: >
    A folded concern
    over two lines.
  area: safety
  kind: priority
  hmpps_response: accepted
  # a comment after the last key of P1
- id: P2
  text: "Quoted"
  area: respect
  kind: key
  hmpps_response: rejected    # trailing comment
  responsible_manager:
    name: Old Name   # will be replaced
    email: old@example.org
- {id: P3, text: Flow style, area: safety, kind: key, hmpps_response: none, followed_up: false}
- id: P4
  text: |
    Literal block

  area: safety
  kind: key
  hmpps_response: none
  judgement:
team:
  -   name: A
      role: team-leader
visit: {days: [2026-04-21,  2026-04-22, 2026-04-23]}"""


def test_splice_keeps_every_other_byte_of_an_unusual_file() -> None:
    doc = parse_visit(ODD, "odd.yaml")
    managers = {
        "P1": Person(name="Ann: Lee", title="true"),
        "P2": Person(name="New Name", email="new@example.org"),
        "P4": Person(name="#hash", title="spaced", email="p4@example.org"),
    }
    new = splice_managers(ODD, doc, managers)
    diff = list(difflib.ndiff(ODD.splitlines(), new.splitlines()))
    assert [d[2:] for d in diff if d.startswith("- ")] == [
        "    name: Old Name   # will be replaced",
        "    email: old@example.org",
    ]
    assert [d[2:] for d in diff if d.startswith("+ ")] == [
        "  responsible_manager:",
        '    name: "Ann: Lee"',
        '    title: "true"',
        "    name: New Name   # will be replaced",  # the value changes, its comment stays
        "    email: new@example.org",
        "  responsible_manager:",
        '    name: "#hash"',
        "    title: spaced",
        "    email: p4@example.org",
    ]
    back = {c.id: c.responsible_manager for c in parse_visit(new, "odd.yaml").visit.concerns}
    assert back == {"P1": managers["P1"], "P2": managers["P2"], "P3": None, "P4": managers["P4"]}
    assert "  # a comment after the last key of P1\n" in new
    assert new.index('title: "true"') < new.index("# a comment after the last key of P1")
    assert "schema_version: 1   # keep me\n" in new and "last_day:   2025-06-19\n" in new
    assert new.endswith("visit: {days: [2026-04-21,  2026-04-22, 2026-04-23]}")
    assert "Old Name" not in new and "old@example.org" not in new


def test_splice_keeps_crlf_line_endings_and_a_missing_final_newline() -> None:
    text = ASHCOMBE.read_text(encoding="utf-8").rstrip("\n").replace("\n", "\r\n")
    doc = parse_visit(text, "crlf.yaml")
    new = splice_managers(text, doc, {"K2": Person(name="Jo Bloggs")})
    assert "\n" not in new.replace("\r\n", "")
    assert (
        "    hmpps_response: rejected\r\n    responsible_manager:\r\n      name: Jo Bloggs\r\n"
        in new
    )
    assert not new.endswith("\r\n")


def test_splice_at_the_very_end_of_a_file_without_a_final_newline() -> None:
    head = "team: [{name: A, role: team-leader}]\nvisit: {days: [2026-04-21]}\n"
    text = head + ODD.split("team:")[0].rstrip("\n")  # ends with P4's 'judgement:', no newline
    new = splice_managers(text, parse_visit(text, "end.yaml"), {"P4": Person(name="Last")})
    assert new == text + "\n  responsible_manager:\n    name: Last\n"
    assert parse_visit(new, "end.yaml").visit.concerns[3].responsible_manager == Person(name="Last")


def test_flow_style_concern_is_refused_with_its_line() -> None:
    doc = parse_visit(ODD.replace("followed_up: false", "followed_up: true"), "odd.yaml")
    with pytest.raises(IrpError) as info:
        splice_managers(ODD, doc, {"P3": Person(name="X")})
    (finding,) = info.value.findings
    assert (finding.line, finding.col) == (25, 3)
    assert "written on one line" in finding.message


def test_import_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    target = tmp_path / "visit.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + ASHCOMBE.read_bytes())
    filled = fill(tmp_path, {2: ("Jo Bloggs",)})
    result = import_proforma(target, filled)
    assert result.new_text.startswith("\ufeff# yaml-language-server")
    assert "name: Jo Bloggs" in result.new_text


def test_import_with_errors_raises_with_every_finding(tmp_path: Path) -> None:
    csv_path = tmp_path / "filled.csv"
    csv_path.write_text("Id,Manager's name\nP1,Jo\nZZ,Al\n", encoding="utf-8")
    with pytest.raises(IrpError) as info:
        import_proforma(ASHCOMBE, csv_path)
    codes = [f.code for f in info.value.findings]
    assert "unknown-concern" in codes and "no-manager" in codes


def test_import_of_the_same_managers_again_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "visit.yaml"
    target.write_text(ASHCOMBE.read_text(encoding="utf-8"), encoding="utf-8")
    filled = fill(tmp_path, {2: ("Jo Bloggs", "Head", "jo@example.org")})
    first = import_proforma(target, filled)
    target.write_text(first.new_text, encoding="utf-8")
    again = import_proforma(target, filled)
    assert not again.changed
    assert again.plan.unchanged == ["P1"]


@pytest.mark.parametrize(
    "value",
    [
        "Jo Bloggs",
        "O'Brien",
        "Head: Safety",
        "#1",
        "true",
        "null",
        "123",
        "- dash",
        "a #b",
        "[x] y",  # a whole value in brackets is a placeholder (loader.placeholders)
        "{y}",
        "*star",
        "&amp",
        "!tag",
        "%pct",
        "@at",
        "`tick`",
        "Zoë — ü",
        "'quoted'",
        '"dq"',
        "2026-04-21",
        "9:30",
        "yes",
        "~",
        "a\\b",
    ],
)
def test_yaml_scalar_reads_back_as_the_same_string(value: str) -> None:
    text = edit.yaml_scalar(value)
    doc = parse_visit(
        ASHCOMBE.read_text(encoding="utf-8").replace(
            "    hmpps_response: rejected\n",
            f"    hmpps_response: rejected\n    responsible_manager:\n      name: {text}\n",
        ),
        "v",
    )
    manager = doc.visit.concerns[4].responsible_manager
    assert manager is not None and manager.name == value


@pytest.mark.parametrize("value", ["yes", "no", "On", "off", "2026-04-21", "9:30", "null"])
def test_yaml_scalar_quotes_words_other_yaml_tools_would_misread(value: str) -> None:
    import yaml

    text = edit.yaml_scalar(value)
    assert text.startswith('"')
    assert yaml.safe_load(f"k: {text}") == {"k": value}


def test_yaml_scalar_leaves_plain_names_plain() -> None:
    assert edit.yaml_scalar("Sam Corrie") == "Sam Corrie"
