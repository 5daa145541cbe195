"""A population summary as typed from the prison's PDF: the file format and its reader.

The file mirrors the report's page, so that the figures can be copied row by row::

    report: adult                 # adult, yoi or split (or the report's name)
    establishment: ALBANY (HMP)   # as printed on the report
    data_refreshed: 20/01/2012    # 'Data Refreshed Date' (DD/MM/YYYY, or YYYY-MM-DD)
    status:                       # one line per row: its label, then its figures in order
      Sentenced: [4, 519, 0, 91.6%]
      Total: [5, 566, 0, 100.0%]
    age:
      Minimum Age: 18
      Under 21: [5, 0.9%]
      Maximum Age: 111
      Total: [571, 100.0%]

Every value keeps its line and column, so each check can point at the figure that is wrong.
The reader is the project's strict YAML loader (no yes/no booleans, duplicate keys refused, file
size and aliases bounded): a summary comes from outside and may be hostile.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from irp_cli.errors import Finding, IrpError
from irp_cli.population.reports import (
    AGE_COLUMNS,
    MAXIMUM_AGE,
    MINIMUM_AGE,
    PERCENT,
    REPORTS,
    SECTIONS,
    TOTAL,
    ReportKind,
    kind_from_text,
)

WHAT = "population summary"
MAX_ROWS = 200  # a section of the summary page has a dozen rows
MAX_COLUMNS = 12

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_PERCENT_TEXT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$")
_AGE_LIMITS = {MINIMUM_AGE.casefold(): MINIMUM_AGE, MAXIMUM_AGE.casefold(): MAXIMUM_AGE}
_UK_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


@dataclass(frozen=True)
class Place:
    """Where a value is in the file: 1-based line and column."""

    line: int
    col: int


@dataclass(frozen=True)
class Cell:
    """One figure: a count (int) or a percentage (float), where it was typed."""

    value: float
    place: Place


@dataclass(frozen=True)
class Row:
    """A row of a section of the summary: its label, its cells and where the label is."""

    label: str
    cells: tuple[Cell, ...]
    place: Place  # of the label

    def cell(self, index: int) -> Cell:
        return self.cells[index]


@dataclass(frozen=True)
class Section:
    """A section of the summary (status, sentence, age or nationality), with its Total row."""

    key: str  # status, sentence, age, nationality
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]  # without the Total row
    total: Row | None
    place: Place  # of the section's key

    def count_columns(self) -> list[int]:
        """The columns that hold counts of prisoners (not the row total, not the %)."""
        return [i for i, c in enumerate(self.columns) if c not in (TOTAL, PERCENT)]

    def column(self, name: str) -> int | None:
        return self.columns.index(name) if name in self.columns else None


@dataclass(frozen=True)
class Labelled:
    """A text or date value with its place."""

    text: str
    place: Place


@dataclass(frozen=True)
class AgeLimit:
    """The youngest or oldest age the summary gives, and where."""

    value: int
    place: Place


@dataclass(frozen=True)
class Summary:
    """The prisoner population summary as typed from the prison's report (Appendix II)."""

    file: str
    kind: ReportKind
    kind_place: Place
    establishment: Labelled
    data_refreshed: date
    data_refreshed_place: Place
    sections: tuple[Section, ...]
    minimum_age: AgeLimit | None
    maximum_age: AgeLimit | None

    @property
    def report_name(self) -> str:
        return REPORTS[self.kind].name

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


# --------------------------------------------------------------------------------------------
# Reading


#: Top-level keys only a visit file has.
_VISIT_KEYS = frozenset({"schema_version", "previous_inspection", "visit"})


def _place(node: yaml.Node) -> Place:
    return Place(node.start_mark.line + 1, node.start_mark.column + 1)


