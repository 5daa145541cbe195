"""The document layer: templates → Markdown → HTML and Word, escaping, errors, safe writes."""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from helpers import assert_golden, docx_dump, letterhead, parse_html
from markdown_it import MarkdownIt

from irp_cli.commands.options import choose_format
from irp_cli.documents import render
from irp_cli.documents.render import Md, escape_markdown
from irp_cli.documents.word import style_ids
from irp_cli.errors import IrpError, UsageError
from irp_cli.files import write_output

FIXTURES = Path(__file__).parent / "fixtures" / "templates"
NASTY = "<script>alert(1)</script> *bold* _it_ | pipe [link](x) `code` &amp; \\ # ~~s~~"


def sample_context() -> dict[str, Any]:
    return {
        "visit": {
            "prison": "HMP Brixton",
            "governor": "Jo Bloggs",
            "start": date(2025, 6, 2),
            "end": date(2025, 6, 4),
            "concerns": [
                {"text": NASTY},
                {"text": "1. starts like a numbered list"},
                {"text": "# not a heading #"},
            ],
            "team": [
                {"name": "A_B [lead]", "role": "Team leader", "days": 3},
                {"name": "C & D &amp;", "role": "`code` | split?", "days": 2},
            ],
            "background": "First paragraph with _underscores_.\n\nSecond paragraph\nover lines.",
            "quote": "- a dash at the start",
        },
        "reference": "IRP/BXI/2025",
        "note": Md("This is **trusted** Markdown."),
        "signatory": "Chief Inspector",
    }


def sample_markdown() -> str:
    return render.render_text("sample.md.j2", sample_context(), builtin_dir=FIXTURES)


def render_user(tmp_path: Path, text: str, **context: Any) -> str:
    """Render ``text`` as a user template ``doc.md.j2`` in a fresh override folder."""
    user = tmp_path / "mine"
    user.mkdir(exist_ok=True)
    (user / "doc.md.j2").write_text(text, encoding="utf-8")
    return render.render_text("doc.md.j2", context, user_dir=user, builtin_dir=FIXTURES)


def raised(tmp_path: Path, text: str, **context: Any) -> IrpError:
    with pytest.raises(IrpError) as info:
        render_user(tmp_path, text, **context)
    assert len(info.value.findings) == 1
    return info.value


# --------------------------------------------------------------------------------------------
# Golden outputs


def test_markdown_matches_golden() -> None:
    assert_golden("render/sample.md", sample_markdown())


def test_html_matches_golden() -> None:
    page = render.to_html(sample_markdown(), title="Sample", marking="OFFICIAL-SENSITIVE")
    assert_golden("render/sample.html", page)


def test_docx_matches_golden_dump() -> None:
    data = render.to_docx(sample_markdown(), title="Sample", marking="OFFICIAL-SENSITIVE")
    assert_golden("render/sample.docx.txt", docx_dump(data))


# --------------------------------------------------------------------------------------------
# Word specifics


@pytest.fixture(scope="module")
def sample_docx() -> Any:
    data = render.to_docx(sample_markdown(), title="IRP: HMP Brixton", marking="OFFICIAL")
    return docx.Document(io.BytesIO(data))


def test_docx_uses_real_heading_and_list_styles(sample_docx: Any) -> None:
    styles = [(p.style.name, p.text) for p in sample_docx.paragraphs]
    assert ("Heading 1", "Independent review of progress: HMP Brixton") in styles
    assert ("Heading 2", "Team") in styles
    assert ("Heading 3", "Before the visit") in styles
    assert ("List Bullet", "Send the letter") in styles
    assert ("List Bullet 2", "and the pro forma") in styles
    assert ("List Number", "Book rooms") in styles
    assert ("Quote", "- a dash at the start") in styles


