"""The record across visits: counts worked out by hand on the past-visit examples, timeliness
against the 25-working-day target (5.1), the terminal summary, and the HTML page (parsed, and
rendered in a real headless browser where one is installed)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import ROOT
from typer.testing import CliRunner

from irp_cli.calendar.workdays import calendar
from irp_cli.cli import app
from irp_cli.programme.entries import summarise
from irp_cli.programme.stats import Stats, visit_time
from irp_cli.review.session import Session

runner = CliRunner()
PROGRAMME = ROOT / "examples" / "programme"
TODAY = "2026-01-05"
CAL = calendar()


def stats_json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["stats", str(PROGRAMME), "--json", "--today", TODAY, *args])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_counts_worked_out_by_hand() -> None:
    data = stats_json()
    assert data["visits"] == 4
    # Fernlow: insufficient, reasonable, good, no meaningful; Brackenside's counts: good 1,
    # reasonable 2, insufficient 1; Caldmoor: reasonable, insufficient; Whitlow: reasonable,
    # good, insufficient
    assert data["concerns"] == {
        "good-progress": 3,
        "reasonable-progress": 5,
        "insufficient-progress": 4,
        "no-meaningful-progress": 1,
        "not-judged": 0,
        "judged": 13,
        "share_positive": round(8 / 13, 4),
    }
    by_area = data["by_area"]
    assert isinstance(by_area, dict)
    assert by_area["safety"]["good-progress"] == 1  # Brackenside's count with its area
    assert by_area["safety"]["reasonable-progress"] == 2  # Fernlow P2, Whitlow P1
    assert by_area["care"]["reasonable-progress"] == 2
    assert by_area["not-recorded"]["insufficient-progress"] == 1  # a count with no area
    assert list(by_area) == [  # the guide's order
        "safety",
        "respect",
        "purposeful-activity",
        "rehabilitation-and-release-planning",
        "care",
        "not-recorded",
    ]
    by_type = data["by_establishment_type"]
    assert isinstance(by_type, dict)
    assert {k: v["judged"] for k, v in by_type.items()} == {
        "adult-men": 6,
        "adult-women": 3,
        "young-offender-institution": 4,
    }
    assert by_type["adult-men"]["share_positive"] == 0.5
    by_partner = data["by_partner"]
    assert isinstance(by_partner, dict)
    assert {k: v["judged"] for k, v in by_partner.items()} == {
        "cqc": 3,
        "ofsted": 4,
        "estyn": 2,
        "none": 4,
    }
    by_year = data["by_year"]
    assert isinstance(by_year, dict)
    assert {k: v["judged"] for k, v in by_year.items()} == {"2024": 11, "2025": 2}
    themes = data["partner_themes_by_partner"]
    assert isinstance(themes, dict)
    assert themes["ofsted"]["reasonable-progress"] == 1
    assert themes["ofsted"]["share_positive"] == 0.5
    assert themes["estyn"]["significant-progress"] == 1


def test_timeliness_worked_out_by_hand() -> None:
    data = stats_json()
    # Fernlow: 15 Feb 2024 to 25 Mar 2024 is 27 working days (Good Friday is 29 March);
    # Brackenside 13 Jun to 16 Jul 2024 and Whitlow 7 Nov to 10 Dec 2024 are 23 each;
    # Caldmoor's publication date is not recorded.
    assert data["timeliness"] == {
        "target_working_days": 25,
        "published": 3,
        "on-time": 2,
        "late": 1,
        "overdue": 0,
        "pending": 0,
        "unknown": 1,
        "share_late": 0.3333,
        "late_by_median": 2.0,
        "late_by_most": 2,
    }
    publication = data["publication"]
    assert isinstance(publication, list)
    assert [(p["code"], p["working_days"], p["state"]) for p in publication] == [
        ("FNL", 27, "late"),
        ("BRK", 23, "on-time"),
        ("WHT", 23, "on-time"),
        ("CDM", None, "unknown"),
    ]


def test_year_filter() -> None:
    data = stats_json("--year", "2025")
    assert data["visits"] == 1
    concerns = data["concerns"]
    assert isinstance(concerns, dict) and concerns["judged"] == 2


@pytest.mark.parametrize(
    ("published", "finished", "today", "state", "days", "late_by"),
    [
        # the visit ends Thu 23 Apr 2026; the 25th working day after is Mon 1 Jun 2026 (the
        # bank holidays of Mon 4 May and Mon 25 May are not counted)
        (date(2026, 6, 1), True, "2026-06-30", "on-time", 25, 0),
        (date(2026, 6, 2), True, "2026-06-30", "late", 26, 1),
        (None, False, "2026-06-01", "pending", None, 0),
        (None, False, "2026-06-03", "overdue", 27, 2),
        (None, True, "2026-06-30", "unknown", None, 0),
    ],
)
def test_visit_time_states(
    published: date | None, finished: bool, today: str, state: str, days: int | None, late_by: int
) -> None:
    loaded = Session().load(ROOT / "examples" / "hmp-ashcombe.yaml")
    entry = summarise(loaded, date(2026, 1, 5))
    assert entry.publication_deadline == date(2026, 6, 1)
    entry = replace(
        entry,
        published=published,
        finished=finished,
        publication_days=CAL.between(entry.last, published) if published else None,
    )
    timing = visit_time(entry, date.fromisoformat(today), CAL)
    assert (timing.state, timing.working_days, timing.late_by) == (state, days, late_by)


def test_nothing_judged_has_no_share() -> None:
    stats = Stats(date(2026, 1, 5))
    assert stats.concerns.share is None
    assert stats.as_dict()["timeliness"]["share_late"] is None  # type: ignore[index]


def test_terminal_summary_has_bars_and_shares() -> None:
    result = runner.invoke(app, ["stats", str(PROGRAMME), "--today", TODAY])
    assert result.exit_code == 0, result.output
    out = result.stdout
    [good] = [ln for ln in out.splitlines() if ln.strip().startswith("Good progress")]
    assert good.split()[2] == "3" and "█" in good
    assert "Good or reasonable progress: 8 of 13 judged (62%)" in out
    assert "3 published: 2 on time, 1 late (33%), late by 2 working days at the median" in out
    assert "4 visits counted" in result.stderr


def test_stats_reports_a_broken_file_and_counts_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "record"
    shutil.copytree(PROGRAMME, folder)
    (folder / "broken.yaml").write_text("schema_version: 1\nvisit: [\n", encoding="utf-8")
    result = runner.invoke(app, ["stats", str(folder), "--json", "--today", TODAY])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["visits"] == 4
    [problem] = data["problems"]
    assert problem["file"].endswith("broken.yaml") and problem["line"] is not None


def test_stats_format_is_html_only(tmp_path: Path) -> None:
    bad = runner.invoke(app, ["stats", str(PROGRAMME), "--format", "docx"])
    assert bad.exit_code == 2
    wrong = runner.invoke(app, ["stats", str(PROGRAMME), "-o", str(tmp_path / "x.md")])
    assert wrong.exit_code == 2


# --------------------------------------------------------------------------- the HTML page


class Page(HTMLParser):
    """What the page holds: its tags with their attributes, and the text of each svg title."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def all(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items())
        ]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stats") / "record.html"
    args = ["stats", str(PROGRAMME), "--format", "html", "-o", str(out), "--today", TODAY]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def test_html_page_is_self_contained_with_three_charts(page_file: Path) -> None:
    text = page_file.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    charts = page.all("svg", role="img")
    assert [s["id"] for s in charts] == ["chart-areas", "chart-timeliness", "chart-programme"]
    for svg in charts:
        assert svg["aria-labelledby"]
    swatches = [s for s in page.all("svg") if s not in charts]  # the legend's, not read aloud
    assert len(swatches) == 4 and all(s["aria-hidden"] == "true" for s in swatches)
    assert page.all("script") == [] and page.all("link") == [] and page.all("img") == []
    assert "@font-face" not in text and "@import" not in text
    assert not re.search(r"url\((?!#)", text)  # only the page's own patterns, nothing fetched
    for _tag, attrs in page.tags:
        for key in ("src", "href"):
            assert attrs.get(key) is None, (key, attrs)