class _Reader:
    """Walks the node tree once, collecting every problem instead of stopping at the first."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.findings: list[Finding] = []

    def problem(self, where: yaml.Node | Place, message: str, code: str, loc: str = "") -> None:
        place = where if isinstance(where, Place) else _place(where)
        self.findings.append(
            Finding(self.name, "error", code, message, line=place.line, col=place.col, loc=loc)
        )

    # -- the top level ------------------------------------------------------------------------

    def read(self, root: yaml.MappingNode) -> Summary | None:
        fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        allowed = ["report", "establishment", "data_refreshed", "columns", *SECTIONS]
        names = {str(key.value) for key, _ in root.value if isinstance(key, yaml.ScalarNode)}
        if names & _VISIT_KEYS and not names & (set(allowed) - {"establishment"}):
            self.problem(
                Place(1, 1),
                "this is a visit file, not a population summary: give the summary the prison "
                "sent (typed into a YAML file, or its PDF); "
                f"'irp population guide {self.name}' says which report it is",
                "visit-file",
            )
            return None
        for key, value in root.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; use {', '.join(allowed)}"
                self.problem(key, f"'{name}' is not part of a population summary{hint}", "unknown")
                continue
            fields[name] = (key, value)
        for needed in ("report", "establishment", "data_refreshed", *SECTIONS):
            if needed not in fields:
                self.problem(root, f"'{needed}' is missing", "missing")
        kind, kind_place = self.kind(fields.get("report"))
        establishment = self.text(fields.get("establishment"), "establishment")
        refreshed = self.date(fields.get("data_refreshed"))
        columns = self.columns(fields.get("columns"), kind)
        sections: list[Section] = []
        minimum = maximum = None
        for key in SECTIONS:
            if key not in fields:
                continue
            is_age = key == "age"
            section, limits = self.section(key, fields[key], AGE_COLUMNS if is_age else columns)
            if section is not None:
                sections.append(section)
            if is_age:
                minimum, maximum = limits.get(MINIMUM_AGE), limits.get(MAXIMUM_AGE)
        if self.findings or kind is None or establishment is None or refreshed is None:
            return None
        return Summary(
            file=self.name,
            kind=kind,
            kind_place=kind_place,
            establishment=establishment,
            data_refreshed=refreshed[0],
            data_refreshed_place=refreshed[1],
            sections=tuple(sections),
            minimum_age=minimum,
            maximum_age=maximum,
        )

    def scalar(self, field: tuple[yaml.Node, yaml.Node], what: str) -> yaml.ScalarNode | None:
        key, value = field
        if not isinstance(value, yaml.ScalarNode) or value.tag == _NULL or not value.value:
            self.problem(value if value.tag != _NULL else key, f"give {what}", "invalid", key.value)
            return None
        return value

    def kind(self, field: tuple[yaml.Node, yaml.Node] | None) -> tuple[ReportKind | None, Place]:
        if field is None:
            return None, Place(1, 1)
        node = self.scalar(field, "the report: adult, yoi or split")
        if node is None:
            return None, _place(field[1])
        kind = kind_from_text(str(node.value))
        if kind is None:
            names = "; ".join(f"{k.value} ({r.name})" for k, r in REPORTS.items())
            self.problem(node, f"'{node.value}' is not one of the reports: {names}", "invalid")
        return kind, _place(node)

    def text(self, field: tuple[yaml.Node, yaml.Node] | None, what: str) -> Labelled | None:
        if field is None:
            return None
        node = self.scalar(field, f"the {what} as printed on the report")
        if node is None:
            return None
        return Labelled(" ".join(str(node.value).split()), _place(node))

    def date(self, field: tuple[yaml.Node, yaml.Node] | None) -> tuple[date, Place] | None:
        if field is None:
            return None
        node = self.scalar(field, "the 'Data Refreshed Date' as printed (DD/MM/YYYY)")
        if node is None:
            return None
        text = str(node.value).strip()
        uk = _UK_DATE.match(text)
        try:
            if uk:
                return date(int(uk[3]), int(uk[2]), int(uk[1])), _place(node)
            return date.fromisoformat(text), _place(node)
        except ValueError:
            message = (
                f"'{text}' is not a date; write it as on the report (20/01/2012) or 2012-01-20"
            )
            self.problem(node, message, "invalid", "data_refreshed")
            return None

    def columns(
        self, field: tuple[yaml.Node, yaml.Node] | None, kind: ReportKind | None
    ) -> tuple[str, ...]:
        default = REPORTS[kind].columns if kind is not None else REPORTS[ReportKind.ADULT].columns
        if field is None:
            return default
        value = field[1]
        items = value.value if isinstance(value, yaml.SequenceNode) else None
        if (
            not items
            or len(items) > MAX_COLUMNS
            or not all(isinstance(i, yaml.ScalarNode) and i.value for i in items)
        ):
            message = f"give the column headings as a list, e.g. [{', '.join(default)}]"
            self.problem(value, message, "invalid", "columns")
            return default
        names = tuple(" ".join(str(i.value).split()) for i in items)
        if not any(n not in (TOTAL, PERCENT) for n in names):
            self.problem(value, "the columns need at least one count of prisoners", "invalid")
        for heading in (TOTAL, PERCENT):
            if names.count(heading) > 1:
                self.problem(value, f"'{heading}' is given twice", "invalid", "columns")
        return names

    # -- sections -----------------------------------------------------------------------------

    def section(
        self, key: str, field: tuple[yaml.Node, yaml.Node], columns: tuple[str, ...]
    ) -> tuple[Section | None, dict[str, AgeLimit]]:
        key_node, node = field
        limits: dict[str, AgeLimit] = {}
        if not isinstance(node, yaml.MappingNode) or not node.value:
            self.problem(
                node if isinstance(node, yaml.MappingNode | yaml.SequenceNode) else key_node,
                f"give the {SECTIONS[key]} section's rows, one per line: 'Label: [figures]'",
                "invalid",
                key,
            )
            return None, limits
        if len(node.value) > MAX_ROWS:
            self.problem(node, f"more than {MAX_ROWS} rows; this is not a summary", "invalid", key)
            return None, limits
        rows: list[Row] = []
        total: Row | None = None
        for label_node, value in node.value:
            label = " ".join(str(label_node.value).split())
            loc = f"{key}.{label}"
            if key == "age" and label.casefold() in (
                MINIMUM_AGE.casefold(),
                MAXIMUM_AGE.casefold(),
            ):
                which = MINIMUM_AGE if label.casefold() == MINIMUM_AGE.casefold() else MAXIMUM_AGE
                if (limit := self.age(value, loc)) is not None:
                    limits[which] = limit
                continue
            row = self.row(label, label_node, value, columns, loc)
            if row is None:
                continue
            if label.casefold() == TOTAL.casefold():
                total = row
            else:
                rows.append(row)
        if total is None:
            self.problem(
                key_node, f"the {SECTIONS[key]} section has no 'Total' row", "missing", key
            )
        if key == "age":
            for which in (MINIMUM_AGE, MAXIMUM_AGE):
                if which not in limits:
                    self.problem(key_node, f"the Age section has no '{which}' line", "missing", key)
        section = Section(key, SECTIONS[key], columns, tuple(rows), total, _place(key_node))
        return section, limits

    def row(
        self,
        label: str,
        label_node: yaml.Node,
        node: yaml.Node,
        columns: tuple[str, ...],
        loc: str,
    ) -> Row | None:
        expected = f"[{', '.join(columns)}]"
        if not isinstance(node, yaml.SequenceNode):
            self.problem(
                node, f"give the row's figures in square brackets: {expected}", "invalid", loc
            )
            return None
        if len(node.value) != len(columns):
            hint = (
                "; write numbers without a thousands comma (1234, not 1,234)"
                if len(node.value) > len(columns)
                else ""
            )
            message = (
                f"{len(node.value)} figures, but the columns are {expected} ({len(columns)}){hint}"
            )
            self.problem(node, message, "row-length", loc)
            return None
        cells = []
        for column, item in zip(columns, node.value, strict=True):
            cell = self.figure(item, column, loc)
            if cell is None:
                return None
            cells.append(cell)
        return Row(label, tuple(cells), _place(label_node))

    def figure(self, node: yaml.Node, column: str, loc: str) -> Cell | None:
        text = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        if column == PERCENT:
            value: float | None = None
            if isinstance(node, yaml.ScalarNode) and node.tag in (_INT, _FLOAT):
                value = float(node.value)
            elif isinstance(node, yaml.ScalarNode) and (m := _PERCENT_TEXT.match(text)):
                value = float(m[1])
            if value is None or not 0 <= value <= 1000:
                shown = f"'{text}'" if text else "this"
                self.problem(node, f"{shown} is not a percentage such as 91.6%", "invalid", loc)
                return None
            return Cell(value, _place(node))
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT or int(node.value) < 0:
            shown = f"'{text}'" if text else "this"
            hint = " (type 0 for an empty cell or '-')" if text in ("", "-") else ""
            self.problem(
                node, f"{shown} is not a number of prisoners ({column}){hint}", "invalid", loc
            )
            return None
        return Cell(int(node.value), _place(node))

    def age(self, node: yaml.Node, loc: str) -> AgeLimit | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT or int(node.value) < 0:
            self.problem(node, "give the age in years, e.g. 'Minimum Age: 18'", "invalid", loc)
            return None
        return AgeLimit(int(node.value), _place(node))


def parse_summary(text: str, name: str) -> Summary:
    """A summary from its YAML text, or :class:`IrpError` with every problem, each at its place."""
    from irp_cli.visitfile.loader import compose

    root = compose(text, name, what=WHAT)
    assert isinstance(root, yaml.MappingNode)  # compose() refuses any other root
    reader = _Reader(name)
    summary = reader.read(root)
    if summary is None:
        raise IrpError(reader.findings)
    return summary


def load_summary(path: Path) -> Summary:
    """Read a summary whose figures are typed into YAML (for either kind of file, typed or the
    NOMIS PDF, use :func:`irp_cli.population.pdf.read_summary`)."""
    from irp_cli.visitfile.loader import display_name, read_text

    name = display_name(path)
    return parse_summary(read_text(path, what=WHAT), name)


def cells_of(rows: Sequence[Row], index: int) -> list[Cell]:
    return [row.cells[index] for row in rows]