def test_docx_numbered_lists_each_restart(sample_docx: Any) -> None:
    """Two separate numbered lists must not share one Word numbering (4, 5 instead of 1, 2)."""

    def num_id(text: str) -> str:
        (paragraph,) = [p for p in sample_docx.paragraphs if p.text == text]
        return str(paragraph._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")[0])

    first, second = num_id("# not a heading #"), num_id("Book rooms")
    assert first != second
    assert num_id("Confirm keys") == second
    numbering = sample_docx.part.numbering_part.element
    start = numbering.xpath(f"./w:num[@w:numId='{second}']/w:lvlOverride/w:startOverride/@w:val")
    assert start == ["1"]


def test_docx_table_has_a_repeating_bold_header_row(sample_docx: Any) -> None:
    (table,) = sample_docx.tables
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["Name", "Role", "Days"]
    assert all(run.bold for c in table.rows[0].cells for run in c.paragraphs[0].runs)
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert [c.text for c in table.rows[2].cells] == ["C & D &amp;", "`code` | split?", "2"]


def test_docx_marking_title_page_and_language(sample_docx: Any) -> None:
    section = sample_docx.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL"
    assert section.footer.paragraphs[0].text == "OFFICIAL"
    assert sample_docx.core_properties.title == "IRP: HMP Brixton"
    assert sample_docx.core_properties.author == ""
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    langs = sample_docx.styles.element.xpath(".//w:lang/@w:val")
    assert langs and set(langs) == {"en-GB"}


def test_docx_bytes_are_deterministic_and_dated_by_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    md = sample_markdown()
    first = render.to_docx(md, title="T", marking="OFFICIAL")
    later = time.time() + 400 * 86400  # python-docx stamps zip members with the time
    monkeypatch.setattr(time, "time", lambda: later)
    assert render.to_docx(md, title="T", marking="OFFICIAL") == first
    dated = render.to_docx(md, title="T", marking="OFFICIAL", timestamp=datetime(2025, 3, 4))
    props = docx.Document(io.BytesIO(dated)).core_properties
    assert props.created is not None and props.created.date() == date(2025, 3, 4)
    assert props.modified is not None and props.modified.date() == date(2025, 3, 4)


def test_docx_drops_characters_xml_cannot_hold() -> None:
    data = render.to_docx("Bad \x0c form\x01feed", title="t\x00", marking="OFFICIAL")
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "Bad  formfeed"
    assert document.core_properties.title == "t"


# --------------------------------------------------------------------------------------------
# HTML specifics


def test_html_is_standalone_accessible_and_marked() -> None:
    page = render.to_html(sample_markdown(), title="A <b> & c", marking="OFFICIAL-SENSITIVE")
    parsed = parse_html(page)
    tags = [tag for tag, _ in parsed.tags]
    assert page.startswith("<!DOCTYPE html>\n")
    assert ("html", {"lang": "en-GB"}) in parsed.tags
    assert ("meta", {"charset": "utf-8"}) in parsed.tags
    assert "<title>A &lt;b&gt; &amp; c</title>" in page
    assert tags.count("main") == 1
    assert {attrs.get("scope") for tag, attrs in parsed.tags if tag == "th"} == {"col"}
    headings = [int(tag[1]) for tag in tags if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(headings))
    assert [t for t in parsed.text if t == "OFFICIAL-SENSITIVE"] == ["OFFICIAL-SENSITIVE"] * 2
    assert '@top-center { content: "OFFICIAL-SENSITIVE"' in page


def test_html_escapes_raw_html_from_values_and_from_the_template() -> None:
    page = render.to_html(sample_markdown() + "\n<script>x()</script>\n", title="t", marking="M")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page


def test_html_marking_cannot_break_out_of_the_style_element() -> None:
    page = render.to_html("text", title="t", marking='X"; } </style><script>y()</script>')
    assert page.count("</style>") == 1
    assert "<script>" not in page
    assert parse_html(page).text.count('X"; } </style><script>y()</script>') == 2


# --------------------------------------------------------------------------------------------
# Escaping: user text comes out literally, whatever it holds

AWKWARD = [
    NASTY,
    "*",
    "**not bold**",
    "_x_",
    "a|b|c",
    "| leading pipe",
    "- dash",
    "+ plus",
    "* star",
    "1. one",
    "12) twelve",
    "# hash",
    "###### six",
    "title #",
    "> quote",
    "---",
    "===",
    "- - -",
    "[a]: http://example.com",
    "![img](x.png)",
    "<https://example.com>",
    "&copy; &#169; &#xA9;",
    "back\\slash\\",
    "trailing backslash \\",
    "`tick` ``two``",
    "~~strike~~",
    "1\\. already escaped",
    "    four spaces",
    "tab\there",
    "Ünïcödé — “quotes” £5",
]
CONTEXTS = ["{}", "before {} after", "- {}", "1. {}", "# {}", "| h |\n| - |\n| {} |", "> {}"]


def _inline_texts(markdown: str) -> tuple[list[str], list[str]]:
    """The block token types, and the inline text of each inline token (no other markup)."""
    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(markdown)
    blocks = [t.type for t in tokens if t.type != "inline"]
    texts = []
    for token in tokens:
        if token.type == "inline":
            children = token.children or []
            assert {c.type for c in children} <= {"text"}, (markdown, children)
            texts.append("".join(c.content for c in children))
    return blocks, texts


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("value", AWKWARD)
def test_escaped_values_render_literally_in_any_position(context: str, value: str) -> None:
    reference_blocks, reference_texts = _inline_texts(context.format("x"))
    blocks, texts = _inline_texts(context.format(escape_markdown(value)))
    assert blocks == reference_blocks
    expected = [t.replace("x", value.strip()) for t in reference_texts]
    assert texts == expected


def test_line_breaks_in_values_cannot_end_a_table_row() -> None:
    escaped = escape_markdown("one\n\n| two |\r\n- three")
    assert "\n" not in escaped and "\r" not in escaped
    _, texts = _inline_texts(f"| h |\n| - |\n| {escaped} |")
    assert texts == ["h", "one | two | - three"]


def test_values_are_escaped_in_templates_unless_trusted(tmp_path: Path) -> None:
    text = "{{ a }} {{ b }} {{ a | e }} {{ a | safe }} {{ 3 }}\n"
    out = render_user(tmp_path, text, a="*x*", b=Md("*y*"))
    assert out == "\\*x\\* *y* \\*x\\* *x* 3\n"


def test_macros_set_blocks_and_caller_are_not_escaped_twice(tmp_path: Path) -> None:
    text = (
        "{% macro row(m) %}| {{ m }} | x |{% endmacro %}{{ row(v) }}\n"
        "{% set b %}**{{ v }}**{% endset %}{{ b }}\n"
        "{% macro quote() %}> {{ caller() }}{% endmacro %}{% call quote() %}_{{ v }}_{% endcall %}"
        "\n\n{{ items | join(', ') }} {{ 'a ' ~ v }}\n"
    )
    out = render_user(tmp_path, text, v="<*|>", items=["*a*", "b|c"])
    assert out == (
        "| \\<\\*\\|> | x |\n**\\<\\*\\|>**\n> _\\<\\*\\|>_\n\\*a\\*, b\\|c a \\<\\*\\|>\n"
    )


def test_none_is_an_error_not_the_word_none_in_a_letter(tmp_path: Path) -> None:
    error = raised(tmp_path, "Dear\n{{ visit.governor }},\n", visit={"governor": None})
    finding = error.findings[0]
    expected = "template 'doc.md.j2' prints 'visit.governor', which is not set (None)"
    assert finding.message == expected
    assert finding.line == 2
    assert render_user(tmp_path, "{{ g or 'Governor' }}\n", g=None) == "Governor\n"


def test_paragraphs_filter_keeps_paragraphs_and_escapes_each(tmp_path: Path) -> None:
    out = render_user(tmp_path, "{{ t | paragraphs }}\n", t="# one\nstill one\n\n\n* two ")
    assert out == "\\# one still one\n\n\\* two\n"


def test_literal_in_every_format(tmp_path: Path) -> None:
    markdown = render_user(tmp_path, "| Concern |\n| --- |\n| {{ c }} |\n\n{{ c }}\n", c=NASTY)
    assert _inline_texts(markdown)[1] == ["Concern", NASTY, NASTY]
    page = render.to_html(markdown, title="t", marking="OFFICIAL")
    assert parse_html(page).text.count(NASTY) == 2
    document = docx.Document(io.BytesIO(render.to_docx(markdown, title="t", marking="OFFICIAL")))
    assert document.tables[0].rows[1].cells[0].text == NASTY
    assert document.paragraphs[-1].text == NASTY


# --------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("day", "long", "with_day"),
    [
        (date(2025, 6, 2), "2 June 2025", "Monday 2 June 2025"),
        (date(2026, 1, 1), "1 January 2026", "Thursday 1 January 2026"),
        (date(2025, 12, 31), "31 December 2025", "Wednesday 31 December 2025"),
        (date(2024, 2, 29), "29 February 2024", "Thursday 29 February 2024"),
        (date(2025, 9, 9), "9 September 2025", "Tuesday 9 September 2025"),
        (date(2025, 11, 10), "10 November 2025", "Monday 10 November 2025"),
    ],
)
def test_long_date_and_day_date(day: date, long: str, with_day: str) -> None:
    assert render.long_date(day) == long
    assert render.day_date(day) == with_day
    assert render.long_date(datetime(day.year, day.month, day.day, 23, 59)) == long
    assert render.long_date(day.isoformat()) == long


