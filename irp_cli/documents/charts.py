"""Bar charts in documents: one chart, three forms.

A template places a chart with Markdown's image syntax and the ``chart:`` scheme::

    ![Bar chart of the Status section: Sentenced 523 (91.6%); ...](chart:status)

where the document's context holds ``charts = {"status": BarChart(...)}``. The alt text is the
chart in words, for screen readers. Then, by format:

* Markdown: the line becomes a block of text bars (``█``), readable in any editor;
* HTML: an inline ``<svg role="img">`` with a ``<title>`` and ``<desc>`` (no file beside it);
* Word: a native Word bar chart (a DrawingML chart part, its figures held in the chart), with
  the alt text as its description, so it prints, resizes and can be restyled in Word.

A ``chart:`` reference with no chart in the context is left as it is (its alt text shows).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def _xml_text(value: str) -> str:
    """``value`` escaped for XML text (``&``, ``<``, ``>``) as ``xml.sax.saxutils.escape``
    does, without importing it (it brings ``urllib.request``)."""
    return html.escape(value, quote=False)


CHART_REF = re.compile(r"^!\[([^\]\n]*)\]\(chart:([A-Za-z0-9_-]+)\)[ \t]*$", re.M)
HTML_REF = re.compile(r'<img src="chart:([A-Za-z0-9_-]+)" alt="[^"]*"\s*/?>')
BLOCK = "█"


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, its value and what is printed after the value."""

    label: str
    value: int
    note: str = ""  # printed after the value, e.g. "(91.6%)"


@dataclass(frozen=True)
class BarChart:
    """A bar chart for a document, with its description in words for those who cannot see it."""

    key: str
    title: str
    description: str  # the chart in words: alt text, <desc>, Word's description
    bars: tuple[Bar, ...]
    value_name: str = "Number of prisoners"


# --------------------------------------------------------------------------------------------
# Markdown: text bars


def text_bars(chart: BarChart, width: int = 30, block: str = BLOCK) -> list[str]:
    """One line per bar: the label, a bar scaled to the largest value, the value and note."""
    largest = max((b.value for b in chart.bars), default=0) or 1
    label_width = max((len(b.label) for b in chart.bars), default=0)
    lines = []
    for bar in chart.bars:
        length = round(width * bar.value / largest)
        length = max(length, 1) if bar.value else 0  # a few prisoners still show
        value = f"{bar.value} {bar.note}".strip()
        drawn = f"{block * length} {value}" if length else value
        lines.append(f"{bar.label.ljust(label_width)}  {drawn}")
    return lines


def charts_as_text(markdown: str, charts: Mapping[str, BarChart]) -> str:
    """Each ``![…](chart:key)`` line replaced by the chart's title and text bars (a code block,
    so that the bars line up)."""

    def replace(match: re.Match[str]) -> str:
        chart = charts.get(match[2])
        if chart is None:
            return match[0]
        body = "\n".join(text_bars(chart)).replace("```", "'''")
        return f"{chart.title}:\n\n```text\n{body}\n```"

    return CHART_REF.sub(replace, markdown)


# --------------------------------------------------------------------------------------------
# HTML: inline SVG

_FIGURE_STYLE = "margin: 0.5em 0 1.5em; break-inside: avoid"
_BAR_HEIGHT = 18
_GAP = 6
_LABEL_WIDTH = 250
_BAR_WIDTH = 280
_VALUE_WIDTH = 110


