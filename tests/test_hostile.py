"""Hostile and accidental input (issues 13 and 14): each case is a reproducer of something that
once crashed, hung or exhausted memory, and now gets one located line and exit 1."""

from __future__ import annotations

import copy
import csv
import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLES

from irp_cli.errors import Finding, IrpError
from irp_cli.text import check_free_text, check_line, terminal_safe
from irp_cli.visitfile.config import MAX_CONFIG_BYTES, load_config
from irp_cli.visitfile.loader import load_visit

ASHCOMBE = (EXAMPLES / "hmp-ashcombe.yaml").read_text(encoding="utf-8")


def visit_problem(path: Path) -> Finding:
    with pytest.raises(IrpError) as caught:
        load_visit(path)
    assert len(caught.value.findings) == 1, caught.value.lines()
    return caught.value.findings[0]


def config_problems(path: Path) -> list[Finding]:
    with pytest.raises(IrpError) as caught:
        load_config(path)
    return caught.value.findings


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


# --- the YAML loader: every tag and every number is built at its place, or refused there ------


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        pytest.param(
            "schema_version: 1",
            "schema_version: !!timestamp 2025-02-31",
            "tag '!!timestamp' is not used in visit files",
            id="timestamp-day-out-of-range",
        ),
        pytest.param(
            "first_day: 2025-06-09",
            "first_day: !!timestamp 2025-06-09",
            "write the date as YYYY-MM-DD",
            id="timestamp-valid",
        ),
        pytest.param(
            "schema_version: 1",
            "schema_version: !!int abc",
            "'abc' is not a whole number",
            id="int-abc",
        ),
        pytest.param(
            "schema_version: 1",
            "schema_version: !!float abc",
            "'abc' is not a number",
            id="float-abc",
        ),
        pytest.param(
            "schema_version: 1",
            "schema_version: !!bool maybe",
            "not true or false",
            id="bool-maybe",
        ),
        pytest.param(
            "schema_version: 1",
            "schema_version: !!int " + "9" * 5000,
            "a number of 5,000 digits",
            id="int-5000-digits",
        ),
        pytest.param(
            "schema_version: 1", "schema_version: !!binary aGVsbG8=", "'!!binary'", id="binary"
        ),
        pytest.param("schema_version: 1", "schema_version: !!set {a: 1}", "'!!set'", id="set"),
        pytest.param(
            "schema_version: 1",
            "schema_version: !!python/object:os.system ls",
            "'!!python/object:os.system'",
            id="python-object",
        ),
        pytest.param(
            "schema_version: 1", "schema_version: !custom 1", "'!custom'", id="custom-tag"
        ),
    ],
)
def test_yaml_tags_and_numbers_are_refused_at_their_place(
    write_visit: Callable[..., Path], old: str, new: str, words: str
) -> None:
    text = ASHCOMBE.replace(old, new, 1)
    finding = visit_problem(write_visit(text))
    assert finding.code == "yaml-value"
    assert words in finding.message
    assert finding.line == _line_of(text, new)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("1749427200", id="unix-timestamp"),
        pytest.param("1749427200.0", id="unix-timestamp-float"),
        pytest.param("'20250609'", id="digits-only"),
        pytest.param("'2025-06-09T00:00:00'", id="with-a-time"),
    ],
)
def test_dates_are_yyyy_mm_dd_only(write_visit: Callable[..., Path], value: str) -> None:
    text = ASHCOMBE.replace("first_day: 2025-06-09", f"first_day: {value}", 1)
    finding = visit_problem(write_visit(text))
    assert finding.loc == "previous_inspection.first_day"
    assert "write dates as YYYY-MM-DD" in finding.message


@pytest.mark.parametrize("digits", [19, 5000])
def test_a_long_unquoted_number_is_text_not_a_number(
    write_visit: Callable[..., Path], digits: int
) -> None:
    text = ASHCOMBE.replace("  days: [3]", f"  days: [{'9' * digits}]", 1)
    finding = visit_problem(write_visit(text))
    assert finding.loc == "chief_inspector.days[0]"
    assert "is not a whole number" in finding.message