def test_date_filter_given_a_non_date_is_a_template_error(tmp_path: Path) -> None:
    error = raised(tmp_path, "line one\n{{ d | long_date }}\n", d="next Tuesday")
    finding = error.findings[0]
    assert finding.line == 2
    assert "'long_date' needs a date, not 'next Tuesday'" in finding.message


# --------------------------------------------------------------------------------------------
# Template folders


def test_user_template_overrides_the_builtin_one(tmp_path: Path) -> None:
    assert render.render_text("override.md.j2", {"name": "x"}, builtin_dir=FIXTURES) == (
        "built-in version for x\n"
    )
    user = tmp_path / "mine"
    user.mkdir()
    (user / "override.md.j2").write_text("mine for {{ name }}\n", encoding="utf-8")
    out = render.render_text("override.md.j2", {"name": "x"}, user_dir=user, builtin_dir=FIXTURES)
    assert out == "mine for x\n"


def test_user_template_can_include_builtins_and_reach_the_overridden_one(tmp_path: Path) -> None:
    text = '{% include "builtin/override.md.j2" %}{% include "_signature.md.j2" %}'
    out = render_user(tmp_path, text, name="y", signatory="S")
    assert out == "built-in version for y\nYours sincerely,\n\nS\n"


def test_missing_templates_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IrpError) as info:
        render.render_text("x.md.j2", {}, user_dir=tmp_path / "nope", builtin_dir=FIXTURES)
    assert info.value.findings[0].file == str(tmp_path / "nope")
    assert "templates folder not found" in info.value.findings[0].message


