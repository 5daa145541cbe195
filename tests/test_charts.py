"""Bar charts in documents (irp_cli/documents/charts.py): text, SVG and Word forms, with
labels from files that may be hostile."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from irp_cli.documents import charts
from irp_cli.documents.charts import Bar, BarChart
from irp_cli.documents.render import render_document

HOSTILE = BarChart(
    key="k",
    title='Rows & "quotes" <b>',
    description="Bar chart: <script>alert(1)</script> & more",
    bars=(Bar("<script>x</script>", 3, "(75.0%)"), Bar('A "quoted" & row', 1, "(25.0%)")),
)


def test_text_bars_scale_to_the_largest_value() -> None:
    chart = BarChart("k", "t", "d", (Bar("big", 30), Bar("small", 1), Bar("none", 0)))
    assert charts.text_bars(chart, width=10) == [
        "big    ██████████ 30",
        "small  █ 1",
        "none   0",
    ]


def test_svg_escapes_every_label_and_is_well_formed_xml() -> None:
    drawing = charts.svg(HOSTILE)
    root = etree.fromstring(drawing.encode())
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["<script>x</script>", "3 (75.0%)", 'A "quoted" & row', "1 (25.0%)"]
    assert root.get("role") == "img"
    assert "<script>" not in drawing


def test_chart_xml_is_well_formed_with_hostile_labels() -> None:
    root = etree.fromstring(charts.chart_xml(HOSTILE))
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    labels = [v.text for v in root.findall(".//c:cat//c:v", ns)]
    assert labels == ["<script>x</script>", 'A "quoted" & row']
    assert [v.text for v in root.findall(".//c:val//c:v", ns)] == ["3", "1"]


def test_a_chart_reference_without_its_chart_is_left_alone() -> None:
    text = "![alt](chart:missing)\n"
    assert charts.charts_as_text(text, {"k": HOSTILE}) == text


def test_word_chart_description_is_escaped(tmp_path: Path) -> None:
    builtin = tmp_path
    (builtin / "c.md.j2").write_text("# T\n\n![{{ d }}](chart:k)\n", encoding="utf-8")
    context = {"d": HOSTILE.description, "charts": {"k": HOSTILE}}
    data = render_document("c.md.j2", context, "docx", title="t", marking="M", builtin_dir=builtin)
    assert isinstance(data, bytes)
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    etree.fromstring(body)  # well formed
    assert b'descr="Bar chart: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"' in body
    page = render_document("c.md.j2", context, "html", title="t", marking="M", builtin_dir=builtin)
    assert "<script>" not in str(page)
