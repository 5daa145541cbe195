"""The documents the coordinator sends: what each says (golden files in every format), the
context they are built from, escaping, and template errors. The CLI wiring is in
test_cli_documents.py; the pro forma workbook and import in test_proforma.py."""

from __future__ import annotations

import io
import itertools
import re
from datetime import date, time
from pathlib import Path
from typing import Any

import docx
import pytest
from helpers import (
    CASES,
    EXAMPLES,
    HOUSE,
    assert_golden,
    build,
    case_id,
    docx_dump,
    example_data,
    load,
    parse_html,
    render_as,
)

from irp_cli.calendar.timeline import build_timeline
from irp_cli.calendar.workdays import calendar
from irp_cli.documents import context as documents
from irp_cli.documents import render
from irp_cli.documents.recipients import Recipient
from irp_cli.errors import IrpError
from irp_cli.review.session import Loaded, Session
from irp_cli.visitfile.config import Config, load_config
from irp_cli.visitfile.loader import parse_visit

# --------------------------------------------------------------------------------------------
# Golden files: what a governor, an IMB chair, a partner and a liaison officer receive


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_document_matches_golden_in_every_format(case: tuple[str, str, Recipient | None]) -> None:
    name, kind, to = case
    loaded = load(name)
    document = build(loaded, kind, to)
    stem = f"documents/{case_id(case)}"
    markdown = render_as(document, "md", loaded.config)
    assert_golden(f"{stem}.md", markdown)
    page = render_as(document, "html", loaded.config)
    assert_golden(f"{stem}.html", page)
    levels = [int(tag[1]) for tag, _ in parse_html(page).tags if re.fullmatch(r"h[1-6]", tag)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert_golden(f"{stem}.docx.txt", docx_dump(render_as(document, "docx", loaded.config)))


DOCUMENT_TEMPLATES = {
    "letter.md.j2",
    "letter-imb.md.j2",
    "letter-partner.md.j2",
    "proforma.md.j2",
    "returns.md.j2",
    "liaison.md.j2",
}


def test_every_document_template_has_a_golden_case() -> None:
    used = {build(load(name), kind, to).template for name, kind, to in CASES}
    assert used == DOCUMENT_TEMPLATES
    assert set(render.list_templates()) >= DOCUMENT_TEMPLATES


# --------------------------------------------------------------------------------------------
# The announcement letter (guide 2.6)


@pytest.fixture(scope="module")
def ashcombe() -> Loaded:
    return load("hmp-ashcombe")


def markdown_of(
    loaded: Loaded, kind: str = "letter", to: Recipient | None = None, **kw: Any
) -> str:
    return str(render_as(build(loaded, kind, to, **kw), "md", loaded.config))


def test_letter_says_what_the_guide_asks(ashcombe: Loaded) -> None:
    text = markdown_of(ashcombe, "letter", Recipient.GOVERNOR)
    assert "Reference: HMIP/IRP/ASH/2026\\\nDate: 10 February 2026" in text
    assert "Dear Governor," in text
    assert "on Tuesday 21 to Thursday 23 April 2026" in text  # dates (2.6)
    assert "| K2 | Too few prisoners were released to settled accommodation. |" in text
    assert "K3" not in text  # not followed up
    assert "rejected (K2) or only partly accepted (P1)" in text  # 2.6
    assert "- T1: What progress have leaders made" in text  # Ofsted's themes (2.3, 2.6)
    assert "learning and skills manager" in text  # 2.11
    assert "appoint a liaison officer" in text  # 2.7
    assert "by **Tuesday 14 April 2026**, five working days before" in text  # 2.10
    assert "'Adult HMP Establishments Population Breakdown'" in text  # Appendix II
    assert "Tomasz Keel (tomasz.keel@inspectorate.example.org, 07700 900123)" in text
    assert "I am copying this letter to Roger Pellow, Chair of the Independent Monitoring" in text
    assert "Morgan Example\\\nHM Chief Inspector of Prisons" in text  # signatory from irp.toml
    assert "**HM Inspectorate of Prisons**\\\n1 Example Street\\\nLondon\\\nAB1 2CD\n\n" in text


def test_letter_dates_come_from_the_timeline(ashcombe: Loaded) -> None:
    visit, config, cal = ashcombe.doc.visit, ashcombe.config, ashcombe.calendar
    timeline = build_timeline(visit, config, cal)
    context = build(ashcombe, "letter").context
    assert context["returns"]["due"] == timeline.get("returns-due").date == date(2026, 4, 14)
    assert context["visit"]["days"] == list(timeline.visit_days)
    assert context["draft_report"] == timeline.get("draft-report").date
    assert context["publication_deadline"] == timeline.get("publication-deadline").date
    assert context["presentation"]["time"] == "12.30pm"


def test_letter_uses_key_recommendations_wording_throughout(write_visit: Any) -> None:
    data = example_data("hmp-ashcombe")
    data["previous_inspection"]["findings_wording"] = "key-recommendations"
    path = write_visit(data)
    loaded = Session(HOUSE).load(path, strict=True)
    for kind in ("letter", "proforma", "returns"):
        text = markdown_of(loaded, kind, Recipient.GOVERNOR if kind == "letter" else None)
        assert "concern" not in text.lower().replace("concerns about", ""), kind
        assert "key recommendation" in text
    assert "| No. | Key recommendation | Area | HMPPS response |" in markdown_of(loaded)


def test_letter_without_rejected_concerns_or_partners(write_visit: Any) -> None:
    data = example_data("hmp-ashcombe")
    for concern in data["concerns"]:
        concern["hmpps_response"] = "accepted"
        concern["education_skills_work"] = False
    data["previous_inspection"].update(cqc_notices=False, education=None)
    data["partners"] = {}
    data["partner_themes"] = []
    data["team"] = [
        m for m in data["team"] if m["role"] not in ("cqc-inspector", "ofsted-inspector")
    ]
    data["team"].append({"name": "Ola Inspector", "role": "inspector"})
    loaded = Session(HOUSE).load(write_visit(data), strict=True)
    text = markdown_of(loaded)
    assert "rejected" not in text.replace("| Rejected |", "")
    assert "Ofsted" not in text and "Care Quality Commission" not in text
    assert "## Before the visit" in text


def test_imb_letter_invites_the_chair_to_meet_the_team(ashcombe: Loaded) -> None:
    text = markdown_of(ashcombe, "letter", Recipient.IMB)
    assert "Roger Pellow\\\nChair, Independent Monitoring Board\\\nHMP Ashcombe" in text
    assert "I enclose a copy of my letter to Dana Whitcombe, Governor" in text
    assert "welcome the opportunity to meet you" in text
    assert "Tuesday 21 April 2026" in text


@pytest.mark.parametrize(
    ("name", "to", "paragraph", "why"),
    [
        ("hmp-ashcombe", Recipient.ESTYN, "2.5", "HMP Ashcombe is in England"),
        ("hmp-glanmorfa", Recipient.OFSTED, "2.3", "HMP Glanmorfa is in Wales"),
        ("hmp-glanmorfa", Recipient.CQC, "2.2", "'previous_inspection: cqc_notices' is not true"),
        ("hmyoi-thornbeck", Recipient.CQC, "2.2", "CQC issued notices"),
    ],
)
def test_no_letter_to_a_partner_that_does_not_take_part(
    name: str, to: Recipient, paragraph: str, why: str
) -> None:
    with pytest.raises(IrpError) as info:
        build(load(name), "letter", to)
    (finding,) = info.value.findings
    assert info.value.exit_code == 1
    assert finding.code == "partner-not-taking-part"
    assert finding.paragraph == paragraph
    assert "does not take part in this IRP" in finding.message
    assert why in finding.message


def test_ofsted_not_taking_part_after_a_good_grade_says_so(write_visit: Any) -> None:
    data = example_data("hmp-ashcombe")
    data["previous_inspection"]["education"]["grade"] = "good"
    data["partners"].pop("ofsted")
    data["partner_themes"] = []
    data["team"] = [m for m in data["team"] if m["role"] != "ofsted-inspector"]
    loaded = Session(HOUSE).load(write_visit(data), strict=True)
    with pytest.raises(IrpError, match="education, skills and work was judged 'good'"):
        build(loaded, "letter", Recipient.OFSTED)


def test_partner_visiting_separately_gets_a_notice_without_themes(write_visit: Any) -> None:
    data = example_data("hmp-ashcombe")
    data["partners"]["cqc"]["separate_visit"] = True
    data["team"] = [m for m in data["team"] if m["role"] != "cqc-inspector"]
    data["team"].append({"name": "Ola Inspector", "role": "inspector"})
    loaded = Session(HOUSE).load(write_visit(data), strict=True)
    text = markdown_of(loaded, "letter", Recipient.CQC)
    assert "will instead arrange a separate follow-up visit" in text
    assert "## Arrangements" not in text
    governor = markdown_of(loaded)  # the governor's letter says so, and says no more
    assert "The Care Quality Commission (CQC) will follow up its notices in a separate" in governor
    assert "will also take part in the visit" not in governor


def test_letter_notes_on_a_late_letter_date(ashcombe: Loaded) -> None:
    visit, config, cal = ashcombe.doc.visit, ashcombe.config, ashcombe.calendar
    timeline = build_timeline(visit, config, cal)
    assert documents.letter_notes(timeline, date(2026, 2, 10)) == []
    assert documents.letter_notes(timeline, date(2026, 1, 21)) == []  # the window opens
    early = documents.letter_notes(timeline, date(2026, 1, 20))
    assert early == [
        "the letter is dated Tue 20 Jan 2026, before Wed 21 Jan 2026, when the window for it "
        "opens: more than three months before the visit (it usually goes two to three months "
        "before)"
    ]  # dates as in every other message (the letter-window-passed warning, the plan)
    assert "after Fri 20 Feb 2026" in documents.letter_notes(timeline, date(2026, 3, 2))[0]
    assert "due by Tue 14 Apr 2026" in documents.letter_notes(timeline, date(2026, 4, 15))[0]
    assert (
        "on or after the first visit day" in documents.letter_notes(timeline, date(2026, 4, 21))[0]
    )


# --------------------------------------------------------------------------------------------
# Returns, liaison brief, pro forma


def test_returns_checklist_shows_what_has_arrived() -> None:
    text = markdown_of(load("hmyoi-thornbeck"), "returns", letter_date=date(2026, 2, 23))
    assert (
        "| 1 | The pro forma naming the manager responsible for each concern | 18 February 2026 |"
        in text
    )
    assert "| 3 | The presentation for the start of the visit (30–45 minutes) | Not yet |" in text
    assert "Received so far: 2 of 7." in text
    assert "**YOI Population Breakdown**" in text  # Appendix II, by establishment type
    assert "select HMYOI Thornbeck, click the right arrow to enter its code (TBK)" in text


def test_returns_overdue_after_the_due_date_and_all_received(write_visit: Any) -> None:
    loaded = load("hmyoi-thornbeck")
    late = markdown_of(loaded, "returns", letter_date=date(2026, 2, 25))
    assert "| 3 | The presentation for the start of the visit (30–45 minutes) | Overdue |" in late
    data = example_data("hmyoi-thornbeck")
    data["visit"]["status"]["returns_received"] = "2026-02-23"
    loaded = Session(HOUSE).load(write_visit(data), strict=True)
    done = markdown_of(loaded, "returns", letter_date=date(2026, 2, 23))
    assert "Everything had arrived by 23 February 2026." in done
    assert "Not yet" not in done


@pytest.mark.parametrize(
    ("day", "received"),
    [
        # Thornbeck's pro forma arrived on 18 February 2026, its action plan on the 20th: a
        # checklist dated before then does not show them as arrived (status-in-future, 9.4).
        (date(2025, 12, 16), "Nothing has arrived yet."),
        (date(2026, 2, 17), "Nothing has arrived yet."),
        (date(2026, 2, 18), "Received so far: 1 of 7."),
        (date(2026, 2, 20), "Received so far: 2 of 7."),
    ],
)
def test_returns_checklist_counts_what_had_arrived_by_its_date(day: date, received: str) -> None:
    text = markdown_of(load("hmyoi-thornbeck"), "returns", letter_date=day)
    assert received in text


@pytest.mark.parametrize(
    ("kind", "report"),
    [
        ("young-offender-institution", "YOI Population Breakdown"),
        ("split-adults-young-adults", "Population Breakdown for Split Establishments – Adults"),
        ("adult-women", "Adult HMP Establishments Population Breakdown"),
    ],
)
def test_population_report_named_for_the_establishment_type(
    write_visit: Any, kind: str, report: str
) -> None:
    data = example_data("hmp-ashcombe")
    data["establishment"]["type"] = kind
    text = markdown_of(Session(HOUSE).load(write_visit(data), strict=True), "returns")
    assert f"**{report}" in text


def test_liaison_brief_lists_each_visit_day_and_who_needs_keys() -> None:
    text = markdown_of(load("hmyoi-thornbeck"), "liaison")
    assert "Liaison officer: Declan Otway, Head of Safety" in text
    for heading in (
        "### Day 1: Tuesday 3 March 2026",
        "### Day 2: Tuesday 10 March 2026",
        "### Day 3: Wednesday 11 March 2026",
        "### Day 4: Thursday 12 March 2026",
    ):
        assert heading in text
    assert text.count("- Contact with the team three times: times to be agreed.") == 4
    assert "| Aisling Varga | Researcher | No |" in text
    assert "| Femi Holroyd | Coordinating inspector | Yes |" in text
    assert "Three of the team need keys." in text
    assert "at **12.30pm on Tuesday 3 March 2026**" in text
    assert "by **Tuesday 24 February 2026**" in text
    assert "destroyed or returned" in text


def test_liaison_brief_before_a_liaison_officer_is_appointed(write_visit: Any) -> None:
    data = example_data("hmp-glanmorfa")
    del data["visit"]["liaison_officer"]
    text = markdown_of(Session(HOUSE).load(write_visit(data), strict=True), "liaison")
    assert "Liaison officer: to be appointed by the director" in text


def test_proforma_document_prefills_known_managers(write_visit: Any) -> None:
    data = example_data("hmp-ashcombe")
    data["concerns"][0]["responsible_manager"] = {"name": "Jo Bloggs", "title": "Head of Regime"}
    text = markdown_of(Session(HOUSE).load(write_visit(data), strict=True), "proforma")
    assert (
        "| P1 | Too many prisoners were locked in their cells for more than 22 hours a day. "
        "| Jo Bloggs | Head of Regime |  |" in text
    )
    assert (
        "| P2 | Use of force was not always justified, proportionate or properly reviewed. "
        "|  |  |  |" in text
    )


# --------------------------------------------------------------------------------------------
# Word and HTML


def test_letter_docx_has_headings_table_and_text(ashcombe: Loaded) -> None:
    data = render_as(build(ashcombe, "letter"), "docx", ashcombe.config)
    document: Any = docx.Document(io.BytesIO(data))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings[0] == ("Heading 1", "Independent review of progress at HMP Ashcombe")
    assert ("Heading 2", "The concerns we will follow up") in headings
    assert ("Heading 2", "What we ask you to send") in headings
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["No.", "Concern", "Area", "HMPPS response"]
    assert [r.cells[0].text for r in table.rows[1:]] == ["P1", "P2", "P3", "K1", "K2"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Dear Governor," in text
    assert "Date: 10 February 2026" in text
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert section.footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert (
        document.core_properties.title
        == "Independent review of progress at HMP Ashcombe: announcement letter"
    )
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == 7 and numbered[0].startswith("The pro forma")


def test_liaison_docx_has_a_heading_per_visit_day() -> None:
    loaded = load("hmp-glanmorfa")
    document: Any = docx.Document(
        io.BytesIO(render_as(build(loaded, "liaison"), "docx", loaded.config))
    )
    days = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert days == [
        "Day 1: Tuesday 16 June 2026",
        "Day 2: Wednesday 17 June 2026",
        "Day 3: Thursday 18 June 2026",
    ]
    assert [c.text for c in document.tables[0].rows[0].cells] == ["Name", "Role", "Keys"]


NASTY = "<script>alert('x')</script> *not bold* | pipe [link](http://example.com)"


def test_user_text_is_escaped_in_every_format(write_visit: Any) -> None:
    data = example_data("hmp-ashcombe")
    data["concerns"][0]["text"] = NASTY
    data["establishment"]["governor"]["name"] = "Dana <b>Whitcombe</b>"
    loaded = Session(HOUSE).load(write_visit(data), strict=True)
    document = build(loaded, "letter")
    page = render_as(document, "html", loaded.config)
    assert "<script" not in page and "<b>Whitcombe" not in page
    expected = (
        "&lt;script&gt;alert('x')&lt;/script&gt; *not bold* | pipe [link](http://example.com)"
    )
    assert f"<td>{expected}</td>" in page
    assert "<em>" not in page and 'href="http://example.com"' not in page
    assert NASTY in parse_html(page).text
    word: Any = docx.Document(io.BytesIO(render_as(document, "docx", loaded.config)))
    assert word.tables[0].rows[1].cells[1].text == NASTY
    assert len(word.tables[0].columns) == 4  # the pipe did not split the cell


# --------------------------------------------------------------------------------------------
# Templates: overrides and errors


def test_user_template_overrides_the_builtin(ashcombe: Loaded, tmp_path: Path) -> None:
    (tmp_path / "letter.md.j2").write_text(
        '# For {{ governor.name }}\n\n{% include "builtin/letter.md.j2" %}\n', encoding="utf-8"
    )
    text = render_as(build(ashcombe, "letter"), "md", ashcombe.config, user_dir=tmp_path)
    assert text.startswith("# For Dana Whitcombe\n\n**HM Inspectorate of Prisons**")
    other = render_as(build(ashcombe, "returns"), "md", ashcombe.config, user_dir=tmp_path)
    assert other.startswith("# What to send before the visit")  # not overridden: built-in


def test_missing_value_in_a_user_template_names_the_template(
    ashcombe: Loaded, tmp_path: Path
) -> None:
    (tmp_path / "letter.md.j2").write_text(
        "Dear {{ governor.name }},\n\nWe visit {{ visit.start_day | long_date }}.\n",
        encoding="utf-8",
    )
    with pytest.raises(IrpError) as info:
        render_as(build(ashcombe, "letter"), "md", ashcombe.config, user_dir=tmp_path)
    (finding,) = info.value.findings
    assert finding.message == "template 'letter.md.j2' needs 'visit.start_day', which is missing"
    assert (finding.file, finding.line) == (str(tmp_path / "letter.md.j2"), 3)


def test_builtin_templates_guard_every_optional_value(write_visit: Any) -> None:
    """With every optional field left out, every document still renders (no None printed)."""
    data = example_data("hmp-glanmorfa")
    data["establishment"]["governor"] = {"name": "Owain Pritchard-Lee"}
    data["establishment"]["imb_chair"] = {"name": "Carys Mabon"}
    data["team"] = [{k: v for k, v in m.items() if k in ("name", "role")} for m in data["team"]]
    data["partners"]["estyn"]["contact"] = {"name": "Nia Fenwick"}
    del data["visit"]["liaison_officer"]
    del data["previous_inspection"]["report_published"]
    loaded = Session(HOUSE).load(write_visit(data), strict=True)
    for kind, to in [
        ("letter", Recipient.GOVERNOR),
        ("letter", Recipient.IMB),
        ("letter", Recipient.ESTYN),
        ("proforma", None),
        ("returns", None),
        ("liaison", None),
    ]:
        text = markdown_of(loaded, kind, to)
        assert "None" not in text, kind
    assert "Idris Okonjo, the coordinating inspector" in markdown_of(loaded)


# --------------------------------------------------------------------------------------------
# Pieces of the context


def test_phrase_days_groups_runs_of_working_days() -> None:
    cal = calendar()
    assert documents.phrase_days(
        [date(2026, 4, 21), date(2026, 4, 22), date(2026, 4, 23)], cal
    ) == ("Tuesday 21 to Thursday 23 April 2026")
    assert documents.phrase_days([date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 11)], cal) == (
        "Tuesday 3 March 2026 and Tuesday 10 to Wednesday 11 March 2026"
    )
    # Friday and the Monday after are one run, across months and years too; a bank holiday
    # in between splits the run (issue 9.4: never "Thursday 30 April to Tuesday 5 May").
    assert documents.phrase_days([date(2026, 4, 30), date(2026, 5, 1), date(2026, 5, 5)], cal) == (
        "Thursday 30 April to Friday 1 May 2026 and Tuesday 5 May 2026"  # 4 May: bank holiday
    )
    assert documents.phrase_days([date(2026, 7, 31), date(2026, 8, 3)], cal) == (
        "Friday 31 July to Monday 3 August 2026"
    )
    assert documents.phrase_days([date(2026, 12, 31), date(2027, 1, 4)], cal) == (
        "Thursday 31 December 2026 and Monday 4 January 2027"  # 1 January: bank holiday
    )
    assert documents.phrase_days([date(2026, 4, 2), date(2026, 4, 7), date(2026, 4, 8)], cal) == (
        "Thursday 2 April 2026 and Tuesday 7 to Wednesday 8 April 2026"  # Easter
    )
    assert documents.phrase_days([date(2026, 6, 1)], cal) == "Monday 1 June 2026"
    assert documents.phrase_days([date(2026, 6, 1), date(2026, 6, 3), date(2026, 6, 5)], cal) == (
        "Monday 1 June 2026, Wednesday 3 June 2026 and Friday 5 June 2026"
    )


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2025, 6, 9), date(2025, 6, 19), "9 to 19 June 2025"),
        (date(2025, 6, 30), date(2025, 7, 4), "30 June to 4 July 2025"),
        (date(2025, 12, 29), date(2026, 1, 2), "29 December 2025 to 2 January 2026"),
        (date(2025, 6, 9), date(2025, 6, 9), "9 June 2025"),
    ],
)
def test_phrase_span(first: date, last: date, expected: str) -> None:
    assert documents.phrase_span(first, last) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time(12, 30), "12.30pm"),
        (time(9, 0), "9am"),
        (time(12, 0), "midday"),
        (time(14, 0), "2pm"),
        (time(0, 15), "12.15am"),
        (time(13, 5), "1.05pm"),
    ],
)
def test_format_time_in_the_guides_style(value: time, expected: str) -> None:
    assert documents.format_time(value) == expected


