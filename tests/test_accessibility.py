"""Accessible documents (issue 10.6), in the XML and HTML of every document irp writes.

One table test over documents and formats: each command writes its document as Word and as a
web page, and each is checked for what a screen reader and Word's accessibility checker need:
the language, the title, real heading levels (one top-level heading, none skipped), table
header rows marked (and repeated on each page), alt text on every picture and chart that
gives its figures, and no meaning carried by colour alone. The files are written through the
commands, as a coordinator gets them, so that the settings reach them too.
"""

from __future__ import annotations

import email
import email.policy
import io
import itertools
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLES, letterhead
from lxml import etree
from typer.testing import CliRunner

from irp_cli.cli import app
from irp_cli.documents.word import contrast_with_white

HOUSE = EXAMPLES.parent / "tests" / "fixtures" / "house" / "irp.toml"
runner = CliRunner(env={"IRP_CONFIG": str(HOUSE)})
DAY = "2026-02-10"
ASHCOMBE, REDMARSH, THORNBECK = (
    str(EXAMPLES / f"{name}.yaml") for name in ("hmp-ashcombe", "hmp-redmarsh", "hmyoi-thornbeck")
)
POPULATION = str(EXAMPLES / "population" / "hmp-ashcombe.yaml")

#: Every document, as the command that writes it: {out} is the file, without its extension.
DOCUMENTS: dict[str, list[str]] = {
    "letter": ["letter", ASHCOMBE, "--date", DAY],
    "letter-imb": ["letter", ASHCOMBE, "--to", "imb", "--date", DAY],
    "letter-ofsted": ["letter", ASHCOMBE, "--to", "ofsted", "--date", DAY],
    "proforma": ["proforma", ASHCOMBE, "--date", DAY],
    "returns": ["returns", ASHCOMBE, "--date", DAY],
    "liaison": ["liaison", THORNBECK, "--date", DAY],
    "plan": ["plan", ASHCOMBE, "--today", DAY],
    "schedule": ["schedule", THORNBECK, "--date", DAY],
    "debrief": ["debrief", REDMARSH, "--date", "2026-05-14"],
    "report": ["report", REDMARSH, "--date", "2026-05-20"],
    "programme": ["programme", str(EXAMPLES / "programme"), "--today", DAY],
    "population-guide": ["population", "guide", ASHCOMBE, "--date", DAY],
    "population-summary": ["population", "check", POPULATION],
}
#: Written only as a web page.
WEB_ONLY = {"stats": ["stats", str(EXAMPLES), "--today", DAY]}  # visits done and to come
CASES = [(name, fmt) for name in DOCUMENTS for fmt in ("docx", "html")] + [
    (name, "html") for name in WEB_ONLY
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}


def write(args: list[str], out: Path) -> bytes:
    result = runner.invoke(app, [*args, "-o", str(out), "--force"])
    assert result.exit_code in (0, 1), result.output  # 1: a programme's conflicts, reported
    return out.read_bytes()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], bytes]:
    folder = tmp_path_factory.mktemp("accessible")
    commands = {**DOCUMENTS, **WEB_ONLY}
    return {(name, fmt): write(commands[name], folder / f"{name}.{fmt}") for name, fmt in CASES}


# --------------------------------------------------------------------------------------------
# Word


