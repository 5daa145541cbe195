"""Where each deadline of a visit stands on a given day. Pure: ``today`` is a parameter.

A deadline is a milestone of kind ``deadline`` (see :mod:`irp_cli.calendar.timeline`). Its state:

``done``
    ``visit.status`` records the date it was done (on time, or N working days late).
``due``
    not done, and ``today`` is on or before its date: due in N working days
    (``between(today, date)``; 0 means due today).
``overdue``
    not done, and its date has passed: overdue by N working days (``between(date, today)``;
    0 when only a weekend or holiday has passed since). This is what makes ``irp deadlines``
    exit 1.
``unrecorded``
    a deadline before the visit, not recorded as done, once the visit has begun: it can no
    longer be met or missed, so it is shown but not counted as overdue (record its date in
    ``visit.status`` to mark it done).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal, NamedTuple

from irp_cli.calendar.timeline import Milestone, Timeline, WorkingDays
from irp_cli.dates import short_date
from irp_cli.text import plural

State = Literal["done", "due", "overdue", "unrecorded"]


def _days(n: int) -> str:
    return plural(n, "working day")


class Due(NamedTuple):
    """One deadline of one visit, and where it stands on ``today`` (a NamedTuple: a folder of
    a thousand visits has ten thousand of them)."""

    milestone: Milestone
    state: State
    working_days: int  # due: until it; overdue: since it; done: late by (0 when on time)
    today: date
    file: str = ""
    establishment: str = ""
    code: str = ""

    @property
    def date(self) -> date:
        return self.milestone.date

    @property
    def describe(self) -> str:
        """``done Tue 10 Feb 2026``, ``due in 3 working days``, ``overdue by 2 working days``."""
        n = self.working_days
        if self.state == "done":
            assert self.milestone.done is not None
            when = f"done {short_date(self.milestone.done)}"
            return f"{when}, {_days(n)} late" if n > 0 else when
        if self.state == "due":
            return "due today" if n == 0 else f"due in {_days(n)}"
        if self.state == "overdue":
            return f"overdue by {_days(n)}" if n > 0 else "overdue (since the last working day)"
        return "not recorded as done; the visit has begun"

    @property
    def short(self) -> str:
        """For a table: ``done Tue 10 Feb 2026``, ``due in 3 working days``, ``not recorded``."""
        if self.state == "done":
            assert self.milestone.done is not None
            late = " (late)" if self.working_days > 0 else ""
            return f"done {short_date(self.milestone.done)}{late}"
        if self.state == "unrecorded":
            return "not recorded"
        return self.describe

    def as_dict(self) -> dict[str, object]:
        m = self.milestone
        return {
            "file": self.file,
            "establishment": self.establishment,
            "code": self.code,
            "id": m.id,
            "title": m.title,
            "paragraph": m.paragraph,
            "date": m.date.isoformat(),
            "state": self.state,
            "working_days": self.working_days,
            "done": m.done.isoformat() if m.done else None,
            "description": self.describe,
        }


def deadline_states(
    timeline: Timeline,
    today: date,
    cal: WorkingDays,
    *,
    file: str = "",
    establishment: str = "",
    code: str = "",
    finished: bool = False,
) -> list[Due]:
    """Every deadline of ``timeline`` with its state on ``today``, in date order. For a
    ``finished`` visit (a past record, or its report published) a deadline not recorded as
    done is ``unrecorded``: it can no longer be met or missed."""
    first_day = timeline.visit_days[0] if timeline.visit_days else None
    out: list[Due] = []
    for m in timeline.deadlines:
        state: State
        if m.done_by(today) is not None:  # a date still to come is not done yet
            state, n = "done", m.late_by(cal)
        elif finished:
            state, n = "unrecorded", 0
        elif today <= m.date:
            state, n = "due", cal.between(today, m.date)
        elif first_day is not None and m.date < first_day <= today:
            state, n = "unrecorded", cal.between(m.date, today)
        else:
            state, n = "overdue", cal.between(m.date, today)
        out.append(Due(m, state, n, today, file, establishment, code))
    return out


def sort_dues(dues: Iterable[Due]) -> list[Due]:
    """By date, then by file, keeping each visit's own order on the same day."""
    return sorted(dues, key=lambda d: (d.date, d.file))


def within(dues: Iterable[Due], n: int) -> list[Due]:
    """Those due within ``n`` working days, and every overdue one."""
    return [d for d in dues if d.state == "overdue" or (d.state == "due" and d.working_days <= n)]


def any_overdue(dues: Iterable[Due]) -> bool:
    return any(d.state == "overdue" for d in dues)
