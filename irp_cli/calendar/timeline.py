"""Every dated milestone of a visit, each with the guide paragraph it comes from. Pure: no
printing, no clock, and no rules: :mod:`irp_cli.review.checks` applies those to a timeline.

:func:`build_timeline` turns a `Visit` into a :class:`Timeline`: the
previous inspection, the 8-12-month window (2.1), the letter (2.6), the liaison officer (2.7),
the inspectorate's preparation (2.7-2.9), the prison's documents (2.10), each visit day with
its indicative schedule (3.1), the debrief (4.4), the draft and final report (5.1) and the full
inspection that follows (Section 5). :func:`suggest_starts` proposes visit dates inside the
window.

Where the guide gives no date, the reading chosen here is stated in each milestone's ``note``
and in docs/guide-readings.md:

``letter-send-by``
    The letter window runs from ``letter_earliest_months`` (3) to ``letter_latest_months`` (2)
    months before the first visit day. Send-by is its latest day, moved back to a working day.
``liaison-officer``
    ``liaison_officer_working_days`` (10) working days after send-by: the liaison officer
    gathers the documents (Appendix I), so is needed well before they are due.
``coordinator-contact`` and ``staff-associations``
    ``contact_working_days`` (15) working days before the documents are due: the coordinating
    inspector explains the IRP, agrees logistics, asks for the documents (2.7, 2.9) and offers
    staff associations a meeting with the team leader (2.8).
``attendance-list`` and ``imb-meeting``
    By the day the documents are due (2.8).
``returns-due``
    ``sub(first visit day, 5)`` (2.10).
``draft-report``
    ``add(last visit day, draft_report_working_days)`` (10: "approximately two weeks", 5.1).
``publication-deadline``
    ``add(last visit day, 25)`` (5.1).
``follow-up-inspection``
    Indicative: ``follow_up_months`` (12) months after the last visit day, shown as "not
    before" (Section 5 gives no interval).

The schedule of 3.1 has a Day 1, a Day 2 and a Day 3. With more days (a split visit such as one
day and then three more), day 1 follows Day 1, the last day follows Day 3 and every day between
follows Day 2; the team leader's interim feedback to the governor is on the day before the last.
With two days, day 1 follows Day 1 and day 2 follows Day 3; with one day, it has both.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator
from datetime import date, time
from typing import Any, Final, Literal, NamedTuple, Protocol

from irp_cli.dates import add_months, day_date, recorded_by
from irp_cli.text import number_words, plural
from irp_cli.visitfile.config import Config
from irp_cli.visitfile.models import (
    PartnerName,
    PreviousInspection,
    ReturnItem,
    SeniorInspector,
    Visit,
)

Kind = Literal["event", "deadline", "window"]

RETURNS_DAYS = 5  # guide 2.10: "no later than five working days before the start"
PUBLICATION_DAYS = 25  # guide 5.1: "within 25 working days of the end of the IRP visit"


class WorkingDays(Protocol):
    """The part of :class:`irp_cli.calendar.workdays.Calendar` a timeline uses."""

    def is_working_day(self, day: date) -> bool: ...
    def why_not_working(self, day: date) -> str | None: ...
    def add(self, start: date, n: int) -> date: ...
    def sub(self, start: date, n: int) -> date: ...
    def between(self, start: date, end: date) -> int: ...


class Event(NamedTuple):
    """An item of a visit day's schedule (guide 3.1), timed or not.

    ``key`` names the session, stable across runs: the visit file's ``visit.schedule.sessions``
    refer to it, and calendar files build their UIDs from it. ``room`` and ``attendees`` (names)
    are set by the team's schedule (:mod:`irp_cli.onsite.schedule`), not by the timeline.
    """

    title: str
    start: time | None = None
    end: time | None = None
    paragraph: str = "3.1"
    key: str = ""
    room: str | None = None
    attendees: tuple[str, ...] = ()


class Milestone(NamedTuple):
    """One dated item of a visit's life.

    ``kind`` is ``event`` (something that happens), ``deadline`` (something that must be done
    by ``date``; ``irp deadlines`` lists these) or ``window`` (a period from ``date`` to
    ``end``). An event may also span days (the previous inspection): ``end`` is then its last
    day. ``done`` is the date the visit file's ``visit.status`` records it as done.
    """

    id: str
    date: dt.date
    title: str
    paragraph: str
    kind: Kind = "event"
    end: dt.date | None = None
    done: dt.date | None = None
    events: tuple[Event, ...] = ()
    note: str = ""

    @property
    def last(self) -> dt.date:
        """The last day it covers: ``end`` for a span, else ``date``."""
        return self.end or self.date

    def done_by(self, today: dt.date) -> dt.date | None:
        """The date it was done, if that is on or before ``today``
        (:func:`~irp_cli.dates.recorded_by`): for every command that shows a visit against
        today."""
        return recorded_by(self.done, today)

    def late_by(self, cal: WorkingDays) -> int:
        """How many working days after its date a deadline was done: 0 when done on time (a
        non-working day after the deadline is not late) or not done."""
        if self.done is None or self.kind != "deadline":
            return 0
        return max(0, cal.between(self.date, self.done))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data: ISO dates, HH:MM times."""

        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "kind": self.kind,
            "title": self.title,
            "paragraph": self.paragraph,
            "done": self.done.isoformat() if self.done else None,
            "note": self.note,
            "events": [
                {
                    "title": e.title,
                    "start": e.start.strftime("%H:%M") if e.start else None,
                    "end": e.end.strftime("%H:%M") if e.end else None,
                    "paragraph": e.paragraph,
                    "key": e.key,
                }
                for e in self.events
            ],
        }