def test_unknown_template_names_the_folders_and_the_choices(tmp_path: Path) -> None:
    with pytest.raises(IrpError) as info:
        render.render_text("letter.md.j2", {}, user_dir=tmp_path, builtin_dir=FIXTURES)
    message = info.value.findings[0].message
    assert "no template named 'letter.md.j2'" in message
    assert str(tmp_path) in message and str(FIXTURES.resolve()) in message
    assert "available: missing.md.j2, override.md.j2, sample.md.j2" in message


def test_environment_is_cached_per_folder(tmp_path: Path) -> None:
    first = render.get_environment(tmp_path, builtin_dir=FIXTURES)
    assert render.get_environment(tmp_path, builtin_dir=FIXTURES) is first
    assert render.get_environment(None, builtin_dir=FIXTURES) is not first


def test_builtin_folder_is_the_repository_templates_in_a_checkout() -> None:
    package = Path(render.__file__).parents[1]  # irp_cli/
    packaged = package / "templates"
    expected = packaged if packaged.is_dir() else package.parent / "templates"
    assert render.builtin_templates_dir() == expected.resolve()


# --------------------------------------------------------------------------------------------
# Template errors: file, line, and what to fix


def test_missing_value_names_template_variable_and_line() -> None:
    context = {"visit": {"governor": "G", "prison": {"name": "HMP X"}}}
    with pytest.raises(IrpError) as info:
        render.render_text("missing.md.j2", context, builtin_dir=FIXTURES)
    finding = info.value.findings[0]
    assert finding.message == (
        "template 'missing.md.j2' needs 'visit.prison.arrival_day', which is missing"
    )
    assert (finding.file, finding.line, finding.code) == ("missing.md.j2", 5, "template-missing")


def test_missing_top_level_variable_in_a_user_template(tmp_path: Path) -> None:
    error = raised(tmp_path, "Hello\n\n{% for x in items %}{{ x }}{% endfor %}\n")
    finding = error.findings[0]
    assert finding.message == "template 'doc.md.j2' needs 'items', which is missing"
    assert finding.file == str(tmp_path / "mine" / "doc.md.j2")
    assert finding.line == 3


def test_missing_value_in_a_filter_argument_is_reported(tmp_path: Path) -> None:
    error = raised(tmp_path, "{{ visit.start | long_date }}\n", visit={})
    assert "needs 'visit.start', which is missing" in error.findings[0].message


def test_syntax_error_gives_user_file_and_line(tmp_path: Path) -> None:
    error = raised(tmp_path, "# Title\n\n{% if x %}\nno end\n")
    finding = error.findings[0]
    assert finding.file == str(tmp_path / "mine" / "doc.md.j2")
    assert finding.line == 4
    assert finding.code == "template-syntax"
    assert finding.format().startswith(f"{tmp_path / 'mine' / 'doc.md.j2'}:4: error")


def test_unknown_filter_is_a_syntax_error_with_line(tmp_path: Path) -> None:
    error = raised(tmp_path, "a\n{{ x | shout }}\n", x="y")
    assert error.findings[0].line == 2
    assert "shout" in error.findings[0].message


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "x.__class__.__subclasses__()",
        "x.__init__.__globals__",
        "cycler.__init__.__globals__.os",
    ],
)
def test_sandbox_blocks_python_internals(tmp_path: Path, expression: str) -> None:
    error = raised(tmp_path, f"text\n{{{{ {expression} }}}}\n", x="s")
    finding = error.findings[0]
    assert finding.code == "template-security"
    assert "is unsafe" in finding.message
    assert finding.line == 2