class Word:
    """The parts of a .docx that accessibility rests on."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.parts = {
                name: etree.fromstring(archive.read(name))
                for name in archive.namelist()
                if name.endswith(".xml") and not name.startswith("[")
            }
        self.body = self.parts["word/document.xml"]
        self.styles = self.parts["word/styles.xml"]
        self.core = self.parts["docProps/core.xml"]

    def style_names(self) -> dict[str, str]:
        return {
            s.get(f"{{{W}}}styleId"): s.find(f"{{{W}}}name").get(f"{{{W}}}val")
            for s in self.styles.iterfind(f"{{{W}}}style")
        }

    def heading_levels(self) -> list[int]:
        names = self.style_names()
        levels = []
        for style in self.body.xpath("//w:p/w:pPr/w:pStyle/@w:val", namespaces=NS):
            found = re.fullmatch(r"heading (\d)", names.get(style, "").lower())
            if found:
                levels.append(int(found[1]))
        return levels

    def outline_level(self, name: str) -> int | None:
        ids = {v.lower(): k for k, v in self.style_names().items()}
        style = self.styles.xpath(f"w:style[@w:styleId='{ids[name]}']", namespaces=NS)[0]
        found = style.xpath("./w:pPr/w:outlineLvl/@w:val", namespaces=NS)
        return int(found[0]) if found else None

    def pictures(self) -> list[Any]:
        return [p for x in self.parts.values() for p in x.iterfind(".//wp:docPr", namespaces=NS)]


def check_headings(levels: list[int]) -> None:
    assert levels and levels[0] == 1, levels
    assert levels.count(1) == 1, levels  # one title
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"a heading level is skipped: {before} then {after}"


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_word_document_is_accessible(written: dict[tuple[str, str], bytes], name: str) -> None:
    check_word(written[name, "docx"])


def check_word(data: bytes) -> None:
    word = Word(data)
    # the language: the styles' default (spelling, and a screen reader's voice) and properties
    defaults = word.styles.xpath("w:docDefaults//w:lang/@w:val", namespaces=NS)
    assert defaults == ["en-GB"]
    assert set(word.styles.xpath("//w:lang/@w:val", namespaces=NS)) == {"en-GB"}
    assert word.core.findtext("dc:language", namespaces=NS) == "en-GB"
    # the title, which Word shows (and reads out) in place of the file name
    title = word.core.findtext("dc:title", namespaces=NS) or ""
    assert len(title) > 5
    # real headings: Heading 1-3 with outline levels (the navigation pane), none skipped
    levels = word.heading_levels()
    check_headings(levels)
    for level in set(levels):
        assert word.outline_level(f"heading {level}") == level - 1
    # text dark enough on white (WCAG 1.4.3): the headings' colour too
    used = {"Normal", "Quote", *(f"heading {n}" for n in range(1, 7))}
    for style in word.styles.iterfind("w:style", NS):
        if style.find("w:name", NS).get(f"{{{W}}}val") in used:
            for colour in style.xpath(".//w:color/@w:val", namespaces=NS):
                assert contrast_with_white(colour) >= 4.5, colour
    # tables: the first row is the header row (repeated on each page), no row splits
    for table in word.body.iterfind(".//w:tbl", namespaces=NS):
        rows = table.findall("w:tr", namespaces=NS)
        assert rows[0].find("w:trPr/w:tblHeader", namespaces=NS) is not None
        # named (its alt text title) by the heading it comes under, as on the web page
        [caption] = table.xpath("w:tblPr/w:tblCaption/@w:val", namespaces=NS)
        assert caption.strip()
        assert all(r.find("w:trPr/w:cantSplit", namespaces=NS) is not None for r in rows)
    # every picture and chart: alt text
    for picture in word.pictures():
        assert picture.get("descr", "").strip() and picture.get("title", "").strip()


def test_a_word_chart_describes_its_figures(written: dict[tuple[str, str], bytes]) -> None:
    word = Word(written["population-summary", "docx"])
    charts = word.pictures()
    assert len(charts) >= 4  # one a section
    for chart in charts:
        assert re.search(r"\w+ \d+", chart.get("descr")), chart.get("descr")  # "Sentenced 550"


def test_the_letterhead_logo_gets_alt_text(tmp_path: Path) -> None:
    settings = tmp_path / "irp.toml"
    path = letterhead(tmp_path)
    settings.write_text(
        HOUSE.read_text(encoding="utf-8").replace("[house]\n", "[house]\nletterhead = 'l.docx'\n"),
        encoding="utf-8",
    )
    path.rename(tmp_path / "l.docx")
    env = {"IRP_CONFIG": str(settings)}
    out = tmp_path / "letter.docx"
    args = ["letter", ASHCOMBE, "--date", DAY, "-o", str(out)]
    assert CliRunner(env=env).invoke(app, args).exit_code == 0
    check_word(out.read_bytes())  # on the letterhead, the letter is as accessible
    [logo] = Word(out.read_bytes()).pictures()
    assert logo.get("descr") == "HM Inspectorate of Prisons logo" == logo.get("title")
    # a description of its own, or one set in irp.toml
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "[house]\n", "[house]\nlogo_description = 'Ministry of Examples crest'\n"
        ),
        encoding="utf-8",
    )
    assert CliRunner(env=env).invoke(app, [*args, "--force"]).exit_code == 0
    [logo] = Word(out.read_bytes()).pictures()
    assert logo.get("descr") == "Ministry of Examples crest"
    # the Word letter attached to the email draft carries the same description
    eml = tmp_path / "letter.eml"
    assert CliRunner(env=env).invoke(app, [*args, "--force", "--eml", str(eml)]).exit_code == 0
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    [attached] = list(message.iter_attachments())  # type: ignore[attr-defined]
    [logo] = Word(attached.get_content()).pictures()
    assert logo.get("descr") == "Ministry of Examples crest"


def test_a_letterhead_logo_keeps_the_alt_text_it_has(tmp_path: Path) -> None:
    import docx

    from irp_cli.documents import render

    path = letterhead(tmp_path)
    document: Any = docx.Document(str(path))
    [picture] = document.sections[0].header._element.xpath(".//wp:docPr")
    picture.set("descr", "The office's crest")
    document.save(str(path))
    data = render.to_docx("# Title\n\nText.", title="t", marking="M", letterhead=path)
    [logo] = Word(data).pictures()
    assert logo.get("descr") == "The office's crest"
    assert logo.get("title") == "Letterhead logo"  # it had none: the default


# --------------------------------------------------------------------------------------------
# HTML


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, str] = {}  # the text of each element with an id
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        ident = dict(attrs).get("id")
        if ident:
            self.texts[ident] = ""
            self._open.append(ident)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag in ("title", "desc"):
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for ident in self._open:
            self.texts[ident] += data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.mark.parametrize("name", [name for name, fmt in CASES if fmt == "html"])
def test_web_page_is_accessible(written: dict[tuple[str, str], bytes], name: str) -> None:
    text = written[name, "html"].decode("utf-8")
    page = Page()
    page.feed(text)
    assert page.all("html") == [{"lang": "en-GB"}]
    title = re.search(r"<title>([^<]+)</title>", text)
    assert title and len(title[1].strip()) > 5
    check_headings([int(tag[1]) for tag, _ in page.tags if re.fullmatch(r"h[1-6]", tag)])
    # table headers: each table has a header row, each header cell says what it heads
    for table in re.findall(r"<table.*?</table>", text, re.S):
        first_row = re.search(r"<tr>(.*?)</tr>", table, re.S)
        assert first_row and "<th" in first_row[1], table[:200]
        # and a name, in a screen reader's list of tables: a caption, or the heading above
        named = re.match(r'<table aria-labelledby="([^"]+)">', table)
        if named:
            assert re.search(rf'<h[1-6] id="{named[1]}">[^<]+</h', text)
        else:
            assert re.match(r"<table><caption>[^<]+</caption>", table), table[:80]
    for header in page.all("th"):
        assert header.get("scope") in ("col", "row"), header
    # images and charts: alt text, or an SVG with a title and a description of its figures
    for image in page.all("img"):
        assert (image.get("alt") or "").strip()
    for svg in page.all("svg"):
        if svg.get("aria-hidden") == "true":  # a legend's swatch, named in the text beside it
            continue
        assert svg.get("role") == "img"
        names = (svg.get("aria-labelledby") or "").split()
        assert len(names) == 2, svg
        title_text, desc = (page.texts[n].strip() for n in names)
        assert title_text and re.search(r"\d", desc), (title_text, desc)


@pytest.mark.parametrize("name", [name for name, fmt in CASES if fmt == "html"])
def test_no_meaning_is_carried_by_colour_alone(
    written: dict[tuple[str, str], bytes], name: str
) -> None:
    """A document's charts draw every bar in one colour (the figures are written by each
    bar); a page whose chart tells things apart by colour (the stats page) tells them apart
    by a pattern or a shape too."""
    text = written[name, "html"].decode("utf-8")
    body = text[text.index("<body") :]
    if name == "stats":
        check_stats_patterns(body)
    else:
        for svg in re.findall(r"<svg.*?</svg>", body, re.S):
            assert len(set(re.findall(r'<rect [^>]*fill="([^"]+)"', svg))) == 1
    # nowhere does a style attribute colour a document's text
    assert not re.search(r'style="[^"]*(?<![-\w])color', body)


def check_stats_patterns(body: str) -> None:
    """Judgements told apart by pattern as well as colour (in the bars and in the key), late
    and overdue reports by stripes and a dashed outline, visits to come by their height."""
    from irp_cli.programme.charts import COLOURS, PATTERNS

    segments = re.findall(
        r'<rect class="segment" data-judgement="([^"]+)"[^>]* fill="([^"]+)"', body
    )
    fills = dict(segments)
    by_look = {(COLOURS[j], PATTERNS[j]) for j in fills}
    assert len(by_look) == len(fills)
    # two judgements drawn alike but for colour would be told apart by colour alone; the two
    # of each lightness (dark green and dark red, light green and amber) differ by pattern
    assert PATTERNS["good-progress"] != PATTERNS["no-meaningful-progress"]
    assert PATTERNS["reasonable-progress"] != PATTERNS["insufficient-progress"]
    for judgement, fill in fills.items():
        if PATTERNS[judgement] != "solid":
            assert fill.startswith("url(#") and f'<pattern id="{fill[5:-1]}"' in body
    legend = body[body.index('<ul class="legend">') :]
    legend = legend[: legend.index("</ul>")]
    assert legend.count("<pattern") == sum(p != "solid" for j, p in PATTERNS.items() if j in fills)
    bars = re.findall(r'<rect class="visit-bar" data-state="([^"]+)"[^>]* fill="([^"]+)"', body)
    assert {fill.startswith("url(#") for state, fill in bars if state == "late"} == {True}
    heights: dict[str, set[str]] = {"finished": set(), "to-come": set()}
    for state, group in re.findall(
        r'<g class="visit" data-state="([^"]+)"[^>]*>(.*?)</g>', body, re.S
    ):
        heights[state] |= set(re.findall(r'height="(\d+)"', group))
    assert heights["finished"] and heights["to-come"]
    assert heights["finished"].isdisjoint(heights["to-come"])


def test_a_letterhead_without_a_language_gets_english_uk(tmp_path: Path) -> None:
    """A letterhead saved by a program that names no default language, or with a style in
    another language: the document is English (UK) throughout."""
    import docx
    from docx.oxml.ns import qn

    from irp_cli.documents import render

    path = letterhead(tmp_path)
    document: Any = docx.Document(str(path))
    styles = document.styles.element
    styles.remove(styles.find(qn("w:docDefaults")))
    lang = document.styles["Normal"].element.get_or_add_rPr()
    lang.append(lang.makeelement(qn("w:lang"), {qn("w:val"): "en-US"}))
    document.save(str(path))
    data = render.to_docx("# Title\n\nText.", title="A title", marking="M", letterhead=path)
    word = Word(data)
    assert word.styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val", namespaces=NS) == [
        "en-GB"
    ]
    assert set(word.styles.xpath("//w:lang/@w:val", namespaces=NS)) == {"en-GB"}


@pytest.mark.parametrize(
    ("colour", "ratio"),
    [("000000", 21.0), ("FFFFFF", 1.0), ("4F81BD", 4.03), ("365F91", 6.56), ("auto", 21.0)],
)
def test_contrast_with_white(colour: str, ratio: float) -> None:
    assert contrast_with_white(colour) == pytest.approx(ratio, abs=0.01)