class Timeline:
    """A visit's milestones in date order, and its visit days; :meth:`get` finds one by id.

    Not changed once built (mypy holds its attributes final). A plain class with slots, not a
    frozen dataclass: one is built for every file of a folder, and a frozen dataclass sets each
    field through ``object.__setattr__`` (and compiles its methods when the module loads)."""

    __slots__ = ("_by_id", "milestones", "visit_days")

    def __init__(
        self, milestones: tuple[Milestone, ...], visit_days: tuple[date, ...] = ()
    ) -> None:
        self.milestones: Final = milestones  # in date order
        self.visit_days: Final = visit_days
        self._by_id: Final = {m.id: m for m in milestones}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Timeline):
            return NotImplemented
        return (self.milestones, self.visit_days) == (other.milestones, other.visit_days)

    def __hash__(self) -> int:
        return hash((self.milestones, self.visit_days))

    def __repr__(self) -> str:
        return f"Timeline(milestones={self.milestones!r}, visit_days={self.visit_days!r})"

    def get(self, milestone_id: str) -> Milestone:
        """The milestone with this id; KeyError naming the ids there are if there is none."""
        try:
            return self._by_id[milestone_id]
        except KeyError:
            known = ", ".join(self._by_id)
            raise KeyError(f"no milestone '{milestone_id}' (there are: {known})") from None

    @property
    def deadlines(self) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if m.kind == "deadline")

    def as_of(self, today: dt.date) -> Timeline:
        """This timeline on ``today``: what ``visit.status`` records as done after today is
        not done yet (:meth:`Milestone.done_by`)."""
        milestones = tuple(m._replace(done=m.done_by(today)) for m in self.milestones)
        return Timeline(milestones, self.visit_days)


# --------------------------------------------------------------------------------------------
# Small helpers


def irp_window(last_day: date) -> tuple[date, date]:
    """Guide 2.1, from the last day of the previous inspection: the first visit day on or after
    the earlier date, the last on or before the later."""
    return add_months(last_day, 8), add_months(last_day, 12)