def test_builtin_templates_are_sandboxed_too(tmp_path: Path) -> None:
    (tmp_path / "evil.md.j2").write_text("{{ ''.__class__ }}\n", encoding="utf-8")
    with pytest.raises(IrpError) as info:
        render.render_text("evil.md.j2", {}, builtin_dir=tmp_path)
    assert info.value.findings[0].code == "template-security"


def test_exception_inside_a_user_template_is_reported_not_a_crash(tmp_path: Path) -> None:
    error = raised(tmp_path, "one\ntwo {{ n / 0 }}\n", n=1)
    finding = error.findings[0]
    assert finding.line == 2
    assert "ZeroDivisionError" in finding.message


def test_template_that_is_not_utf8(tmp_path: Path) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    (user / "doc.md.j2").write_bytes(b"caf\xe9\n")
    with pytest.raises(IrpError) as info:
        render.render_text("doc.md.j2", {}, user_dir=user, builtin_dir=FIXTURES)
    assert "not UTF-8" in info.value.findings[0].message


# --------------------------------------------------------------------------------------------
# Formats


@pytest.mark.parametrize(
    ("output", "explicit", "expected"),
    [
        (None, None, "md"),
        (None, "html", "html"),
        (None, "DOCX", "docx"),
        (Path("letter.md"), None, "md"),
        (Path("out/letter.HTML"), None, "html"),
        (Path("letter.htm"), None, "html"),
        (Path("letter.docx"), None, "docx"),
        (Path("letter.docx"), "docx", "docx"),
        (Path("letter.txt"), "md", "md"),
        (Path("letter"), "html", "html"),
    ],
)
def test_choose_format(output: Path | None, explicit: str | None, expected: str) -> None:
    assert choose_format(output, explicit) == expected


@pytest.mark.parametrize(
    ("output", "explicit", "words"),
    [
        (None, "pdf", ["unknown format 'pdf'", "md, html, docx"]),
        (Path("letter.docx"), "html", ["--format html", "'letter.docx'", "docx"]),
        (Path("letter.pdf"), None, ["'letter.pdf'", ".md, .html, .htm, .docx", "--format"]),
        (Path("letter"), None, ["'letter'", ".docx"]),
    ],
)
def test_choose_format_errors(output: Path | None, explicit: str | None, words: list[str]) -> None:
    with pytest.raises(UsageError) as info:
        choose_format(output, explicit)
    assert info.value.exit_code == 2
    for word in words:
        assert word in info.value.findings[0].message


def test_render_document_in_each_format() -> None:
    kwargs: dict[str, Any] = {"title": "T", "marking": "OFFICIAL", "builtin_dir": FIXTURES}
    md = render.render_document("override.md.j2", {"name": "n"}, "md", **kwargs)
    page = render.render_document("override.md.j2", {"name": "n"}, "html", **kwargs)
    word = render.render_document("override.md.j2", {"name": "n"}, "docx", **kwargs)
    assert md == "built-in version for n\n"
    assert isinstance(page, str) and "<p>built-in version for n</p>" in page
    assert isinstance(word, bytes) and word.startswith(b"PK")
    assert docx.Document(io.BytesIO(word)).paragraphs[0].text == "built-in version for n"


