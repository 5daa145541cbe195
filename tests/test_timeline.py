"""The life of a visit: every milestone of each example, checked by hand.

The expected dates were worked out on paper from the 2026 calendar (``python -c 'import
calendar; print(calendar.month(2026, 4))'``) and the England-and-Wales bank holidays of 2026:
New Year's Day Thu 1 Jan, Good Friday 3 Apr, Easter Monday 6 Apr, Early May 4 May, Spring
25 May, Summer 31 Aug, Christmas Fri 25 Dec, Boxing Day (substitute) Mon 28 Dec.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from helpers import dump, example_data

from irp_cli.calendar.timeline import (
    Milestone,
    Timeline,
    build_timeline,
    day_schedule,
    irp_window,
    suggest_starts,
)
from irp_cli.calendar.workdays import OutOfRange, calendar
from irp_cli.dates import short_date
from irp_cli.visitfile.config import Config, TimelineSettings
from irp_cli.visitfile.loader import parse_visit
from irp_cli.visitfile.models import PreviousInspection, Visit

D = date


def visit_of(data: dict[str, Any]) -> Visit:
    return parse_visit(dump(data), "t.yaml").visit


def timeline_of(
    name: str = "hmp-ashcombe",
    config: Config | None = None,
    data: dict[str, Any] | None = None,
    closures: tuple[date, ...] = (),
) -> Timeline:
    visit = visit_of(data if data is not None else example_data(name))
    return build_timeline(visit, config or Config(), calendar(closures))


def dates(tl: Timeline) -> dict[str, tuple[date, date | None]]:
    return {m.id: (m.date, m.end) for m in tl.milestones}


# --------------------------------------------------------------------------- the examples

# HMP Ashcombe: visit Tue 21 - Thu 23 April 2026; previous inspection 9-19 June 2025.
ASHCOMBE = {
    "previous-inspection": (D(2025, 6, 9), D(2025, 6, 19)),
    "letter-window": (D(2026, 1, 21), D(2026, 2, 21)),  # 3 and 2 months before 21 April
    "irp-window": (D(2026, 2, 19), D(2026, 6, 19)),  # 8 and 12 months after 19 June 2025
    "letter-send-by": (D(2026, 2, 20), None),  # 21 February is a Saturday: back to Friday
    "liaison-officer": (D(2026, 3, 6), None),  # 10 working days after Fri 20 Feb
    # 15 working days before Tue 14 Apr, skipping Easter Monday 6 Apr and Good Friday 3 Apr
    "coordinator-contact": (D(2026, 3, 20), None),
    "staff-associations": (D(2026, 3, 20), None),
    "returns-due": (D(2026, 4, 14), None),  # 20, 17, 16, 15, 14 April: five working days
    "attendance-list": (D(2026, 4, 14), None),
    "imb-meeting": (D(2026, 4, 14), None),
    "visit-day-1": (D(2026, 4, 21), None),
    "visit-day-2": (D(2026, 4, 22), None),
    "visit-day-3": (D(2026, 4, 23), None),
    "debrief": (D(2026, 4, 23), None),
    # 24, 27, 28, 29, 30 Apr, 1 May, (4 May bank holiday), 5, 6, 7, 8 May: the 10th
    "draft-report": (D(2026, 5, 8), None),
    # ... 11-15, 18-22 May (20), (25 May bank holiday), 26-29 May (24), Mon 1 June (25)
    "publication-deadline": (D(2026, 6, 1), None),
    "follow-up-inspection": (D(2027, 4, 23), None),
}

# HMP Glanmorfa: 'start: 2026-06-16', so Tue 16 - Thu 18 June 2026; inspection ended 12 Sep 2025.
GLANMORFA = {
    "previous-inspection": (D(2025, 9, 1), D(2025, 9, 12)),
    "letter-window": (D(2026, 3, 16), D(2026, 4, 16)),
    "letter-send-by": (D(2026, 4, 16), None),  # a Thursday: a working day already
    "liaison-officer": (D(2026, 4, 30), None),  # 17, 20-24, 27-30 April: the 10th is 30 April
    "irp-window": (D(2026, 5, 12), D(2026, 9, 12)),
    "coordinator-contact": (D(2026, 5, 18), None),  # 15 working days before 9 June (no 25 May)
    "staff-associations": (D(2026, 5, 18), None),
    "returns-due": (D(2026, 6, 9), None),  # 15, 12, 11, 10, 9 June
    "attendance-list": (D(2026, 6, 9), None),
    "imb-meeting": (D(2026, 6, 9), None),
    "visit-day-1": (D(2026, 6, 16), None),
    "visit-day-2": (D(2026, 6, 17), None),
    "visit-day-3": (D(2026, 6, 18), None),
    "debrief": (D(2026, 6, 18), None),
    "draft-report": (D(2026, 7, 2), None),  # 19, 22-26, 29, 30 June, 1, 2 July
    "publication-deadline": (D(2026, 7, 23), None),  # ... 3, 6-10, 13-17, 20-23 July
    "follow-up-inspection": (D(2027, 6, 18), None),
}

# HMYOI Thornbeck: split visit Tue 3 March, then Tue 10 - Thu 12 March 2026.
THORNBECK = {
    "previous-inspection": (D(2025, 4, 7), D(2025, 4, 17)),
    "letter-window": (D(2025, 12, 3), D(2026, 1, 3)),
    "irp-window": (D(2025, 12, 17), D(2026, 4, 17)),
    "letter-send-by": (D(2026, 1, 2), None),  # Sat 3 Jan back to Fri 2 Jan (1 Jan is a holiday)
    "liaison-officer": (D(2026, 1, 16), None),  # 5-9, 12-16 January
    "coordinator-contact": (D(2026, 2, 3), None),  # 15 working days before Tue 24 Feb
    "staff-associations": (D(2026, 2, 3), None),
    "returns-due": (D(2026, 2, 24), None),  # 2 Mar, 27, 26, 25, 24 Feb
    "attendance-list": (D(2026, 2, 24), None),
    "imb-meeting": (D(2026, 2, 24), None),
    "visit-day-1": (D(2026, 3, 3), None),
    "visit-day-2": (D(2026, 3, 10), None),
    "visit-day-3": (D(2026, 3, 11), None),
    "visit-day-4": (D(2026, 3, 12), None),
    "debrief": (D(2026, 3, 12), None),
    "draft-report": (D(2026, 3, 26), None),  # 13, 16-20, 23-26 March
    # 13, 16-20, 23-27, 30, 31 Mar, 1, 2 Apr (15), Easter 3 and 6 Apr, 7-10, 13-17, 20 April
    "publication-deadline": (D(2026, 4, 20), None),
    "follow-up-inspection": (D(2027, 3, 12), None),
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [("hmp-ashcombe", ASHCOMBE), ("hmp-glanmorfa", GLANMORFA), ("hmyoi-thornbeck", THORNBECK)],
)
def test_every_milestone_of_each_example(
    name: str, expected: dict[str, tuple[date, date | None]]
) -> None:
    tl = timeline_of(name)
    assert dates(tl) == expected
    assert [m.date for m in tl.milestones] == sorted(m.date for m in tl.milestones)


def test_milestones_are_in_date_order_with_a_fixed_order_on_the_same_day() -> None:
    ids = [m.id for m in timeline_of().milestones]
    assert ids == list(ASHCOMBE)  # ASHCOMBE is written in the expected order


def test_done_dates_come_from_the_status() -> None:
    ash = timeline_of("hmp-ashcombe")
    assert ash.get("letter-send-by").done == D(2026, 2, 10)
    assert ash.get("liaison-officer").done is None
    tbk = timeline_of("hmyoi-thornbeck")
    assert tbk.get("letter-send-by").done == D(2025, 12, 16)
    assert tbk.get("liaison-officer").done == D(2026, 1, 6)
    # Two of the seven documents have arrived: not done, and the note says which.
    returns = tbk.get("returns-due")
    assert returns.done is None
    assert (
        "received so far: proforma (Wednesday 18 February 2026), "
        "action-plan (Friday 20 February 2026)" in (returns.note)
    )
    assert "still to come: presentation, data-request" in returns.note


def test_every_status_date_marks_its_milestone_done() -> None:
    data = example_data()
    data["visit"]["status"] = {
        "letter_sent": "2026-02-02",
        "liaison_officer_appointed": "2026-02-16",
        "prison_contacted": "2026-03-02",
        "staff_associations_offered": "2026-03-03",
        "returns_received": "2026-04-13",
        "attendance_list_sent": "2026-04-07",
        "imb_meeting_arranged": "2026-04-08",
        "draft_report_sent": "2026-05-07",
        "report_published": "2026-05-28",
    }
    tl = timeline_of(data=data)
    done = {m.id: m.done for m in tl.deadlines}
    assert done == {
        "letter-send-by": D(2026, 2, 2),
        "liaison-officer": D(2026, 2, 16),
        "coordinator-contact": D(2026, 3, 2),
        "staff-associations": D(2026, 3, 3),
        "returns-due": D(2026, 4, 13),
        "attendance-list": D(2026, 4, 7),
        "imb-meeting": D(2026, 4, 8),
        "draft-report": D(2026, 5, 7),
        "publication-deadline": D(2026, 5, 28),
    }
    assert all(m.done is None for m in tl.milestones if m.kind != "deadline")


def test_returns_are_done_when_every_item_has_arrived() -> None:
    data = example_data("hmyoi-thornbeck")
    data["visit"]["status"]["returns"] = {
        "proforma": "2026-02-18",
        "action-plan": "2026-02-20",
        "presentation": "2026-02-23",
        "data-request": "2026-02-19",
        "evidence": "2026-02-24",
        "population-report": "2026-02-17",
        "osag-reports": "2026-02-16",
    }
    assert timeline_of(data=data).get("returns-due").done == D(2026, 2, 24)  # the last to arrive


def test_get_names_the_known_ids() -> None:
    tl = timeline_of()
    assert tl.get("returns-due").paragraph == "2.9, 2.10"
    with pytest.raises(KeyError, match=r"no milestone 'nope'.*returns-due"):
        tl.get("nope")


def test_kinds_and_paragraphs() -> None:
    tl = timeline_of()
    kinds = {m.id: m.kind for m in tl.milestones}
    assert [i for i, k in kinds.items() if k == "window"] == ["letter-window", "irp-window"]
    assert [m.id for m in tl.deadlines] == [
        "letter-send-by",
        "liaison-officer",
        "coordinator-contact",
        "staff-associations",
        "returns-due",
        "attendance-list",
        "imb-meeting",
        "draft-report",
        "publication-deadline",
    ]
    paragraphs = {m.id: m.paragraph for m in tl.milestones}
    assert paragraphs["letter-send-by"] == "2.6"
    assert paragraphs["draft-report"] == paragraphs["publication-deadline"] == "5.1"
    assert paragraphs["debrief"] == "4.4"
    assert all(m.title and m.note for m in tl.milestones)
    assert tl.visit_days == (D(2026, 4, 21), D(2026, 4, 22), D(2026, 4, 23))


def test_irp_window_is_eight_to_12_months_after_the_inspection() -> None:
    assert irp_window(D(2025, 6, 19)) == (D(2026, 2, 19), D(2026, 6, 19))
    # 31 August + 8 months: there is no 30 April 31st, so the end of April.
    assert irp_window(D(2025, 8, 31)) == (D(2026, 4, 30), D(2026, 8, 31))


# --------------------------------------------------------------------------- settings


def test_settings_move_the_dates_they_name() -> None:
    config = Config(
        timeline=TimelineSettings(
            draft_report_working_days=5,
            letter_earliest_months=4,
            letter_latest_months=3,
            liaison_officer_working_days=0,
            contact_working_days=5,
            follow_up_months=18,
        )
    )
    got = dates(timeline_of(config=config))
    assert got["draft-report"] == (D(2026, 4, 30), None)  # 24, 27, 28, 29, 30 April
    assert got["letter-window"] == (D(2025, 12, 22), D(2026, 1, 21))  # Sun 21 Dec: Mon 22
    assert got["letter-send-by"] == (D(2026, 1, 21), None)  # a Wednesday
    assert got["liaison-officer"] == (D(2026, 1, 21), None)  # add(S, 0) on a working day is S
    assert got["coordinator-contact"] == (D(2026, 4, 7), None)  # 13, 10, 9, 8, 7 April
    assert got["follow-up-inspection"] == (D(2027, 10, 23), None)
    # unchanged: they come from the guide itself
    assert got["returns-due"] == ASHCOMBE["returns-due"]
    assert got["publication-deadline"] == ASHCOMBE["publication-deadline"]


def test_closure_days_are_not_working_days() -> None:
    # Closing Monday 20 April moves the documents' day one working day earlier.
    tl = timeline_of(closures=(D(2026, 4, 20),))
    assert tl.get("returns-due").date == D(2026, 4, 13)


def test_notes_say_how_each_date_was_worked_out() -> None:
    tl = timeline_of()
    assert tl.get("letter-send-by").note.startswith(
        "the last day of the letter window (Saturday 21 February 2026), moved back to a working day"
    )
    assert tl.get("draft-report").note.startswith(
        "10 working days after the last visit day (Thursday 23 April 2026)"
    )
    assert "five working days before the first visit day" in tl.get("returns-due").note
    assert "no interval" in tl.get("follow-up-inspection").note


# --------------------------------------------------------------------------- the visit days


def _titles(m: Milestone) -> list[str]:
    return [e.title for e in m.events]


def test_three_day_visit_follows_the_guides_schedule() -> None:
    tl = timeline_of()
    day1, day2, day3 = (tl.get(f"visit-day-{n}") for n in (1, 2, 3))
    presentation = [e for e in day1.events if e.start is not None]
    assert [(e.start, e.end) for e in presentation] == [(time(12, 30), time(13, 15))]
    assert presentation[0].title.startswith("Presentation by the governor")
    meeting = [e for e in day2.events if e.start is not None]
    assert [(e.title, e.start, e.end) for e in meeting] == [
        ("Inspection team meeting", time(12, 30), time(14, 0))
    ]
    assert any("feeds back to the governor" in t for t in _titles(day2))
    # Ashcombe: the Chief Inspector on day 3, and Ofsted takes part (CQC has no item).
    assert _titles(day3)[0] == "The Chief Inspector attends"
    assert any(t.startswith("Morning: Ofsted inspectors confirm") for t in _titles(day3))
    assert _titles(day3)[-1].endswith("feedback to the governor")
    assert all(e.start is None for e in day3.events)
    assert tl.get("debrief").date == day3.date


def test_split_visit_maps_day_2_to_every_middle_day() -> None:
    tl = timeline_of("hmyoi-thornbeck")
    days = [tl.get(f"visit-day-{n}") for n in (1, 2, 3, 4)]
    assert days[0].title == "Visit day 1 of 4"
    assert "Presentation" in _titles(days[0])[1]
    for middle in days[1:3]:
        assert "Inspection team meeting" in _titles(middle)
        assert not any("Presentation" in t for t in _titles(middle))
    # the interim feedback is on the day before the last only
    assert not any("feeds back" in t for t in _titles(days[1]))
    assert any("feeds back" in t for t in _titles(days[2]))
    assert _titles(days[3])[0] == "The Deputy Chief Inspector attends"
    assert "resumes after a break" in days[1].note
    assert "resumes after a break" not in days[2].note


def test_estyn_confirms_findings_on_the_last_morning() -> None:
    last = timeline_of("hmp-glanmorfa").get("visit-day-3")
    assert any(t.startswith("Morning: Estyn inspectors confirm") for t in _titles(last))
    assert not any("Ofsted" in t or "attends" in t for t in _titles(last))


def test_a_partner_visiting_separately_confirms_nothing() -> None:
    data = example_data()
    data["partners"]["ofsted"]["separate_visit"] = True
    data["partner_themes"] = []
    last = timeline_of(data=data).get("visit-day-3")
    assert not any("Ofsted" in t for t in _titles(last))


@pytest.mark.parametrize("total", [1, 2])
def test_short_visits_still_have_a_first_and_a_last_day(total: int) -> None:
    visit = visit_of(example_data())
    first = day_schedule(1, total, visit)
    last = day_schedule(total, total, visit)
    assert any("Presentation" in e.title for e in first)
    assert any("deliberation meeting" in e.title for e in last)
    assert not any("team meeting" in e.title for e in (*first, *last))


def test_a_date_beyond_the_holiday_years_is_out_of_range() -> None:
    data = example_data()
    data["previous_inspection"].update(
        first_day="2045-02-06", last_day="2045-02-16", report_published="2045-05-02"
    )
    data["visit"]["days"] = ["2045-12-18", "2045-12-19", "2045-12-20"]
    with pytest.raises(OutOfRange, match="2000 to 2045"):
        timeline_of(data=data)


# --------------------------------------------------------------------------- suggestions


def _previous(last_day: date) -> PreviousInspection:
    return PreviousInspection(first_day=last_day, last_day=last_day)


def test_suggestions_for_ashcombe_as_of_new_year() -> None:
    found = suggest_starts(_previous(D(2025, 6, 19)), Config(), calendar(), today=D(2026, 1, 1))
    starts = [s.start for s in found]
    # The window is 19 Feb - 19 Jun 2026. A start before 2 March would need its letter by a
    # day before 1 January (2 Jan is the first working day of 2026: start 2 March).
    assert starts[0] == D(2026, 3, 2)
    assert found[0].letter_send_by == D(2026, 1, 2)
    assert found[0].returns_due == D(2026, 2, 23)
    assert found[0].days == (D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4))
    assert starts[-1] == D(2026, 6, 17)  # Wed 17 - Fri 19 June, the window's last day
    # Mondays to Wednesdays of 16 weeks (48), less Wed 1 Apr (Good Friday on the 3rd) and the
    # bank holiday Mondays 6 Apr, 4 May and 25 May.
    assert len(found) == 44
    assert {d.weekday() for d in starts} == {0, 1, 2}
    for missing in (D(2026, 4, 1), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25)):
        assert missing not in starts
    assert D(2026, 4, 7) in starts and D(2026, 5, 26) in starts


def test_suggestions_without_today_start_at_the_window() -> None:
    found = suggest_starts(_previous(D(2025, 6, 19)), Config(), calendar())
    assert found[0].start == D(2026, 2, 23)  # Thu 19 Feb would run into the weekend


def test_no_suggestions_once_the_letter_is_too_late_for_every_date() -> None:
    previous = _previous(D(2025, 6, 19))
    # On Fri 17 April the letter for a visit from Wed 17 June can still go, that day.
    [last] = suggest_starts(previous, Config(), calendar(), today=D(2026, 4, 17))
    assert (last.start, last.letter_send_by) == (D(2026, 6, 17), D(2026, 4, 17))
    assert suggest_starts(previous, Config(), calendar(), today=D(2026, 4, 18)) == []


def test_short_date() -> None:
    assert short_date(D(2026, 4, 21)) == "Tue 21 Apr 2026"
    assert short_date(D(2026, 12, 6)) == "Sun 6 Dec 2026"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 6, 19), 8, D(2026, 2, 19)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # a leap year
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 1, 15), -13, D(2024, 12, 15)),
        (D(2026, 12, 31), 12, D(2027, 12, 31)),
        (D(2026, 5, 5), 0, D(2026, 5, 5)),
    ],
)
def test_add_months_keeps_the_day_or_the_month_end(day: D, months: int, expected: D) -> None:
    from dateutil.relativedelta import relativedelta

    from irp_cli.dates import add_months

    assert add_months(day, months) == expected == day + relativedelta(months=months)
