"""One line of the programme per visit file: what ``irp programme`` and ``irp stats`` need of a
visit, taken from the file once and kept small (the parsed file itself is dropped), so a folder
of thousands of visits fits in little memory. Pure: ``today`` is a parameter.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from irp_cli.calendar.deadlines import deadline_states
from irp_cli.calendar.timeline import irp_window
from irp_cli.dates import MONTHS
from irp_cli.errors import Finding, IrpError
from irp_cli.review.session import Loaded, Session, paced
from irp_cli.visitfile.models import (
    EstablishmentType,
    HealthyPrisonArea,
    Nation,
    PartnerJudgement,
    PartnerName,
    ProgressJudgement,
    Role,
    SeniorInspector,
    Visit,
)


@dataclass(frozen=True, slots=True)
class Place:
    """Where something is written: file, line and column (1-based)."""

    file: str
    line: int
    col: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Member:
    """Someone on a visit: a team member, or the Chief or Deputy Chief Inspector on some days."""

    name: str
    role: str
    place: Place
    days: tuple[date, ...] | None = None  # None: every visit day

    @property
    def key(self) -> str:
        """The same person however the name is spaced or capitalised."""
        return " ".join(self.name.split()).casefold()


#: Short names of the deadlines, for the programme's narrow column (the plan has the full titles).
SHORT_TITLES = {
    "letter-send-by": "send the letter",
    "liaison-officer": "liaison officer appointed",
    "coordinator-contact": "contact the prison",
    "staff-associations": "offer staff associations a meeting",
    "returns-due": "prison's documents due",
    "attendance-list": "send the attendance list",
    "imb-meeting": "arrange the IMB meeting",
    "draft-report": "draft report to the governor",
    "publication-deadline": "publish the report",
}


@dataclass(frozen=True, slots=True)
class NextDue:
    """A visit's next deadline not yet done, and how many working days it is away or late."""

    id: str
    title: str
    date: date
    paragraph: str
    state: str  # due or overdue
    working_days: int

    @property
    def short(self) -> str:
        return SHORT_TITLES.get(self.id, self.title)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat(),
            "paragraph": self.paragraph,
            "state": self.state,
            "working_days": self.working_days,
        }


@dataclass(frozen=True, slots=True)
class NonWorkingDay:
    """A visit day that is not a working day, and why."""

    day: date
    reason: str
    place: Place


@dataclass(frozen=True, slots=True)
class Entry:
    """A visit as the programme sees it."""

    file: str
    name: str
    code: str
    type: EstablishmentType
    nation: Nation
    days: tuple[date, ...]
    days_place: Place
    code_place: Place
    members: tuple[Member, ...]
    partners: tuple[PartnerName, ...]
    window: tuple[date, date]
    previous_last_day: date
    published: date | None
    finished: bool
    next_due: NextDue | None
    non_working: tuple[NonWorkingDay, ...]
    #: (area, judgement, count) of the followed-up concerns (None: not recorded / not judged),
    #: the listed ones and a past record's counts together
    concern_counts: tuple[tuple[HealthyPrisonArea | None, ProgressJudgement | None, int], ...] = ()
    #: (partner, judgement, count) of the partner themes, likewise
    theme_counts: tuple[tuple[PartnerName, PartnerJudgement | None, int], ...] = ()
    #: guide 5.1: publication is due this many working days after the last visit day
    publication_deadline: date | None = None
    #: working days from the last visit day to publication, when it is published
    publication_days: int | None = None

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1]

    @property
    def year(self) -> int:
        return self.days[0].year

    @property
    def team_leader(self) -> str | None:
        for m in self.members:
            if m.role == Role.TEAM_LEADER.value:
                return m.name
        return None

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "establishment": {
                "name": self.name,
                "code": self.code,
                "type": self.type.value,
                "nation": self.nation.value,
            },
            "days": [d.isoformat() for d in self.days],
            "team_leader": self.team_leader,
            "team": [{"name": m.name, "role": m.role} for m in self.members if m.days is None],
            "partners": [p.value for p in self.partners],
            "finished": self.finished,
            "published": self.published.isoformat() if self.published else None,
            "next_due": self.next_due.as_dict() if self.next_due else None,
        }


SENIOR_NAMES = {
    SeniorInspector.CHIEF_INSPECTOR: "the Chief Inspector",
    SeniorInspector.DEPUTY_CHIEF_INSPECTOR: "the Deputy Chief Inspector",
}


def compact_days(days: Sequence[date]) -> str:
    """The visit days in few characters: ``21–23 Apr 2026``, ``3, 10–12 Mar 2026``,
    ``30 Mar–1 Apr 2026``; runs of consecutive days are joined by a dash."""
    runs: list[list[date]] = []
    for day in days:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for n, run in enumerate(runs):
        first, last = run[0], run[-1]
        following = runs[n + 1][0] if n + 1 < len(runs) else None

        def label(day: date, *, month: bool, year: bool) -> str:
            text = str(day.day)
            if month:
                text += f" {MONTHS[day.month - 1][:3]}"
            return text + (f" {day.year}" if year else "")

        end_month = (
            following is None or following.month != last.month or following.year != last.year
        )
        end_year = following is None or following.year != last.year
        if first == last:
            parts.append(label(first, month=end_month, year=end_year))
        else:
            start = label(
                first,
                month=first.month != last.month or first.year != last.year,
                year=first.year != last.year,
            )
            parts.append(f"{start}–{label(last, month=end_month, year=end_year)}")
    return ", ".join(parts)


