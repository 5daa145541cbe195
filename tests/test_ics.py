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
    windows = sum(m.kind == "window" for m in item.timeline.milestones)
    assert windows == 2  # the letter window and the window for the IRP: opens, closes
    assert len(all_day) == len(item.timeline.milestones) + windows == 17 + 2
    assert len(timed) == 2  # Day 1's presentation and Day 2's team meeting


def test_all_day_events_end_the_day_after_and_windows_span() -> None:
    ev = by_uid(build_ics([visit_for()], now=NOW))
    returns = ev["irp-ASH-20250619-returns-due@irp-cli"]
    assert returns.decoded("DTSTART") == date(2026, 4, 14)
    assert returns.decoded("DTEND") == date(2026, 4, 15)  # exclusive
    assert "VALUE=DATE:20260414" in returns.to_ical().decode()
    assert str(returns["TRANSP"]) == "TRANSPARENT"
    # A month-long window is the day it opens and the day it closes, not a banner
    opens = ev["irp-ASH-20250619-letter-window@irp-cli"]
    closes = ev["irp-ASH-20250619-letter-window-end@irp-cli"]
    assert (opens.decoded("DTSTART"), opens.decoded("DTEND")) == (
        date(2026, 1, 21),
        date(2026, 1, 22),
    )
    assert (closes.decoded("DTSTART"), closes.decoded("DTEND")) == (
        date(2026, 2, 21),
        date(2026, 2, 22),
    )
    assert str(opens["SUMMARY"]) == "HMP Ashcombe: letter window opens"
    assert str(closes["SUMMARY"]) == "HMP Ashcombe: letter window closes"
    assert "Wednesday 21 January 2026 to Saturday 21 February 2026." in str(closes["DESCRIPTION"])
    letter = ev["irp-ASH-20250619-letter-send-by@irp-cli"]
    assert str(letter["SUMMARY"]) == "Done: HMP Ashcombe: latest day to send the letter"
    assert str(letter["DESCRIPTION"]).startswith("Latest day to send the announcement letter")
    assert "Done Tuesday 10 February 2026." in str(letter["DESCRIPTION"])
    assert str(returns["SUMMARY"]) == "HMP Ashcombe: documents due"
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


def test_uids_are_stable_and_only_the_stamp_and_sequence_change() -> None:
    first = build_ics([visit_for()], now=NOW)
    later = build_ics([visit_for()], now=NOW + timedelta(days=30))
    assert by_uid(first).keys() == by_uid(later).keys()
    assert len(by_uid(first)) == len(events(first))  # unique
    assert first != later
    sequence = (NOW.date() - date(2000, 1, 1)).days  # and the sequence, 30 days on
    moved_on = first.replace(b"20260105T093000Z", b"20260204T093000Z")
    moved_on = moved_on.replace(b"SEQUENCE:%d\r\n" % sequence, b"SEQUENCE:%d\r\n" % (sequence + 30))
    assert moved_on == later
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
    windows = sum(m.kind == "window" for m in item.timeline.milestones)
    assert len(got) == len(item.timeline.milestones) + windows + timed
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


def test_sequence_and_last_modified_rise_as_the_visit_progresses() -> None:
    first = by_uid(build_ics([visit_for()], now=NOW))
    later = by_uid(build_ics([visit_for()], now=NOW + timedelta(days=30)))
    for uid, ev in first.items():
        assert ev.decoded("LAST-MODIFIED") == NOW.replace(tzinfo=UTC)
        assert int(ev["SEQUENCE"]) == (NOW.date() - date(2000, 1, 1)).days
        assert int(later[uid]["SEQUENCE"]) == int(ev["SEQUENCE"]) + 30


@pytest.mark.parametrize("days", [None, 0, 3])
def test_reminders_on_deadlines_not_yet_done(days: int | None) -> None:
    got = by_uid(build_ics([visit_for()], now=NOW, reminder_days=days))
    with_alarm = {uid for uid, ev in got.items() if ev.walk("VALARM")}
    if days is None:
        assert with_alarm == set()
        return
    item = visit_for()
    expected = {
        f"{item.uid_base}-{m.id}@irp-cli"
        for m in item.timeline.milestones
        if m.kind == "deadline" and m.done is None
    }
    assert with_alarm == expected and "irp-ASH-20250619-returns-due@irp-cli" in expected
    (alarm,) = got["irp-ASH-20250619-returns-due@irp-cli"].walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(days=-days)
    assert str(alarm["DESCRIPTION"]) == "HMP Ashcombe: documents due"


def test_timed_items_described_in_gov_uk_style() -> None:
    ev = by_uid(build_ics([visit_for()], now=NOW))
    day2 = str(ev["irp-ASH-20250619-visit-day-2@irp-cli"]["DESCRIPTION"])
    assert "- 12.30pm to 2pm: Inspection team meeting" in day2
    assert "12:30" not in day2
