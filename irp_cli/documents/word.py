"""Markdown tokens → Word, with python-docx: a thin walk, real Word styles, nothing clever.

Mapping: ``#``–``######`` → Heading 1–6; paragraphs → Normal, with bold and italic runs;
``-`` lists → List Bullet (2, 3 when nested); ``1.`` lists → List Number (each list restarts
at its own first number); further paragraphs in a list item → List Continue; ``>`` → Quote;
tables → Table Grid with a bold header row that repeats on every page; ``---`` → page break;
code → Courier New. The page is A4, text Arial, proofing language English (UK), and the
protective marking is in every page header and footer, with "Page N of M" in the footer.

Pagination, so that a printed letter reads like one: headings stay with what follows (the
built-in heading styles), so does a paragraph that introduces a table or list (a chain: heading,
introduction, first list item or table row move to the next page together), table rows never
split across pages, a short table is kept on one page (each row kept with the next), and a
letter's sign-off ("Yours sincerely,") stays with the signature block, which gets room above
it for a signature.

The package is a current Word document (Word 2013 and later, no compatibility mode), with no
thumbnail and no application metadata inherited from python-docx's template.

Output is deterministic: fixed core-property dates and zip timestamps, so the same Markdown
always gives the same bytes (and ``write_output`` can report ``unchanged``).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

from irp_cli.errors import IrpError
from irp_cli.files import repeatable_zip

if TYPE_CHECKING:
    from markdown_it.token import Token

    from irp_cli.documents.charts import BarChart

FONT = "Arial"
LANGUAGE = "en-GB"
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
# Characters XML 1.0 cannot hold (stray control characters pasted from elsewhere).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A letter's complimentary close, which stays on the page of the signature block after it.
_SIGN_OFF = re.compile(r"(yours (sincerely|faithfully)|kind regards|best wishes),?", re.IGNORECASE)
#: The narrowest column left for a handwritten answer (a name, a job title, an email address).
WRITE_IN_MM = 30.0
#: Room above the signatory's name for a handwritten signature.
SIGNATURE_SPACE = Pt(42)
#: Word 2013 and later: documents open without "[Compatibility Mode]" in the title bar.
COMPATIBILITY_MODE = "15"
_VML = "urn:schemas-microsoft-com:vml"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
# python-docx's template says it was written by "Microsoft Macintosh Word" 14 (Word 2010).
_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application>irp</Application><DocSecurity>0</DocSecurity>'
    b"</Properties>"
)


#: The alt text of a letterhead's picture that has none, when no other is given.
LOGO_TEXT = "Letterhead logo"
#: The styles the writer uses; a letterhead document that lacks one gets python-docx's.
STYLES = (
    *(f"Heading {n}" for n in range(1, 7)),
    *(
        f"{base}{n}"
        for base in ("List Bullet", "List Number", "List Continue")
        for n in ("", " 2", " 3")
    ),
    "Quote",
    "Table Grid",
)
#: A letterhead is the office's own document, but still read with bounds.
LETTERHEAD_MAX_BYTES = 10_000_000
LETTERHEAD_MAX_UNPACKED = 50_000_000


def build(
    tokens: list[Token],
    *,
    title: str,
    marking: str,
    timestamp: datetime,
    letterhead: bytes | None = None,
    charts: Mapping[str, BarChart] | None = None,
    logo_text: str = "",
) -> bytes:
    """The bytes of a ``.docx`` for markdown-it block ``tokens``: on python-docx's blank
    document set up in the house style, or on the office's ``letterhead`` document (see
    :func:`read_letterhead`), whose styles, page, header, footer and logo are kept.
    ``![…](chart:key)`` images become native Word charts from ``charts`` (see
    :mod:`irp_cli.documents.charts`). A picture in the letterhead with no alt text gets
    ``logo_text``."""
    marking = _clean(marking)
    if letterhead is None:
        document = _blank_document()
        _house_style(document, marking)
    else:
        document = docx.Document(io.BytesIO(letterhead))
        _on_letterhead(document, marking)
        _describe_pictures(document, _clean(logo_text) or LOGO_TEXT)
    _readable_colours(document)
    _current_format(document)
    _properties(document, title=_clean(title), timestamp=timestamp)
    _Writer(document, charts or {}).blocks(tokens)
    buffer = io.BytesIO()
    document.save(buffer)
    return repeatable_zip(buffer.getvalue())


#: Where a part of a Word document names a style (``w:val`` is the style's id).
_STYLE_REFERENCES = ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink")
_REFERENCE_TAGS = tuple(qn(tag) for tag in _STYLE_REFERENCES)
#: Where a style names another it depends on.
_STYLE_LINKS = ("w:basedOn", "w:link", "w:next")


#: The table styles irp's documents use (``Table Normal`` is Word's default for every table).
TABLE_STYLES = ("TableNormal", "TableGrid")


def _blank_document() -> Any:
    """python-docx's blank document without the table styles irp does not use, read from
    irp's cache folder (made there on first use, for each python-docx version): its 340 KB of
    styles are parsed once, not in every run that writes a Word document (about 7 ms)."""
    from irp_cli.files import write_cache
    from irp_cli.paths import cache_dir

    version = re.sub(r"[^0-9A-Za-z.]", "_", str(getattr(docx, "__version__", "unknown")))
    path = cache_dir() / f"blank-python-docx-{version}-v{BLANK_FORMAT}.docx"
    try:
        document = docx.Document(io.BytesIO(path.read_bytes()))
        if style_ids(document, "table") == set(TABLE_STYLES):
            return document
    except Exception:  # a missing or damaged cache file: it is made again
        pass
    document = docx.Document()
    _drop_unused_table_styles(document, keep=TABLE_STYLES)
    buffer = io.BytesIO()
    document.save(buffer)
    write_cache(path, buffer.getvalue())
    return docx.Document(io.BytesIO(buffer.getvalue()))  # as a later run reads it


#: Part of the cached blank document's name: a change to what it holds makes a new one.
BLANK_FORMAT = 1


def style_ids(document: Any, kind: str) -> set[str]:
    """The ids of the styles of ``kind`` (``paragraph``, ``table``, ...) that ``document``
    defines."""
    kinds = qn("w:type")
    return {
        s.get(qn("w:styleId"))
        for s in document.styles.element.iterchildren(qn("w:style"))
        if s.get(kinds) == kind
    }


def _drop_unused_table_styles(document: Any, *, keep: tuple[str, ...] = ()) -> None:
    """Drop the table styles the document does not use (nor ``keep``). python-docx's blank
    document defines every built-in style so that any can be asked for by name, among them
    about 100 table styles, nearly all of its 340 KB of styles; Word saves only those in use
    and offers every other built-in one as before. The paragraph and character styles stay
    (the house style sets their font and colours). The file is a third smaller."""
    val = qn("w:val")
    styles = document.styles.element
    used: set[str] = set()
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)  # an XML part (not a picture)
        if element is None or element is styles:
            continue
        used.update(e.get(val) for e in element.iter(*_REFERENCE_TAGS))
    kinds, default = qn("w:type"), qn("w:default")
    by_id = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
    wanted = [i for i, s in by_id.items() if s.get(kinds) != "table" or s.get(default)]
    wanted.extend(used)
    wanted.extend(keep)
    kept: set[str] = set()
    while wanted:
        style_id = wanted.pop()
        style = by_id.get(style_id)
        if style is None or style_id in kept:
            continue
        kept.add(style_id)
        for tag in _STYLE_LINKS:
            linked = style.find(qn(tag))
            if linked is not None:
                wanted.append(linked.get(val))
    for style_id, style in by_id.items():
        if style_id not in kept:
            style.clear()  # emptied first: lxml then has no subtree to carry out (3x quicker)
            styles.remove(style)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def xml_attr(text: str) -> str:
    """``text`` escaped for a double-quoted XML attribute, as ``xml.sax.saxutils.quoteattr``
    does (which imports ``urllib.request``, a seventh of a Word document's start-up)."""
    return "".join(_ATTR.get(c, c) for c in html.escape(text, quote=False))


_ATTR = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def _current_format(document: Any) -> None:
    """A current Word package: no thumbnail, no Word 2010 compatibility mode, no parts only
    Word 2010 wrote (styles with effects, an empty bibliography), no inherited app metadata."""
    package = document.part.package
    for rels in (package.rels, document.part.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype in (RT.THUMBNAIL, RT.CUSTOM_XML, _STYLES_WITH_EFFECTS):
                rels.pop(r_id)
                rels.related_parts.pop(r_id, None)
            elif rel.reltype == RT.EXTENDED_PROPERTIES:
                rel.target_part._blob = _APP_XML
    settings = document.settings.element
    for mode in settings.xpath("./w:compat/w:compatSetting[@w:name='compatibilityMode']"):
        mode.set(qn("w:val"), COMPATIBILITY_MODE)
    for preview in settings.xpath("./w:savePreviewPicture"):
        settings.remove(preview)


def _page_numbers(paragraph: Any) -> None:
    """ "Page N of M" as Word fields (PAGE, NUMPAGES), updated by Word and LibreOffice."""
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")


def _field(paragraph: Any, instruction: str) -> None:
    for part in ("begin", instruction, "separate", "1", "end"):
        run = paragraph.add_run()._r
        if part in ("begin", "separate", "end"):
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), part)
        else:
            element = OxmlElement("w:instrText" if part == instruction else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {part} " if part == instruction else part
        run.append(element)


#: The longest document property (the title) a .docx may have.
MAX_PROPERTY = 255


def read_letterhead(path: Path) -> bytes:
    """The bytes of the letterhead document named in ``irp.toml``, checked to be a Word
    document of a sensible size; an :class:`IrpError` naming the file otherwise."""
    import zipfile

    name = str(path)
    setting = "the letterhead named in irp.toml ([house] letterhead)"
    try:
        if not path.is_file():
            raise IrpError.at(name, f"{setting} is not a file", code="letterhead")
        if path.stat().st_size > LETTERHEAD_MAX_BYTES:
            message = f"{setting} is over {LETTERHEAD_MAX_BYTES // 1_000_000} MB"
            raise IrpError.at(name, message, code="letterhead")
        data = path.read_bytes()
    except OSError as exc:
        message = f"cannot read {setting}: {exc.strerror}"
        raise IrpError.at(name, message, code="letterhead") from None
    problem = f"{setting} is not a Word document (.docx)"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > LETTERHEAD_MAX_UNPACKED:
                raise IrpError.at(name, f"{setting} unpacks to too much", code="letterhead")
        docx.Document(io.BytesIO(data))
    except IrpError:
        raise
    except Exception:  # python-docx fails in many ways on a file that is not a .docx
        raise IrpError.at(name, problem, code="letterhead") from None
    return data


def _on_letterhead(document: Any, marking: str) -> None:
    """Empty the letterhead's body (its page set-up stays), make sure the styles the writer
    uses exist, and add the marking and page numbers unless its header and footer have them."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _missing_styles(document)
    for section in document.sections:
        parts = [section.header, section.footer]
        if section.different_first_page_header_footer:
            parts += [section.first_page_header, section.first_page_footer]
        for part in parts:
            text = "\n".join(p.text for p in part.paragraphs)
            if marking not in text:
                top = part in (section.header, section.first_page_header)
                paragraph = _marking_paragraph(part, at_top=top)
                paragraph.add_run(marking).bold = True
        for footer in parts[1::2]:
            if not footer._element.xpath(".//w:instrText[contains(., 'PAGE')]"):
                numbers = footer.add_paragraph()
                numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _page_numbers(numbers)
    _language(document.styles.element)


def _describe_pictures(document: Any, text: str) -> None:
    """Alt text on every picture of the letterhead's headers and footers that has none (its
    logo), as a screen reader and Word's accessibility checker want; the title is left
    as it is unless it is empty too. Old (VML) pictures get their ``alt`` attribute."""
    for rel in document.part.rels.values():
        if rel.reltype not in (RT.HEADER, RT.FOOTER):
            continue
        element = rel.target_part.element
        for picture in element.xpath(".//wp:docPr"):
            if not (picture.get("descr") or "").strip():
                picture.set("descr", text)
            if not (picture.get("title") or "").strip():
                picture.set("title", text)
        for shape in element.iter(f"{{{_VML}}}shape"):
            if shape.find(f"{{{_VML}}}imagedata") is not None and not shape.get("alt", "").strip():
                shape.set("alt", text)


def _language(styles: Any) -> None:
    """English (UK) as the letterhead's default language (added if it names none, as a
    document saved by another program may not) and in each of its styles: the documents are
    in English, for the spelling checker and a screen reader's voice."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run = defaults.find(qn("w:rPrDefault"))
    if run is None:
        run = OxmlElement("w:rPrDefault")
        defaults.insert(0, run)
    properties = run.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run.append(properties)
    if properties.find(qn("w:lang")) is None:
        properties.append(OxmlElement("w:lang"))  # last, where the schema has it
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)