def svg(chart: BarChart) -> str:
    """A horizontal bar chart as one accessible ``<svg role="img">`` element."""
    largest = max((b.value for b in chart.bars), default=0) or 1
    height = len(chart.bars) * (_BAR_HEIGHT + _GAP) + _GAP
    width = _LABEL_WIDTH + _BAR_WIDTH + _VALUE_WIDTH
    ident = f"chart-{chart.key}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-title {ident}-desc" '
        'font-family="Arial, Helvetica, sans-serif" font-size="12" style="max-width: 100%">',
        f'<title id="{ident}-title">{html.escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{html.escape(chart.description)}</desc>',
    ]
    for i, bar in enumerate(chart.bars):
        y = _GAP + i * (_BAR_HEIGHT + _GAP)
        length = round(_BAR_WIDTH * bar.value / largest, 1)
        base = y + _BAR_HEIGHT - 5
        label = html.escape(bar.label)
        parts.append(f'<text x="{_LABEL_WIDTH - 8}" y="{base}" text-anchor="end">{label}</text>')
        parts.append(
            f'<rect x="{_LABEL_WIDTH}" y="{y}" width="{length}" height="{_BAR_HEIGHT}" '
            'fill="#1d70b8"/>'
        )
        value = html.escape(f"{bar.value} {bar.note}".strip())
        parts.append(f'<text x="{_LABEL_WIDTH + length + 6}" y="{base}">{value}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def charts_as_svg(body: str, charts: Mapping[str, BarChart]) -> str:
    """Each ``<img src="chart:key">`` markdown-it made replaced by the chart's inline SVG."""

    def replace(match: re.Match[str]) -> str:
        chart = charts.get(match[1])
        if chart is None:
            return match[0]
        return f'<figure class="chart" style="{_FIGURE_STYLE}">\n{svg(chart)}\n</figure>'

    body = HTML_REF.sub(replace, body)
    # a chart alone in its paragraph: <p><figure>…</figure></p> is not valid HTML
    return re.sub(r'<p>(<figure class="chart".*?</figure>)</p>', r"\1", body, flags=re.S)


# --------------------------------------------------------------------------------------------
# Word: a native chart part

CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _points(values: Sequence[str], kind: str) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{_xml_text(v)}</c:v></c:pt>' for i, v in enumerate(values))
    head = "<c:formatCode>General</c:formatCode>" if kind == "num" else ""
    return f'<c:{kind}Lit>{head}<c:ptCount val="{len(values)}"/>{pts}</c:{kind}Lit>'


def chart_xml(chart: BarChart) -> bytes:
    """The chart part: a horizontal bar chart whose figures are held in the chart itself (no
    linked workbook), first row at the top, each bar labelled with its value."""
    labels = [b.label for b in chart.bars]
    values = [str(b.value) for b in chart.bars]
    title = (
        '<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz="1100" b="1"/></a:pPr>'
        f'<a:r><a:rPr lang="en-GB" sz="1100" b="1"/><a:t>{_xml_text(chart.title)}</a:t></a:r>'
        '</a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
    )
    labels_on = (
        '<c:dLbls><c:spPr><a:noFill/></c:spPr><c:showLegendKey val="0"/><c:showVal val="1"/>'
        '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
        '<c:showBubbleSize val="0"/></c:dLbls>'
    )
    text = (
        '<c:txPr><a:bodyPr/><a:p><a:pPr><a:defRPr sz="900"/></a:pPr>'
        '<a:endParaRPr lang="en-GB"/></a:p></c:txPr>'
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}" xmlns:r="{_R}">'
        '<c:lang val="en-GB"/><c:roundedCorners val="0"/>'
        f'<c:chart>{title}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
        '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        '<c:ser><c:idx val="0"/><c:order val="0"/>'
        f"<c:tx><c:v>{_xml_text(chart.value_name)}</c:v></c:tx>"
        '<c:spPr><a:solidFill><a:srgbClr val="1D70B8"/></a:solidFill></c:spPr>'
        f'<c:invertIfNegative val="0"/>{labels_on}'
        f"<c:cat>{_points(labels, 'str')}</c:cat><c:val>{_points(values, 'num')}</c:val>"
        '</c:ser><c:gapWidth val="60"/><c:axId val="10"/><c:axId val="20"/></c:barChart>'
        '<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'{text}<c:crossAx val="20"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="20"/><c:scaling><c:orientation val="minMax"/><c:min val="0"/>'
        '</c:scaling><c:delete val="1"/><c:axPos val="t"/>'
        '<c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="10"/>'
        '<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>'
        "</c:plotArea>"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f'<c:txPr><a:bodyPr/><a:p><a:pPr><a:defRPr sz="900"><a:latin typeface="Arial"/></a:defRPr>'
        '</a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr>'
        "</c:chartSpace>"
    )
    return xml.encode("utf-8")


def chart_height_emu(chart: BarChart) -> int:
    """Room for the title and one row per bar (about 7 mm each)."""
    mm = 22 + 7 * max(len(chart.bars), 1)
    return int(mm * 36000)