# --------------------------------------------------------------------------------------------
# Safe writes


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_creates_utf8_with_unix_newlines(tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    assert write_output(target, "£5 — café\nline two\n", force=False, dry_run=False) == "created"
    assert target.read_bytes() == "£5 — café\nline two\n".encode()
    assert leftovers(tmp_path) == []


def test_identical_content_is_unchanged_even_without_force(tmp_path: Path) -> None:
    target = tmp_path / "letter.docx"
    target.write_bytes(b"PK same")
    os.utime(target, (1_000_000, 1_000_000))
    assert write_output(target, b"PK same", force=False, dry_run=False) == "unchanged"
    assert target.stat().st_mtime == 1_000_000


def test_existing_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    target.write_bytes(b"the coordinator's edits\r\n")
    with pytest.raises(IrpError) as info:
        write_output(target, "new text\n", force=False, dry_run=False)
    assert target.read_bytes() == b"the coordinator's edits\r\n"
    assert info.value.exit_code == 1
    assert "--force" in info.value.findings[0].message
    assert leftovers(tmp_path) == []


def test_force_overwrites_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    assert write_output(target, "new\n", force=True, dry_run=False) == "overwritten"
    assert target.read_text(encoding="utf-8") == "new\n"
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o640


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    new, old = tmp_path / "new.md", tmp_path / "old.md"
    old.write_text("old\n", encoding="utf-8")
    assert write_output(new, "x\n", force=False, dry_run=True) == "would create"
    assert write_output(old, "x\n", force=True, dry_run=True) == "would overwrite"
    assert not new.exists()
    assert old.read_text(encoding="utf-8") == "old\n"
    with pytest.raises(IrpError):  # a dry run fails where the real run would
        write_output(old, "x\n", force=False, dry_run=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.md"]


def test_missing_folder_and_folder_path_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(IrpError) as info:
        write_output(tmp_path / "no" / "letter.md", "x", force=True, dry_run=False)
    assert "does not exist" in info.value.findings[0].message
    with pytest.raises(IrpError) as info:
        write_output(tmp_path, "x", force=True, dry_run=False)
    assert "is a folder" in info.value.findings[0].message


def test_failed_write_leaves_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "letter.md"
    target.write_text("old\n", encoding="utf-8")

    def refuse(self: Path, other: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(IrpError) as info:
        write_output(target, "new\n", force=True, dry_run=False)
    assert "close it" in info.value.findings[0].message
    assert target.read_text(encoding="utf-8") == "old\n"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")
def test_write_goes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert write_output(link, "new\n", force=True, dry_run=False) == "overwritten"
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new\n"


# --------------------------------------------------------------------------------------------
# Golden helper and import cost


def test_assert_golden_fails_with_a_diff_and_updates_on_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IRP_UPDATE_GOLDEN", raising=False)
    (tmp_path / "g.txt").write_text("one\ntwo\n", encoding="utf-8")
    assert_golden("g.txt", "one\ntwo\n", root=tmp_path)
    with pytest.raises(AssertionError, match=r"(?s)IRP_UPDATE_GOLDEN=1.*-two.*\+three"):
        assert_golden("g.txt", "one\nthree\n", root=tmp_path)
    monkeypatch.setenv("IRP_UPDATE_GOLDEN", "1")
    assert_golden("g.txt", "one\nthree\n", root=tmp_path)
    assert (tmp_path / "g.txt").read_text(encoding="utf-8") == "one\nthree\n"


@pytest.mark.slow
def test_render_imports_word_and_markdown_libraries_only_when_needed() -> None:
    code = (
        "import sys, irp_cli.documents.render as r\n"
        "assert 'docx' not in sys.modules and 'markdown_it' not in sys.modules\n"
        "r.to_html('x', title='t', marking='m')\n"
        "assert 'markdown_it' in sys.modules and 'docx' not in sys.modules\n"
        "r.to_docx('x', title='t', marking='m')\n"
        "assert 'docx' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # An id column stays narrow but fits its heading; the long text gets the room.
        pytest.param([["No.", "Concern"], ["P1", "x " * 40]], [11.8, 148.2], id="id-and-text"),
        # A long label ('Rehabilitation and ...') keeps its longest word whole, but the
        # concern text, longer on average, gets most of the page.
        pytest.param(
            [["Concern", "Area"], ["y " * 40, "Rehabilitation and release planning"]],
            [102.9, 57.1],
            id="text-and-label",
        ),
        # An empty column is there to be written in: it gets room for a handwritten answer.
        pytest.param([["Concern", "Name"], ["y " * 40, ""]], [130.0, 30.0], id="write-in"),
        # Nothing needs more than its words: the spare width is shared evenly.
        pytest.param([["a", "b"], ["c", "d"]], [80.0, 80.0], id="even"),
        # Words too long for the page: shrunk in proportion, never wider than the page.
        pytest.param([["x" * 60, "y" * 60]], [80.0, 80.0], id="too-wide"),
    ],
)
def test_docx_column_widths(rows: list[list[str]], expected: list[float]) -> None:
    from irp_cli.documents.word import _column_widths

    widths = _column_widths(rows, 160.0)
    assert [round(w, 1) for w in widths] == expected
    assert round(sum(widths), 6) == 160.0


def test_compiled_templates_are_cached_and_a_broken_cache_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builtin, context = FIXTURES, {"name": "x"}
    cache = tmp_path / "cache"
    monkeypatch.setenv("IRP_CACHE_DIR", str(cache))
    render._environment.cache_clear()
    first = render.render_text("override.md.j2", context, builtin_dir=builtin)
    assert first == "built-in version for x\n"
    assert list((cache / "templates").glob("__jinja2_*.cache"))

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("IRP_CACHE_DIR", str(blocked))
    render._environment.cache_clear()
    assert render.render_text("override.md.j2", context, builtin_dir=builtin) == first
    render._environment.cache_clear()


def test_docx_is_a_current_word_document_without_inherited_metadata() -> None:
    """No '[Compatibility Mode]' in Word's title bar, no 'Microsoft Macintosh Word' 14 in the
    properties, no blank thumbnail, no Word 2010 leftovers."""
    data = render.to_docx(sample_markdown(), title="t", marking="OFFICIAL")
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert not {n for n in names if "thumbnail" in n or "customXml" in n or "Effects" in n}
    app = archive.read("docProps/app.xml").decode()
    assert "<Application>irp</Application>" in app and "Macintosh" not in app
    settings = archive.read("word/settings.xml").decode()
    assert (
        'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"'
        in settings
    )
    assert "savePreviewPicture" not in settings
    for name in names:  # every part is still referenced: nothing dangling
        if name.endswith(".rels"):
            for target in re.findall(r'Target="([^"]+)"', archive.read(name).decode()):
                assert "thumbnail" not in target and "customXml" not in target


def test_docx_footer_numbers_pages_with_word_fields(sample_docx: Any) -> None:
    footer = sample_docx.sections[0].footer
    instructions = footer._element.xpath(".//w:instrText/text()")
    assert [i.strip() for i in instructions] == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[1].text == "Page 1 of 1"  # the fields' last results, until updated


@pytest.mark.parametrize(
    ("markdown", "kept", "room"),
    [
        # A paragraph that introduces a list or table stays with it...
        ("Text.\n\nWe ask for:\n\n- one\n- two\n", ["We ask for:"], []),
        ("Text.\n\nThe table:\n\n| a | b |\n| - | - |\n| 1 | 2 |\n", ["The table:"], []),
        # ...also right after a heading: heading, introduction and first item move together.
        ("# H\n\nWe ask for:\n\n- one\n", ["We ask for:"], []),
        ("# H\n\nText.\n\nMore text.\n", [], []),  # the heading's style keeps it with "Text."
        # The sign-off stays with the name, and the last paragraph with the sign-off.
        (
            "Last words.\n\nYours sincerely,\n\nA Name\\\nChief Inspector\n\nCopy: X\n",
            ["Last words.", "Yours sincerely,"],
            ["A Name\nChief Inspector"],
        ),
        ("Text.\n\nMore text.\n", [], []),
    ],
)
def test_docx_keeps_what_belongs_together(markdown: str, kept: list[str], room: list[str]) -> None:
    document: Any = docx.Document(io.BytesIO(render.to_docx(markdown, title="t", marking="M")))
    paragraphs = document.paragraphs
    assert [p.text for p in paragraphs if p.paragraph_format.keep_with_next] == kept
    assert [p.text for p in paragraphs if p.paragraph_format.space_before] == room


def _kept_rows(table: Any) -> list[bool]:
    """For each row: is every paragraph in it kept with the next (Word and LibreOffice then
    keep the row on the page of the next)?"""
    return [
        all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)
        for row in table.rows
    ]


@pytest.mark.parametrize(
    ("rows", "text", "kept"),
    [
        # a short table stays on one page: each row with the next, all but the last
        (3, "Short.", [True, True, True, False]),
        (12, "A concern of a line or two, as most are in a letter.", [True] * 12 + [False]),
        # a long one is left to break between rows: only the header row stays with the first
        (40, "Short.", [True] + [False] * 40),
        (
            10,
            "Leaders did not make sure that prisoners were allocated well. " * 4,
            [True] + [False] * 10,
        ),
    ],
)
def test_docx_keeps_a_short_table_on_one_page(rows: int, text: str, kept: list[bool]) -> None:
    body = "\n".join(f"| R{n} | {text} |" for n in range(rows))
    markdown = f"## Heading\n\nThe table:\n\n| No. | Concern |\n| --- | --- |\n{body}\n"
    document: Any = docx.Document(io.BytesIO(render.to_docx(markdown, title="t", marking="M")))
    [table] = document.tables
    assert _kept_rows(table) == kept
    assert all(row._tr.xpath("./w:trPr/w:cantSplit") for row in table.rows)
    # the chain to the table: the heading (by its style) and the paragraph that introduces it
    heading, intro = document.paragraphs[:2]
    assert heading.style.paragraph_format.keep_with_next and intro.paragraph_format.keep_with_next


def test_docx_keeps_only_the_table_styles_it_uses(sample_docx: Any) -> None:
    """The blank document's 100 unused table styles are dropped (Word offers its built-in ones
    anyway); every paragraph and character style stays, used or not."""
    blank = docx.Document()
    assert style_ids(sample_docx, "table") == {"TableNormal", "TableGrid"}
    assert len(style_ids(blank, "table")) > 90
    for kind in ("paragraph", "character", "numbering"):
        assert style_ids(sample_docx, kind) == style_ids(blank, kind)


@pytest.mark.parametrize("cached", [None, b"not a docx", b"PK\x03\x04 broken"])
def test_the_blank_document_is_made_once_and_a_damaged_copy_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bytes | None
) -> None:
    from irp_cli.documents import word

    monkeypatch.setenv("IRP_CACHE_DIR", str(tmp_path))
    name = f"blank-python-docx-{docx.__version__}-v{word.BLANK_FORMAT}.docx"
    if cached is not None:
        (tmp_path / name).write_bytes(cached)
    first = word._blank_document()
    stored = (tmp_path / name).read_bytes()
    assert stored[:2] == b"PK" and stored != cached
    assert style_ids(first, "table") == set(word.TABLE_STYLES)
    again = word._blank_document()  # read from the file, not made again
    assert (tmp_path / name).read_bytes() == stored
    assert style_ids(again, "paragraph") == style_ids(docx.Document(), "paragraph")