def test_format_times() -> None:
    assert documents.format_times(time(12, 30), time(14, 0)) == "12.30pm to 2pm"
    assert documents.format_times(time(12, 30), None) == "12.30pm"
    assert documents.format_times(None, None) == ""


def _config(tmp_path: Path, fmt: str) -> Config:
    path = tmp_path / "irp.toml"
    path.write_text(f"[house]\nreference_format = {fmt!r}\n", encoding="utf-8")
    return load_config(path)


def test_reference_fills_code_year_and_name(tmp_path: Path) -> None:
    visit = parse_visit((EXAMPLES / "hmp-ashcombe.yaml").read_text(encoding="utf-8"), "v").visit
    config = _config(tmp_path, "{name} ({code}) {year}/IRP")
    assert documents.reference(visit, config, date(2026, 4, 21)) == "HMP Ashcombe (ASH) 2026/IRP"
    assert documents.reference(visit, Config(), date(2027, 1, 5)) == "IRP/ASH/2027"


@pytest.mark.parametrize(
    ("fmt", "words"),
    [
        ("IRP/{prison}", "uses '{prison}'"),
        ("IRP/{code", "not a valid pattern"),
        ("{code.__class__}", "uses '{code.__class__}'"),
    ],
)
def test_reference_format_mistakes_point_at_the_settings_file(
    tmp_path: Path, fmt: str, words: str
) -> None:
    visit = parse_visit((EXAMPLES / "hmp-ashcombe.yaml").read_text(encoding="utf-8"), "v").visit
    with pytest.raises(IrpError) as info:
        documents.reference(visit, _config(tmp_path, fmt), date(2026, 4, 21))
    (finding,) = info.value.findings
    assert finding.file == str(tmp_path / "irp.toml")
    assert words in finding.message and "{code}, {year}, {name}" in finding.message


