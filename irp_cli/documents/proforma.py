"""The pro forma of guide 2.9 as a workbook or CSV file, and reading the filled one back into the
visit file.

Writing: :func:`workbook_bytes` makes an ``.xlsx``: one sheet that says what it is (title,
establishment, visit, reference, due date and to whom, how to fill it in) above a header row and
one row per followed-up concern, each row as tall as its wrapped text, the id and text cells
locked and shaded, the three manager cells open to type in with a prompt on each; a second sheet
says the same on one page. Arial throughout; A4 landscape, one page wide, header row repeated,
the marking and page numbers on every page. :func:`csv_bytes` makes the same
table as CSV. Both are deterministic: the same visit gives the same bytes.

Reading: :func:`read_filled` reads a filled ``.xlsx`` or ``.csv`` (the columns are found by their
header, wherever the prison moved them); :func:`plan_import` checks each row against the visit
(unknown ids, repeated ids, a job title with no name, a bad email address) and
:func:`splice_managers` writes ``responsible_manager`` into the visit file's text.

The visit file is edited as text, line by line, at the places the YAML parser reports: every
other byte of the file (comments, quotes, key order, blank lines, line endings, the
``# yaml-language-server`` line) stays exactly as it was. A round-trip through a YAML library
would re-emit the whole file (re-indenting lists, re-spacing flow lists, re-wrapping long
lines), which is what a coordinator's hand-kept file must not suffer. The new text is parsed
again before anything is written.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.writer.excel import ExcelWriter
from pydantic import ValidationError

from irp_cli.dates import day_date
from irp_cli.errors import Finding, IrpError, Severity
from irp_cli.files import repeatable_zip
from irp_cli.visitfile import positions
from irp_cli.visitfile.edit import BREAK, last_line, split_lines, yaml_scalar
from irp_cli.visitfile.edit import INDENT as EDIT_INDENT
from irp_cli.visitfile.loader import VisitFile, parse_visit
from irp_cli.visitfile.models import Person, Visit

#: The columns, as headed in the workbook and CSV file. The second is headed with the visit's
#: wording ('Concern' or 'Key recommendation').
#: 'No.', as in the letter and the Word and HTML pro forma.
ID, NAME, TITLE, EMAIL = "No.", "Manager's name", "Job title", "Email"
SHEET = "Pro forma"
ABOUT_SHEET = "About"
WIDTHS = (8, 70, 28, 28, 36)
#: The pro forma sheet says what it is on its own: a title block, then the table's header row.
HEADER_ROW = 6
#: One font throughout (a cell without one falls back to a serif font in LibreOffice).
FONT_NAME, FONT_SIZE = "Arial", 10.0
#: Points per printed line of wrapped text at FONT_SIZE (Excel's own line is 12.75).
LINE_POINTS = 13.0
#: Arial's advance widths (the same as Helvetica's), in thousandths of an em, for the printable
#: ASCII characters from the space to '~'; any other character counts as an 'm' (a wide East
#: Asian one as a whole em), so that an estimate errs on the tall side.
ARIAL_WIDTHS = (
    (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278)
    + (556,) * 10
    + (278, 278, 584, 584, 584, 556, 1015)
    + (667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833)
    + (722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611)
    + (278, 278, 278, 469, 556, 333)
    + (556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833)
    + (556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500)
    + (334, 260, 334, 584)
)
#: Bold Arial is wider: at most this much, over a line of text.
BOLD_FACTOR = 1.1
#: A column of width 1 holds one digit of the workbook's font (Arial 10: 7 pixels at 96 dpi,
#: Excel's and LibreOffice's unit); a cell keeps about 3 pixels each side free of text.
DIGIT_PIXELS, CELL_MARGIN_PIXELS = 7.0, 3.0
#: Of a line's room, the part counted on: screen fonts round each letter to whole pixels, so
#: a line may hold a little less than Arial's widths say.
WRAP_ROOM = 0.95
HEADER_SEARCH_ROWS = 10
#: The label of the cell that names the visit a pro forma belongs to (the About sheet of the
#: workbook, the first line of the CSV file), checked when it comes back.
VISIT_ID = "Visit id"
FIXED_TIME = datetime(2000, 1, 1)  # document properties and zip entries: same input, same bytes

# --------------------------------------------------------------------------------------------
# Writing the workbook and the CSV file


def visit_key(context: Mapping[str, Any]) -> str:
    """The visit's :attr:`~irp_cli.visitfile.models.Visit.key`, from a document context."""
    code = context["establishment"]["code"]
    return f"irp-{code}-{context['previous_inspection']['last_day']:%Y%m%d}"


def _rows(context: Mapping[str, Any]) -> list[list[str]]:
    """The table: header, then one row per followed-up concern (a known manager filled in)."""
    header = [ID, context["wording"]["One"], NAME, TITLE, EMAIL]
    rows = [header]
    for concern in context["concerns"]:
        manager = concern["manager"] or {}
        rows.append(
            [
                concern["id"],
                concern["text"],
                manager.get("name") or "",
                manager.get("title") or "",
                manager.get("email") or "",
            ]
        )
    return rows


