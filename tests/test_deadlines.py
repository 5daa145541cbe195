"""Where each deadline stands on a given day, for chosen values of today.

HMP Ashcombe's visit is Tue 21 - Thu 23 April 2026: its documents are due Tue 14 April, the
draft report Fri 8 May and publication Mon 1 June (see test_timeline.py for the working).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from helpers import dump, example_data

from irp_cli.calendar.deadlines import Due, any_overdue, deadline_states, sort_dues, within
from irp_cli.calendar.timeline import build_timeline
from irp_cli.calendar.workdays import calendar
from irp_cli.visitfile.config import Config
from irp_cli.visitfile.loader import parse_visit

D = date


def states(
    today: date, data: dict[str, Any] | None = None, name: str = "hmp-ashcombe"
) -> dict[str, Due]:
    visit = parse_visit(dump(data or example_data(name)), "t.yaml").visit
    tl = build_timeline(visit, Config(), calendar())
    dues = deadline_states(tl, today, calendar(), file=name, code=visit.establishment.code)
    return {d.milestone.id: d for d in dues}


@pytest.mark.parametrize(
    ("today", "state", "n", "text"),
    [
        (D(2026, 4, 10), "due", 2, "due in 2 working days"),  # Fri: Mon 13, Tue 14
        (D(2026, 4, 13), "due", 1, "due in 1 working day"),
        (D(2026, 4, 14), "due", 0, "due today"),
        (D(2026, 4, 15), "overdue", 1, "overdue by 1 working day"),
        (D(2026, 4, 18), "overdue", 3, "overdue by 3 working days"),  # Sat: 15, 16, 17
        (D(2026, 4, 20), "overdue", 4, "overdue by 4 working days"),
        # the visit has begun: it can no longer be met, so it is not counted as overdue
        (D(2026, 4, 21), "unrecorded", 5, "not recorded as done; the visit has begun"),
    ],
)
def test_documents_due_before_on_and_after(today: date, state: str, n: int, text: str) -> None:
    due = states(today)["returns-due"]
    assert (due.state, due.working_days, due.describe) == (state, n, text)


def test_deadlines_after_the_visit_stay_overdue() -> None:
    got = states(D(2026, 6, 2))
    assert got["draft-report"].describe == "overdue by 16 working days"
    assert got["publication-deadline"].describe == "overdue by 1 working day"
    weekend = states(D(2026, 5, 9))["draft-report"]  # Saturday after Friday 8 May
    assert (weekend.state, weekend.working_days) == ("overdue", 0)
    assert weekend.describe == "overdue (since the last working day)"


def test_done_says_when_and_whether_late() -> None:
    on_time = states(D(2026, 2, 10))["letter-send-by"]
    assert (on_time.state, on_time.working_days) == ("done", 0)
    assert on_time.describe == "done Tue 10 Feb 2026"
    # A date still to come is not done yet (issue 9.4): the letter is due.
    assert states(D(2026, 2, 9))["letter-send-by"].state == "due"
    data = example_data()
    data["visit"]["status"]["letter_sent"] = "2026-02-24"  # due Fri 20 Feb: Mon 23, Tue 24
    late = states(D(2026, 2, 24), data)["letter-send-by"]
    assert late.describe == "done Tue 24 Feb 2026, 2 working days late"
    assert late.short == "done Tue 24 Feb 2026 (late)"
    # done is done, whatever today is
    assert states(D(2030, 1, 1), data)["letter-send-by"].state == "done"


def test_within_keeps_the_near_and_the_overdue() -> None:
    dues = list(states(D(2026, 3, 20)).values())
    # Fri 20 Mar: liaison officer overdue since 6 Mar; contact and staff associations due
    # today; documents and the rest due Tue 14 April: 15 working days on (23-27 Mar, 30 Mar -
    # 2 Apr, Easter 3 and 6 Apr, 7-10, 13, 14 Apr).
    assert [(d.milestone.id, d.state) for d in within(dues, 0)] == [
        ("liaison-officer", "overdue"),
        ("coordinator-contact", "due"),
        ("staff-associations", "due"),
    ]
    assert len(within(dues, 14)) == 3
    assert [d.working_days for d in within(dues, 15)[3:]] == [15, 15, 15]
    assert any_overdue(dues)
    assert not any_overdue(within(dues, 15)[1:])


def test_nothing_overdue_before_the_first_deadline() -> None:
    dues = list(states(D(2026, 1, 5), name="hmp-glanmorfa").values())
    assert {d.state for d in dues} == {"due"}
    assert not any_overdue(dues)


def test_sorted_by_date_across_visits() -> None:
    mixed = [
        *states(D(2026, 3, 1)).values(),
        *states(D(2026, 3, 1), name="hmyoi-thornbeck").values(),
    ]
    ordered = sort_dues(mixed)
    assert [d.date for d in ordered] == sorted(d.date for d in mixed)
    assert (ordered[0].code, ordered[0].milestone.id) == ("TBK", "letter-send-by")
    # the same day keeps each visit's own order
    same_day = [d.milestone.id for d in ordered if d.date == D(2026, 2, 24)]
    assert same_day == ["returns-due", "attendance-list", "imb-meeting"]


def test_as_dict_for_scripts() -> None:
    item = states(D(2026, 4, 15))["returns-due"].as_dict()
    assert item == {
        "file": "hmp-ashcombe",
        "establishment": "",
        "code": "ASH",
        "id": "returns-due",
        "title": "The prison's documents due at HMI Prisons",
        "paragraph": "2.9, 2.10",
        "date": "2026-04-14",
        "state": "overdue",
        "working_days": 1,
        "done": None,
        "description": "overdue by 1 working day",
    }
