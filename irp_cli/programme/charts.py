"""``irp stats --format html``: one standalone page with inline SVG charts. Pure.

Three charts, each an accessible ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that
says what it shows in words, and the figures in tables beside them:

* judgements by healthy prison area (stacked bars, counts written in the bars);
* working days to publication, per visit, against the 25-working-day target line (5.1);
* the programme as a year timeline: one row per year, each visit a bar from its first to its
  last day.

No script, no external font, stylesheet or image: the page is one file that opens anywhere and
prints on A4. No meaning rests on colour alone: the judgements also differ by pattern (solid,
light, striped, cross-hatched) in the bars and in the legend, a late report's bar is striped and
an overdue one outlined with a dashed line, a visit to come is drawn hollow, every bar is
labelled, and the figures are in tables (row and column headers marked) beside the charts.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date

from irp_cli.calendar.timeline import PUBLICATION_DAYS
from irp_cli.dates import MONTHS, long_date
from irp_cli.programme.stats import (
    AREAS,
    JUDGEMENTS,
    NOT_JUDGED,
    PARTNER_GROUPS,
    THEME_JUDGEMENTS,
    TYPES,
    Stats,
    Tally,
    VisitTime,
    label,
    percent,
)

#: Judgement colours, dark to light so that they stay apart in grey when printed.
COLOURS = {
    "good-progress": "#1b5e20",
    "reasonable-progress": "#66bb6a",
    "insufficient-progress": "#f9a825",
    "no-meaningful-progress": "#b71c1c",
    "significant-progress": "#1b5e20",
}
#: And the pattern over each colour, so that no judgement is told apart by its colour alone.
PATTERNS = {
    "good-progress": "solid",
    "reasonable-progress": "solid",
    "insufficient-progress": "stripes",
    "no-meaningful-progress": "crosses",
    "significant-progress": "solid",
}
ON_TIME, LATE, OVERDUE = "#1d70b8", "#d4351c", "#f47738"
FONT = 'font-family="Arial, Helvetica, sans-serif" font-size="12"'

_CSS = """\
@page { size: A4; margin: 16mm 14mm; }
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; margin: 0 auto;
  max-width: 980px; padding: 16px; line-height: 1.4; }
h1 { font-size: 1.6em; margin: 0.2em 0; }
h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 2px solid #0b0c0c; }
.marking { text-align: center; font-weight: bold; letter-spacing: 0.05em; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; padding: 0; }
.figures li { list-style: none; border-left: 6px solid #1d70b8; padding: 4px 12px;
  min-width: 180px; }
