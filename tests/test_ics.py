"""The iCalendar export (irp_cli.calendar.ics): RFC 5545 shape, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from helpers import assert_golden, dump, example_data
from icalendar import Calendar

from irp_cli.calendar.ics import CalendarVisit, build_ics, input_stamp
from irp_cli.calendar.timeline import build_timeline
from irp_cli.calendar.workdays import calendar
from irp_cli.visitfile.config import Config
from irp_cli.visitfile.loader import parse_visit

NOW = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def visit_for(name: str = "hmp-ashcombe", data: dict[str, Any] | None = None) -> CalendarVisit:
    visit = parse_visit(dump(data or example_data(name)), "t.yaml").visit
    return CalendarVisit(visit, build_timeline(visit, Config(), calendar()))


def events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def by_uid(data: bytes) -> dict[str, Any]:
    return {str(ev["UID"]): ev for ev in events(data)}


def test_golden_ashcombe() -> None:
    assert_golden("timeline/hmp-ashcombe.ics", build_ics([visit_for()], now=NOW))


def test_calendar_properties_and_line_format() -> None:
    data = build_ics([visit_for()], now=NOW)
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["PRODID"]) == "-//irp-cli//IRP timeline//EN"
    assert str(cal["X-WR-CALNAME"]) == "IRP: HMP Ashcombe"
    lines = data.split(b"\r\n")
    assert lines[-1] == b""  # every line, the last included, ends with CRLF
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long lines are folded


def test_one_all_day_event_per_milestone_and_one_per_timed_item() -> None:
    item = visit_for()
    got = events(build_ics([item], now=NOW))
    all_day = [ev for ev in got if type(ev.decoded("DTSTART")) is date]
    timed = [ev for ev in got if isinstance(ev.decoded("DTSTART"), datetime)]
    assert len(all_day) == len(item.timeline.milestones) == 17
    assert len(timed) == 2  # Day 1's presentation and Day 2's team meeting


def test_all_day_events_end_the_day_after_and_windows_span() -> None:
    ev = by_uid(build_ics([visit_for()], now=NOW))
    returns = ev["irp-ASH-20250619-returns-due@irp-cli"]
    assert returns.decoded("DTSTART") == date(2026, 4, 14)
    assert returns.decoded("DTEND") == date(2026, 4, 15)  # exclusive
    assert "VALUE=DATE:20260414" in returns.to_ical().decode()
    assert str(returns["TRANSP"]) == "TRANSPARENT"
    window = ev["irp-ASH-20250619-letter-window@irp-cli"]
    assert (window.decoded("DTSTART"), window.decoded("DTEND")) == (
        date(2026, 1, 21),
        date(2026, 2, 22),
    )
    letter = ev["irp-ASH-20250619-letter-send-by@irp-cli"]
    assert str(letter["SUMMARY"]).startswith("Done: HMP Ashcombe IRP: Latest day to send")
    assert "Done Tue 10 Feb 2026." in str(letter["DESCRIPTION"])
    assert "paragraph 2.6." in str(letter["DESCRIPTION"])
    assert "paragraphs 2.9, 2.10." in str(returns["DESCRIPTION"])
    assert str(ev["irp-ASH-20250619-visit-day-1@irp-cli"]["TRANSP"]) == "OPAQUE"


def test_timed_events_are_in_london_time_with_a_vtimezone() -> None:
    data = build_ics([visit_for()], now=NOW)
    ev = by_uid(data)
    talk = ev["irp-ASH-20250619-visit-day-1-presentation@irp-cli"]
    start = talk["DTSTART"]
    assert start.params["TZID"] == "Europe/London"
    assert start.dt.replace(tzinfo=None) == datetime(2026, 4, 21, 12, 30)
    assert talk["DTEND"].dt.replace(tzinfo=None) == datetime(2026, 4, 21, 13, 15)
    assert b"DTSTART;TZID=Europe/London:20260421T123000\r\n" in data
    meeting = ev["irp-ASH-20250619-visit-day-2-team-meeting@irp-cli"]
    assert meeting["DTEND"].dt.replace(tzinfo=None) == datetime(2026, 4, 22, 14, 0)
    [tz] = Calendar.from_ical(data).walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/London"
    # 21 April is in British Summer Time: 12:30 in London is 11:30 UTC
    assert talk.decoded("DTSTART").utcoffset() == timedelta(hours=1)


def test_uids_are_stable_and_only_dtstamp_changes() -> None:
    first = build_ics([visit_for()], now=NOW)
    later = build_ics([visit_for()], now=NOW + timedelta(days=30))
    assert by_uid(first).keys() == by_uid(later).keys()
    assert len(by_uid(first)) == len(events(first))  # unique
    assert first != later
    assert first.replace(b"20260105T093000Z", b"20260204T093000Z") == later
    assert b"DTSTAMP:20260105T093000Z\r\n" in first


def test_moving_the_visit_keeps_the_uids() -> None:
    data = example_data()
    data["visit"]["days"] = ["2026-05-12", "2026-05-13", "2026-05-14"]
    moved = by_uid(build_ics([visit_for(data=data)], now=NOW))
    original = by_uid(build_ics([visit_for()], now=NOW))
    assert moved.keys() == original.keys()
    uid = "irp-ASH-20250619-returns-due@irp-cli"
    assert moved[uid].decoded("DTSTART") != original[uid].decoded("DTSTART")


def test_several_visits_in_one_calendar_deadlines_only() -> None:
    visits = [visit_for(n) for n in ("hmp-ashcombe", "hmp-glanmorfa", "hmyoi-thornbeck")]
    data = build_ics(
        visits, now=NOW, name="IRP deadlines", keep=lambda m: m.kind == "deadline", timed=False
    )
    got = events(data)
    assert len(got) == 3 * 9
    assert {str(ev["UID"]).split("-")[1] for ev in got} == {"ASH", "GLM", "TBK"}
    assert all(type(ev.decoded("DTSTART")) is date for ev in got)
    assert b"VTIMEZONE" not in data  # no timed events, so no time zone
    assert str(Calendar.from_ical(data)["X-WR-CALNAME"]) == "IRP deadlines"


@pytest.mark.parametrize("name", ["hmp-glanmorfa", "hmyoi-thornbeck"])
def test_other_examples_parse_back(name: str) -> None:
    item = visit_for(name)
    got = events(build_ics([item], now=NOW))
    timed = sum(1 for m in item.timeline.milestones for e in m.events if e.start is not None)
    assert len(got) == len(item.timeline.milestones) + timed
    # Thornbeck's split visit has a team meeting on both of its middle days, and its visit file
    # sets a time for the team leader's feedback to the governor (visit.schedule)
    assert timed == (4 if name == "hmyoi-thornbeck" else 2)


def test_a_naive_now_is_taken_as_utc() -> None:
    naive = build_ics([visit_for()], now=datetime(2026, 1, 5, 9, 30, 12, 999))
    assert b"DTSTAMP:20260105T093012Z\r\n" in naive


@pytest.mark.parametrize(
    ("status", "stamp"),
    [
        ({}, datetime(2025, 6, 19, tzinfo=UTC)),  # nothing recorded: the previous last day
        ({"letter_sent": date(2026, 2, 10)}, datetime(2026, 2, 10, tzinfo=UTC)),
        (
            {"letter_sent": date(2026, 2, 10), "returns": {"proforma": date(2026, 4, 9)}},
            datetime(2026, 4, 9, tzinfo=UTC),
        ),
    ],
)
def test_dtstamp_comes_from_the_input(status: dict[str, Any], stamp: datetime) -> None:
    data = example_data("hmp-ashcombe")
    data["visit"]["status"] = status
    item = visit_for(data=data)
    assert input_stamp([item]) == stamp
    first = build_ics([item])
    assert first == build_ics([item])  # no clock: the same bytes on every run
    assert f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}".encode() in first
