"""The team's schedule (irp schedule): the sessions of each visit day, the visit file's changes,
the checks on them, one person's days, the documents and the calendar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import icalendar
import pytest
from helpers import EXAMPLE_FILES, EXAMPLES, HOUSE, assert_golden, docx_dump, example_data
from typer.testing import CliRunner

from irp_cli.calendar.ics import CalendarVisit, build_ics
from irp_cli.cli import app
from irp_cli.dates import span_dates
from irp_cli.documents import render
from irp_cli.onsite.schedule import TeamSchedule, as_timeline, build_schedule, schedule_document
from irp_cli.review.session import Loaded, Session

runner = CliRunner(env={"IRP_CONFIG": str(HOUSE)})


def load(path: Path) -> Loaded:
    return Session(HOUSE).load(path, strict=True)


def schedule_of(loaded: Loaded) -> TeamSchedule:
    return build_schedule(loaded.doc.visit, loaded.config, loaded.timeline)


def keys(schedule: TeamSchedule, number: int) -> list[str]:
    return [s.key for s in schedule.days[number - 1].sessions]


def session(schedule: TeamSchedule, number: int, key: str) -> Any:
    (found,) = [s for s in schedule.days[number - 1].sessions if s.key == key]
    return found


@pytest.fixture
def with_schedule(write_visit: Callable[..., Path]) -> Callable[..., Loaded]:
    """Ashcombe with ``sessions`` under visit.schedule (and any other change to its data)."""

    def make(sessions: list[dict[str, Any]], **visit: Any) -> Loaded:
        data = example_data("hmp-ashcombe")
        data["visit"]["schedule"] = {"sessions": sessions, **visit}
        return load(write_visit(data))

    return make


# --------------------------------------------------------------------------------------------
# The days (guide 3.1, Appendix I)


def test_ashcombe_days_follow_the_guide() -> None:
    team = schedule_of(load(EXAMPLES / "hmp-ashcombe.yaml"))
    assert [d.date for d in team.days] == [date(2026, 4, 21), date(2026, 4, 22), date(2026, 4, 23)]
    day1, day2, day3 = (set(keys(team, n)) for n in (1, 2, 3))
    assert {"arrival", "presentation", "evidence", "imb-chair", "staff-associations"} <= day1
    assert {"team-meeting", "written-judgements", "governor-feedback"} <= day2
    assert {"chief-inspector", "final-evidence", "ofsted-findings", "deliberation"} <= day3
    assert "governor-feedback" not in day1 | day3  # on the day before the last (3.1)
    for n in (1, 2, 3):  # Appendix I: three contacts a day
        assert [k for k in keys(team, n) if k.startswith("liaison-")] == [
            "liaison-1",
            "liaison-2",
            "liaison-3",
        ]
    presentation = session(team, 1, "presentation")
    assert (presentation.start, presentation.end) == (time(12, 30), time(13, 15))
    assert presentation.when == "12.30pm to 1.15pm"
    meeting = session(team, 2, "team-meeting")
    assert meeting.when == "12.30pm to 2pm"
    assert session(team, 1, "arrival").when == "Morning"


def test_sessions_are_in_time_order() -> None:
    team = schedule_of(load(EXAMPLES / "hmyoi-thornbeck.yaml"))
    for day in team.days:
        assert [s.sort_key for s in day.sessions] == sorted(s.sort_key for s in day.sessions)


def test_split_visit_days_and_their_roles() -> None:
    team = schedule_of(load(EXAMPLES / "hmyoi-thornbeck.yaml"))
    assert [d.label for d in team.days] == [f"Day {n} of 4" for n in (1, 2, 3, 4)]
    assert [d.after_break for d in team.days] == [False, True, False, False]
    assert "presentation" in keys(team, 1)
    assert "team-meeting" in keys(team, 2) and "team-meeting" in keys(team, 3)
    assert "governor-feedback" in keys(team, 3) and "governor-feedback" not in keys(team, 2)
    assert "chief-inspector" in keys(team, 4)  # the Deputy Chief Inspector on day 4


def test_one_slot_per_named_manager_with_their_concerns() -> None:
    team = schedule_of(load(EXAMPLES / "hmyoi-thornbeck.yaml"))
    slots = [s for s in team.days[3].sessions if s.group == "manager-feedback"]
    # Carys Dunmore is named for P1 and K1; P2, K2 and K3 have no manager yet.
    assert [s.concerns for s in slots] == [("P1", "K1"), ("P2",), ("K2",), ("K3",)]
    assert slots[0].title == "Feedback to Carys Dunmore (Head of Residence) on P1 and K1"
    assert slots[0].others == ("Carys Dunmore",)
    assert "not yet on the pro forma" in slots[1].title
    assert [(s.start, s.end) for s in slots[:2]] == [
        (time(9, 30), time(9, 50)),
        (time(9, 50), time(10, 10)),
    ]
    assert "Rosalind Achterberg" not in slots[0].attendees  # the team leader drafts the debrief


def test_usual_attendees() -> None:
    team = schedule_of(load(EXAMPLES / "hmp-ashcombe.yaml"))
    assert session(team, 1, "imb-chair").attendees == ("Priya Lumsden",)
    assert session(team, 1, "imb-chair").others == ("Roger Pellow (IMB chair)",)
    assert session(team, 1, "liaison-1").attendees == ("Tomasz Keel",)  # the coordinator
    assert session(team, 1, "liaison-1").others == ("Sam Corrie",)
    assert session(team, 3, "ofsted-findings").attendees == ("Beth Tanfield",)
    assert "HM Chief Inspector of Prisons" in session(team, 3, "final-feedback").others


def test_ofsted_findings_only_when_ofsted_takes_part() -> None:
    team = schedule_of(load(EXAMPLES / "hmp-glanmorfa.yaml"))
    last = keys(team, len(team.days))
    assert "ofsted-findings" not in last and "estyn-findings" in last


def test_liaison_contact_times_come_from_the_settings(write_visit: Callable[..., Path]) -> None:
    path = write_visit(example_data("hmp-ashcombe"))
    (path.parent / "irp.toml").write_text(
        '[schedule]\nliaison_contacts = ["09:00", "13:30", "16:45"]\n', encoding="utf-8"
    )
    team = schedule_of(Session().load(path))
    assert [session(team, 2, f"liaison-{n}").start for n in (1, 2, 3)] == [
        time(9, 0),
        time(13, 30),
        time(16, 45),
    ]


# --------------------------------------------------------------------------------------------
# The visit file's changes


def test_a_change_sets_time_room_and_attendees(with_schedule: Callable[..., Loaded]) -> None:
    loaded = with_schedule(
        [
            {
                "session": "presentation",
                "start": "13:00",
                "end": "13:45",
                "room": "Chapel",
                "others": ["Dana Whitcombe", "Heads of function"],
            },
            {
                "session": "imb-chair",
                "start": "15:00",
                "attendees": ["Priya Lumsden", "Helen Ardagh"],
            },
        ]
    )
    team = schedule_of(loaded)
    talk = session(team, 1, "presentation")
    assert (talk.start, talk.end, talk.room) == (time(13, 0), time(13, 45), "Chapel")
    assert talk.others == ("Dana Whitcombe", "Heads of function")
    imb = session(team, 1, "imb-chair")
    assert (imb.start, imb.end, imb.attendees) == (
        time(15, 0),
        None,
        ("Priya Lumsden", "Helen Ardagh"),
    )
    # The plan and the documents use the same time as the schedule.
    (event,) = [e for e in loaded.timeline.get("visit-day-1").events if e.key == "presentation"]
    assert (event.start, event.end) == (time(13, 0), time(13, 45))


def test_a_change_without_a_day_applies_to_every_day(with_schedule: Callable[..., Loaded]) -> None:
    team = schedule_of(with_schedule([{"session": "liaison-2", "start": "11:45"}]))
    assert {session(team, n, "liaison-2").start for n in (1, 2, 3)} == {time(11, 45)}
    team = schedule_of(with_schedule([{"session": "liaison-2", "day": 2, "start": "11:45"}]))
    assert [session(team, n, "liaison-2").start for n in (1, 2, 3)] == [
        time(12, 0),
        time(11, 45),
        time(12, 0),
    ]


def test_a_group_change_applies_to_each_session(with_schedule: Callable[..., Loaded]) -> None:
    team = schedule_of(
        with_schedule(
            [
                {"session": "manager-feedback", "room": "Boardroom"},
                {"session": "manager-feedback-K1", "start": "11:00", "end": "11:30"},
            ]
        )
    )
    slots = [s for s in team.days[2].sessions if s.group == "manager-feedback"]
    assert {s.room for s in slots} == {"Boardroom"}
    (k1,) = [s for s in slots if "K1" in s.concerns]
    assert (k1.start, k1.end) == (time(11, 0), time(11, 30))


def test_cancelled_and_added_sessions(with_schedule: Callable[..., Loaded]) -> None:
    loaded = with_schedule(
        [
            {"session": "prisoner-groups", "cancelled": True},
            {"session": "team-meeting", "cancelled": True},
            {
                "title": "Tour of the segregation unit",
                "day": 2,
                "start": "10:00",
                "end": "11:00",
                "room": "Segregation unit",
                "attendees": ["Helen Ardagh"],
                "others": ["Head of Safety"],
            },
        ],
        base_room="Room 4, admin block",
    )
    team = schedule_of(loaded)
    assert "prisoner-groups" not in keys(team, 1)
    assert "team-meeting" not in keys(team, 2)
    assert "team-meeting" not in [e.key for e in loaded.timeline.get("visit-day-2").events]
    (tour,) = [s for s in team.days[1].sessions if s.added]
    assert (tour.title, tour.room, tour.attendees) == (
        "Tour of the segregation unit",
        "Segregation unit",
        ("Helen Ardagh",),
    )
    assert team.base_room == "Room 4, admin block"
    assert session(team, 3, "deliberation").room == "Room 4, admin block"  # the team's own room
    assert session(team, 1, "imb-chair").room is None


@pytest.mark.parametrize(
    ("sessions", "where", "message"),
    [
        (
            [{"session": "presentaton"}],
            "sessions[0].session",
            "there is no session 'presentaton' on any day; did you mean 'presentation'?",
        ),
        (
            [{"session": "presentation", "day": 2}],
            "sessions[0].session",
            "there is no session 'presentation' on day 2",
        ),
        (
            [{"session": "arrival", "day": 5}],
            "sessions[0].day",
            "there is no day 5: the visit has 3 days",
        ),
        (
            [{"title": "Extra", "day": 4}],
            "sessions[0].day",
            "there is no day 4",
        ),
        (
            [{"session": "imb-chair", "attendees": ["Priya Lumsdon"]}],
            "sessions[0].attendees[0]",
            "'Priya Lumsdon' is not on the team; did you mean 'Priya Lumsden'?",
        ),
    ],
)
def test_schedule_problems_are_located(
    write_visit: Callable[..., Path], sessions: list[dict[str, Any]], where: str, message: str
) -> None:
    data = example_data("hmp-ashcombe")
    data["visit"]["schedule"] = {"sessions": sessions}
    path = write_visit(data)
    result = runner.invoke(app, ["schedule", str(path), "--date", "2026-02-10"])
    assert result.exit_code == 1
    (line,) = [ln for ln in result.stderr.splitlines() if "[schedule, guide 3.1]" in ln]
    assert line.startswith(f"{path}:")
    assert int(line.split(":")[1]) > 100  # the line of the entry, not the top of the file
    assert f"visit.schedule.{where}: {message}" in line
    assert "Traceback" not in result.output
    checked = runner.invoke(app, ["validate", str(path)])  # validate reports it too
    assert checked.exit_code == 1 and line in checked.stderr


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"session": "arrival", "start": 930}, 'write it as "HH:MM" in quotes'),
        ({"session": "arrival", "start": "25:00"}, 'write it as "HH:MM" in quotes'),
        ({"session": "arrival", "start": "10:00", "end": "09:00"}, "is not after start"),
        ({"session": "arrival", "end": "09:00"}, "an end time needs a start time"),
        ({"title": "Something"}, "a new session needs a 'title' and a 'day'"),
    ],
)
def test_bad_session_entries_are_errors(
    write_visit: Callable[..., Path], entry: dict[str, Any], message: str
) -> None:
    data = example_data("hmp-ashcombe")
    data["visit"]["schedule"] = {"sessions": [entry]}
    path = write_visit(data)
    result = runner.invoke(app, ["schedule", str(path), "--date", "2026-02-10"])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "visit.schedule.sessions[0]" in result.stderr


# --------------------------------------------------------------------------------------------
# One person's days


def test_for_person_keeps_only_their_sessions() -> None:
    team = schedule_of(load(EXAMPLES / "hmyoi-thornbeck.yaml"))
    mine = team.for_person("Jonah Prestwick")
    assert mine.person == "Jonah Prestwick"
    assert len(mine.days) == 4
    everything = [s for d in mine.days for s in d.sessions]
    assert everything and all("Jonah Prestwick" in s.attendees for s in everything)
    assert any(s.added for s in mine.days[1].sessions)  # the walk round the separation unit
    assert not any(s.key == "imb-chair" for s in everything)
    officer = team.for_person("Declan Otway")  # the liaison officer: their three contacts a day
    assert [len(d.sessions) for d in officer.days] == [3, 3, 3, 3]


@pytest.mark.parametrize(
    ("argument", "code", "shown"),
    [
        ("Jonah Prestwick", 0, "Jonah Prestwick's schedule"),
        ("jonah", 0, "Jonah Prestwick's schedule"),
        ("carys dunmore", 0, "Carys Dunmore's schedule"),
        ("Jona Prestwik", 2, "did you mean 'Jonah Prestwick'?"),
        ("o", 2, "give more of the name"),
    ],
)
def test_person_option(argument: str, code: int, shown: str) -> None:
    path = EXAMPLES / "hmyoi-thornbeck.yaml"
    result = runner.invoke(
        app, ["schedule", str(path), "--person", argument, "--date", "2026-02-10"]
    )
    assert result.exit_code == code, result.output
    assert shown in result.output


# --------------------------------------------------------------------------------------------
# Documents and the calendar


def render_schedule(loaded: Loaded, team: TeamSchedule, fmt: render.Format) -> Any:
    document = schedule_document(team, loaded.doc.visit)
    return render.render_document(
        document.template,
        document.context,
        fmt,
        title=document.title,
        marking=loaded.config.house.marking,
        timestamp=datetime(2026, 1, 1),
    )


@pytest.mark.parametrize("person", [None, "Jonah Prestwick"])
def test_schedule_documents_match_golden(person: str | None) -> None:
    loaded = load(EXAMPLES / "hmyoi-thornbeck.yaml")
    team = schedule_of(loaded)
    if person:
        team = team.for_person(person)
    stem = "schedule/hmyoi-thornbeck" + ("-jonah-prestwick" if person else "")
    markdown = render_schedule(loaded, team, "md")
    assert_golden(f"{stem}.md", markdown)
    assert_golden(f"{stem}.html", render_schedule(loaded, team, "html"))
    assert_golden(f"{stem}.docx.txt", docx_dump(render_schedule(loaded, team, "docx")))
    assert "3 and 10–12 March 2026" in markdown  # split days as published reports write them


def test_no_overall_judgement_and_no_24_hour_times_in_the_document() -> None:
    loaded = load(EXAMPLES / "hmp-ashcombe.yaml")
    text = str(render_schedule(loaded, schedule_of(loaded), "md"))
    assert "12:30" not in text and "12.30pm to 1.15pm" in text  # GOV.UK style
    assert "Tuesday 21 April 2026" in text
    assert "overall" not in text.lower()


def calendar_of(loaded: Loaded, team: TeamSchedule) -> bytes:
    return build_ics([CalendarVisit(loaded.doc.visit, as_timeline(team, loaded.timeline))])


def test_calendar_has_timed_london_events_with_stable_uids() -> None:
    loaded = load(EXAMPLES / "hmyoi-thornbeck.yaml")
    team = schedule_of(loaded)
    data = calendar_of(loaded, team)
    assert data == calendar_of(loaded, schedule_of(loaded))  # byte-identical on a repeat run
    events = {str(ev["UID"]): ev for ev in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    talk = events["irp-TBK-20250417-visit-day-1-presentation@irp-cli"]
    assert talk.decoded("dtstart").tzinfo is not None
    assert b"DTSTART;TZID=Europe/London:20260303T123000\r\n" in data
    assert str(talk["LOCATION"]) == "Chapel, HMYOI Thornbeck"
    slot = events["irp-TBK-20250417-visit-day-4-manager-feedback-P1@irp-cli"]
    assert "Carys Dunmore" in str(slot["DESCRIPTION"])
    untimed = [k for k in events if k.endswith("-arrival@irp-cli")]
    assert untimed == []  # untimed sessions are listed in the day's all-day event instead
    assert b"BEGIN:VTIMEZONE" in data
    mine = calendar_of(loaded, team.for_person("Jonah Prestwick"))
    mine_uids = {str(ev["UID"]) for ev in icalendar.Calendar.from_ical(mine).walk("VEVENT")}
    assert (
        "irp-TBK-20250417-visit-day-2-added-walk-round-the-separation-unit-with-the@irp-cli"
        in mine_uids
    )
    assert mine_uids < set(events)  # the same UIDs as the team's calendar


def test_moving_a_session_keeps_its_uid(with_schedule: Callable[..., Loaded]) -> None:
    loaded = with_schedule([{"session": "team-meeting", "start": "13:00", "end": "14:30"}])
    data = calendar_of(loaded, schedule_of(loaded))
    assert b"UID:irp-ASH-20250619-visit-day-2-team-meeting@irp-cli" in data
    assert b"DTSTART;TZID=Europe/London:20260422T130000" in data


def test_cli_writes_document_and_calendar_quietly_twice(tmp_path: Path) -> None:
    path = EXAMPLES / "hmyoi-thornbeck.yaml"
    out, ics = tmp_path / "schedule.docx", tmp_path / "schedule.ics"
    argv = ["schedule", str(path), "-o", str(out), "--ics", str(ics), "--date", "2026-02-10"]
    first = runner.invoke(app, argv)
    assert first.exit_code == 0, first.output
    data = out.read_bytes(), ics.read_bytes()
    second = runner.invoke(app, argv)
    assert second.exit_code == 0
    assert f"{out}: unchanged" in second.stderr and f"{ics}: unchanged" in second.stderr
    assert (out.read_bytes(), ics.read_bytes()) == data


def test_cli_table_and_json() -> None:
    path = EXAMPLES / "hmp-ashcombe.yaml"
    table = runner.invoke(app, ["schedule", str(path), "--date", "2026-02-10"])
    assert table.exit_code == 0
    assert "Day 1 of 3: Tuesday 21 April 2026" in table.stdout
    assert "12.30pm to 1.15pm" in table.stdout
    import json

    result = runner.invoke(app, ["schedule", str(path), "--json", "--date", "2026-02-10"])
    data = json.loads(result.stdout)
    assert [d["date"] for d in data["days"]] == ["2026-04-21", "2026-04-22", "2026-04-23"]
    first = data["days"][0]["sessions"]
    assert {"key", "title", "when", "start", "end", "room", "attendees", "others"} <= set(first[0])
    bad = runner.invoke(app, ["schedule", str(path), "--json", "--format", "md"])
    assert bad.exit_code == 2


# --------------------------------------------------------------------------------------------
# Visit days in words


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (["2024-05-08", "2024-05-13", "2024-05-14", "2024-05-15"], "8 and 13–15 May 2024"),
        (["2026-04-21", "2026-04-22", "2026-04-23"], "21–23 April 2026"),
        (["2024-04-29", "2024-04-30", "2024-05-01"], "29 April–1 May 2024"),
        (["2024-04-30", "2024-05-13", "2024-05-14"], "30 April and 13–14 May 2024"),
        (["2025-12-30", "2025-12-31", "2026-01-01"], "30 December 2025–1 January 2026"),
        (["2024-05-01", "2024-05-08", "2024-05-13"], "1, 8 and 13 May 2024"),
        (["2024-05-01"], "1 May 2024"),
    ],
)
def test_span_dates(days: list[str], words: str) -> None:
    assert span_dates([date.fromisoformat(d) for d in days]) == words


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("changes", ["kept", "removed"])
def test_schedule_findings_are_the_built_schedules(path: Path, changes: str) -> None:
    """irp validate's schedule findings (the schedule built only when the file changes it)
    are those of the schedule built in full, with or without the file's changes."""
    from irp_cli.onsite.schedule import schedule_findings
    from irp_cli.visitfile.loader import VisitFile

    loaded = load(path)
    visit = loaded.doc.visit
    if changes == "removed":
        schedule = visit.visit.schedule.model_copy(update={"sessions": []})
        visit = visit.model_copy(
            update={"visit": visit.visit.model_copy(update={"schedule": schedule})}
        )
    old = loaded.doc
    doc = VisitFile(old.path, old.name, old.root, old.data, visit)
    built = build_schedule(visit, loaded.config, loaded.timeline).findings(doc.locate, doc.name)
    found = schedule_findings(visit, loaded.config, loaded.timeline, doc.locate, doc.name)
    assert found == built


def test_a_bad_change_to_the_schedule_is_found_by_validate(tmp_path: Path) -> None:
    text = (EXAMPLES / "hmp-ashcombe.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "visit:\n", "visit:\n  schedule:\n    sessions:\n    - session: lunch-break\n", 1
    )
    path = tmp_path / "visit.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert "there is no session 'lunch-break'" in result.stderr