.figures strong { display: block; font-size: 1.6em; }
figure { margin: 12px 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 6px; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.9em; }
th, td { border: 1px solid #b1b4b6; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tbody th { font-weight: normal; }
thead th { background: #f3f2f1; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 4px 0; padding: 0; }
.legend li { list-style: none; }
.swatch { margin-right: 4px; vertical-align: -2px; }
.note { color: #505a5f; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  .swatch { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  svg { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def _svg_open(ident: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-title {ident}-desc" {FONT} '
        f'id="{ident}">',
        f'<title id="{ident}-title">{_e(title)}</title>',
        f'<desc id="{ident}-desc">{_e(desc)}</desc>',
    ]


def _pattern(ident: str, colour: str, kind: str) -> str:
    """An SVG ``<pattern>``: ``colour`` with dark diagonal stripes, or cross-hatched."""
    lines = '<line x1="0" y1="0" x2="0" y2="6" stroke="#0b0c0c" stroke-width="1.6"/>'
    if kind == "crosses":
        lines += '<line x1="0" y1="0" x2="6" y2="0" stroke="#0b0c0c" stroke-width="1.6"/>'
    return (
        f'<pattern id="{ident}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{colour}"/>'
        f"{lines}</pattern>"
    )


def _judgement_fills(prefix: str, scale: Iterable[str]) -> tuple[str, dict[str, str]]:
    """The ``<defs>`` of one SVG and the fill of each judgement in it (ids start ``prefix``:
    each SVG on the page holds its own patterns)."""
    patterns, fills = [], {}
    for judgement in scale:
        kind = PATTERNS[judgement]
        if kind == "solid":
            fills[judgement] = COLOURS[judgement]
        else:
            ident = f"{prefix}-{judgement}"
            patterns.append(_pattern(ident, COLOURS[judgement], kind))
            fills[judgement] = f"url(#{ident})"
    return f"<defs>{''.join(patterns)}</defs>", fills


# --------------------------------------------------------------------------------------------
# Chart 1: judgements by healthy prison area


def area_chart(stats: Stats) -> str:
    rows = [(key, stats.by_area[key]) for key in AREAS if key in stats.by_area]
    label_w, bar_w, row_h, gap, top = 250, 520, 22, 8, 8
    largest = max((t.judged for _k, t in rows), default=0) or 1
    height = top + len(rows) * (row_h + gap) + 4
    words = "; ".join(
        f"{label(k)}: " + ", ".join(f"{t.counts[j]} {label(j).lower()}" for j in JUDGEMENTS)
        for k, t in rows
    )
    parts = _svg_open(
        "chart-areas",
        label_w + bar_w + 60,
        max(height, 30),
        "Concerns followed up, by healthy prison area and judgement",
        words or "No judged concerns yet.",
    )
    defs, fills = _judgement_fills("chart-areas", JUDGEMENTS)
    parts.append(defs)
    for i, (key, tally) in enumerate(rows):
        y = top + i * (row_h + gap)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + row_h - 6}" text-anchor="end">{_e(label(key))}</text>'
        )
        x = float(label_w)
        for judgement in JUDGEMENTS:
            n = tally.counts[judgement]
            if not n:
                continue
            w = round(bar_w * n / largest, 1)
            parts.append(
                f'<rect class="segment" data-judgement="{judgement}" data-count="{n}" '
                f'x="{x:.1f}" y="{y}" width="{w}" height="{row_h}" fill="{fills[judgement]}" '
                f'stroke="#0b0c0c" stroke-width="0.75"><title>{_e(label(key))}: {n} '
                f"{_e(label(judgement).lower())}</title></rect>"
            )
            if w >= 18:  # the count on a white label, readable over any colour or pattern
                box = 6 + 7 * len(str(n))
                parts.append(
                    f'<rect x="{x + (w - box) / 2:.1f}" y="{y + 4}" width="{box}" '
                    f'height="{row_h - 8}" rx="3" fill="#ffffff"/>'
                    f'<text x="{x + w / 2:.1f}" y="{y + row_h - 7}" text-anchor="middle">{n}</text>'
                )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + row_h - 6}">{tally.judged}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def legend(scale: Sequence[str]) -> str:
    """The key to the judgements' colours and patterns, each swatch drawn as in the chart (and
    hidden from screen readers, which read the name beside it)."""
    items = []
    for judgement in scale:
        defs, fills = _judgement_fills(f"legend-{judgement}", [judgement])
        items.append(
            '<li><svg class="swatch" width="14" height="14" viewBox="0 0 14 14" '
            f'aria-hidden="true">{defs}<rect x="0.5" y="0.5" width="13" height="13" '
            f'stroke="#0b0c0c" fill="{fills[judgement]}"/></svg>{_e(label(judgement))}</li>'
        )
    return f'<ul class="legend">{"".join(items)}</ul>'


# --------------------------------------------------------------------------------------------
# Chart 2: working days to publication, per visit

_STATES = {"on-time": "on time", "late": "late", "overdue": "overdue, not yet published"}


def timeliness_chart(times: Sequence[VisitTime]) -> str:
    shown = [t for t in times if t.working_days is not None]
    left, right, top, bottom, plot_h = 44, 16, 14, 40, 220
    n = len(shown)
    step = min(28.0, max(1.0, 760 / n)) if n else 28.0
    plot_w = max(step * n, 560)
    width, height = int(left + plot_w + right), top + plot_h + bottom
    most = max([PUBLICATION_DAYS + 5, *(t.working_days or 0 for t in shown)])
    scale = plot_h / most

    def y_of(days: float) -> float:
        return top + plot_h - days * scale

    late = [t for t in shown if t.state == "late"]
    desc = f"{n} visits; the target is {PUBLICATION_DAYS} working days. " + (
        "Late: " + "; ".join(f"{t.name}, {t.working_days} working days" for t in late[:20])
        if late
        else "None was late."
    )
    if n <= 30:  # and every visit's figure, in date order
        desc += " " + "; ".join(
            f"{t.code}: {t.working_days} working days ({_STATES.get(t.state, t.state)})"
            for t in shown
        )
        desc += "."
    parts = _svg_open(
        "chart-timeliness",
        width,
        height,
        "Working days from the last visit day to publication, per visit",
        desc,
    )
    for days in range(0, most + 1, 10 if most <= 80 else 20):
        y = y_of(days)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w:.0f}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#dddddd"/>'
        )
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{days}</text>')
    parts.append(f"<defs>{_pattern('chart-timeliness-late', LATE, 'stripes')}</defs>")
    for i, t in enumerate(shown):
        days = t.working_days or 0
        x = left + i * step
        colour = {"late": "url(#chart-timeliness-late)", "overdue": OVERDUE}.get(t.state, ON_TIME)
        dash = ' stroke="#0b0c0c" stroke-dasharray="3 2"' if t.state == "overdue" else ""
        parts.append(
            f'<rect class="visit-bar" data-state="{t.state}" data-days="{days}" '
            f'x="{x + step * 0.1:.1f}" y="{y_of(days):.1f}" width="{max(step * 0.8, 0.8):.1f}" '
            f'height="{days * scale:.1f}" fill="{colour}"{dash}>'
            f"<title>{_e(t.name)}: {days} working days ({_STATES.get(t.state, t.state)})"
            "</title></rect>"
        )
        if n <= 30:  # each bar labelled with its visit, and its figure on top
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{y_of(days) - 3:.1f}" text-anchor="middle" '
                f'font-size="10">{days}</text>'
            )
            cx, cy = x + step / 2, top + plot_h + 12
            parts.append(
                f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="end" font-size="10" '
                f'transform="rotate(-45 {cx:.1f} {cy:.1f})">{_e(t.code)}</text>'
            )
    y = y_of(PUBLICATION_DAYS)
    parts.append(
        f'<line class="target" x1="{left}" x2="{left + plot_w:.0f}" y1="{y:.1f}" y2="{y:.1f}" '
        'stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>'
    )
    parts.append(
        f'<text x="{left + plot_w:.0f}" y="{y - 5:.1f}" text-anchor="end" font-weight="bold">'
        f"target: {PUBLICATION_DAYS} working days (guide 5.1)</text>"
    )
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#0b0c0c"/>')
    parts.append("</svg>")
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# Chart 3: the programme as a year timeline