def _marking_paragraph(part: Any, *, at_top: bool) -> Any:
    """A new centred paragraph first in a header (above the letterhead's own) or last in a
    footer; an empty first paragraph is used as it is."""
    paragraphs = part.paragraphs
    if paragraphs and not paragraphs[0].text and not paragraphs[0]._p.xpath(".//w:drawing"):
        paragraph = paragraphs[0]
    elif at_top and paragraphs:
        paragraph = paragraphs[0].insert_paragraph_before()
    else:
        paragraph = part.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _missing_styles(document: Any) -> None:
    """Copy from python-docx's template the styles the writer uses that the letterhead lacks
    (a document saved by Word holds only the styles it has used), with their list numbering."""
    from copy import deepcopy

    names = {style.name for style in document.styles}
    missing = [name for name in STYLES if name not in names]
    if not missing:
        return
    template = docx.Document()
    numbering = document.part.numbering_part.element  # created empty if the document has none
    source_numbering = template.part.numbering_part.element
    for name in missing:
        element = deepcopy(template.styles[name].element)
        for link in element.xpath("./w:link"):
            element.remove(link)
        for num_id in element.xpath("./w:pPr/w:numPr/w:numId"):
            num_id.set(qn("w:val"), str(_copy_numbering(source_numbering, numbering, num_id)))
        document.styles.element.append(element)