def letter_dates(first_day: date, config: Config, cal: WorkingDays) -> tuple[date, date, date]:
    """The letter window (earliest, latest) and its send-by day (guide 2.6)."""
    settings = config.timeline
    earliest = add_months(first_day, -settings.letter_earliest_months)
    latest = add_months(first_day, -settings.letter_latest_months)
    earliest, latest = min(earliest, latest), max(earliest, latest)
    # Both ends of the window are working days: the first moved on, the last moved back.
    return cal.add(earliest, 0), latest, cal.sub(latest, 0)


def _working_days(n: int) -> str:
    """``five working days``, ``15 working days`` (GOV.UK style, as in the documents)."""
    return plural(n, "working day", words=True)


def _months(a: int, b: int) -> str:
    low, high = min(a, b), max(a, b)
    if low == high:
        return plural(low, "month", words=True)
    return f"{number_words(low)} to {number_words(high)} months"  # GOV.UK: "two to three"


# --------------------------------------------------------------------------------------------
# The visit days (guide 3.1)

_DAY1 = (
    Event("Morning: inspectors arrive", key="arrival"),
    Event(
        "Presentation by the governor and senior management team (30–45 minutes)",
        time(12, 30),
        time(13, 15),
        key="presentation",
    ),
    Event("Afternoon: inspectors begin collecting evidence", key="evidence"),
    Event(
        "Afternoon: the team leader may hold prisoner groups and meet senior leaders, the IMB "
        "chair and staff associations",
        key="leader-meetings",
    ),
)
_DAY2 = (
    Event("Morning: inspectors continue collecting evidence", key="evidence"),
    Event("Inspection team meeting", time(12, 30), time(14, 0), key="team-meeting"),
    Event(
        "Afternoon: inspectors continue gathering evidence and write short judgements on each "
        "concern followed up",
        key="written-judgements",
    ),
)
_DAY2_FEEDBACK = Event(
    "At a prearranged time: the team leader feeds back to the governor", key="governor-feedback"
)
_LAST_MORNING = (
    Event(
        "Morning: inspectors collect final evidence and give feedback to named managers",
        key="manager-feedback",
    ),
)
_LAST_REST = (
    Event(
        "Morning: the team leader collates the key judgements and drafts the debrief document",
        key="draft-debrief",
    ),
    Event(
        "Afternoon: deliberation meeting to finalise the judgements and the debrief document",
        key="deliberation",
    ),
    Event(
        "Mid- to late afternoon, after the deliberation meeting: feedback to the governor",
        paragraph="3.1, 4.4",
        key="final-feedback",
    ),
)
_PARTNER_NAMES = {PartnerName.OFSTED: "Ofsted", PartnerName.ESTYN: "Estyn"}


def day_schedule(number: int, total: int, visit: Visit) -> tuple[Event, ...]:
    """The schedule (3.1) of visit day ``number`` (1-based) of ``total``: the guide's
    indicative one, with the titles and times changed (or sessions cancelled) in the visit
    file's ``visit.schedule.sessions``."""
    events = guide_day(number, total, visit)
    if not visit.visit.schedule.sessions:  # most visits change nothing: the guide's day
        return events
    return tuple(changed(events, visit, number))


def guide_day(number: int, total: int, visit: Visit) -> tuple[Event, ...]:
    """The guide's indicative schedule (3.1) of visit day ``number`` (1-based) of ``total``."""
    chief = visit.chief_inspector
    senior = chief.who if chief is not None and number in chief.days else None
    one = visit.wording.removesuffix("s")  # in the visit's own word: concern, key recommendation
    return _guide_day(number, total, senior, one, tuple(visit.partners.joining()))