def test_relative_templates_folder_is_relative_to_the_settings_file(tmp_path: Path) -> None:
    (tmp_path / "irp.toml").write_text('templates = "my-templates"\n', encoding="utf-8")
    assert load_config(tmp_path / "irp.toml").templates == tmp_path / "my-templates"
    (tmp_path / "irp.toml").write_text(f'templates = "{tmp_path}/abs"\n', encoding="utf-8")
    assert load_config(tmp_path / "irp.toml").templates == tmp_path / "abs"
    (tmp_path / "irp.toml").write_text("[house]\n", encoding="utf-8")
    assert load_config(tmp_path / "irp.toml").templates is None


@pytest.mark.parametrize(
    ("name", "given", "role", "expected"),
    [
        ("Dana Whitcombe", None, "Governor", "Dear Governor"),  # never the full name
        ("Dana Whitcombe", "Dear Governor", "Director", "Dear Governor"),
        ("Dana Whitcombe", "Ms Whitcombe", "Governor", "Dear Ms Whitcombe"),
        ("Jo Ann Okafor", "Dr", "Governor", "Dear Dr Okafor"),  # a title alone: the surname
        ("Jo Okafor", "Dear Dr.", "Governor", "Dear Dr. Okafor"),
        ("Roger Pellow", "Roger", "Chair", "Dear Roger"),
    ],
)
def test_salutation(name: str, given: str | None, role: str, expected: str) -> None:
    from irp_cli.documents.context import salutation
    from irp_cli.visitfile.models import Person

    assert salutation(Person(name=name, salutation=given), role) == expected


def test_letter_addresses_the_establishment_and_greets_by_role(ashcombe: Loaded) -> None:
    text = markdown_of(ashcombe)
    assert (
        "Dana Whitcombe\\\nGovernor\\\nHMP Ashcombe\\\nAshcombe Lane\\\nAshcombe\\\nAB1 9ZZ\n"
        in text
    )
    assert "\n\nDear Governor,\n" in text
    assert "Dear Mr Pellow," in markdown_of(ashcombe, "letter", Recipient.IMB)
    cqc = markdown_of(ashcombe, "letter", Recipient.CQC)
    assert "Dear colleague," in cqc
    assert "You are on the team for CQC." in cqc  # the contact is the CQC inspector
    assert "Marcus Oyelaran is on the team" not in cqc