def _copy_numbering(source: Any, target: Any, num_id: Any) -> int:
    """Copy one list definition (``w:num`` and its ``w:abstractNum``) under new ids."""
    from copy import deepcopy

    num = source.num_having_numId(int(num_id.get(qn("w:val"))))
    abstract_id = num.abstractNumId.val
    (abstract,) = source.xpath(f"./w:abstractNum[@w:abstractNumId='{abstract_id}']")
    used = [int(v) for v in target.xpath("./w:abstractNum/@w:abstractNumId")]
    new_abstract = deepcopy(abstract)
    new_abstract.set(qn("w:abstractNumId"), str(max(used, default=-1) + 1))
    for nsid in new_abstract.findall(qn("w:nsid")):  # a list definition's own id, kept unique
        new_abstract.remove(nsid)
    first_num = target.find(qn("w:num"))
    if first_num is not None:  # abstract definitions come before the lists that use them
        first_num.addprevious(new_abstract)
    else:
        target.append(new_abstract)
    copied = target.add_num(int(new_abstract.get(qn("w:abstractNumId"))))
    return int(copied.numId)


def _properties(document: Any, *, title: str, timestamp: datetime) -> None:
    props = document.core_properties
    if len(title) > MAX_PROPERTY:  # python-docx refuses a longer one (Word's own limit)
        title = title[: MAX_PROPERTY - 1] + "…"
    props.title, props.author, props.last_modified_by = title, "", ""
    props.comments, props.language, props.revision = "", LANGUAGE, 1
    props.created = props.modified = timestamp
    props.subject = props.keywords = props.category = ""