@functools.lru_cache(maxsize=256)
def _guide_day(
    number: int,
    total: int,
    senior: SeniorInspector | None,
    one: str,
    partners: tuple[PartnerName, ...],
) -> tuple[Event, ...]:
    """:func:`guide_day` from what it depends on (who of the Chief and Deputy Chief Inspector
    attends that day, the visit's word for a concern, the partners taking part): made once for
    each, as a folder of visits has few of them."""
    events: list[Event] = []
    if senior is not None:
        who = (
            "The Chief Inspector"
            if senior is SeniorInspector.CHIEF_INSPECTOR
            else "The Deputy Chief Inspector"
        )
        events.append(Event(f"{who} attends", paragraph="2.1, 3.1", key="chief-inspector"))
    if number == 1:
        events.extend(_DAY1)
    if 1 < number < total:
        events.extend(_day2(one))
        if number == total - 1:
            events.append(_DAY2_FEEDBACK)
    if number == total:
        events.extend(_LAST_MORNING)
        for partner in partners:
            name = _PARTNER_NAMES.get(partner)
            if name is not None:
                events.append(
                    Event(
                        f"Morning: {name} inspectors confirm their final findings and "
                        "progress judgements to the governor, head of reducing reoffending and "
                        "learning and skills manager",
                        key=f"{partner.value}-findings",
                    )
                )
        events.extend(_LAST_REST)
    return tuple(events)


#: The parts of the day that begin the guide's untimed events (3.1).
_PARTS = re.compile(
    r"^(Morning|Afternoon|Mid- to late afternoon, after the deliberation meeting|"
    r"At a prearranged time): (?=.)"
)


@functools.cache
def _day2(one: str) -> tuple[Event, ...]:
    """The guide's middle day (3.1), with ``one`` ("concern", "key recommendation") in the
    titles: made once for each wording (a folder of visits has two at most)."""
    return tuple(
        e._replace(title=e.title.replace("concern followed up", f"{one} followed up"))
        for e in _DAY2
    )


@functools.lru_cache(maxsize=512)  # the guide's titles, and a visit file's own: a few dozen
def split_part(title: str) -> tuple[str, str]:
    """``Morning: inspectors arrive`` -> (``Morning``, ``Inspectors arrive``); a title that
    names no part of the day -> (``""``, the title)."""
    match = _PARTS.match(title)
    if match is None:
        return "", title
    rest = title[match.end() :]
    return match[1], rest[0].upper() + rest[1:]


def changed(events: Iterable[Event], visit: Visit, number: int) -> Iterator[Event]:
    """``events`` of visit day ``number`` with the visit file's changes to their title and
    times; cancelled ones left out. Changes naming no session of the day are ignored here
    (``irp schedule`` reports them)."""
    changes = [
        s
        for s in visit.visit.schedule.sessions
        if s.session is not None and s.day in (None, number)
    ]
    if not changes:  # most visits change nothing: the guide's day as it is
        yield from events
        return
    for event in events:
        mine = [c for c in changes if c.session == event.key]
        if any(c.cancelled for c in mine):
            continue
        for c in mine:
            title = c.title or event.title
            if c.start is not None:  # a set time replaces "Morning:", "At a prearranged time:"
                title = split_part(title)[1]
            event = event._replace(
                title=title,
                start=c.start or event.start,
                end=c.end if c.start or c.end else event.end,
            )
        yield event


def _visit_days(visit: Visit, days: list[date]) -> Iterator[Milestone]:
    total = len(days)
    for number, day in enumerate(days, 1):
        if total == 1:
            role = "the whole visit"
        elif number == 1:
            role = "Day 1 of the guide's schedule"
        elif number == total:
            role = "the last day (Day 3 of the guide's schedule)"
        else:
            role = "Day 2 of the guide's schedule"
        gap = number > 1 and (day - days[number - 2]).days > 4
        yield Milestone(
            id=f"visit-day-{number}",
            date=day,
            title=f"Visit day {number} of {total}",
            paragraph="3.1",
            events=day_schedule(number, total, visit),
            note=f"{role}{'; the visit resumes after a break' if gap else ''}; the schedule is "
            "indicative only",
        )


# --------------------------------------------------------------------------------------------
# Done dates from visit.status


def returns_done(visit: Visit) -> tuple[date | None, list[ReturnItem]]:
    """When all the prison's documents had arrived (or None), and those still to come."""
    status = visit.visit.status
    missing = [item for item in ReturnItem if item not in status.returns]
    if status.returns_received is not None:
        return status.returns_received, []
    if not missing:
        return max(status.returns.values()), []
    return None, missing