def test_a_long_number_in_a_population_summary_is_located(tmp_path: Path) -> None:
    from irp_cli.population.summary import load_summary

    source = (EXAMPLES / "population" / "hmp-ashcombe.yaml").read_text(encoding="utf-8")
    path = tmp_path / "summary.yaml"
    path.write_text(source.replace("Minimum Age: 18", f"Minimum Age: {'9' * 5000}", 1))
    with pytest.raises(IrpError) as caught:
        load_summary(path)
    first = caught.value.findings[0]
    assert (first.line, first.col) == (35, 16)
    assert first.message == "give the age in years, e.g. 'Minimum Age: 18'"


def test_a_huge_value_is_quoted_short(write_visit: Callable[..., Path]) -> None:
    text = ASHCOMBE.replace("schema_version: 1", f"schema_version: '{'9' * 5000}'", 1)
    finding = visit_problem(write_visit(text))
    assert "(5,000 characters)" in finding.message
    assert len(finding.format()) < 300


# --- bounded reads: only regular files, size-checked before reading ------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "visit.yaml"
    os.mkfifo(fifo)
    finding = visit_problem(fifo)  # would block for ever if it were opened
    assert finding.code == "file"
    assert "not a regular file" in finding.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("kind", ["visit", "config"])
def test_dev_zero_is_refused_without_reading(kind: str) -> None:
    found = (
        visit_problem(Path("/dev/zero"))
        if kind == "visit"
        else config_problems(Path("/dev/zero"))[0]
    )
    assert "not a regular file" in found.message


# --- irp.toml: bounded like a visit file, its values validated -----------------------------


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        pytest.param(
            "x = " + "[" * 5000 + "]" * 5000 + "\n", "nested more than", None, id="deep-array"
        ),
        pytest.param(
            "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
            "nested more than",
            None,
            id="deep-table",
        ),
        pytest.param(
            "[rules]\nseverity = " + "{a = " * 20 + "'off'" + "}" * 20 + "\n",
            "nested more than",
            None,
            id="moderately-deep",
        ),
        pytest.param(
            "[timeline]\ndraft_report_working_days = " + "9" * 5000 + "\n",
            "a number too long",
            2,
            id="int-5000-digits",
        ),
        pytest.param(
            '[house]\nreference_format = "{year:>999999999}"\n',
            "width of 999,999,999",
            2,
            id="huge-width",
        ),
        pytest.param(
            '[house]\nreference_format = "{name:.99999}"\n',
            "width of 99,999",
            2,
            id="huge-precision",
        ),
        pytest.param(
            '[house]\nreference_format = "{year:{code}}"\n',
            "a field inside a field",
            2,
            id="nested-field",
        ),
        pytest.param(
            '[house]\nreference_format = "{code:d}"\n', "cannot be filled in", 2, id="wrong-type"
        ),
        pytest.param(
            '[house]\nreference_format = "{governor}"\n',
            "only {code}, {year}",
            2,
            id="unknown-field",
        ),
        pytest.param(
            "[timeline]\nletter_earliest_months = 2\nletter_latest_months = 3\n",
            "the latest point for the letter would come before the earliest",
            1,
            id="letter-window-reversed",
        ),
        pytest.param(
            '[house]\nmarking = "OFFICIAL\\u001b[2J"\n', "U+001B", 2, id="control-character"
        ),
        pytest.param(
            '[house]\ninspectorate = "HM\\nInspectorate"\n', "a line break", 2, id="line-break"
        ),
        pytest.param(
            "[calendar]\nclosures = [1749427200]\n", "YYYY-MM-DD", 2, id="timestamp-closure"
        ),
    ],
)
def test_bad_settings_are_refused(tmp_path: Path, text: str, words: str, line: int | None) -> None:
    path = tmp_path / "irp.toml"
    path.write_text(text, encoding="utf-8")
    (finding,) = config_problems(path)
    assert finding.code == "config"
    assert words in finding.message
    assert finding.line == line


def test_settings_with_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "irp.toml"
    path.write_bytes(b'\xef\xbb\xbf[house]\nmarking = "OFFICIAL-SENSITIVE"\n')
    assert load_config(path).house.marking == "OFFICIAL-SENSITIVE"