MAX_LANES = 6


def _lanes(
    spans: Iterable[tuple[tuple[date, ...], bool]],
) -> list[tuple[int, tuple[date, ...], bool]]:
    """Each visit in the first lane where it does not overlap the one before (at most
    :data:`MAX_LANES`; beyond that they share the last lane)."""
    ends: list[date] = []
    placed = []
    for days, finished in sorted(spans):
        first, last = days[0], days[-1]
        lane = next((i for i, end in enumerate(ends) if end < first), None)
        if lane is None:
            if len(ends) < MAX_LANES:
                ends.append(last)
                lane = len(ends) - 1
            else:
                lane = MAX_LANES - 1
        ends[lane] = max(ends[lane], last)
        placed.append((lane, days, finished))
    return placed


def year_chart(stats: Stats) -> str:
    by_year: dict[int, list[tuple[tuple[date, ...], bool]]] = {}
    for span in stats.spans:
        by_year.setdefault(span[0][0].year, []).append(span)
    left, plot_w, lane_h, top = 56, 720, 12, 22
    rows: list[tuple[int, int, int, list[tuple[int, tuple[date, ...], bool]]]] = []
    y = top
    for year in sorted(by_year):
        placed = _lanes(by_year[year])
        lanes = 1 + max(lane for lane, *_rest in placed)
        rows.append((year, y, lanes, placed))
        y += lanes * lane_h + 14
    height = y + 4
    desc = "; ".join(
        f"{year}: {len(spans)} visits, {sum(1 for _days, done in spans if done)} finished"
        for year, spans in sorted(by_year.items())
    )
    parts = _svg_open(
        "chart-programme",
        left + plot_w + 10,
        max(height, 40),
        "The programme, year by year: each visit from its first to its last day",
        desc or "No visits.",
    )
    for month in range(13):
        x = left + plot_w * month / 12
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 4}" stroke="#eeeeee"/>'
        )
        if month < 12:
            parts.append(
                f'<text x="{x + 3:.1f}" y="{top - 8}" font-size="10">{MONTHS[month][:3]}</text>'
            )
    for year, row_y, lanes, lanes_placed in rows:
        parts.append(
            f'<text x="{left - 8}" y="{row_y + lanes * lane_h / 2 + 4:.1f}" text-anchor="end">'
            f"{year}</text>"
        )
        days_in_year = (date(year + 1, 1, 1) - date(year, 1, 1)).days
        for lane, days, finished in lanes_placed:
            # a visit to come: blue and half as tall, so that it differs by shape too
            fill, tall = ("#0b0c0c", lane_h - 3) if finished else ("#1d70b8", (lane_h - 3) // 2)
            state = "finished" if finished else "to-come"
            parts.append(f'<g class="visit" data-state="{state}" fill="{fill}">')
            for day in days:  # one mark per visit day, so a split visit shows its gap
                if day.year != year:
                    continue
                x = left + plot_w * (day - date(year, 1, 1)).days / days_in_year
                w = max(plot_w / days_in_year, 2.5)
                parts.append(
                    f'<rect x="{x:.1f}" y="{row_y + lane * lane_h + lane_h - 3 - tall}" '
                    f'width="{w:.1f}" height="{tall}"/>'
                )
            parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# Tables and the page


def tally_table(caption: str, rows: Iterable[tuple[str, Tally]], scale: Sequence[str]) -> str:
    """One row per group, headed by its name (``<th scope="row">``), under a header row."""
    positive = "good or reasonable" if scale is JUDGEMENTS else "significant or reasonable"
    names = [*(label(j) for j in scale), "Not yet judged", "Judged", f"Share {positive}"]
    body = []
    for key, tally in rows:
        cells = "".join(f"<td>{tally.counts[j]}</td>" for j in scale)
        body.append(
            f'<tr><th scope="row">{_e(key)}</th>{cells}<td>{tally.counts[NOT_JUDGED]}</td>'
            f"<td>{tally.judged}</td><td>{_e(percent(tally.share))}</td></tr>"
        )
    return (
        f"<table><caption>{_e(caption)}</caption><thead><tr><td></td>{_head(names)}</tr>"
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )


def _head(names: Iterable[str]) -> str:
    return "".join(f'<th scope="col">{_e(name)}</th>' for name in names)


def _rows(tallies: dict[str, Tally], order: Sequence[str]) -> list[tuple[str, Tally]]:
    return [(label(k), tallies[k]) for k in order if k in tallies]


def stats_page(stats: Stats, *, title: str, marking: str) -> str:
    """The whole page: key figures, the three charts and the tables."""
    timing = stats.timeliness()
    concerns = stats.concerns
    published = int(timing["published"])  # type: ignore[call-overload]
    late = int(timing["late"])  # type: ignore[call-overload]
    figures = [
        ("visits", str(stats.visits)),
        ("concerns judged", str(concerns.judged)),
        ("with good or reasonable progress", percent(concerns.share)),
        (
            "reports published on time",
            percent((published - late) / published if published else None),
        ),
    ]
    cards = "".join(f"<li><strong>{_e(v)}</strong>{_e(k)}</li>" for k, v in figures)
    groups = [
        ("By healthy prison area", _rows(stats.by_area, AREAS)),
        ("By establishment type", _rows(stats.by_type, TYPES)),
        ("By partner taking part", _rows(stats.by_partner, PARTNER_GROUPS)),
        ("By year of the visit", [(str(y), t) for y, t in sorted(stats.by_year.items())]),
    ]
    tables = "\n".join(tally_table(caption, rows, JUDGEMENTS) for caption, rows in groups if rows)
    themes = _rows(stats.themes_by_partner, PARTNER_GROUPS)
    theme_table = (
        tally_table("Partner themes, by partner", themes, THEME_JUDGEMENTS)
        if themes
        else "<p>No partner themes.</p>"
    )
    times = stats.ordered_times()
    behind = [t for t in times if t.state in ("late", "overdue")]
    late_rows = "".join(
        f'<tr><th scope="row">{_e(t.name)} ({_e(t.code)})</th><td>{_e(long_date(t.last_day))}</td>'
        f"<td>{_e(long_date(t.published)) if t.published else 'not yet'}</td>"
        f"<td>{t.working_days}</td><td>{t.late_by}</td></tr>"
        for t in behind
    )
    late_table = (
        "<table><caption>Late or overdue reports</caption><thead><tr>"
        f"{_head(['Visit', 'Last visit day', 'Published', 'Working days', 'Late by'])}</tr>"
        f"</thead><tbody>{late_rows}</tbody></table>"
        if behind
        else "<p>No report was late.</p>"
    )
    summary = (
        f"{published} published: {published - late} on time, {late} late"
        + (
            f" (late by {timing['late_by_median']:g} working days at the median, "
            f"{timing['late_by_most']} at most)"
            if late
            else ""
        )
        + f"; {timing['overdue']} overdue, {timing['pending']} still in time, "
        f"{timing['unknown']} with no publication date recorded."
    )
    mark = _e(marking)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>
{_CSS}</style>
</head>
<body>
<header class="marking"><p>{mark}</p></header>
<main>
<h1>{_e(title)}</h1>
<p>As of {_e(long_date(stats.today))}. Concerns followed up, with HMI Prisons' judgements
(guide 4.1); partner themes with Ofsted's or Estyn's (4.2); publication against the target of
{PUBLICATION_DAYS} working days from the end of the visit (5.1).</p>
<ul class="figures">{cards}</ul>

<h2>Judgements by healthy prison area</h2>
<figure>
<figcaption>Concerns followed up, by area: the number at each judgement</figcaption>
{legend(JUDGEMENTS)}
{area_chart(stats)}
</figure>
{tables}
{theme_table}

<h2>Publication</h2>
<figure>
<figcaption>Working days from the last visit day to publication, per visit in date order
(solid blue: on time; red with stripes: late; orange with a dashed outline: not yet published
and past the target)</figcaption>
{timeliness_chart(times)}
</figure>
<p>{_e(summary)}</p>
{late_table}

<h2>The programme</h2>
<figure>
<figcaption>Each visit from its first to its last day (tall black marks: finished; short blue
marks: to come or under way)</figcaption>
{year_chart(stats)}
</figure>
</main>
<footer class="marking"><p>{mark}</p></footer>
</body>
</html>
"""
