"""Read a population summary from the PDF itself (guide Appendix II): the figures from the PDF's
text layer, with pypdf (imported only here, so no other command pays for it).

The text is read line by line, as NOMIS lays out its 'summary' tab:

    Adult HMP Establishments Population Breakdown - Summary
    Data Refreshed Date 20/01/2012
    ALBANY (HMP)
    Status 18 - 20 yr olds 21 and over Other %
    Sentenced 4 519 0 91.6%
    ...
    Total 5 566 0 100.0%
    Age No. of Prisoners %
    Minimum Age: 18 - -
    Under 21 5 0.9%

A section starts at a line that begins with its heading (Status, Sentence, Age, Nationality);
each row is its label followed by as many figures as the section has columns (counted from the
right, so a label that ends in a number, 'Under 21', stays whole). A problem is reported at
``FILE:LINE:COL`` where LINE is the line of the PDF's text layer (its pages one after the
other, :func:`pdf_text`) and COL the figure's column in that line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from irp_cli.errors import Finding, IrpError
from irp_cli.population.reports import (
    AGE_COLUMNS,
    PERCENT,
    REPORTS,
    SECTIONS,
    TOTAL,
    ReportKind,
    kind_from_text,
)
from irp_cli.population.summary import (
    AgeLimit,
    Cell,
    Labelled,
    Place,
    Row,
    Section,
    Summary,
    load_summary,
)

MAX_PDF_BYTES = 20_000_000  # the summary tab is a page or three
MAX_PAGES = 20

_FIGURE = re.compile(r"\S+")
_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
_REFRESHED = re.compile(r"Data Refreshed Date\s*:?\s*(\d{1,2})/(\d{1,2})/(\d{4})", re.I)
_ESTABLISHMENT = re.compile(
    r"^\s*([A-Z][A-Z0-9 .'&-]*\((?:HMP|HMYOI|YOI|HMP ?[/&] ?YOI|HMP/YOI)\))"
)
_AGE_LIMIT = re.compile(r"^\s*(Minimum|Maximum) Age\s*:\s*(\d+)", re.I)


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs what it repairs in a damaged file ("EOF marker not found", "invalid pdf
    header: b'...'") straight to stderr, and warns; not for a coordinator, who gets one line
    saying what is wrong instead."""
    import logging
    import warnings

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def pdf_text(path: Path) -> str:
    """The text layer of the PDF at ``path``, its pages one after the other."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from irp_cli.files import read_bounded

    raw = read_bounded(path, limit=MAX_PDF_BYTES, what="a population summary PDF")
    name = str(path)
    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise IrpError.at(
                name, "the PDF is encrypted; ask for it without a password", code="pdf"
            )
        if len(reader.pages) > MAX_PAGES:
            message = f"the PDF has {len(reader.pages)} pages; the summary tab has a few"
            raise IrpError.at(name, message, code="pdf")
        with _quiet_pypdf():
            pages = [page.extract_text() or "" for page in reader.pages]
    except IrpError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        message = f"cannot read this PDF ({type(exc).__name__}); is it the PDF saved from NOMIS?"
        raise IrpError.at(name, message, code="pdf") from None
    text = "\n".join(pages)
    if not text.strip():
        message = (
            "the PDF has no text to read (a scan?); type its figures into a summary file "
            "instead (see examples/population/)"
        )
        raise IrpError.at(name, message, code="pdf")
    return text


def read_summary(path: Path) -> Summary:
    """A summary from either kind of file: the NOMIS PDF itself (``.pdf``) or the figures typed
    into YAML (:func:`irp_cli.population.summary.load_summary`)."""
    if path.suffix.lower() == ".pdf":
        return load_pdf_summary(path)
    return load_summary(path)


def load_pdf_summary(path: Path) -> Summary:
    """A summary read from the NOMIS PDF, or :class:`IrpError` naming what could not be read."""
    return parse_pdf_text(pdf_text(path), str(path))


def parse_pdf_text(text: str, name: str) -> Summary:
    """A summary from the PDF's text (see the module's docstring for the layout)."""
    lines = text.splitlines()
    problems: list[Finding] = []

    def problem(line: int, col: int, message: str, code: str = "pdf") -> None:
        problems.append(Finding(name, "error", code, message, line=line, col=col))

    kind: ReportKind | None = None
    kind_place = Place(1, 1)
    refreshed: tuple[date, Place] | None = None
    establishment: Labelled | None = None
    for number, line in enumerate(lines, start=1):
        if kind is None and "Population Breakdown" in line:
            kind = kind_from_text(line.strip())
            kind_place = Place(number, len(line) - len(line.lstrip()) + 1)
        if refreshed is None and (m := _REFRESHED.search(line)):
            try:
                refreshed = (date(int(m[3]), int(m[2]), int(m[1])), Place(number, m.start(1) + 1))
            except ValueError:
                problem(number, m.start(1) + 1, f"'{m[0]}' is not a date")
        if establishment is None and (m := _ESTABLISHMENT.match(line)):
            establishment = Labelled(" ".join(m[1].split()), Place(number, m.start(1) + 1))
    if kind is None:
        names = "; ".join(r.name for r in REPORTS.values())
        problem(1, 1, f"no report name found (one of: {names})")
    if refreshed is None:
        problem(1, 1, "no 'Data Refreshed Date DD/MM/YYYY' found")
    if establishment is None:
        problem(1, 1, "no establishment, such as 'ASHCOMBE (HMP)', found")
    columns = REPORTS[kind or ReportKind.ADULT].columns
    sections, minimum, maximum = _sections(lines, columns, problem)
    for key, title in SECTIONS.items():
        if key not in {s.key for s in sections}:
            problem(1, 1, f"no {title} section found (a line starting '{title}')", "missing")
    if problems or kind is None or refreshed is None or establishment is None:
        raise IrpError(problems)
    return Summary(
        file=name,
        kind=kind,
        kind_place=kind_place,
        establishment=establishment,
        data_refreshed=refreshed[0],
        data_refreshed_place=refreshed[1],
        sections=tuple(sections),
        minimum_age=minimum,
        maximum_age=maximum,
    )


def _sections(
    lines: list[str], columns: tuple[str, ...], problem: Callable[..., None]
) -> tuple[list[Section], AgeLimit | None, AgeLimit | None]:
    sections: list[Section] = []
    minimum = maximum = None
    current: tuple[str, int, list[Row], list[Row]] | None = None  # key, line, rows, total

    def close() -> None:
        if current is None:
            return
        key, start, rows, total = current
        section_columns = AGE_COLUMNS if key == "age" else columns
        if not total:
            problem(start, 1, f"the {SECTIONS[key]} section has no 'Total' row", "missing")
        sections.append(
            Section(
                key, SECTIONS[key], section_columns, tuple(rows), total[0] if total else None,
                Place(start, 1),
            )
        )  # fmt: skip

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        heading = next(
            (k for k, t in SECTIONS.items() if re.match(rf"{t}\b(?!\s*:)", stripped)), None
        )
        opens = heading is not None and not any(s.key == heading for s in sections)
        if opens and (current is None or current[0] != heading):
            assert heading is not None
            close()
            current = (heading, number, [], [])
            continue
        if current is None:
            continue
        key = current[0]
        if key == "age" and (m := _AGE_LIMIT.match(line)):
            limit = AgeLimit(int(m[2]), Place(number, m.start(2) + 1))
            if m[1].lower() == "minimum":
                minimum = limit
            else:
                maximum = limit
            continue
        row = _row(line, number, AGE_COLUMNS if key == "age" else columns)
        if row is None:
            continue
        if row.label.casefold() == TOTAL.casefold():
            current[3].append(row)
            close()
            current = None
        else:
            current[2].append(row)
    close()
    return sections, minimum, maximum


def _row(line: str, number: int, columns: tuple[str, ...]) -> Row | None:
    """A row: its label, then exactly one figure per column; None for any other line."""
    tokens = list(_FIGURE.finditer(line))
    if len(tokens) <= len(columns):
        return None
    figures = tokens[-len(columns) :]
    cells = []
    for column, token in zip(columns, figures, strict=True):
        text = token[0]
        if column == PERCENT:
            m = _PERCENT.match(text)
            if m is None:
                return None
            cells.append(Cell(float(m[1]), Place(number, token.start() + 1)))
        else:
            if not _COUNT.match(text):
                return None
            cells.append(Cell(int(text.replace(",", "")), Place(number, token.start() + 1)))
    label = line[: figures[0].start()].strip()
    if not label:
        return None
    return Row(" ".join(label.split()), tuple(cells), Place(number, tokens[0].start() + 1))
