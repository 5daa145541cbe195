"""The programme across visits: conflicts (pure, table tests over small summaries), folder
scanning, and the wiring of ``irp programme`` (broken files, --year, --json, --ics, documents)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from helpers import EXAMPLES, assert_golden, dump, example_data
from icalendar import Calendar
from typer.testing import CliRunner

from irp_cli.calendar.workdays import calendar
from irp_cli.cli import app
from irp_cli.programme.conflicts import find_conflicts
from irp_cli.programme.entries import Entry, Member, Place, compact_days
from irp_cli.review.session import expand, scan_folder
from irp_cli.visitfile.models import EstablishmentType, Nation

runner = CliRunner()
FIXED = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01T00:00:00Z
CAL = calendar()


def entry(
    file: str,
    days: Sequence[date],
    team: Sequence[str] = ("Ann Leader",),
    *,
    code: str | None = None,
    inspection_end: date = date(2025, 6, 19),
    chief: Sequence[date] | None = None,
) -> Entry:
    members = [
        Member(name, "team-leader" if n == 0 else "inspector", Place(file, 10 + n, 5))
        for n, name in enumerate(team)
    ]
    if chief is not None:
        members.append(
            Member("the Chief Inspector", "chief-inspector", Place(file, 40, 8), (*chief,))
        )
    from irp_cli.calendar.timeline import irp_window

    return Entry(
        file=file,
        name=f"HMP {file.title()}",
        code=code or file[:3].upper(),
        type=EstablishmentType.ADULT_MEN,
        nation=Nation.ENGLAND,
        days=tuple(days),
        days_place=Place(file, 50, 9),
        code_place=Place(file, 3, 9),
        members=tuple(members),
        partners=(),
        window=irp_window(inspection_end),
        previous_last_day=inspection_end,
        published=None,
        finished=False,
        next_due=None,
        non_working=(),
    )


def run(days: str) -> tuple[date, ...]:
    """'2026-04-21..23' -> three dates; '2026-04-21' -> one."""
    start, _, end = days.partition("..")
    first = date.fromisoformat(start)
    last = first.replace(day=int(end)) if end else first
    return tuple(date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1))


# --------------------------------------------------------------------------- people


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # Tue-Thu, then Wed-Fri of the same week: they share two days
        ("2026-04-21..23", "2026-04-22..24", "double-booked"),
        # Tue-Thu, then Fri: no working day between
        ("2026-04-21..23", "2026-04-24", "back-to-back"),
        # Wed-Fri, then Mon-Wed: only a weekend between
        ("2026-04-22..24", "2026-04-27..29", "back-to-back"),
        # Tue-Thu, then Mon-Wed: Friday is free
        ("2026-04-21..23", "2026-04-27..29", None),
        # Fri 1 May, then Tue-Thu after the early May bank holiday (Mon 4 May 2026): no working
        # day between
        ("2026-05-01", "2026-05-05..07", "back-to-back"),
        # a week apart
        ("2026-04-21..23", "2026-05-12..14", None),
    ],
)
def test_one_person_on_two_visits(a: str, b: str, expected: str | None) -> None:
    first = entry("ashcombe", run(a), ["Ann Leader"], inspection_end=date(2025, 6, 19))
    second = entry("birch", run(b), ["Bob Other", "ann  LEADER"], inspection_end=date(2025, 6, 1))
    found = find_conflicts([first, second], CAL, per_year=20)
    assert [c.kind for c in found] == ([expected] if expected else [])
    if expected:
        conflict = found[0]
        assert conflict.person == "Ann Leader"
        assert conflict.files == ("ashcombe", "birch")
        # each place is the line of the name in its own file
        assert [(p.file, p.line) for p in conflict.places] == [("ashcombe", 10), ("birch", 11)]


def test_split_visits_that_interleave_are_double_booked_only_on_a_shared_day() -> None:
    # one day, then three more a week later; the other visit sits in the gap with a free day
    # either side: no conflict
    split = entry("ashcombe", (date(2026, 3, 3), *run("2026-03-10..12")))
    between = entry("birch", run("2026-03-05"), code="BIR", inspection_end=date(2025, 5, 1))
    assert find_conflicts([split, between], CAL, per_year=20) == []
    clash = entry("cedar", run("2026-03-11"), inspection_end=date(2025, 4, 1))
    kinds = [c.kind for c in find_conflicts([split, clash], CAL, per_year=20)]
    assert kinds == ["double-booked"]


def test_the_chief_inspector_clashes_only_on_the_days_attended() -> None:
    first = entry("ashcombe", run("2026-04-21..23"), ["Ann"], chief=[date(2026, 4, 23)])
    second = entry(
        "birch", run("2026-04-22..24"), ["Bob"], chief=[date(2026, 4, 24)],
        inspection_end=date(2025, 6, 1),
    )  # fmt: skip
    found = find_conflicts([first, second], CAL, per_year=20)
    # Thursday then Friday: back to back, not on the same day
    assert [(c.kind, c.person) for c in found] == [("back-to-back", "the Chief Inspector")]
    second = entry(
        "birch", run("2026-04-22..24"), ["Bob"], chief=[date(2026, 4, 23)],
        inspection_end=date(2025, 6, 1),
    )  # fmt: skip
    found = find_conflicts([first, second], CAL, per_year=20)
    assert [(c.kind, c.person) for c in found] == [("double-booked", "the Chief Inspector")]


def test_same_person_in_two_roles_on_one_visit() -> None:
    one = entry("ashcombe", run("2026-04-21..23"), ["Ann Leader", "Cy Inspector", "ANN LEADER"])
    found = find_conflicts([one], CAL, per_year=20)
    assert [c.kind for c in found] == ["two-roles"]
    assert [p.line for p in found[0].places] == [10, 12]
    assert "listed 2 times" in found[0].message


def test_many_visits_one_person_each_pair_reported_once() -> None:
    visits = [
        entry(f"v{n:02d}", run(f"2026-04-{21 + n}"), ["Ann"], inspection_end=date(2025, 6, n + 1))
        for n in range(3)
    ]  # Tue, Wed, Thu: neighbours clash; Tue and Thu have Wednesday between them
    found = find_conflicts(visits, CAL, per_year=20)
    assert [(c.kind, c.files) for c in found] == [
        ("back-to-back", ("v00", "v01")),
        ("back-to-back", ("v01", "v02")),
    ]


# --------------------------------------------------------------------------- visits


@pytest.mark.parametrize(
    ("end_a", "end_b", "clash"),
    [
        (date(2025, 6, 19), date(2025, 6, 19), True),  # the same inspection twice (a copy)
        (date(2025, 6, 19), date(2025, 9, 30), True),  # windows overlap by a few months
        (date(2024, 6, 19), date(2025, 6, 19), False),  # a year apart: next inspection's IRP
    ],
)
def test_two_visits_at_one_establishment(end_a: date, end_b: date, clash: bool) -> None:
    a = entry("ashcombe", run("2026-03-03..05"), ["Ann"], code="ASH", inspection_end=end_a)
    b = entry("copy", run("2026-05-12..14"), ["Bob"], code="ASH", inspection_end=end_b)
    found = find_conflicts([a, b], CAL, per_year=20)
    assert [c.kind for c in found] == (["same-establishment"] if clash else [])


def test_programme_size_per_year_and_the_year_filter() -> None:
    visits = [
        entry(f"v{n}", run(f"2026-0{n + 1}-10"), [f"P{n}"], code=f"A{n}X",
              inspection_end=date(2025, n + 1, 1))
        for n in range(3)
    ]  # fmt: skip
    visits.append(entry("late", run("2027-02-10"), ["Q"], code="LAT"))
    found = find_conflicts(visits, CAL, per_year=2)
    assert [(c.kind, c.year) for c in found] == [("programme-size", 2026)]
    assert "3 visits start in 2026" in found[0].message
    assert find_conflicts(visits, CAL, per_year=2, year=2027) == []
    assert find_conflicts(visits, CAL, per_year=3) == []


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (["2026-04-21", "2026-04-22", "2026-04-23"], "21–23 Apr 2026"),
        (["2026-03-03", "2026-03-10", "2026-03-11", "2026-03-12"], "3, 10–12 Mar 2026"),
        (["2026-03-30", "2026-03-31", "2026-04-01"], "30 Mar–1 Apr 2026"),
        (["2026-12-31", "2027-01-04"], "31 Dec 2026, 4 Jan 2027"),
        (["2026-06-16"], "16 Jun 2026"),
    ],
)
def test_compact_days(days: list[str], text: str) -> None:
    assert compact_days([date.fromisoformat(d) for d in days]) == text


# --------------------------------------------------------------------------- folders


def test_scan_folder_recursive_skips_hidden_and_takes_any_case(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.YML", "sub/c.yml", ".hidden.yaml", ".git/d.yaml", "notes.txt"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "folder.yaml").mkdir()
    names = [p.relative_to(tmp_path).as_posix() for p in scan_folder(tmp_path, recursive=True)]
    assert names == ["a.yaml", "b.YML", "sub/c.yml"]
    flat = [p.name for p in scan_folder(tmp_path)]
    assert flat == ["a.yaml", "b.YML"]
    files, problems = expand([tmp_path / "sub" / "c.yml"], folders=True)
    assert (files, problems) == ([tmp_path / "sub" / "c.yml"], [])


def programme_folder(tmp_path: Path) -> Path:
    """The three examples, one in a sub-folder, plus a broken file and a hidden one."""
    folder = tmp_path / "visits"
    (folder / "2026").mkdir(parents=True)
    for name in ("hmp-ashcombe", "hmp-glanmorfa"):
        (folder / f"{name}.yaml").write_text(dump(example_data(name)), encoding="utf-8")
    thornbeck = example_data("hmyoi-thornbeck")
    (folder / "2026" / "hmyoi-thornbeck.yaml").write_text(dump(thornbeck), encoding="utf-8")
    (folder / "broken.yaml").write_text("schema_version: 1\nestablishment: [\n", encoding="utf-8")
    (folder / ".draft.yaml").write_text("not: [valid\n", encoding="utf-8")
    (folder / "2026" / "population.yaml").write_text("report: adult\nstatus: {}\n", "utf-8")
    return folder


def test_programme_lists_visits_in_date_order_and_reports_a_broken_file(tmp_path: Path) -> None:
    folder = programme_folder(tmp_path)
    result = runner.invoke(app, ["programme", str(folder), "--json", "--today", "2026-01-05"])
    assert result.exit_code == 1  # a file could not be read
    data = json.loads(result.stdout)
    assert [v["establishment"]["code"] for v in data["visits"]] == ["TBK", "ASH", "GLM"]
    assert data["conflicts"] == []
    [problem] = data["problems"]
    assert problem["file"].endswith("broken.yaml") and problem["line"] == 3
    assert ".draft" not in result.output
    # a YAML file that is no visit file at all (a population summary) is a warning, not a problem
    [skipped] = data["skipped"]
    assert skipped["file"].endswith("population.yaml") and skipped["severity"] == "warning"
    ashcombe = data["visits"][1]
    assert ashcombe["team_leader"] == "Priya Lumsden"
    assert ashcombe["partners"] == ["cqc", "ofsted"]
    assert ashcombe["days"] == ["2026-04-21", "2026-04-22", "2026-04-23"]
    # On 5 January the letter recorded as sent on 10 February is still to come: not done.
    assert ashcombe["next_due"]["id"] == "letter-send-by"
    assert "1 file could not be read; 1 other YAML file skipped" in result.stderr


def test_programme_conflict_exits_1_with_both_places(tmp_path: Path) -> None:
    folder = tmp_path / "visits"
    folder.mkdir()
    a = example_data("hmp-ashcombe")
    b = example_data("hmp-glanmorfa")
    b["visit"] = {"days": ["2026-04-23", "2026-04-24", "2026-04-27"]}
    b["team"][1]["name"] = "Priya  Lumsden"  # Ashcombe's team leader, spaced differently
    (folder / "a.yaml").write_text(dump(a), encoding="utf-8")
    (folder / "b.yaml").write_text(dump(b), encoding="utf-8")
    result = runner.invoke(app, ["programme", str(folder), "--today", "2026-01-05"])
    assert result.exit_code == 1
    [line] = [ln for ln in result.stderr.splitlines() if "double-booked" in ln]
    assert line.startswith(f"{folder / 'a.yaml'}:")
    assert "Priya Lumsden is on two visits on Thu 23 Apr 2026" in line
    assert f"(see {folder / 'b.yaml'}:" in line
    assert "1 conflict" in result.stderr
    clean = runner.invoke(app, ["programme", str(folder), "--year", "2027"])
    assert clean.exit_code == 0, clean.output
    assert "0 visits in 2027: 0 conflicts" in clean.stderr


def test_programme_ics_is_byte_identical_and_has_stable_uids(tmp_path: Path) -> None:
    out = tmp_path / "programme.ics"
    args = [
        "programme",
        str(EXAMPLES),
        "--ics",
        str(out),
        "--year",
        "2026",
        "--today",
        "2026-01-05",
    ]
    first = runner.invoke(app, args, env=FIXED)
    assert first.exit_code == 0, first.output
    data = out.read_bytes()
    again = runner.invoke(app, args, env=FIXED)
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.stderr
    assert out.read_bytes() == data
    events = Calendar.from_ical(data).walk("VEVENT")
    uids = sorted(str(e["uid"]) for e in events)
    assert len(uids) == 3 + 3 + 4 + 3 + 3  # every visit day, nothing else
    assert "irp-ASH-20250619-visit-day-1@irp-cli" in uids


def test_programme_document_golden() -> None:
    result = runner.invoke(
        app, ["programme", str(EXAMPLES), "--format", "md", "--today", "2026-01-05"]
    )
    assert result.exit_code == 0, result.output
    assert_golden("programme/programme.md", result.stdout)


def test_programme_word_document_needs_a_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["programme", str(EXAMPLES), "--format", "docx"])
    assert result.exit_code == 2
    out = tmp_path / "programme.docx"
    written = runner.invoke(app, ["programme", str(EXAMPLES), "-o", str(out)])
    assert written.exit_code == 0, written.output
    assert out.read_bytes()[:2] == b"PK"


def test_programme_empty_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["programme", str(tmp_path)])
    assert result.exit_code == 1
    assert "no visit files" in result.stderr