def _house_style(document: Any, marking: str) -> None:
    """The default look: A4, 25 mm margins, Arial 11pt, the marking in the header and
    footer."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(25))
    for part in (section.header, section.footer):
        paragraph = part.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(marking).bold = True
    numbers = section.footer.add_paragraph()
    numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_numbers(numbers)
    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):  # theme fonts (Calibri, Cambria) → Arial
        if fonts.get(qn("w:asciiTheme")) is not None:
            for attr in ("asciiTheme", "hAnsiTheme", "cstheme"):
                fonts.attrib.pop(qn(f"w:{attr}"), None)
            for attr in ("ascii", "hAnsi", "cs"):
                fonts.set(qn(f"w:{attr}"), FONT)
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
    document.styles["Normal"].font.size = Pt(11)


#: WCAG 2.2 (1.4.3): text at least 4.5 times as light as white is dark; the headings' blue.
MIN_CONTRAST, HEADING_COLOUR = 4.5, "365F91"


def contrast_with_white(colour: str) -> float:
    """WCAG's contrast ratio of the colour ``RRGGBB`` (or ``auto``: black) on white."""
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
        return 21.0
    channels = []
    for i in (0, 2, 4):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 1.05 / (0.2126 * red + 0.7152 * green + 0.0722 * blue + 0.05)