def test_html_charts_show_the_figures(page_file: Path) -> None:
    page = Page()
    page.feed(page_file.read_text(encoding="utf-8"))
    # judgements by area: one segment per (area, judgement) with a count; they add up to 13
    segments = page.all("rect", **{"class": "segment"})
    assert sum(int(s["data-count"] or 0) for s in segments) == 13
    safety_good = [s for s in segments if s["data-judgement"] == "good-progress"]
    assert len(safety_good) == 3  # safety, respect, rehabilitation and release planning
    # timeliness: a bar per published visit, one late, and the target line
    bars = page.all("rect", **{"class": "visit-bar"})
    assert [(b["data-days"], b["data-state"]) for b in bars] == [
        ("27", "late"),
        ("23", "on-time"),
        ("23", "on-time"),
    ]
    [target] = page.all("line", **{"class": "target"})
    late = float(bars[0]["y"] or 0)
    assert late < float(target["y1"] or 0)  # the late bar rises above the target line
    assert float(bars[1]["y"] or 0) > float(target["y1"] or 0)
    # the programme: one group per visit, one mark per visit day
    visits = page.all("g", **{"class": "visit"})
    assert len(visits) == 4


def test_html_page_in_a_headless_browser(page_file: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no headless chromium installed: the page was not checked in a browser")
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    url = page_file.as_uri()
    dom = subprocess.run(
        [*common, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=False
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = Page()
    rendered.feed(dom.stdout)
    assert len(rendered.all("svg", role="img")) == 3  # the browser parsed every chart
    shot = tmp_path / "record.png"
    subprocess.run(
        [*common, "--window-size=1000,2600", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=120,
        check=False,
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    artefacts = os.environ.get("IRP_ARTEFACTS")
    if artefacts:  # CI keeps the screenshot for a person to look at
        Path(artefacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(artefacts) / "stats-page.png")


def test_a_folder_with_no_visits_says_so_instead_of_tables_of_zeros(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", str(tmp_path), "--today", TODAY])
    assert result.exit_code == 1  # the folder holds no visit file: an error, as for programme
    assert "no visit files" in result.stderr
    assert result.stdout.splitlines()[1:] == ["No visits to show."]