def test_an_oversized_settings_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "irp.toml"
    path.write_bytes(b"# " + b"x" * MAX_CONFIG_BYTES + b"\n")
    (finding,) = config_problems(path)
    assert "at most" in finding.message


def test_a_small_width_is_still_allowed(tmp_path: Path) -> None:
    path = tmp_path / "irp.toml"
    path.write_text(
        '[house]\nreference_format = "IRP/{code}/{year:04d}/{name:.10}"\n', encoding="utf-8"
    )
    assert load_config(path).house.reference_format.endswith("{name:.10}")


# --- characters: one decision for single lines and free text -------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("HMP\nAshcombe", "a line break"),
        ("HMP\u2028Ashcombe", "a line break"),
        ("HMP\tAshcombe", "a tab"),
        ("HMP \x1b[31mAshcombe", "U+001B"),
        ("HMP \x00Ashcombe", "U+0000"),
        ("HMP \x85Ashcombe", "a line break"),
        ("HMP \u202eebmohsA", "U+202E"),
        ("HMP \x7fAshcombe", "U+007F"),
    ],
)
def test_a_line_refuses_breaks_and_controls(value: str, words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)):
        check_line(value)


def test_free_text_keeps_line_breaks_but_no_other_control() -> None:
    assert check_free_text("One.\r\nTwo.\rThree.\tFour.") == "One.\nTwo.\nThree.\tFour."
    with pytest.raises(ValueError, match=r"U\+001B"):
        check_free_text("One.\n\x1b[2JTwo.")


@pytest.mark.parametrize(
    ("old", "new", "loc", "words"),
    [
        (
            "name: HMP Ashcombe",
            'name: "HMP \\e[31mAshcombe"',
            "establishment.name",
            "U+001B",
        ),
        ("name: HMP Ashcombe", 'name: "HMP\\nAshcombe"', "establishment.name", "a line break"),
        (
            "name: HMP Ashcombe",
            "name: " + "A" * 201,
            "establishment.name",
            "at most 200",
        ),
        (
            "    text: Too many prisoners",
            '    text: "\\x07Too many prisoners',
            "concerns[0].text",
            "U+0007",
        ),
        (
            "    email: dana.whitcombe@ashcombe.example.org",
            '    email: "dana\\e@ashcombe.example.org"',
            "establishment.governor.email",
            "not an email address",
        ),
    ],
)
def test_visit_file_characters_are_refused_at_their_place(
    write_visit: Callable[..., Path], old: str, new: str, loc: str, words: str
) -> None:
    text = ASHCOMBE.replace(old, new, 1)
    if new.startswith('    text: "'):
        text = text.replace("22 hours a day.", '22 hours a day."', 1)
    assert text != ASHCOMBE
    finding = visit_problem(write_visit(text))
    assert finding.loc == loc
    assert words in finding.message
    assert finding.line == _line_of(text, new.strip())


@pytest.mark.parametrize(
    ("old", "new", "line", "col"),
    [
        ("name: HMP Ashcombe", "name: HMP \x01Ashcombe", 7, 13),  # plain
        ("name: HMP Ashcombe", 'name: "HMP \x01Ashcombe"', 7, 14),  # in quotes
        ("name: HMP Ashcombe", "name: HMP Ashcombe # \x1f", 7, 24),  # in a comment
        ("name: HMP Ashcombe", "name: Hàm Åshcombe \x7f", 7, 22),  # after letters not in ASCII
    ],
    ids=["plain", "quoted", "comment", "after-accents"],
)
def test_a_raw_control_character_is_refused_at_its_line_and_column(
    write_visit: Callable[..., Path], old: str, new: str, line: int, col: int
) -> None:
    """A control character YAML itself refuses (before any model sees it) is still one
    located line, in words: PyYAML's own message has no line and counts bytes (issue 14)."""
    assert old in ASHCOMBE
    finding = visit_problem(write_visit(ASHCOMBE.replace(old, new, 1)))
    assert (finding.line, finding.col, finding.code) == (line, col, "yaml-syntax")
    assert finding.message.startswith("U+00"), finding.message
    assert "is not allowed in a visit file; delete it" in finding.message
    assert "position" not in finding.message and "unicode string" not in finding.message


