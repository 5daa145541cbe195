"""The team's timetable for the visit days (``irp schedule``). Pure: no printing, no clock.

It is built from the same events as ``irp plan``: the timeline's visit days
(:func:`irp_cli.calendar.timeline.day_schedule`, guide 3.1), already carrying the titles and
times the visit file changes. Here each event becomes a :class:`Session` with a room and its
attendees, and a few events are spelt out in full:

* the team leader's afternoon meetings on day 1 become prisoner groups, senior leaders, the IMB
  chair and each staff association's meeting (3.1, 2.8);
* the last morning's feedback to named managers becomes one slot per manager named on the pro
  forma (2.9), with their concerns; a concern with no manager yet has a slot of its own;
* the liaison officer's three contacts a day (Appendix I) are added to every day.

Then the visit file's ``visit.schedule.sessions`` apply: a change (``session: <key>``) sets the
title, times, room or attendees of that session on every day it is held (or on ``day``), or
cancels it; a new session (``title`` and ``day``) is added. A change to a spelt-out group
(``leader-meetings``, ``manager-feedback``) applies to each session of the group.

Readings of the guide (also in docs/guide-readings.md): the usual attendees of each session (in
:func:`_usual`), the times of the liaison contacts and of the managers' slots (``[schedule]`` in
``irp.toml``), and a session with a start and no end lasting 30 minutes in a calendar.
"""

from __future__ import annotations

import difflib
import functools
import re
import typing
from collections.abc import Iterable, Sequence
from datetime import date, time
from typing import TYPE_CHECKING, Any

from irp_cli.calendar.timeline import Event, Milestone, Timeline, guide_day, split_part
from irp_cli.dates import add_minutes, format_times, span_dates
from irp_cli.errors import Finding
from irp_cli.text import join_words, ordinal
from irp_cli.visitfile.config import Config
from irp_cli.visitfile.models import Concern, Person, Role, ScheduleSession, Visit, parse_clock

if TYPE_CHECKING:
    from irp_cli.documents.context import Document

Loc = tuple[str | int, ...]

_PART_WORDS = {
    "Morning": "Morning",
    "Afternoon": "Afternoon",
    "Mid- to late afternoon, after the deliberation meeting": "Mid to late afternoon",
    "At a prearranged time": "Time to be agreed",
}
#: Where an untimed session sits among the timed ones (minutes after midnight).
_ANCHORS = {
    "": 0,
    "During the day": 0,
    "Morning": 9 * 60,
    "Afternoon": 14 * 60,
    "Time to be agreed": 15 * 60,
    "Mid to late afternoon": 15 * 60 + 30,
}
#: Shorter titles for the timetable, where the plan's follow the guide's wording at length.
_TITLES = {
    "presentation": "The governor's presentation (30–45 minutes)",
    "written-judgements": "Evidence gathering; short written judgements on each concern",
    "ofsted-findings": "Ofsted confirms its final findings and progress judgements",
    "estyn-findings": "Estyn confirms its final findings and progress judgements",
    "draft-debrief": "The team leader collates the judgements and drafts the debrief",
    "deliberation": "Deliberation meeting: final judgements and the debrief document",
}
#: Sessions the schedule spells out: the group's key, and the keys of its sessions.
GROUPS = {
    "leader-meetings": ("prisoner-groups", "senior-leaders", "imb-chair", "staff-associations"),
    "manager-feedback": ("manager-feedback-*",),
}


class Session(typing.NamedTuple):
    """One item of a visit day: timed (``start``, perhaps ``end``) or for a part of the day."""

    key: str
    title: str
    part: str = ""
    start: time | None = None
    end: time | None = None
    room: str | None = None
    attendees: tuple[str, ...] = ()  # team members, by name
    others: tuple[str, ...] = ()  # anyone else: the governor, a manager, the liaison officer
    paragraph: str = "3.1"
    group: str = ""
    concerns: tuple[str, ...] = ()
    added: bool = False

    @property
    def when(self) -> str:
        """``12.30pm to 1.15pm``, ``4pm``, or the part of the day (``Morning``)."""
        return format_times(self.start, self.end) or self.part

    @property
    def sort_key(self) -> int:
        if self.start is not None:
            return self.start.hour * 60 + self.start.minute
        return _ANCHORS.get(self.part, 12 * 60)

    def involves(self, name: str) -> bool:
        folded = name.casefold()
        return any(p.casefold() == folded for p in (*self.attendees, *self.others))

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "when": self.when,
            "part": self.part or None,
            "start": self.start.strftime("%H:%M") if self.start else None,
            "end": self.end.strftime("%H:%M") if self.end else None,
            "room": self.room,
            "attendees": list(self.attendees),
            "others": list(self.others),
            "concerns": list(self.concerns),
            "paragraph": self.paragraph,
        }