def test_the_blank_document_without_a_cache_folder_it_can_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from irp_cli.documents import word

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("IRP_CACHE_DIR", str(blocked / "cache"))
    document = word._blank_document()
    assert style_ids(document, "table") == set(word.TABLE_STYLES)


def test_docx_on_a_letterhead_keeps_its_look_and_adds_what_is_missing(tmp_path: Path) -> None:
    markdown = (
        "# Title\n\n## Part\n\n- one\n- two\n\n1. first\n\n> quoted\n\n"
        "| a | b |\n| - | - |\n| 1 | 2 |\n"
    )
    data = render.to_docx(markdown, title="t", marking="OFFICIAL", letterhead=letterhead(tmp_path))
    document: Any = docx.Document(io.BytesIO(data))
    assert "Delete me" not in "\n".join(p.text for p in document.paragraphs)
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 2", "Part") in styles and ("List Bullet", "one") in styles
    assert ("List Number", "first") in styles and ("Quote", "quoted") in styles
    assert document.tables[0].style.name == "Table Grid"
    numbering = document.part.numbering_part.element
    for paragraph in document.paragraphs:  # every list points at a list definition that exists
        style_num = paragraph.style.element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        for num_id in style_num + paragraph._p.xpath("./w:pPr/w:numPr/w:numId/@w:val"):
            assert numbering.num_having_numId(int(num_id)) is not None
    assert document.styles["Normal"].font.name == "Georgia"  # the letterhead's own look
    house = docx.Document(str(letterhead(tmp_path)))
    assert style_ids(house, "table") < style_ids(document, "table")  # all kept, one added
    section = document.sections[0]
    assert round(section.left_margin.mm) == 30
    header = [p.text for p in section.header.paragraphs]
    assert header == ["OFFICIAL", "Ministry of Examples"]
    assert section.header._element.xpath(".//w:drawing")  # the logo
    footer = [p.text for p in section.footer.paragraphs]
    assert footer == ["1 Example Street, London", "OFFICIAL", "Page 1 of 1"]
    again = render.to_docx(markdown, title="t", marking="OFFICIAL", letterhead=letterhead(tmp_path))
    assert again == data  # still the same bytes every time


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "is not a file"),
        (b"not a zip", "is not a Word document (.docx)"),
        (b"PK\x05\x06" + b"\x00" * 18, "is not a Word document (.docx)"),
    ],
)
def test_a_bad_letterhead_is_one_clear_error(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    path = tmp_path / "letterhead.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(IrpError) as raised:
        render.to_docx("x", title="t", marking="OFFICIAL", letterhead=path)
    (finding,) = raised.value.findings
    assert finding.file == str(path) and expected in finding.message
    assert "[house] letterhead" in finding.message


@pytest.mark.parametrize(
    ("text", "tabs", "breaks"),
    [("plain words", 0, 0), ("a\ttab", 1, 0), ("two\nlines", 0, 1), (" spaced ", 0, 0)],
)
def test_a_run_holds_its_text_as_word_does(text: str, tabs: int, breaks: int) -> None:
    """A run is made at once unless it holds a tab or a line break, which become Word's own;
    a run that is neither bold nor italic has no empty run properties."""
    from irp_cli.documents.word import _add_run

    paragraph = docx.Document().add_paragraph()
    run = _add_run(paragraph, text)
    assert run.text == text
    assert len(run._r.xpath("./w:tab")) == tabs and len(run._r.xpath("./w:br")) == breaks
    assert run._r.rPr is None


def test_only_bold_or_italic_runs_have_run_properties() -> None:
    sample = render.to_docx("Some **bold** and *slanted* text.", title="t", marking="OFFICIAL")
    runs = docx.Document(io.BytesIO(sample)).paragraphs[0].runs
    assert [(r.text, r.bold, r.italic) for r in runs] == [
        ("Some ", None, None),
        ("bold", True, None),
        (" and ", None, None),
        ("slanted", None, True),
        (" text.", None, None),
    ]
    assert [r._r.rPr is None for r in runs] == [True, False, True, False, True]