def workbook_bytes(
    context: Mapping[str, Any], *, title: str, marking: str, timestamp: datetime | None = None
) -> bytes:
    """The pro forma as an ``.xlsx`` workbook, from the context of `context.proforma`, dated
    ``timestamp`` (the date on the document)."""
    book = Workbook()
    _one_font(book)
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    rows = _rows(context)
    locked_fill = PatternFill("solid", fgColor="F3F2F1")
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    _title_block(sheet, context, title)
    top = HEADER_ROW
    for r, values in enumerate(rows, start=top):
        for c, value in enumerate(values, start=1):
            cell = text_cell(sheet, r, c, value)
            cell.alignment = wrap
            cell.border = border
            cell.font = _font(bold=r == top)
            if r == top:
                cell.fill = header_fill
            elif c <= 2:  # id and text: given, locked and shaded
                cell.fill = locked_fill
            else:  # the prison's answers
                cell.protection = unlocked
    for c, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(ord("A") + c - 1)].width = width
    _fit_rows(sheet, rows, top)
    sheet.freeze_panes = f"A{top + 1}"
    last = top + len(rows) - 1
    if last > top:
        _prompts(sheet, context, top + 1, last)
    # Locked cells cannot be changed by accident; 'Unprotect Sheet' (no password) undoes it.
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False  # False = allowed: widen columns, resize rows
    protection.formatRows = False
    protection.formatCells = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False
    # Printing: landscape A4, one page wide, header row repeated, the marking top and bottom.
    _print_setup(sheet, marking, landscape=True, one_page=False)
    sheet.print_title_rows = f"{top}:{top}"
    _about_sheet(book, context, marking)
    props = book.properties
    props.title, props.creator, props.lastModifiedBy = title, "", ""
    props.created = props.modified = timestamp or FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()  # unlike save(), does not stamp 'modified'
    return repeatable_zip(buffer.getvalue())


@functools.cache
def _font(*, bold: bool = False, size: float = FONT_SIZE) -> Font:
    """The workbook's one font, Arial (made once: a cell keeps only its style's number)."""
    return Font(name=FONT_NAME, size=size, bold=bold)


def _one_font(book: Workbook) -> None:
    """Arial in every cell, styled or not: the workbook's default font too."""
    from openpyxl.utils.indexed_list import IndexedList

    shared: Any = book  # openpyxl keeps the default font and named styles in private lists
    normal = next(style for style in shared._named_styles if style.name == "Normal")
    normal.font = _font()
    shared._fonts = IndexedList([_font()])  # font 0: the font of cells with no style


def _title_block(sheet: Any, context: Mapping[str, Any], title: str) -> None:
    """What the sheet is, for whom, by when and how to fill it in, above the table, so that a
    printed or forwarded copy explains itself."""
    coordinator = context["coordinator"] or {}
    contact = coordinator.get("name") or "the coordinating inspector"
    if coordinator.get("email"):
        contact += f" ({coordinator['email']})"
    establishment = context["establishment"]["name"]
    lines = [
        (title, True, 14.0),
        (
            f"{establishment}: independent review of progress on {context['visit']['dates']}. "
            f"Reference: {context['reference']}.",
            False,
            FONT_SIZE,
        ),
        (f"Please return by {day_date(context['returns']['due'])} to {contact}.", True, FONT_SIZE),
        (_instructions(context), False, FONT_SIZE),
    ]
    last_column = chr(ord("A") + len(WIDTHS) - 1)
    for r, (text, bold, size) in enumerate(lines, start=1):
        cell = text_cell(sheet, r, 1, text)
        cell.font = _font(bold=bold, size=size)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(f"A{r}:{last_column}{r}")
        needed = _wrapped_lines(text, sum(WIDTHS), size=size, bold=bold)
        sheet.row_dimensions[r].height = needed * LINE_POINTS * size / FONT_SIZE + 4
    sheet.row_dimensions[len(lines) + 1].height = LINE_POINTS  # the gap above the table


def _instructions(context: Mapping[str, Any], *, lower: bool = False) -> str:
    one = context["wording"]["one"]
    return (
        f"{'f' if lower else 'F'}or each {one} HM Inspectorate of Prisons will follow up, "
        "type the name, job title and email address of the manager responsible in the white "
        "cells (guide to independent reviews of progress, paragraph 2.9). The shaded cells "
        "cannot be changed: please do not add rows or change the numbers."
    )


def text_pixels(text: str, *, size: float = FONT_SIZE, bold: bool = False) -> float:
    """How wide ``text`` prints in Arial at ``size`` points, in pixels at 96 dpi."""
    import unicodedata

    units = 0
    for char in text:
        code = ord(char)
        if 32 <= code <= 126:
            units += ARIAL_WIDTHS[code - 32]
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            units += 1000
        else:
            units += 833
    return units / 1000 * size * 96 / 72 * (BOLD_FACTOR if bold else 1.0)