class Day(typing.NamedTuple):
    """One visit day of the team's schedule, with its sessions in order."""

    number: int
    total: int
    date: date
    sessions: tuple[Session, ...]
    after_break: bool = False

    @property
    def label(self) -> str:
        return f"Day {self.number} of {self.total}"


class TeamSchedule(typing.NamedTuple):
    """The visit days' sessions; ``problems`` are the visit file's schedule entries that could
    not be used, each with its ``loc`` (errors: the command refuses the file)."""

    days: tuple[Day, ...]
    team: tuple[str, ...]
    base_room: str | None = None
    problems: tuple[tuple[Loc, str], ...] = ()
    person: str | None = None

    def for_person(self, name: str) -> TeamSchedule:
        """Only the sessions ``name`` attends (every day is kept, perhaps empty)."""
        days = tuple(
            d._replace(sessions=tuple(s for s in d.sessions if s.involves(name))) for d in self.days
        )
        return self._replace(days=days, person=name)

    def people(self) -> list[str]:
        """Everyone named in the schedule: the team first, then the others, each once."""
        seen: dict[str, str] = {}
        for name in self.team:
            seen.setdefault(name.casefold(), name)
        for day in self.days:
            for s in day.sessions:
                for name in (*s.attendees, *s.others):
                    seen.setdefault(name.casefold(), name)
        return list(seen.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "base_room": self.base_room,
            "days": [
                {
                    "number": d.number,
                    "date": d.date.isoformat(),
                    "after_break": d.after_break,
                    "sessions": [s.as_dict() for s in d.sessions],
                }
                for d in self.days
            ],
        }

    def findings(self, locate: Any, file: str) -> list[Finding]:
        """``problems`` as located errors (``locate`` is ``Document.locate``)."""
        out = []
        for loc, message in self.problems:
            line, col, path = locate(loc)
            out.append(Finding(file, "error", "schedule", message, line, col, "3.1", path))
        return out


# --------------------------------------------------------------------------------------------
# Building it


def schedule_findings(
    visit: Visit, config: Config, timeline: Timeline, locate: Any, file: str
) -> list[Finding]:
    """What is wrong with the visit file's own changes to the schedule (``visit.schedule.
    sessions``), as located errors (``irp validate``). Every such problem is in a change, so a
    visit with none has none, and its schedule is not built to find that out."""
    if not visit.visit.schedule.sessions:
        return []
    return build_schedule(visit, config, timeline).findings(locate, file)


def build_schedule(visit: Visit, config: Config, timeline: Timeline) -> TeamSchedule:
    """The team's schedule of ``visit`` from its ``timeline`` (see the module's docstring)."""
    people = _People.of(visit)
    milestones = [m for m in timeline.milestones if m.id.startswith("visit-day-")]
    total = len(milestones)
    changes = list(enumerate(visit.visit.schedule.sessions))
    used: set[int] = set()
    problems: list[tuple[Loc, str]] = []
    days: list[Day] = []
    for number, milestone in enumerate(milestones, 1):
        events = guide_day(number, total, visit)
        sessions = list(_spelt_out(events, visit, config, people, number))
        for index, change in changes:
            if change.session is None or change.day not in (None, number):
                continue
            hits = [n for n, s in enumerate(sessions) if _matches(change.session, s)]
            if hits:
                used.add(index)
            for n in hits:
                sessions[n] = _apply(sessions[n], change)
            if change.cancelled:
                sessions = [s for n, s in enumerate(sessions) if n not in hits]
        for index, change in changes:
            if change.session is None and change.day == number:
                sessions.append(_added(change))
                used.add(index)
        previous = days[-1].date if days else None
        days.append(
            Day(
                number,
                total,
                milestone.date,
                tuple(sorted(sessions, key=lambda s: s.sort_key)),
                after_break=previous is not None and (milestone.date - previous).days > 4,
            )
        )
    base = visit.visit.schedule.base_room
    if base is not None:
        days = [
            d._replace(sessions=tuple(_in_base_room(s, base) for s in d.sessions)) for d in days
        ]
    problems.extend(_unused(changes, used, days, visit))
    problems.extend(_unknown_people(changes, people))
    return TeamSchedule(
        tuple(days), tuple(people.team), visit.visit.schedule.base_room, tuple(problems)
    )