def summarise(loaded: Loaded, today: date) -> Entry:
    """The programme's line for one loaded visit file."""
    doc, cal, timeline = loaded.doc, loaded.calendar, loaded.timeline
    visit = doc.visit

    def place(loc: tuple[str | int, ...]) -> Place:
        line, col, _path = doc.locate(loc)
        return Place(doc.name, line, col)

    days = tuple(timeline.visit_days)
    listed = visit.visit.days is not None
    days_loc: tuple[str | int, ...] = ("visit", "days") if listed else ("visit", "start")
    members = [
        Member(m.name, m.role.value, place(("team", i, "name"))) for i, m in enumerate(visit.team)
    ]
    chief = visit.chief_inspector
    if chief is not None:
        on = tuple(days[n - 1] for n in chief.days if n <= len(days))
        members.append(
            Member(SENIOR_NAMES[chief.who], chief.who.value, place(("chief_inspector", "who")), on)
        )
    non_working = []
    for index, day in enumerate(days):
        reason = cal.why_not_working(day)
        if reason:
            where = place((*days_loc, index) if listed else days_loc)
            non_working.append(NonWorkingDay(day, reason, where))
    done = visit.finished_on(today)
    next_due = None
    if not done:
        for due in deadline_states(timeline, today, cal):
            if due.state in ("due", "overdue"):
                m = due.milestone
                next_due = NextDue(m.id, m.title, m.date, m.paragraph, due.state, due.working_days)
                break
    est = visit.establishment
    # A publication date still to come is not a publication yet (status-in-future warns).
    published = timeline.get("publication-deadline").done_by(today)
    return Entry(
        file=doc.name,
        name=est.name,
        code=est.code,
        type=est.type,
        nation=est.nation,
        days=days,
        days_place=place(days_loc),
        code_place=place(("establishment", "code")),
        members=tuple(members),
        partners=tuple(visit.partners.joining()),
        window=irp_window(visit.previous_inspection.last_day),
        previous_last_day=visit.previous_inspection.last_day,
        published=published,
        finished=done,
        next_due=next_due,
        non_working=tuple(non_working),
        concern_counts=_concern_counts(visit),
        theme_counts=_theme_counts(visit),
        publication_deadline=timeline.get("publication-deadline").date,
        publication_days=cal.between(days[-1], published) if published else None,
    )


def _concern_counts(
    visit: Visit,
) -> tuple[tuple[HealthyPrisonArea | None, ProgressJudgement | None, int], ...]:
    counts: Counter[tuple[HealthyPrisonArea | None, ProgressJudgement | None]] = Counter()
    for concern in visit.followed_up:
        counts[concern.area, concern.judgement] += 1
    if visit.record is not None:
        for item in visit.record.judgement_counts:
            counts[item.area, item.judgement] += item.count
    return tuple((area, judgement, n) for (area, judgement), n in counts.items() if n)


def _theme_counts(
    visit: Visit,
) -> tuple[tuple[PartnerName, PartnerJudgement | None, int], ...]:
    counts: Counter[tuple[PartnerName, PartnerJudgement | None]] = Counter()
    for theme in visit.partner_themes:
        counts[PartnerName(theme.partner), theme.judgement] += 1
    if visit.record is not None:
        for item in visit.record.theme_counts:
            counts[PartnerName(item.partner), item.judgement] += item.count
    return tuple((partner, judgement, n) for (partner, judgement), n in counts.items() if n)


@dataclass(frozen=True)
class Read:
    """One visit file read: its programme line, and the loaded file (for the few commands that
    need more, such as a calendar; drop it once used)."""

    entry: Entry
    loaded: Loaded


#: A visit file has at least one of these at the top level (a broken one too).
_VISIT_KEYS = re.compile(r"^(?:schema_version|previous_inspection|visit)[ \t]*:", re.MULTILINE)


def not_a_visit_file(path: Path) -> Finding | None:
    """A warning for a YAML file that is not a visit file at all, such as a population summary
    kept beside the visits: none of the visit file's main keys at the top level. A visit file
    that is broken still has them, so it is reported, never skipped."""
    from irp_cli.files import read_bounded
    from irp_cli.visitfile.loader import MAX_BYTES

    try:  # a FIFO or a huge file is not read here; loading it reports it
        text = read_bounded(path, limit=MAX_BYTES, what="a visit file").decode(errors="replace")
    except IrpError:
        return None
    if _VISIT_KEYS.search(text):
        return None
    message = (
        "not a visit file (no 'schema_version', 'previous_inspection' or 'visit' at the top "
        "level); skipped"
    )
    return Finding(str(path), "warning", "not-a-visit-file", message)


def read_visits(paths: Iterable[Path], session: Session, today: date) -> Iterator[Read | Finding]:
    """Each file in turn, read once: a :class:`Read`, or the findings of a broken file (a
    warning only for a YAML file that is not a visit file). The caller keeps what it needs and
    lets the rest go, one file at a time."""
    for path in paced(paths):
        try:
            loaded = session.load(path, rules=False)  # validate reports them
        except IrpError as exc:
            skipped = not_a_visit_file(path) if path.is_file() else None
            if skipped is not None:
                yield skipped
            else:
                yield from exc.findings
            continue
        yield Read(summarise(loaded, today), loaded)