def test_free_text_line_breaks_are_kept(write_visit: Callable[..., Path]) -> None:
    text = ASHCOMBE.replace(
        "    text: Too many prisoners",
        '    text: "First part.\\n\\nSecond part. Too many prisoners',
        1,
    ).replace("22 hours a day.", '22 hours a day."', 1)
    doc = load_visit(write_visit(text))
    assert doc.visit.concerns[0].text.startswith("First part.\n\nSecond part.")


def test_terminal_output_is_escaped() -> None:
    assert terminal_safe("a\x1b[2Jb\u202ec") == "a\\x1b[2Jb\\u202ec"
    assert terminal_safe("one\ntwo\tthree") == "one\ntwo\tthree"
    assert terminal_safe("one\ntwo", one_line=True) == "one\\x0atwo"


def test_findings_reach_the_terminal_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    from irp_cli.output import print_findings

    print_findings(
        [Finding("v\x1b]0;x\x07.yaml", "error", "x", "'\x1b[2J' is\nnot a role", line=3)]
    )
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert err == "v\\x1b]0;x\\x07.yaml:3: error [x] '\\x1b[2J' is\\x0anot a role\n"


# --- the pro forma: no live formulas, bounded reads ----------------------------------------


def _proforma_context() -> dict[str, Any]:
    from datetime import date

    from irp_cli.calendar.timeline import build_timeline
    from irp_cli.documents import context as documents
    from irp_cli.review.session import Session

    loaded = Session().load(EXAMPLES / "hmp-ashcombe.yaml", strict=True)
    visit, config, cal = loaded.doc.visit, loaded.config, loaded.calendar
    timeline = build_timeline(visit, config, cal)
    built = documents.simple_document(
        "proforma", visit, config, timeline, cal, letter_date=date(2026, 2, 10)
    ).context
    context = copy.deepcopy(dict(built))
    context["concerns"][0]["text"] = '=HYPERLINK("http://evil.example","Click")'
    context["concerns"][1]["text"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    context["concerns"][2]["manager"] = {"name": "+44 20 7946 0000", "title": "-1+1", "email": ""}
    return context


def test_no_cell_of_the_workbook_is_a_formula() -> None:
    import openpyxl

    from irp_cli.documents.proforma import workbook_bytes

    data = workbook_bytes(_proforma_context(), title="Pro forma", marking="OFFICIAL")
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [c.value for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells}
    assert '=HYPERLINK("http://evil.example","Click")' in texts  # kept, as text
    assert "+44 20 7946 0000" in texts


def test_csv_cells_that_would_run_as_formulas_are_neutralised() -> None:
    from irp_cli.documents.proforma import csv_bytes, csv_safe

    rows = list(csv.reader(io.StringIO(csv_bytes(_proforma_context(), bom=False).decode())))
    assert rows[0][0] == "Visit id"  # then the table
    assert rows[2][1] == '\'=HYPERLINK("http://evil.example","Click")'
    assert rows[3][1].startswith("'@SUM")
    assert rows[4][2:4] == ["'+44 20 7946 0000", "'-1+1"]
    assert [csv_safe(v) for v in ("\tx", "\rx", "x=1", "")] == ["'\tx", "'\rx", "x=1", ""]


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "filled.csv"
    path.write_text("Id,Concern,Manager's name,Job title,Email\n" + "".join(rows), encoding="utf-8")
    return path


def _import_problems(visit_path: Path, filled: Path) -> list[str]:
    from irp_cli.documents.proforma import import_proforma

    with pytest.raises(IrpError) as caught:
        import_proforma(visit_path, filled)
    return [f.format() for f in caught.value.findings if f.severity == "error"]


@pytest.fixture
def visit_copy(tmp_path: Path) -> Path:
    path = tmp_path / "visit.yaml"
    path.write_text(ASHCOMBE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("cells", "code", "words"),
    [
        (
            '=HYPERLINK(""http://evil.example"",""Jo"")',
            "proforma-formula",
            "looks like a spreadsheet formula",
        ),
        ("Jo,+1+1", "proforma-formula", "job title '+1+1' looks like"),
        ("@SUM(A1)", "proforma-formula", "looks like a spreadsheet formula"),
        ("Jo \x1b[31mBloggs", "proforma-value", "holds U+001B"),
        ("Jo \x07Bloggs", "proforma-value", "holds U+0007"),
        ("J" * 250, "proforma-value", "250 characters long"),
        ("Jo,,not-an-email", "proforma-email", "'not-an-email' is not an email address"),
    ],
)
def test_imported_values_are_checked_like_the_visit_file(
    tmp_path: Path, visit_copy: Path, cells: str, code: str, words: str
) -> None:
    filled = _csv(tmp_path, f'P1,,"{cells}"\n' if cells.startswith("=") else f"P1,,{cells}\n")
    before = visit_copy.read_bytes()
    (problem,) = _import_problems(visit_copy, filled)
    assert problem.startswith(f"{filled}:2: error [{code}] P1: ")
    assert words in problem
    assert visit_copy.read_bytes() == before


def test_a_formula_cell_in_a_workbook_is_refused(tmp_path: Path, visit_copy: Path) -> None:
    import openpyxl

    path = tmp_path / "filled.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Id", "Concern", "Manager's name"])
    sheet.append(["P1", "", '=HYPERLINK("http://evil.example","Jo")'])
    book.save(path)
    (problem,) = _import_problems(visit_copy, path)
    assert "[proforma-formula] P1: the manager's name '=HYPERLINK(" in problem