#: The team's own sessions, held in its base room unless the visit file says otherwise.
IN_BASE_ROOM = (
    "team-meeting",
    "draft-debrief",
    "deliberation",
    "liaison-1",
    "liaison-2",
    "liaison-3",
)


def _in_base_room(s: Session, base: str) -> Session:
    return s._replace(room=base) if s.room is None and s.key in IN_BASE_ROOM else s


def _matches(key: str, s: Session) -> bool:
    """Whether a change naming ``key`` applies to ``s``: its key, its group's, or for a
    manager's slot ``manager-feedback-<id>`` of any of its concerns."""
    if key in (s.key, s.group):
        return True
    return s.group == "manager-feedback" and key.removeprefix("manager-feedback-") in s.concerns


def _apply(s: Session, change: ScheduleSession) -> Session:
    start = change.start or s.start
    end = change.end if change.start or change.end else s.end
    return s._replace(
        title=change.title or s.title,
        start=start,
        end=end,
        room=change.room or s.room,
        attendees=tuple(change.attendees) if change.attendees is not None else s.attendees,
        others=tuple(change.others) if change.others is not None else s.others,
    )


def _added(change: ScheduleSession) -> Session:
    """A session of the visit file's own. Its key (and so its calendar UID) comes from its
    title, so that moving it, or adding others before it, keeps it the same event."""
    assert change.title is not None
    slug = re.sub(r"[^a-z0-9]+", "-", change.title.casefold()).strip("-")[:40].rstrip("-")
    return Session(
        key=f"added-{slug or 'session'}",
        title=change.title,
        start=change.start,
        end=change.end,
        room=change.room,
        attendees=tuple(change.attendees or ()),
        others=tuple(change.others or ()),
        paragraph="",
        added=True,
    )