def _readable_colours(document: Any) -> None:
    """The text of every style the writer uses as dark as WCAG asks (python-docx's template,
    from Word 2010, has headings in a blue too light for 11pt text): a lighter colour
    becomes the blue of Heading 1."""
    names = {name.lower() for name in STYLES}  # Word's own names of built-in styles: lower case
    for style in document.styles.element.iterfind(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is None or str(name.get(qn("w:val"), "")).lower() not in names:
            continue
        for colour in style.iter(qn("w:color")):
            if contrast_with_white(colour.get(qn("w:val"), "auto")) < MIN_CONTRAST:
                for attr in ("themeColor", "themeShade", "themeTint"):
                    colour.attrib.pop(qn(f"w:{attr}"), None)
                colour.set(qn("w:val"), HEADING_COLOUR)


def _style(base: str, depth: int) -> str:
    """``List Bullet``, ``List Bullet 2``, ``List Bullet 3`` (deeper lists stay at 3)."""
    depth = min(depth, 3)
    return base if depth <= 1 else f"{base} {depth}"


def _number(paragraph: Any, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


class _Writer:
    def __init__(self, document: Any, charts: Mapping[str, BarChart]) -> None:
        self.doc = document
        self.charts = charts
        self.chart_count = 0
        self.lists: list[tuple[str, int | None]] = []  # (style base, Word numbering id)
        self.item_started = False  # the current list item already has its first paragraph
        self.quote = 0
        self.style_ids: dict[str, str | None] = {}
        self.defaults: dict[Any, Any] = {}  # the default style of each type
        self.previous: Any = None  # the paragraph just written, if the last block was one
        self.signature_next = False  # the next paragraph is the signature block
        self.heading = ""  # the text of the last heading, which names the tables under it

    def keep_previous(self) -> None:
        """Keep the paragraph just written on the page of the block that follows it (the
        paragraph that introduces a table or list, the last one before a sign-off). After a
        heading too: the heading (kept with the next by its style), its introduction and the
        first list item or table row then move to the next page together."""
        if self.previous is not None:
            self.previous.paragraph_format.keep_with_next = True

    def paginate(self, paragraph: Any) -> None:
        """Keep a letter's sign-off with the signature block, and leave room to sign."""
        layout = paragraph.paragraph_format
        if self.signature_next:
            layout.space_before, layout.keep_together = SIGNATURE_SPACE, True
            self.signature_next = False
        elif not self.lists and _SIGN_OFF.fullmatch(paragraph.text.strip()):
            self.keep_previous()
            layout.keep_with_next = True
            self.signature_next = True
        self.previous = paragraph

    def blocks(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind in ("heading_open", "paragraph_open"):
                style: str | None
                number: int | None
                if kind == "heading_open":
                    style, number = f"Heading {min(int(token.tag[1:]), 6)}", None
                else:
                    style, number = self._paragraph_style()
                paragraph = self.paragraph(style)
                if number is not None:
                    _number(paragraph, number)
                self.inline(paragraph, tokens[i + 1])
                self.paginate(paragraph)
                if kind == "heading_open":
                    self.heading = paragraph.text
                i += 3
                continue
            if kind in ("table_open", "bullet_list_open", "ordered_list_open"):
                self.keep_previous()
            if kind in ("table_open", "fence", "code_block", "hr"):
                self.previous = None
            if kind == "table_open":
                end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
                self.table(tokens[i:end])
                i = end
            elif kind == "bullet_list_open":
                self.lists.append(("List Bullet", None))
            elif kind == "ordered_list_open":
                list_style = _style("List Number", len(self.lists) + 1)
                start = int(token.attrGet("start") or 1)
                self.lists.append(("List Number", self._restart(list_style, start)))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
                self.item_started = True
                self.previous = None  # a list that follows another is not kept with it
            elif kind == "list_item_open":
                self.item_started = False
            elif kind in ("blockquote_open", "blockquote_close"):
                self.quote += 1 if kind == "blockquote_open" else -1
            elif kind in ("fence", "code_block"):
                paragraph = self.doc.add_paragraph()
                for n, line in enumerate(token.content.rstrip("\n").split("\n")):
                    run = paragraph.add_run()
                    if n:
                        run.add_break()
                    run.add_text(_clean(line))
                    run.font.name = "Courier New"
            elif kind == "hr":
                self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            i += 1

    def paragraph(self, style: str | None) -> Any:
        """A new paragraph in ``style``. Sets the style id directly: python-docx's own
        ``add_paragraph(style=...)`` scans every style for the default on each call, which
        made a two-page letter take 40 ms longer."""
        paragraph = self.doc.add_paragraph()
        if style is not None:
            if style not in self.style_ids:
                found = self.doc.styles[style]
                if found.type not in self.defaults:  # found by going through every style
                    self.defaults[found.type] = self.doc.styles.default(found.type)
                default = self.defaults[found.type]
                self.style_ids[style] = None if found == default else found.style_id
            style_id = self.style_ids[style]
            if style_id is not None:
                paragraph._p.style = style_id
        return paragraph

    def _paragraph_style(self) -> tuple[str | None, int | None]:
        """The style (and list numbering) for the next paragraph."""
        if not self.lists:
            return ("Quote" if self.quote else None), None
        base, number = self.lists[-1]
        if self.item_started:
            return _style("List Continue", len(self.lists)), None
        self.item_started = True
        return _style(base, len(self.lists)), number

    def _restart(self, style_name: str, start: int) -> int | None:
        """A new Word numbering for one list, so that it starts at ``start`` (not where the
        previous list stopped)."""
        p_pr = self.doc.styles[style_name].element.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None
        numbering = self.doc.part.numbering_part.element
        base = numbering.num_having_numId(num_pr.numId.val)
        num = numbering.add_num(base.abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(num.numId)

    def table(self, tokens: list[Token]) -> None:
        rows: list[tuple[bool, list[tuple[Token, str | None]]]] = []
        for i, token in enumerate(tokens):
            if token.type == "tr_open":
                rows.append((False, []))
            elif token.type in ("th_open", "td_open"):
                style = str(token.attrGet("style") or "")
                align = style.removeprefix("text-align:") if style else None
                rows[-1][1].append((tokens[i + 1], align))
                if token.type == "th_open":
                    rows[-1] = (True, rows[-1][1])
        columns = max((len(cells) for _, cells in rows), default=0)
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        if self.heading:  # its alt text title (Table Properties › Alt Text): what it is under
            caption = OxmlElement("w:tblCaption")
            caption.set(qn("w:val"), self.heading[:MAX_PROPERTY])
            table._tbl.tblPr.append(caption)  # last, where the schema has it
        section = self.doc.sections[-1]
        usable = section.page_width - section.left_margin - section.right_margin
        texts = [[inline.content for inline, _ in cells] for _, cells in rows]
        sizes = _column_widths(texts, Length(usable).mm)
        widths = [Mm(size) for size in sizes]
        for column, width in zip(table.columns, widths, strict=False):
            column.width = width  # the grid, which LibreOffice reads
        # Every cell, row by row, in one pass over the table (its rows' and columns' own
        # .cells each go over the whole table again: a table of many rows took a while).
        grid = table._cells
        whole = _table_height_mm(texts, sizes) <= KEEP_TABLE_MM
        for n, (row, (header, cells)) in enumerate(zip(table.rows, rows, strict=True)):
            in_row = grid[n * columns : (n + 1) * columns]
            for cell, width in zip(in_row, widths, strict=False):
                cell.width = width  # and each cell, which Word reads
            row_properties = row._tr.get_or_add_trPr()
            row_properties.append(OxmlElement("w:cantSplit"))  # a row never splits over pages
            if header:  # repeat the header row on each page; screen readers announce it
                row_properties.append(OxmlElement("w:tblHeader"))
            # The header row is never alone at the foot of a page, and a short table is kept
            # on one page (each row kept with the next), with the heading and text before it.
            kept = header or (whole and n < len(rows) - 1)
            for cell, (inline, align) in zip(in_row, cells, strict=False):
                paragraph = cell.paragraphs[0]
                if align in _ALIGN:
                    paragraph.alignment = _ALIGN[align]
                if kept:
                    paragraph.paragraph_format.keep_with_next = True
                self.inline(paragraph, inline, bold=header)
        self.doc.add_paragraph()  # a blank line after the table, as Word users leave one

    def _chart_of(self, token: Token) -> BarChart | None:
        key = _chart_key(token)
        return self.charts.get(key) if key is not None else None

    def add_chart(self, paragraph: Any, chart: BarChart) -> None:
        """A native Word bar chart, as wide as the text, its description the alt text."""
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        from docx.oxml import parse_xml

        from irp_cli.documents.charts import CHART_CONTENT_TYPE, chart_height_emu, chart_xml

        self.chart_count += 1
        part = self.doc.part
        name = PackURI(f"/word/charts/chart{self.chart_count}.xml")
        chart_part = Part(name, CHART_CONTENT_TYPE, chart_xml(chart), part.package)
        rid = part.relate_to(chart_part, RT.CHART)
        section = self.doc.sections[0]
        width = int(section.page_width - section.left_margin - section.right_margin)
        drawing = _CHART_DRAWING.format(
            cx=width,
            cy=chart_height_emu(chart),
            id=1000 + self.chart_count,
            title=xml_attr(_clean(chart.title)),
            descr=xml_attr(_clean(chart.description)),
            rid=rid,
        )
        paragraph.add_run()._r.append(parse_xml(drawing))

    def inline(self, paragraph: Any, token: Token, *, bold: bool = False) -> None:
        strong = emphasis = 0
        link: tuple[str, int] | None = None  # (href, length of text before the link)
        text = ""
        for child in token.children or []:
            kind = child.type
            if kind == "image" and (chart := self._chart_of(child)) is not None:
                self.add_chart(paragraph, chart)
            elif kind in ("text", "code_inline", "html_inline", "softbreak", "image"):
                content = " " if kind == "softbreak" else child.content
                run = _add_run(paragraph, _clean(content))
                if strong or bold:  # only then: setting None would still add an empty <w:rPr>
                    run.bold = True
                if emphasis:
                    run.italic = True
                if kind == "code_inline":
                    run.font.name = "Courier New"
                text += content
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind in ("strong_open", "strong_close"):
                strong += 1 if kind == "strong_open" else -1
            elif kind in ("em_open", "em_close"):
                emphasis += 1 if kind == "em_open" else -1
            elif kind == "link_open":
                link = (str(child.attrGet("href") or ""), len(text))
            elif kind == "link_close" and link is not None:
                href, before = link
                if href and text[before:] != href.removeprefix("mailto:"):
                    paragraph.add_run(_clean(f" ({href})"))
                link = None


def _add_run(paragraph: Any, text: str) -> Any:
    """``paragraph.add_run(text)``: a run with one ``<w:t>``, made at once. python-docx's own
    goes through the text a character at a time, for the tabs and line breaks it turns into
    Word's; a text with one of those still goes that way."""
    if "\t" in text or "\n" in text or "\r" in text:
        return paragraph.add_run(text)
    run = paragraph.add_run()
    if text:
        run.add_text(text)
    return run


_CHART_DRAWING = (
    '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
    '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="{id}" name="Chart {id}" title="{title}" descr="{descr}"/>'
    "<wp:cNvGraphicFramePr/><a:graphic>"
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
    '<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing>'
)


def _chart_key(token: Token) -> str | None:
    src = str(token.attrGet("src") or "")
    return src.removeprefix("chart:") if src.startswith("chart:") else None


#: A table no taller than this (about a third of an A4 page) is kept on one page.
KEEP_TABLE_MM = 90.0
_LINE_MM, _ROW_PADDING_MM = 5.0, 1.5  # a line of 11pt text, and a cell's margins


def _table_height_mm(rows: list[list[str]], widths: list[float]) -> float:
    """About how tall a table prints: each row as tall as its most wrapped cell (a little
    pessimistic, as :func:`_column_widths` counts characters the same way)."""
    import math

    per_char, padding = 2.1, 4.0
    height = 0.0
    for cells in rows:
        lines = max(
            (
                math.ceil(len(text) * per_char / max(width - padding, per_char)) or 1
                for text, width in zip(cells, widths, strict=False)
            ),
            default=1,
        )
        height += lines * _LINE_MM + _ROW_PADDING_MM
    return height


def _column_widths(rows: list[list[str]], usable_mm: float) -> list[float]:
    """Column widths in millimetres, the first row being the header.

    Each column is at least wide enough for its longest word (so 'No.' or 'Rehabilitation'
    never breaks); a column whose cells are all empty is there to be written in, and gets
    room for a handwritten answer. The rest of the page goes to the columns by how much more
    room their cells need on average, so ids, dates and short labels stay narrow and the
    concern text, the reason for the table, gets most of the width."""
    per_char, bold_char, padding = 2.1, 2.6, 4.0  # 11pt Arial, bold, and the cell's margins
    columns = max((len(cells) for cells in rows), default=0)
    minimum, weight = [], []
    for n in range(columns):
        texts = [cells[n] if n < len(cells) else "" for cells in rows]
        body = texts[1:]
        word = max((len(w) for t in body for w in t.split()), default=1) * per_char
        heading = max((len(w) for w in texts[0].split()), default=1) * bold_char if texts else 0
        needed = max(word, heading) + padding
        if body and not any(t.strip() for t in body):  # a column to write in
            minimum.append(max(needed, WRITE_IN_MM))
            weight.append(0.0)
            continue
        average = sum(len(t) for t in body) / max(len(body), 1)
        minimum.append(min(needed, usable_mm / 2))
        weight.append(max(average * per_char + padding - minimum[-1], 0.0))
    if sum(minimum) >= usable_mm:
        return [w * usable_mm / sum(minimum) for w in minimum]
    spare = usable_mm - sum(minimum)
    if not sum(weight):
        return [m + spare / columns for m in minimum]
    return [m + spare * x / sum(weight) for m, x in zip(minimum, weight, strict=True)]