def _returns_note(visit: Visit) -> str:
    status = visit.visit.status
    note = f"{_working_days(RETURNS_DAYS)} before the first visit day (2.10)"
    if status.returns_received is None and status.returns:
        received = ", ".join(
            f"{item.value} ({day_date(day)})"
            for item, day in sorted(status.returns.items(), key=lambda kv: (kv[1], kv[0].value))
        )
        _done, missing = returns_done(visit)
        note += f"; received so far: {received}"
        if missing:
            note += f"; still to come: {', '.join(item.value for item in missing)}"
    return note


# --------------------------------------------------------------------------------------------
# The timeline


def build_timeline(visit: Visit, config: Config, cal: WorkingDays) -> Timeline:
    """Every milestone of ``visit``, in date order: dates only. The rules about them (a visit
    outside its window, a letter window passed, ...) are applied by :mod:`irp_cli.review.checks`,
    given this timeline. Raises `workdays.OutOfRange` when a date falls outside the years the
    calendar knows.
    """
    settings = config.timeline
    status = visit.visit.status
    prev = visit.previous_inspection
    days = visit.visit.day_list(cal.add)
    first, last = days[0], days[-1]
    first_s, last_s = day_date(first), day_date(last)

    earliest, latest = irp_window(prev.last_day)
    letter_from, letter_to, send_by = letter_dates(first, config, cal)
    returns_due = cal.sub(first, RETURNS_DAYS)
    liaison_by = cal.add(send_by, settings.liaison_officer_working_days)
    contact_by = cal.sub(returns_due, settings.contact_working_days)
    draft = cal.add(last, settings.draft_report_working_days)
    publication = cal.add(last, PUBLICATION_DAYS)
    follow_up = add_months(last, settings.follow_up_months)
    returns_at, _missing = returns_done(visit)
    early, late = settings.letter_earliest_months, settings.letter_latest_months

    milestones: list[Milestone] = [
        Milestone(
            "previous-inspection",
            prev.first_day,
            "Previous full inspection",
            "2.1",
            end=prev.last_day,
            note="as recorded in the visit file (previous_inspection); the IRP follows up its "
            "concerns",
        ),
        Milestone(
            "irp-window",
            earliest,
            "Window for the IRP: eight to 12 months after the full inspection",
            "2.1",
            kind="window",
            end=latest,
            note=f"8 and 12 months after the last day of the previous inspection "
            f"({day_date(prev.last_day)})",
        ),
        Milestone(
            "letter-window",
            letter_from,
            f"Window for the announcement letter: {_months(early, late)} before the visit",
            "2.6",
            kind="window",
            end=letter_to,
            note=f"{_months(early, late)} before the first visit day ({first_s})",
        ),
        Milestone(
            "letter-send-by",
            send_by,
            "Latest day to send the announcement letter to the governor",
            "2.6",
            kind="deadline",
            done=status.letter_sent,
            note=f"the last day of the letter window ({day_date(letter_to)})"
            + ("" if send_by == letter_to else ", moved back to a working day")
            + "; the Chief Inspector's letter confirms the dates and the concerns (and any "
            "Ofsted or Estyn themes) followed up, and is copied to the IMB chair with an "
            "invitation to meet the team",
        ),
        Milestone(
            "liaison-officer",
            liaison_by,
            "The governor appoints a liaison officer",
            "2.7",
            kind="deadline",
            done=status.liaison_officer_appointed,
            note=f"{_working_days(settings.liaison_officer_working_days)} after the "
            "latest day for the letter (the guide gives no date; the liaison officer gathers "
            "the documents, Appendix I)",
        ),
        Milestone(
            "coordinator-contact",
            contact_by,
            "Coordinating inspector contacts the prison and asks for its documents",
            "2.7, 2.9",
            kind="deadline",
            done=status.prison_contacted,
            note=f"{_working_days(settings.contact_working_days)} before the documents "
            "are due (the guide says 'in advance'); the coordinating inspector explains the IRP, "
            "agrees logistics and asks for the pro forma, action plan, presentation, data "
            "request, evidence, population report and OSAG reports",
        ),
        Milestone(
            "staff-associations",
            contact_by,
            "Offer staff associations a meeting with the team leader",
            "2.8",
            kind="deadline",
            done=status.staff_associations_offered,
            note="with the coordinating inspector's contact, so that representatives can be "
            "free on the first afternoon (3.1)",
        ),
        Milestone(
            "returns-due",
            returns_due,
            "The prison's documents due at HMI Prisons",
            "2.9, 2.10",
            kind="deadline",
            done=returns_at,
            note=_returns_note(visit),
        ),
        Milestone(
            "attendance-list",
            returns_due,
            "Send the attendance list and who needs keys",
            "2.8",
            kind="deadline",
            done=status.attendance_list_sent,
            note="by the day the prison's documents are due (the guide says 'in advance')",
        ),
        Milestone(
            "imb-meeting",
            returns_due,
            "Arrange to meet IMB representatives",
            "2.6, 2.8",
            kind="deadline",
            done=status.imb_meeting_arranged,
            note="by the day the prison's documents are due (the guide says 'in advance')",
        ),
        *_visit_days(visit, days),
        Milestone(
            "debrief",
            last,
            "Formal debrief: the team leader meets the governor",
            "4.4",
            note="at the end of the last visit day; the debrief document is shared with the "
            "governor and HMPPS",
        ),
        Milestone(
            "draft-report",
            draft,
            "Target: draft report to the governor for factual accuracy checking",
            "5.1",
            kind="deadline",
            done=status.draft_report_sent,
            note=f"{_working_days(settings.draft_report_working_days)} after the last "
            f"visit day ({last_s}); the guide says 'approximately two weeks'",
        ),
        Milestone(
            "publication-deadline",
            publication,
            "Report sent to the Secretary of State for Justice and published",
            "5.1",
            kind="deadline",
            done=status.report_published,
            note=f"{PUBLICATION_DAYS} working days after the last visit day ({last_s}): 'within "
            f"{PUBLICATION_DAYS} working days of the end of the IRP visit'",
        ),
        Milestone(
            "follow-up-inspection",
            follow_up,
            "Full unannounced inspection: not before this date (indicative)",
            "5",
            note=f"{settings.follow_up_months} months after the last visit day; the guide gives "
            "no interval, and the IRP's judgements inform the timing",
        ),
    ]
    order = {m.id: n for n, m in enumerate(milestones)}
    milestones.sort(key=lambda m: (m.date, order[m.id]))
    return Timeline(tuple(milestones), tuple(days))