def _unused(
    changes: Sequence[tuple[int, ScheduleSession]], used: set[int], days: list[Day], visit: Visit
) -> Iterable[tuple[Loc, str]]:
    total = len(days)
    for index, change in changes:
        if index in used:
            continue
        loc: Loc = ("visit", "schedule", "sessions", index)
        if change.day is not None and change.day > total:
            yield (
                (*loc, "day"),
                f"there is no day {change.day}: the visit has {total} day{'s' * (total != 1)}",
            )
            continue
        if change.session is None:
            continue
        wanted = [d for d in days if change.day in (None, d.number)]
        keys = sorted({k for d in wanted for k in _keys(d)})
        close = difflib.get_close_matches(change.session, keys, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        where = f"on day {change.day}" if change.day is not None else "on any day"
        yield (
            (*loc, "session"),
            f"there is no session '{change.session}' {where}; {hint}the sessions are: "
            f"{', '.join(keys)}",
        )


def _keys(day: Day) -> list[str]:
    keys = [s.key for s in day.sessions if not s.added]
    keys += [s.group for s in day.sessions if s.group]
    return keys


def _unknown_people(
    changes: Sequence[tuple[int, ScheduleSession]], people: _People
) -> Iterable[tuple[Loc, str]]:
    team = {name.casefold(): name for name in people.team}
    for index, change in changes:
        for n, name in enumerate(change.attendees or ()):
            if name.casefold() in team:
                continue
            close = difflib.get_close_matches(name, people.team, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            yield (
                ("visit", "schedule", "sessions", index, "attendees", n),
                f"'{name}' is not on the team; {hint}attendees are team members by name "
                f"({', '.join(people.team)}); put anyone else under 'others'",
            )


# --------------------------------------------------------------------------------------------
# Who attends what


class _People(typing.NamedTuple):
    """Who is who for the schedule: the team by role, and the prison's people by title."""

    team: list[str]
    leader: list[str]
    coordinator: list[str]
    inspectors: list[str]  # for the managers' feedback: not the team leader, nor Ofsted or Estyn
    education: list[str]  # Ofsted's or Estyn's inspectors
    governor: str
    imb_chair: str
    liaison_officer: str
    senior: dict[int, str]  # day number -> Chief or Deputy

    @classmethod
    def of(cls, visit: Visit) -> _People:
        team = [m.name for m in visit.team]

        def having(*roles: Role) -> list[str]:
            return [m.name for m in visit.team if m.role in roles]

        education = having(Role.OFSTED_INSPECTOR, Role.ESTYN_INSPECTOR)
        leader = having(Role.TEAM_LEADER)
        inspectors = [n for n in team if n not in leader and n not in education] or team
        senior: dict[int, str] = {}
        if visit.chief_inspector is not None:
            for day in visit.chief_inspector.days:
                senior[day] = visit.chief_inspector.who.full_title
        est = visit.establishment
        officer = visit.visit.liaison_officer
        return cls(
            team=team,
            leader=leader or team[:1],
            coordinator=having(Role.COORDINATING_INSPECTOR) or team[:1],
            inspectors=inspectors,
            education=education,
            governor=_named(est.governor, "Governor"),
            imb_chair=_named(est.imb_chair, "IMB chair"),
            liaison_officer=officer.name if officer is not None else "The liaison officer",
            senior=senior,
        )


def _named(person: Person | None, role: str) -> str:
    """``Dana Whitcombe (Governor)``; just the role when the file names nobody."""
    return role if person is None else f"{person.name} ({person.title or role})"


def _usual(people: _People, number: int) -> dict[str, tuple[list[str], list[str]]]:
    """Who usually attends each session of the guide's schedule on day ``number``: (team
    members, others) by the session's key; a session not named here, the whole team."""
    senior = [people.senior[number]] if number in people.senior else []
    governor = [people.governor]
    return {
        "chief-inspector": (people.leader, senior),
        "presentation": (people.team, [*governor, "Senior management team"]),
        "deliberation": (people.team, senior),
        "prisoner-groups": (people.leader, ["Prisoners"]),
        "senior-leaders": (people.leader, ["Senior leaders"]),
        "imb-chair": (people.leader, [people.imb_chair]),
        "governor-feedback": (people.leader, governor),
        "final-feedback": (people.leader, [*senior, *governor]),
        "draft-debrief": (people.leader, []),
        "ofsted-findings": (people.education, [*governor, *_EDUCATION_STAFF]),
        "estyn-findings": (people.education, [*governor, *_EDUCATION_STAFF]),
    }


_EDUCATION_STAFF = ("Head of reducing reoffending", "Learning and skills manager")


def _split(title: str) -> tuple[str, str]:
    """``Morning: inspectors arrive`` -> (``Morning``, ``Inspectors arrive``)."""
    part, rest = split_part(title)
    return _PART_WORDS.get(part, part), rest


def _spelt_out(
    events: Iterable[Event], visit: Visit, config: Config, people: _People, number: int
) -> Iterable[Session]:
    usual = _usual(people, number)
    for event in events:
        part, title = _split(event.title)
        title = _TITLES.get(event.key, title)
        if event.key == "chief-inspector":
            part = "During the day"
        if event.key == "leader-meetings":
            yield from _leader_meetings(visit, people, part)
        elif event.key == "manager-feedback":
            yield from _manager_feedback(visit, config, people, event, part)
        else:
            attendees, others = usual.get(event.key, (people.team, []))
            yield Session(
                event.key,
                title,
                part,
                event.start,
                event.end,
                attendees=tuple(attendees),
                others=tuple(others),
                paragraph=event.paragraph,
            )
    for n, at in enumerate(config.schedule.liaison_contacts, 1):
        start = _time(at)
        yield Session(
            f"liaison-{n}",
            f"The liaison officer's {ordinal(n)} contact with the team",
            start=start,
            end=add_minutes(start, 15),
            attendees=tuple(people.coordinator),
            others=(people.liaison_officer,),
            paragraph="Appendix I",
        )


def _leader_meetings(visit: Visit, people: _People, part: str) -> Iterable[Session]:
    def session(key: str, title: str, others: Sequence[str], paragraph: str = "3.1") -> Session:
        return Session(
            key,
            title,
            part,
            attendees=tuple(people.leader),
            others=tuple(others),
            paragraph=paragraph,
            group="leader-meetings",
        )

    yield session("prisoner-groups", "Prisoner groups, if held", ["Prisoners"], "3.1, 3.2")
    yield session("senior-leaders", "Meetings with senior leaders", ["Senior leaders"])
    yield session("imb-chair", "Meeting with the IMB chair", [people.imb_chair], "2.6, 3.1")
    associations = [a.name for a in visit.visit.staff_associations]
    if associations:
        yield session(
            "staff-associations", "Meeting with staff associations", associations, "2.8, 3.1"
        )


def _manager_feedback(
    visit: Visit, config: Config, people: _People, event: Event, part: str
) -> Iterable[Session]:
    yield Session(
        "final-evidence",
        "Inspectors collect final evidence",
        part,
        attendees=tuple(people.team),
        paragraph=event.paragraph,
    )
    settings = config.schedule
    start = _time(settings.manager_feedback_start)
    for concerns in managers(visit):
        manager = concerns[0].responsible_manager
        ids = tuple(c.id for c in concerns)
        words = join_words([c.id for c in concerns])
        if manager is None:
            title = f"Feedback on {words} to its named manager (not yet on the pro forma)"
            others: tuple[str, ...] = ("Named manager",)
        else:
            who = manager.name + (f" ({manager.title})" if manager.title else "")
            title = f"Feedback to {who} on {words}"
            others = (manager.name,)
        end = add_minutes(start, settings.manager_feedback_minutes)
        yield Session(
            f"manager-feedback-{ids[0]}",
            title,
            start=start,
            end=end,
            attendees=tuple(people.inspectors),
            others=others,
            paragraph="2.9, 3.1",
            group="manager-feedback",
            concerns=ids,
        )
        start = end


def managers(visit: Visit) -> list[list[Concern]]:
    """The followed-up concerns grouped by their named manager (the same name, whatever its
    case, is one manager), in the order of their first concern; a concern with no manager yet
    is a group of its own."""
    groups: dict[str, list[Concern]] = {}
    for concern in visit.followed_up:
        manager = concern.responsible_manager
        key = manager.name.casefold() if manager is not None else f"\0{concern.id}"
        groups.setdefault(key, []).append(concern)
    return list(groups.values())


@functools.lru_cache(maxsize=64)
def _time(text: str) -> time:
    """A time from ``irp.toml`` (already checked when the settings were read); each read once
    a run, not once a day of every visit."""
    at = parse_clock(text)
    assert isinstance(at, time)
    return at


# --------------------------------------------------------------------------------------------
# As a calendar


def as_timeline(schedule: TeamSchedule, timeline: Timeline) -> Timeline:
    """The visit days of ``timeline`` with the schedule's sessions as their events, for
    :func:`irp_cli.calendar.ics.build_ics` (one calendar writer for every command)."""
    by_date = {d.date: d for d in schedule.days}
    milestones = []
    for m in timeline.milestones:
        day = by_date.get(m.date) if m.id.startswith("visit-day-") else None
        if day is None:
            continue
        events = tuple(
            Event(
                s.title,
                s.start,
                s.end,
                paragraph=s.paragraph or "3.1",
                key=s.key,
                room=s.room or schedule.base_room,
                attendees=(*s.attendees, *s.others),
            )
            for s in day.sessions
        )
        milestones.append(m._replace(events=events, note=_note(schedule, m)))
    return Timeline(tuple(milestones), timeline.visit_days)


def _note(schedule: TeamSchedule, m: Milestone) -> str:
    note = m.note
    if schedule.base_room:
        note += f"; the team's base room: {schedule.base_room}"
    if schedule.person:
        note += f"; the sessions {schedule.person} attends"
    return note


# --------------------------------------------------------------------------------------------
# As a document


def who(session: Session, team: Sequence[str]) -> str:
    """The team members attending, ``Whole team`` when it is everyone."""
    if session.attendees and {n.casefold() for n in session.attendees} == {
        n.casefold() for n in team
    }:
        return "Whole team"
    return ", ".join(session.attendees)


def schedule_document(schedule: TeamSchedule, visit: Visit) -> Document:
    """The schedule as a document (templates/schedule.md.j2)."""
    from irp_cli.documents.context import Document

    est = visit.establishment
    days = [d.date for d in schedule.days]
    context: dict[str, Any] = {
        "establishment": {"name": est.name, "code": est.code},
        "dates": span_dates(days),
        "person": schedule.person,
        "base_room": schedule.base_room,
        "liaison_officer": visit.visit.liaison_officer.name
        if visit.visit.liaison_officer is not None
        else None,
        "days": [
            {
                "label": d.label,
                "date": d.date,
                "after_break": d.after_break,
                "sessions": [
                    {
                        "when": s.when,
                        "title": s.title,
                        "room": s.room or "",
                        "who": who(s, schedule.team),
                        "others": ", ".join(s.others),
                        "paragraph": s.paragraph,
                    }
                    for s in d.sessions
                ],
            }
            for d in schedule.days
        ],
    }
    whose = f"{schedule.person}'s schedule" if schedule.person else "the team's schedule"
    return Document("schedule.md.j2", f"{est.name}: {whose}", context)