def _wrapped_lines(text: str, width: float, *, size: float = FONT_SIZE, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` units wide, wrapped as Excel
    and LibreOffice wrap it: by whole words, measured in Arial's own widths, a word too long
    for a line broken where the line is full."""
    room = max((width * DIGIT_PIXELS + 5 - 2 * CELL_MARGIN_PIXELS) * WRAP_ROOM, DIGIT_PIXELS)
    space = text_pixels(" ", size=size, bold=bold)
    lines = 0
    for part in text.split("\n"):
        lines += 1
        used = 0.0
        for word in part.split():
            wide = text_pixels(word, size=size, bold=bold)
            if used and used + space + wide <= room:
                used += space + wide
                continue
            if used:
                lines += 1
            while wide > room:  # a word longer than the line: it breaks, a line at a time
                lines += 1
                wide -= room
            used = wide
    return lines


def _fit_rows(sheet: Any, rows: Sequence[Sequence[str]], top: int) -> None:
    """Each row as tall as its most wrapped cell: a row's height is not recalculated when the
    file is opened, so without it a long concern prints over the row below."""
    for r, values in enumerate(rows, start=top):
        header = r == top
        lines = max(_wrapped_lines(v, w, bold=header) for v, w in zip(values, WIDTHS, strict=False))
        sheet.row_dimensions[r].height = max(lines, 1 if header else 2) * LINE_POINTS + 4


def _prompts(sheet: Any, context: Mapping[str, Any], first: int, last: int) -> None:
    """A note on each column to fill in, shown when a cell is selected (Excel and LibreOffice),
    and a check that the email looks like one."""
    one = context["wording"]["one"]
    notes = {
        "C": (NAME, f"The name of the manager responsible for this {one}."),
        "D": (TITLE, "Their job title, for example Head of Safety."),
        "E": (EMAIL, "Their work email address, such as name@justice.gov.uk."),
    }
    for column, (heading, prompt) in notes.items():
        if column == "E":
            rule = DataValidation(
                type="custom",
                formula1=f'ISNUMBER(SEARCH("@",E{first}))',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Email address",
                error="Please type an email address, such as name@justice.gov.uk.",
            )
        else:
            rule = DataValidation(allow_blank=True)
        rule.showInputMessage, rule.promptTitle, rule.prompt = True, heading, prompt
        rule.add(f"{column}{first}:{column}{last}")
        sheet.add_data_validation(rule)


def _print_setup(sheet: Any, marking: str, *, landscape: bool, one_page: bool) -> None:
    """A4, one page wide (and one page tall with ``one_page``), the marking in the header and
    footer, page numbers in the footer."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None and footer is not None
    header.center.text = footer.center.text = _header_text(marking)
    header.center.font = footer.center.font = f"{FONT_NAME},Bold"
    footer.right.text = "Page &P of &N"
    footer.right.font = FONT_NAME


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # '&' starts a code in Excel's header syntax


def _about_sheet(book: Workbook, context: Mapping[str, Any], marking: str) -> None:
    about = book.create_sheet(ABOUT_SHEET)
    coordinator = context["coordinator"] or {}
    contact = coordinator.get("name") or "the coordinating inspector"
    if coordinator.get("email"):
        contact += f" ({coordinator['email']})"
    lines = [
        ("Establishment", context["establishment"]["name"]),
        (VISIT_ID, visit_key(context)),
        ("Visit", context["visit"]["dates"]),
        ("Reference", context["reference"]),
        ("Return by", day_date(context["returns"]["due"])),
        ("Return to", contact),
        ("What to do", f"On the '{SHEET}' sheet: {_instructions(context, lower=True)}"),
        ("Marking", marking),
    ]
    for r, (label, value) in enumerate(lines, start=1):
        text_cell(about, r, 1, label).font = _font(bold=True)
        cell = text_cell(about, r, 2, value)
        cell.font = _font()
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        about.cell(row=r, column=1).alignment = Alignment(vertical="top")
        about.row_dimensions[r].height = _wrapped_lines(value, 90) * LINE_POINTS + 4
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 90
    _print_setup(about, marking, landscape=True, one_page=True)


def csv_bytes(context: Mapping[str, Any], *, bom: bool = True) -> bytes:
    """The pro forma as CSV: UTF-8 (with a byte order mark when ``bom``, so that Excel on
    Windows reads accented names and dashes correctly), comma-separated, CRLF line ends
    (RFC 4180), every field quoted only where needed."""
    out = io.StringIO(newline="")
    identity = [VISIT_ID, visit_key(context), context["establishment"]["name"]]
    rows = [[csv_safe(value) for value in row] for row in [identity, *_rows(context)]]
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if bom else "").encode("utf-8") + out.getvalue().encode("utf-8")


# --------------------------------------------------------------------------------------------
# No live formulas: every cell irp writes is text


#: What makes a spreadsheet treat a cell as a formula (or a command, in older versions):
#: OWASP's list for CSV injection.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(sheet: Any, row: int, column: int, value: str) -> Any:
    """The cell at ``row``, ``column`` holding ``value`` as text, never as a formula (openpyxl
    stores a string starting with '=' as a live formula unless told otherwise)."""
    cell = sheet.cell(row=row, column=column, value=value)
    cell.data_type = "s"
    return cell


def csv_safe(value: str) -> str:
    """``value`` for a CSV cell: one that a spreadsheet would run as a formula gets a leading
    apostrophe, which Excel and LibreOffice show as text and do not display."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


# --------------------------------------------------------------------------------------------
# Reading the filled pro forma


@dataclass(frozen=True)
class Row:
    """One filled row: its number as the spreadsheet shows it, and the cells we use."""

    number: int
    id: str
    name: str
    title: str
    email: str
    #: The concern's text as the pro forma gives it ("" without that column); checked against
    #: the visit file, not part of what a row is.
    text: str = dataclasses.field(default="", compare=False)


@dataclass(frozen=True)
class Filled:
    """A filled pro forma: its rows and the visit it says it is for (None when it does not)."""

    rows: list[Row]
    visit_id: str | None


_HEADERS = {
    "id": ("id", "no", "no.", "number", "ref", "reference"),
    "text": ("concern", "key recommendation", "recommendation", "text"),
    "name": ("manager's name", "managers name", "manager name", "manager", "name"),
    "title": ("job title", "title", "role"),
    "email": ("email", "e-mail", "email address", "e-mail address"),
}
EXPECTED = f"{ID}, Concern, {NAME}, {TITLE}, {EMAIL}"


def _normal(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\u2019", "'").replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip().rstrip(":*").strip().lower()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value).replace("\xa0", " ")).strip()


#: Bounds on a filled pro forma, which comes back from outside: a real one is a few kilobytes
#: with one row per concern. The claimed size of a sheet is ignored; only these are read.
MAX_FILLED_BYTES = 2_000_000
MAX_UNPACKED_BYTES = 20_000_000  # all members of an .xlsx together, once unzipped
MAX_ROWS = 500
MAX_COLUMNS = 26
MAX_SHEETS = 10


def read_filled(path: Path) -> list[Row]:
    """The rows of a filled pro forma (``.xlsx`` or ``.csv``): see :func:`read_filled_form`."""
    return read_filled_form(path).rows


def read_filled_form(path: Path) -> Filled:
    """The rows of a filled pro forma (``.xlsx`` or ``.csv``) and the visit it names, or an
    :class:`IrpError` saying why it cannot be read. Only a regular file of bounded size is
    read, and only the first rows and columns of at most a few sheets, whatever size the
    workbook claims."""
    from irp_cli.files import read_bounded

    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        if not path.exists():
            raise IrpError.at(name, "no such file", code="file")
        raise IrpError.at(
            name,
            f"cannot read a '{suffix or 'file without an extension'}' pro forma; give the "
            "filled workbook (.xlsx) or a CSV file (.csv)",
            code="proforma-format",
        )
    raw = read_bounded(path, limit=MAX_FILLED_BYTES, what="a filled pro forma")
    tables = _workbook_tables(raw, name) if suffix != ".csv" else [_csv_table(raw, name)]
    table = next((t for t in tables if _find_header(t) is not None), tables[0] if tables else [])
    return Filled(_table_rows(table, name), _visit_id(tables))


def _visit_id(tables: Iterable[Sequence[Sequence[object]]]) -> str | None:
    """The value beside a 'Visit id' label in the first rows of any sheet."""
    label = _normal(VISIT_ID)
    for table in tables:
        for row in table[:HEADER_SEARCH_ROWS]:
            cells = [_cell(v) for v in row]
            for n, value in enumerate(cells[:-1]):
                if _normal(value) == label and cells[n + 1]:
                    return cells[n + 1]
    return None


def _workbook_tables(raw: bytes, name: str) -> list[list[list[object]]]:
    def refuse(detail: str) -> IrpError:
        return IrpError.at(name, f"cannot read it: {detail}", code="proforma-format")

    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(raw)).infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse("it is not an Excel workbook (.xlsx)") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise refuse(
            f"it unpacks to {unpacked:,} bytes; a pro forma is far smaller (at most "
            f"{MAX_UNPACKED_BYTES:,})"
        )
    # The workbook comes from outside and openpyxl's parsers (its own, ElementTree's, lxml's)
    # fail on damaged parts with every kind of exception: any of them means a damaged file.
    try:
        # Not data_only: a formula is read as its text ('=HYPERLINK(...)') and refused by
        # plan_import, rather than as whatever value the sender's spreadsheet cached for it.
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except InvalidFileException:
        raise refuse("it is not an Excel workbook (.xlsx)") from None
    except Exception as exc:  # see above
        raise refuse(_damaged(exc)) from None
    try:
        sheets = sorted(book.worksheets[:MAX_SHEETS], key=lambda s: s.title != SHEET)  # ours first
        tables = [_sheet_rows(sheet, name) for sheet in sheets]
    except IrpError:
        raise
    except Exception as exc:  # see above
        raise refuse(_damaged(exc)) from None
    finally:
        book.close()
    return tables


def _damaged(exc: Exception) -> str:
    return (
        f"the workbook is damaged ({type(exc).__name__}); open it in Excel, save it again as "
        "an Excel workbook (.xlsx) and import that"
    )


def _sheet_rows(sheet: Any, name: str) -> list[list[object]]:
    """The first rows and columns of a read-only sheet; its claimed dimensions are ignored."""
    last = HEADER_SEARCH_ROWS + MAX_ROWS
    rows = [
        list(row)
        for row in sheet.iter_rows(
            min_row=1, max_row=last + 1, max_col=MAX_COLUMNS, values_only=True
        )
    ]
    if len(rows) > last and any(value not in (None, "") for value in rows[last]):
        raise IrpError.at(
            name,
            f"sheet '{sheet.title}' has more than {last} rows; the pro forma has one row per "
            "concern",
            code="proforma-format",
            line=last + 1,
        )
    return rows[:last]


def _csv_table(raw: bytes, name: str) -> Sequence[Sequence[object]]:
    if b"\x00" in raw or raw.startswith(b"PK\x03\x04"):
        raise IrpError.at(
            name, "this is not a CSV file (is it a workbook? name it .xlsx)", code="proforma-format"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's 'CSV (Comma delimited)'
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[object]] = []
    last = HEADER_SEARCH_ROWS + MAX_ROWS
    while True:
        starts = reader.line_num + 1  # the line this row starts on
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            problem = str(exc)
            if "unexpected end of data" in problem or "EOF" in problem:
                problem = 'a quote (") opened here is never closed'
            message = f"cannot read it as CSV: {problem}"
            raise IrpError.at(name, message, code="proforma-format", line=starts) from None
        if len(rows) >= last:
            message = f"more than {last} rows; the pro forma has one row per concern"
            raise IrpError.at(name, message, code="proforma-format", line=starts)
        rows.append(list(row[:MAX_COLUMNS]))


def _find_header(table: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]] | None:
    """The index of the header row (among the first rows) and the column of each field."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for column, value in enumerate(row):
            text = _normal(value)
            for field, names in _HEADERS.items():
                if text in names and field not in columns:
                    columns[field] = column
        if "id" in columns and "name" in columns:
            return index, columns
    return None


def _table_rows(table: Sequence[Sequence[object]], name: str) -> list[Row]:
    found = _find_header(table)
    if found is None:
        raise IrpError.at(
            name,
            f"no header row with '{ID}' and '{NAME}' columns in the first "
            f"{HEADER_SEARCH_ROWS} rows; expected the columns {EXPECTED}",
            code="proforma-header",
        )
    header, columns = found

    def get(row: Sequence[object], field: str) -> str:
        column = columns.get(field)
        return _cell(row[column]) if column is not None and column < len(row) else ""

    rows = []
    for index in range(header + 1, len(table)):
        row = table[index]
        values = Row(
            index + 1,
            get(row, "id"),
            get(row, "name"),
            get(row, "title"),
            get(row, "email"),
            get(row, "text"),
        )
        if values.id or values.name or values.title or values.email:
            rows.append(values)
    return rows


# --------------------------------------------------------------------------------------------
# Checking the rows against the visit


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: the managers to write, and what was found on the way."""

    managers: dict[str, Person]  # concern id -> manager, only those that change the file
    findings: list[Finding]
    unchanged: list[str]  # ids whose manager was already recorded as given

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def plan_import(visit: Visit, rows: Iterable[Row], filled: str, visit_name: str) -> ImportPlan:
    """Check the rows against the visit: errors for unknown or repeated ids, a title or email
    without a name, or a bad email address; warnings for a followed-up concern left without a
    manager and for rows about concerns this IRP does not follow up."""
    findings: list[Finding] = []

    def report(severity: Severity, code: str, message: str, row: int | None = None) -> None:
        findings.append(Finding(filled, severity, code, message, line=row))

    concerns = {c.id: c for c in visit.concerns}
    known = ", ".join(c.id for c in visit.followed_up)
    seen: dict[str, int] = {}
    given: dict[str, Person] = {}
    empty_rows: dict[str, int] = {}
    for row in rows:
        if not row.id:
            report(
                "error", "proforma-row", "this row has no id; keep the id of each row", row.number
            )
            continue
        if row.id in seen:
            report(
                "error",
                "proforma-duplicate",
                f"{row.id} appears again (first on row {seen[row.id]}); keep one row for it",
                row.number,
            )
            continue
        seen[row.id] = row.number
        concern = concerns.get(row.id)
        if concern is None:
            close = [cid for cid in concerns if cid.lower() == row.id.lower()]
            hint = f"did you mean '{close[0]}'?" if close else f"the ids followed up are {known}"
            message = f"'{row.id}' is not a concern in {visit_name}; {hint}"
            report("error", "unknown-concern", message, row.number)
            continue
        if not row.name:
            if row.title or row.email:
                report(
                    "error",
                    "proforma-name",
                    f"{row.id} has a job title or email but no manager's name",
                    row.number,
                )
            else:
                empty_rows[row.id] = row.number
            continue
        if not concern.followed_up:
            report(
                "warning",
                "not-followed-up",
                f"{row.id} is not followed up in this IRP; its manager is not recorded",
                row.number,
            )
            continue
        person, problems = imported_person(row)
        for code, message in problems:
            report("error", code, message, row.number)
        if person is not None:
            given[row.id] = person
    for concern in visit.followed_up:
        if concern.id in given or concern.responsible_manager is not None:
            continue
        if concern.id in empty_rows:
            message = f"no manager named for {concern.id}"
            report("warning", "no-manager", message, empty_rows[concern.id])
        elif concern.id not in seen:  # a row with an error was reported at its row
            report("warning", "no-manager", f"{concern.id} is not in the pro forma; no manager")
    for cid, person in given.items():  # the pro forma has no phone: keep a recorded one
        before = concerns[cid].responsible_manager
        if before is not None and before.phone and before.name == person.name:
            given[cid] = person.model_copy(update={"phone": before.phone})
    changes = {
        cid: person for cid, person in given.items() if concerns[cid].responsible_manager != person
    }
    unchanged = [cid for cid in given if cid not in changes]
    order = {cid: n for n, cid in enumerate(concerns)}
    return ImportPlan(
        dict(sorted(changes.items(), key=lambda kv: order[kv[0]])),
        sorted(findings, key=lambda f: (f.line or 0, f.code)),
        unchanged,
    )


_LABELS = {"name": NAME, "title": TITLE, "email": EMAIL}


def imported_person(row: Row) -> tuple[Person | None, list[tuple[str, str]]]:
    """The manager of a filled row, or the problems with it as ``(code, message)``: a value that
    looks like a spreadsheet formula (it would run in the next workbook someone opens), and
    whatever the visit file's own rules refuse (control characters, a name too long for one
    line, a bad email address)."""
    values = {"name": row.name, "title": row.title, "email": row.email}
    problems = [
        (
            "proforma-formula",
            f"{row.id}: the {_LABELS[key].lower()} {_quoted(value)} looks like a spreadsheet "
            "formula; type the value itself",
        )
        for key, value in values.items()
        if value.startswith(("=", "+", "@"))
    ]
    if problems:
        return None, problems
    try:
        return Person(**{k: v or None for k, v in values.items()}), []
    except ValidationError as exc:
        from irp_cli.visitfile.messages import explain

        for error in exc.errors(include_url=False):
            key = str(error["loc"][0]) if error["loc"] else "name"
            if key == "email" and error["type"] == "string_pattern_mismatch":
                message = f"{row.id}: {_quoted(row.email)} is not an email address"
                problems.append(("proforma-email", message))
            else:
                message = f"{row.id}: the {_LABELS.get(key, key).lower()} {explain(error)}"
                problems.append(("proforma-value", message))
        return None, problems


def _quoted(value: str) -> str:
    return f"'{value}'" if len(value) <= 60 else f"'{value[:59]}…' ({len(value):,} characters)"


# --------------------------------------------------------------------------------------------
# Writing managers into the visit file's text

# The line-level YAML text primitives are shared with irp evidence add and irp judge.
_BREAK, INDENT, _lines, _last_line = BREAK, EDIT_INDENT, split_lines, last_line


def _manager_lines(person: Person, column: int, eol: str) -> list[str]:
    pad = " " * column
    lines = [f"{pad}responsible_manager:{eol}"]
    for key in ("name", "title", "email"):
        value = getattr(person, key)
        if value:
            lines.append(f"{pad}{' ' * INDENT}{key}: {yaml_scalar(value)}{eol}")
    return lines


def splice_managers(text: str, doc: VisitFile, managers: Mapping[str, Person]) -> str:
    """``text`` with each concern's ``responsible_manager`` set (added or replaced) and every
    other line exactly as it was."""
    root = doc.root
    assert isinstance(root, yaml.MappingNode)
    found = positions.item(root, "concerns")
    if found is None or not isinstance(found[1], yaml.SequenceNode):
        raise IrpError.at(doc.name, "the file has no list of concerns", code="proforma-import")
    concerns = found[1]
    lines = _lines(text)
    starts = [0]  # the offset of each line in text, and of the end
    for piece in lines:
        starts.append(starts[-1] + len(piece))
    eol = _BREAK.search(text)
    newline = eol.group(0) if eol else "\n"
    edits: list[tuple[int, int, str]] = []  # (start, end) offsets in text, and the new text
    for entry in concerns.value:
        if not isinstance(entry, yaml.MappingNode):
            continue
        id_pair = positions.item(entry, "id")
        cid = str(id_pair[1].value).strip() if id_pair else ""
        if cid not in managers:
            continue
        line, col = positions.mark(entry)
        if entry.flow_style or concerns.flow_style:
            raise IrpError.at(
                doc.name,
                f"concern {cid} is written on one line ({{...}}); write it as indented "
                "'key: value' lines to import managers into it",
                code="proforma-import",
                line=line,
                col=col,
            )
        column = int(entry.value[0][0].start_mark.column)
        new = _manager_lines(managers[cid], column, newline)
        existing = positions.item(entry, "responsible_manager")
        if (
            existing is not None
            and isinstance(existing[1], yaml.MappingNode)
            and _is_block(existing[1])
        ):
            edits.extend(_manager_edits(existing[1], managers[cid], lines, starts, newline))
        elif existing is not None:  # written on one line: replaced as a whole
            key, value = existing
            first, last = int(key.start_mark.line), _last_line(value)
            prefix = lines[first][: key.start_mark.column]  # '  - ' when it is the first key
            new[0] = prefix + new[0][column:]
            edits.append((starts[first], starts[last + 1], "".join(new)))
        else:
            after = _last_line(entry.value[-1][1]) + 1
            edits.append((starts[after], starts[after], "".join(new)))
    for start, end, replacement in sorted(edits, reverse=True):
        if start == len(text) and text and not _BREAK.search(text[-1]):
            replacement = newline + replacement  # the file had no final line break
        text = text[:start] + replacement + text[end:]
    return text


def splice_return(text: str, root: yaml.Node, item: str, day: date) -> str | None:
    """``text`` with ``visit.status.returns.<item>: <day>`` added (the sections made when they
    are missing) and every other line exactly as it was; None when the sections are written
    in a form this cannot add to (``{...}`` on one line), so the coordinator records it.
    ``root`` is the node tree of ``text``."""
    lines = _lines(text)
    eol = _BREAK.search(text)
    newline = eol.group(0) if eol else "\n"
    sections = ["visit", "status", "returns"]

    def nested(missing: list[str], column: int) -> list[str]:
        """The missing sections and the entry, each indented under the one before."""
        pad = " " * column
        new = [f"{pad}{' ' * INDENT * n}{name}:{newline}" for n, name in enumerate(missing)]
        return [*new, f"{pad}{' ' * INDENT * len(missing)}{item}: {day.isoformat()}{newline}"]

    node = root
    for depth, name in enumerate(sections):
        if not isinstance(node, yaml.MappingNode) or not _is_block(node):
            return None
        found = positions.item(node, name)
        if found is None:  # add it (and what goes inside) after the mapping's last line
            after = _last_line(node.value[-1][1]) + 1
            column = int(node.value[0][0].start_mark.column)
            return _insert(text, lines, after, nested(sections[depth:], column), newline)
        key, value = found
        if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null") and not value.value:
            column = int(key.start_mark.column) + INDENT  # 'status:' with nothing under it
            new = nested(sections[depth + 1 :], column)
            return _insert(text, lines, int(key.start_mark.line) + 1, new, newline)
        node = value
    if not isinstance(node, yaml.MappingNode) or not _is_block(node):
        return None
    after = _last_line(node.value[-1][1]) + 1
    return _insert(text, lines, after, nested([], int(node.value[0][0].start_mark.column)), newline)


def _insert(text: str, lines: list[str], at: int, new: list[str], newline: str) -> str:
    """``text`` with ``new`` lines inserted before its 0-based line ``at``."""
    head = "".join(lines[:at])
    if head and not _BREAK.search(head[-1]):
        head += newline  # the file had no final line break
    return head + "".join(new) + "".join(lines[at:])


def _is_block(node: yaml.MappingNode) -> bool:
    return not node.flow_style and bool(node.value)


def _manager_edits(
    node: yaml.MappingNode, person: Person, lines: list[str], starts: list[int], newline: str
) -> list[tuple[int, int, str]]:
    """Edits that turn a recorded ``responsible_manager`` into ``person`` key by key, so that
    the comments among its lines (and after its values) stay where they are: a changed value
    is replaced where it stands, a value the pro forma no longer gives is removed with its
    line, a new one is added after the last."""
    edits: list[tuple[int, int, str]] = []
    present = set()
    for key, value in node.value:
        field = str(key.value)
        present.add(field)
        wanted = getattr(person, field, None)
        if wanted is None:  # remove the key's lines
            first, last = int(key.start_mark.line), _last_line(value)
            edits.append((starts[first], starts[last + 1], ""))
        elif not (isinstance(value, yaml.ScalarNode) and value.value == wanted):
            start = starts[value.start_mark.line] + value.start_mark.column
            last = _last_line(value)
            if isinstance(value, yaml.ScalarNode) and value.style not in ("|", ">"):
                end = starts[value.end_mark.line] + value.end_mark.column
            else:  # a block scalar or a nested value: up to the end of its last line
                end = starts[last] + len(_BREAK.sub("", lines[last]))
            edits.append((start, end, yaml_scalar(wanted)))
    column = int(node.value[0][0].start_mark.column)
    after = starts[_last_line(node.value[-1][1]) + 1]
    added = [
        f"{' ' * column}{field}: {yaml_scalar(getattr(person, field))}{newline}"
        for field in ("name", "title", "email", "phone")
        if field not in present and getattr(person, field, None)
    ]
    if added:
        edits.append((after, after, "".join(added)))
    return edits


# --------------------------------------------------------------------------------------------
# The whole import


@dataclass(frozen=True)
class ImportResult:
    """What importing a filled pro forma would do to the visit file: its text before and
    after, and why."""

    old_text: str
    new_text: str
    plan: ImportPlan
    recorded: date | None = None  # the pro forma's arrival, newly recorded in visit.status

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text


def import_proforma(
    visit_path: Path, filled_path: Path, received: date | None = None
) -> ImportResult:
    """Read the filled pro forma and work out the visit file's new text (nothing is written):
    the managers, and with ``received`` the pro forma's arrival on that day in
    ``visit.status.returns`` (guide 2.9) unless a date is recorded already.

    Raises :class:`IrpError` when the pro forma cannot be read, is for another visit or has
    errors (with its warnings too), so the visit file is left alone."""
    from irp_cli.files import read_bounded
    from irp_cli.visitfile.loader import MAX_BYTES, decode
    from irp_cli.visitfile.models import ReturnItem

    visit_name = str(visit_path)
    raw = read_bounded(visit_path, limit=MAX_BYTES, what="a visit file")  # read once
    raw_text = decode(raw, visit_name)
    bom = raw.startswith(b"\xef\xbb\xbf")
    doc = parse_visit(raw_text, visit_name, visit_path)
    filled = read_filled_form(filled_path)
    same = identity_findings(doc.visit, filled, str(filled_path), visit_name)
    if any(f.severity == "error" for f in same):
        raise IrpError(same)
    plan = plan_import(doc.visit, filled.rows, str(filled_path), visit_name)
    plan = ImportPlan(plan.managers, same + plan.findings, plan.unchanged)
    if plan.errors:
        raise IrpError(plan.findings)
    new_text = splice_managers(raw_text, doc, plan.managers) if plan.managers else raw_text
    recorded: date | None = None
    if received is not None and ReturnItem.PROFORMA not in doc.visit.visit.status.returns:
        root = parse_visit(new_text, visit_name, visit_path).root
        spliced = splice_return(new_text, root, ReturnItem.PROFORMA.value, received)
        if spliced is None:
            message = (
                f"the pro forma's arrival is not recorded: add 'proforma: {received}' under "
                "visit: status: returns: yourself (written on one line there, so irp leaves it)"
            )
            plan.findings.append(Finding(visit_name, "warning", "proforma-return", message))
        else:
            new_text, recorded = spliced, received
    _check_result(new_text, visit_name, visit_path, plan.managers, recorded)
    prefix = "\ufeff" if bom else ""
    return ImportResult(prefix + raw_text, prefix + new_text, plan, recorded)


def _check_result(
    text: str,
    name: str,
    path: Path,
    managers: Mapping[str, Person],
    recorded: date | None = None,
) -> None:
    """The new text must read back as a valid visit with exactly the intended managers (and
    the pro forma's arrival when it was recorded)."""
    from irp_cli.visitfile.models import ReturnItem

    visit = parse_visit(text, name, path).visit
    got = {c.id: c.responsible_manager for c in visit.concerns if c.id in managers}
    if got != dict(managers):  # pragma: no cover - a bug in splice_managers
        raise RuntimeError("the edited visit file does not hold the imported managers")
    arrived = visit.visit.status.returns.get(ReturnItem.PROFORMA)
    if recorded is not None and arrived != recorded:  # pragma: no cover - a bug
        raise RuntimeError("the edited visit file does not hold the pro forma's arrival")


def identity_findings(visit: Visit, filled: Filled, name: str, visit_name: str) -> list[Finding]:
    """Whether the filled pro forma belongs to this visit, before any manager is taken from it:
    an error when it names another visit (concern ids repeat across visits, so another
    prison's workbook would otherwise fit), an error for each concern whose text differs from
    the visit file's (a pro forma from an older version of the visit), and a warning when it
    names no visit at all (made by hand, or the About sheet removed)."""
    if filled.visit_id is not None and filled.visit_id != visit.key:
        message = (
            f"this pro forma is for another visit ({VISIT_ID} {filled.visit_id}), not "
            f"{visit.establishment.name}'s ({visit.key}); nothing imported: check that you "
            "chose the right file"
        )
        return [Finding(name, "error", "proforma-visit", message)]
    found: list[Finding] = []
    if filled.visit_id is None:
        message = (
            f"the pro forma does not say which visit it is for (no '{VISIT_ID}'); the concern "
            "texts are checked instead"
        )
        found.append(Finding(name, "warning", "proforma-visit", message))
    concerns = {c.id: c for c in visit.concerns}
    for row in filled.rows:
        concern = concerns.get(row.id)
        if concern is None or not row.text or _same_text(row.text, concern.text):
            continue
        message = (
            f"{row.id}'s text differs from the visit file's (the pro forma says "
            f"'{_short(row.text)}', the visit file '{_short(concern.text)}'): it comes from "
            "an older version of this visit or from another visit; nothing imported. Make a "
            "new one with 'irp proforma' if the concerns have changed"
        )
        found.append(Finding(name, "error", "proforma-text", message, line=row.number))
    return found


def _same_text(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
        return re.sub(r"\s+", " ", text.replace("\u201d", '"')).strip().casefold()

    return norm(a) in (norm(b), norm(csv_safe(b)))  # as written, or as made safe for a sheet


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(result: ImportResult) -> Iterator[str]:
    """One line per manager recorded, for the coordinator."""
    for cid, person in result.plan.managers.items():
        extra = ", ".join(p for p in (person.title, person.email) if p)
        yield f"{cid}: {person.name}{f' ({extra})' if extra else ''}"
    if result.recorded is not None:
        yield f"visit.status.returns.proforma: {result.recorded.isoformat()} (guide 2.9)"