def test_an_unclosed_quote_is_refused_with_its_row(tmp_path: Path) -> None:
    from irp_cli.documents.proforma import read_filled

    path = _csv(tmp_path, "P1,,Jo\n", 'P2,,"Al\n', "P3,,Bo\n")
    with pytest.raises(IrpError) as caught:
        read_filled(path)
    (finding,) = caught.value.findings
    assert finding.line == 3
    assert "never closed" in finding.message


def _claims_every_cell(path: Path) -> None:
    """A tiny workbook whose sheet claims 1,048,576 x 16,384 cells (the issue's 7 KB file)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Id", "Concern", "Manager's name"])
    sheet.append(["P1", "", "Jo Bloggs"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
                data = data.replace(b"</sheetData>", b'<row r="1048576"/></sheetData>')
            target.writestr(info, data)


def test_claimed_dimensions_are_ignored(tmp_path: Path) -> None:
    import tracemalloc

    from irp_cli.documents.proforma import Row, read_filled

    path = tmp_path / "huge.xlsx"
    _claims_every_cell(path)
    assert path.stat().st_size < 10_000
    tracemalloc.start()
    try:
        rows = read_filled(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == [Row(2, "P1", "Jo Bloggs", "", "")]
    assert peak < 50_000_000


@pytest.mark.parametrize("kind", ["csv-bytes", "csv-rows", "xlsx-rows", "xlsx-unpacked", "fifo"])
def test_oversized_pro_formas_are_refused(tmp_path: Path, kind: str) -> None:
    import openpyxl

    from irp_cli.documents.proforma import MAX_FILLED_BYTES, MAX_ROWS, read_filled

    if kind == "csv-bytes":
        path = _csv(tmp_path, "P1,," + "J" * MAX_FILLED_BYTES + "\n")
        words = "at most"
    elif kind == "csv-rows":
        path = _csv(tmp_path, *[f"P{n},x,Jo\n" for n in range(MAX_ROWS + 20)])
        words = "rows; the pro forma has one row per concern"
    elif kind == "xlsx-rows":
        path = tmp_path / "filled.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Id", "Concern", "Manager's name"])
        for n in range(MAX_ROWS + 20):
            sheet.append([f"P{n}", "x", "Jo"])
        book.save(path)
        words = "rows; the pro forma has one row per concern"
    elif kind == "xlsx-unpacked":
        path = tmp_path / "filled.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("padding.xml", b" " * 30_000_000)  # compresses to a few KB
        words = "unpacks to 30,000,000 bytes"
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this system")
        path = tmp_path / "filled.csv"
        os.mkfifo(path)
        words = "not a regular file"
    with pytest.raises(IrpError) as caught:
        read_filled(path)
    (finding,) = caught.value.findings
    assert words in finding.message


# --- the template sandbox holds for files too ----------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the secret\n", encoding="utf-8")
    return secret


def _render(user: Path, name: str = "letter.md.j2") -> str:
    from irp_cli.documents import render

    return render.render_text(name, {}, user_dir=user, builtin_dir=EXAMPLES.parent / "templates")


@pytest.mark.parametrize("how", ["template", "include", "folder"])
def test_a_link_out_of_the_templates_folder_is_refused(
    tmp_path: Path, outside: Path, how: str
) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    if how == "template":
        (user / "letter.md.j2").symlink_to(outside)
    elif how == "include":
        (user / "_part.md.j2").symlink_to(outside)
        (user / "letter.md.j2").write_text(
            "Dear all,\n{% include '_part.md.j2' %}\n", encoding="utf-8"
        )
    else:
        (user / "sub").symlink_to(outside.parent, target_is_directory=True)
        (user / "letter.md.j2").write_text("{% include 'sub/secret.txt' %}\n", encoding="utf-8")
    with pytest.raises(IrpError) as caught:
        _render(user)
    (finding,) = caught.value.findings
    assert finding.code == "template-security"
    assert "outside the templates folder" in finding.message
    assert "the secret" not in finding.message


def test_a_link_inside_the_templates_folder_is_fine(tmp_path: Path) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    (user / "real.md.j2").write_text("Hello from inside\n", encoding="utf-8")
    (user / "letter.md.j2").symlink_to(user / "real.md.j2")
    assert _render(user) == "Hello from inside\n"


def test_a_fifo_template_is_not_read(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    user = tmp_path / "mine"
    user.mkdir()
    os.mkfifo(user / "mine.md.j2")
    with pytest.raises(IrpError) as caught:
        _render(user, "mine.md.j2")  # would wait for ever if it were opened
    assert caught.value.findings[0].code == "template-not-found"


def test_a_printed_document_cannot_drive_the_terminal(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from irp_cli.cli import app

    user = tmp_path / "mine"
    user.mkdir()
    (user / "returns.md.j2").write_text("Title \x1b]0;owned\x07\x1b[2J\n", encoding="utf-8")
    args = ["returns", str(EXAMPLES / "hmp-ashcombe.yaml"), "--templates", str(user)]
    result = CliRunner().invoke(app, [*args, "--date", "2026-02-10"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Title \\x1b]0;owned\\x07\\x1b[2J\n"


# --- paths and permissions ------------------------------------------------------------------


def _write_problem(path: Path, **kwargs: Any) -> Finding:
    from irp_cli.files import write_output

    with pytest.raises(IrpError) as caught:
        write_output(path, "new", **kwargs)
    (finding,) = caught.value.findings
    return finding


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_read_only_file_is_not_replaced_even_with_force(tmp_path: Path, dry_run: bool) -> None:
    target = tmp_path / "letter.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o444)
    finding = _write_problem(target, force=True, dry_run=dry_run)
    assert finding.code == "output-read-only"
    assert "read-only" in finding.message
    assert target.read_text(encoding="utf-8") == "old"


def test_proforma_import_does_not_replace_a_read_only_visit_file(
    tmp_path: Path, visit_copy: Path
) -> None:
    from typer.testing import CliRunner

    from irp_cli.cli import app

    filled = _csv(tmp_path, "P1,,Jo Bloggs\n")
    visit_copy.chmod(0o444)
    before = visit_copy.read_bytes()
    result = CliRunner().invoke(app, ["proforma-import", str(visit_copy), str(filled)])
    assert result.exit_code == 1
    assert "[output-read-only]" in result.stderr
    assert visit_copy.read_bytes() == before


def test_a_loop_of_links_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").symlink_to(tmp_path / "b.md")
    (tmp_path / "b.md").symlink_to(tmp_path / "a.md")
    finding = _write_problem(tmp_path / "a.md", force=True)
    assert finding.message == "cannot write it: the path is a loop of symbolic links"


def test_a_too_long_name_is_a_clear_error(tmp_path: Path) -> None:
    finding = _write_problem(tmp_path / ("x" * 300 + ".md"))
    assert finding.message == "cannot write it: the file name is too long for this system"


def test_a_name_near_the_limit_still_gets_a_temporary_file(tmp_path: Path) -> None:
    from irp_cli.files import write_output

    target = tmp_path / ("y" * 250 + ".md")
    assert write_output(target, "new") == "created"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def _dead_pid() -> int:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_temporary_files_of_a_killed_write_are_cleaned_up_next_time(tmp_path: Path) -> None:
    from irp_cli.files import STALE_SECONDS, write_output

    target = tmp_path / "letter.md"
    dead = tmp_path / f".letter.md.irp-{_dead_pid()}-abc123.tmp"  # its process is gone
    old = tmp_path / f".letter.md.irp-{os.getpid()}-old999.tmp"  # alive, but hours old
    live = tmp_path / f".letter.md.irp-{os.getpid()}-new000.tmp"  # a write in progress
    other = tmp_path / f".letter.md.bak.irp-{_dead_pid()}-abc123.tmp"  # another file's
    mine = tmp_path / ".letter.md.tmp"  # not irp's pattern
    for path in (dead, old, live, other, mine):
        path.write_text("partial", encoding="utf-8")
    long_ago = old.stat().st_mtime - STALE_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    assert write_output(target, "new") == "created"
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(p.name for p in (target, live, other, mine))


# --- the pro forma import, again: comments inside a replaced entry stay -------------------

RECORDED = ASHCOMBE.replace(
    "    hmpps_response: partly-accepted\n",
    "    hmpps_response: partly-accepted\n"
    "    responsible_manager:\n"
    "      # named by the governor on 3 March\n"
    "      name: Old Name   # acting\n"
    "      title: Head of Regime\n"
    "      # ask again after the visit\n"
    "      email: old@example.org  # shared inbox\n"
    "      phone: '01632 960000'\n",
    1,
)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param(
            "New Name,,new@example.org",
            "    responsible_manager:\n"
            "      # named by the governor on 3 March\n"
            "      name: New Name   # acting\n"
            "      # ask again after the visit\n"
            "      email: new@example.org  # shared inbox\n"
            "  - id: P2\n",  # another manager: the old one's title and phone go
            id="another-manager",
        ),
        pytest.param(
            "Old Name,Head of Safety,old@example.org",
            "    responsible_manager:\n"
            "      # named by the governor on 3 March\n"
            "      name: Old Name   # acting\n"
            "      title: Head of Safety\n"
            "      # ask again after the visit\n"
            "      email: old@example.org  # shared inbox\n"
            "      phone: '01632 960000'\n",  # the same manager keeps the phone
            id="same-manager-new-title",
        ),
    ],
)
def test_comments_inside_a_replaced_manager_are_kept(
    tmp_path: Path, cells: str, expected: str
) -> None:
    from irp_cli.documents.proforma import import_proforma

    visit = tmp_path / "visit.yaml"
    visit.write_text(RECORDED, encoding="utf-8")
    result = import_proforma(visit, _csv(tmp_path, f"P1,,{cells}\n"))
    assert result.changed
    assert expected in result.new_text
    before = [ln for ln in RECORDED.splitlines() if "responsible_manager" not in ln]
    after = result.new_text.splitlines()
    assert [ln for ln in before if ln.strip().startswith("#")] == [
        ln for ln in after if ln.strip().startswith("#")
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_the_programme_scan_does_not_open_a_fifo(tmp_path: Path) -> None:
    from irp_cli.programme.entries import not_a_visit_file

    fifo = tmp_path / "visit.yaml"
    os.mkfifo(fifo)
    assert not_a_visit_file(fifo) is None  # left for the loader, which refuses it by name


def test_a_word_document_takes_a_title_longer_than_word_allows() -> None:
    import docx

    from irp_cli.documents.render import to_docx

    data = to_docx("# Heading\n\nText.\n", title="T" * 300, marking="OFFICIAL")
    title = docx.Document(io.BytesIO(data)).core_properties.title
    assert len(title) == 255 and title.endswith("…")


@pytest.mark.parametrize("command", ["programme", "plan"])
def test_values_print_as_written_not_as_rich_markup(
    write_visit: Callable[..., Path], command: str
) -> None:
    from typer.testing import CliRunner

    from irp_cli.cli import app

    text = ASHCOMBE.replace("name: HMP Ashcombe", 'name: "HMP [/bold] [red]Ash :smile:"', 1)
    result = CliRunner().invoke(app, [command, str(write_visit(text)), "--today", "2026-02-10"])
    assert result.exit_code in (0, 1), result.output
    assert "HMP [/bold]" in result.stdout
    assert ":smile:" in result.stdout


@pytest.mark.parametrize(
    ("member", "damage"),
    [
        ("xl/worksheets/sheet1.xml", lambda data: data[: len(data) // 2]),  # cut short
        ("xl/workbook.xml", lambda data: data.replace(b"<sheets>", b"<sheets><x", 1)),
        ("xl/styles.xml", lambda data: data.replace(b"<", b"<\xff", 3)),  # not UTF-8
        ("[Content_Types].xml", lambda data: b""),
    ],
)
def test_a_damaged_workbook_is_refused(
    tmp_path: Path, member: str, damage: Callable[[bytes], bytes]
) -> None:
    import openpyxl

    from irp_cli.documents.proforma import read_filled

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Id", "Concern", "Manager's name"])
    sheet.append(["P1", "x", "Jo Bloggs"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(buffer)
    path = tmp_path / "filled.xlsx"
    with zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, damage(data) if info.filename == member else data)
    with pytest.raises(IrpError) as caught:
        read_filled(path)
    (finding,) = caught.value.findings
    assert finding.code == "proforma-format"
    assert finding.message.startswith("cannot read it: ")


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'a' * 10**9 }}",
        "{{ [1] * 10**8 }}",
        "{{ 'x'|center(10**9) }}",
        "{{ 'x'.center(10**9) }}",
        "{{ 'x'.ljust(10**9) }}",
        "{{ 'x'|indent(10**9, true) }}",
        "{{ '%0999999999d'|format(1) }}",
        "{{ '%0999999999d' % 1 }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ '{:>{}}'.format(1, 10**9) }}",
        "{{ 2 ** 100000 }}",
    ],
)
def test_a_template_cannot_take_the_machine_s_memory(tmp_path: Path, source: str) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    (user / "letter.md.j2").write_text(source, encoding="utf-8")
    with pytest.raises(IrpError) as caught:
        _render(user)
    (finding,) = caught.value.findings
    assert finding.code == "template-security"
    assert "too large for a document" in finding.message


def test_small_sizes_in_a_template_still_work(tmp_path: Path) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    source = "{{ 'ab' * 3 }} {{ 2 ** 10 }} {{ '%05d'|format(42) }} {{ '{:>4}'.format(7) }}|"
    (user / "letter.md.j2").write_text(source + "{{ 'x'|center(5) }}|", encoding="utf-8")
    assert _render(user) == "ababab 1024 00042 7|  x  |"  # values are stripped, see Md


class _StatSays:
    """A stat() result that says a smaller size than the file has: the file grew after it."""

    def __init__(self, real: os.stat_result, size: int) -> None:
        self.st_mode, self.st_size = real.st_mode, size
        self.st_dev, self.st_ino = real.st_dev, real.st_ino


@pytest.mark.parametrize(
    ("said", "limit", "read"),
    [
        (2_000, 5_000, 2_000),  # as stat() said
        (100, 5_000, 2_000),  # grown since: read on to the end
        (0, 5_000, 2_000),  # stat() said empty
        (100, 1_000, None),  # grown past the limit while it was read: refused
    ],
)
def test_read_bounded_reads_what_a_file_holds_and_stops_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: int, limit: int, read: int | None
) -> None:
    from irp_cli.files import read_bounded

    path = tmp_path / "visit.yaml"
    path.write_bytes(b"x" * 2_000)
    real = path.stat()
    monkeypatch.setattr(Path, "stat", lambda self, **_: _StatSays(real, said))
    if read is None:
        with pytest.raises(IrpError, match="file is over 1,000 bytes"):
            read_bounded(path, limit=limit, what="a visit file")
    else:
        assert read_bounded(path, limit=limit, what="a visit file") == b"x" * read