# --------------------------------------------------------------------------------------------
# Suggested dates


class Suggestion(NamedTuple):
    """A possible visit: three working days in a row inside the 8-12-month window."""

    days: tuple[date, ...]
    letter_from: date
    letter_send_by: date
    returns_due: date

    @property
    def start(self) -> date:
        return self.days[0]


def suggest_starts(
    previous: PreviousInspection,
    config: Config,
    cal: WorkingDays,
    today: date | None = None,
    length: int = 3,
) -> list[Suggestion]:
    """Every start day for a visit of ``length`` working days in a row (no weekend or bank
    holiday in between) inside the window of guide 2.1, whose letter can still go out by its
    latest day (2.6) when ``today`` is given. In date order."""
    earliest, latest = irp_window(previous.last_day)
    out: list[Suggestion] = []
    day = max(earliest, previous.last_day + dt.timedelta(days=1))
    while day <= latest:
        span = [day + dt.timedelta(days=n) for n in range(length)]
        if span[-1] <= latest and all(cal.is_working_day(d) for d in span):
            letter_from, _letter_to, send_by = letter_dates(day, config, cal)
            if today is None or send_by >= today:
                out.append(Suggestion(tuple(span), letter_from, send_by, cal.sub(day, 5)))
        day += dt.timedelta(days=1)
    return out
