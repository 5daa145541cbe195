"""The record at a glance: judgements and timeliness across visits (``irp stats``). Pure.

Counts are of the concerns **followed up** (only those are judged, guide 4.1), from the listed
concerns and from a past record's judgement counts; a concern followed up but not yet judged is
counted as ``not-judged`` and left out of every share. Partner themes are counted on their own
scale (4.2). The share with good or reasonable progress is over the judged concerns only.

Timeliness (5.1): the report is published "within 25 working days of the end of the IRP visit".
For each visit: the working days from its last day to publication
(:meth:`~irp_cli.calendar.workdays.Calendar.between`), against the target. A visit is
``on-time`` or ``late`` once published; ``overdue`` when not published and the deadline has
passed; ``pending`` when not published and still in time; ``unknown`` for a finished visit
whose publication date is not recorded (never counted as on time).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from irp_cli.calendar.timeline import PUBLICATION_DAYS
from irp_cli.programme.entries import Entry
from irp_cli.visitfile.models import (
    ADULT_AREAS,
    CHILDREN_AREAS,
    EstablishmentType,
    PartnerJudgement,
    ProgressJudgement,
)

#: HMI Prisons' judgements, best first (guide 4.1), and the label for a concern not yet judged.
JUDGEMENTS: tuple[str, ...] = (
    ProgressJudgement.GOOD_PROGRESS.value,
    ProgressJudgement.REASONABLE_PROGRESS.value,
    ProgressJudgement.INSUFFICIENT_PROGRESS.value,
    ProgressJudgement.NO_MEANINGFUL_PROGRESS.value,
)
THEME_JUDGEMENTS: tuple[str, ...] = (
    PartnerJudgement.SIGNIFICANT_PROGRESS.value,
    PartnerJudgement.REASONABLE_PROGRESS.value,
    PartnerJudgement.INSUFFICIENT_PROGRESS.value,
)
NOT_JUDGED = "not-judged"
POSITIVE = {ProgressJudgement.GOOD_PROGRESS.value, ProgressJudgement.REASONABLE_PROGRESS.value}
THEME_POSITIVE = {
    PartnerJudgement.SIGNIFICANT_PROGRESS.value,
    PartnerJudgement.REASONABLE_PROGRESS.value,
}
#: Healthy prison areas in the order the guide gives them (adults', then the children's own).
AREAS: tuple[str, ...] = (
    *dict.fromkeys(a.value for a in (*ADULT_AREAS, *CHILDREN_AREAS)),
    "not-recorded",
)
TYPES: tuple[str, ...] = tuple(t.value for t in EstablishmentType)
PARTNER_GROUPS: tuple[str, ...] = ("cqc", "ofsted", "estyn", "none")

Timeliness = Literal["on-time", "late", "overdue", "pending", "unknown"]


class WorkingDays(Protocol):
    def between(self, start: date, end: date) -> int: ...


@dataclass
class Tally:
    """Counts at each judgement of one scale, and those not yet judged."""

    scale: tuple[str, ...] = JUDGEMENTS
    positive: frozenset[str] = frozenset(POSITIVE)
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, judgement: str | None, n: int = 1) -> None:
        self.counts[judgement or NOT_JUDGED] += n

    @property
    def judged(self) -> int:
        return sum(self.counts[j] for j in self.scale)

    @property
    def positive_count(self) -> int:
        return sum(self.counts[j] for j in self.positive)

    @property
    def share(self) -> float | None:
        """The share of the judged with good or reasonable progress (or significant or
        reasonable, for themes); None when none is judged."""
        return self.positive_count / self.judged if self.judged else None

    def as_dict(self) -> dict[str, object]:
        return {
            **{j: self.counts[j] for j in self.scale},
            NOT_JUDGED: self.counts[NOT_JUDGED],
            "judged": self.judged,
            "share_positive": None if self.share is None else round(self.share, 4),
        }


def _concern_tally() -> Tally:
    return Tally()


def _theme_tally() -> Tally:
    return Tally(THEME_JUDGEMENTS, frozenset(THEME_POSITIVE))


@dataclass(frozen=True)
class VisitTime:
    """One visit against the publication target (guide 5.1)."""

    file: str
    name: str
    code: str
    last_day: date
    deadline: date | None
    published: date | None
    working_days: int | None  # last visit day to publication (or to today, when overdue)
    state: Timeliness

    @property
    def late_by(self) -> int:
        """Working days past the target (0 when on time or not known)."""
        if self.working_days is None or self.state not in ("late", "overdue"):
            return 0
        return max(0, self.working_days - PUBLICATION_DAYS)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "establishment": self.name,
            "code": self.code,
            "last_day": self.last_day.isoformat(),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "published": self.published.isoformat() if self.published else None,
            "working_days": self.working_days,
            "state": self.state,
            "late_by": self.late_by,
        }


def visit_time(entry: Entry, today: date, cal: WorkingDays) -> VisitTime:
    """Where one visit stands against the 25-working-day target."""
    state: Timeliness
    days = entry.publication_days
    if days is not None:
        state = "late" if days > PUBLICATION_DAYS else "on-time"
    elif entry.finished:
        state = "unknown"
    elif entry.publication_deadline is not None and today > entry.publication_deadline:
        state, days = "overdue", cal.between(entry.last, today)
    else:
        state = "pending"
    return VisitTime(
        entry.file,
        entry.name,
        entry.code,
        entry.last,
        entry.publication_deadline,
        entry.published,
        days,
        state,
    )


@dataclass
class Stats:
    """Everything ``irp stats`` shows, built from the visits one at a time (:meth:`add`)."""

    today: date
    visits: int = 0
    concerns: Tally = field(default_factory=_concern_tally)
    themes: Tally = field(default_factory=_theme_tally)
    by_area: dict[str, Tally] = field(default_factory=lambda: defaultdict(_concern_tally))
    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(_concern_tally))
    by_year: dict[int, Tally] = field(default_factory=lambda: defaultdict(_concern_tally))
    by_partner: dict[str, Tally] = field(default_factory=lambda: defaultdict(_concern_tally))
    themes_by_partner: dict[str, Tally] = field(default_factory=lambda: defaultdict(_theme_tally))
    times: list[VisitTime] = field(default_factory=list)
    #: (visit days, finished) of every visit, for the year timeline
    spans: list[tuple[tuple[date, ...], bool]] = field(default_factory=list)

    def add(self, entry: Entry, cal: WorkingDays) -> None:
        self.visits += 1
        partners = [p.value for p in entry.partners] or ["none"]
        for area, judgement, n in entry.concern_counts:
            value = judgement.value if judgement else None
            self.concerns.add(value, n)
            self.by_area[area.value if area else "not-recorded"].add(value, n)
            self.by_type[entry.type.value].add(value, n)
            self.by_year[entry.year].add(value, n)
            for partner in partners:
                self.by_partner[partner].add(value, n)
        for partner_name, theme_judgement, n in entry.theme_counts:
            value = theme_judgement.value if theme_judgement else None
            self.themes.add(value, n)
            self.themes_by_partner[partner_name.value].add(value, n)
        self.times.append(visit_time(entry, self.today, cal))
        self.spans.append((entry.days, entry.finished))

    # ---------------------------------------------------------------- timeliness

    def timeliness(self) -> dict[str, object]:
        """Counts by state, the share published late and by how much."""
        counts = Counter(t.state for t in self.times)
        published = counts["on-time"] + counts["late"]
        late = sorted(t.late_by for t in self.times if t.state == "late")
        return {
            "target_working_days": PUBLICATION_DAYS,
            "published": published,
            **{state: counts[state] for state in ("on-time", "late", "overdue", "pending")},
            "unknown": counts["unknown"],
            "share_late": round(len(late) / published, 4) if published else None,
            "late_by_median": _median(late),
            "late_by_most": late[-1] if late else None,
        }

    def ordered_times(self) -> list[VisitTime]:
        return sorted(self.times, key=lambda t: (t.last_day, t.file))

    def as_dict(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            "visits": self.visits,
            "concerns": self.concerns.as_dict(),
            "partner_themes": self.themes.as_dict(),
            "by_area": _ordered(self.by_area, AREAS),
            "by_establishment_type": _ordered(self.by_type, TYPES),
            "by_year": {str(y): t.as_dict() for y, t in sorted(self.by_year.items())},
            "by_partner": _ordered(self.by_partner, PARTNER_GROUPS),
            "partner_themes_by_partner": _ordered(self.themes_by_partner, PARTNER_GROUPS),
            "timeliness": self.timeliness(),
            "publication": [t.as_dict() for t in self.ordered_times()],
        }


def _ordered(tallies: dict[str, Tally], order: Iterable[str]) -> dict[str, object]:
    return {key: tallies[key].as_dict() for key in order if key in tallies}


def _median(values: list[int]) -> float | None:
    if not values:
        return None
    mid = len(values) // 2
    return float(values[mid]) if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def build_stats(entries: Iterable[Entry], today: date, cal: WorkingDays) -> Stats:
    stats = Stats(today)
    for entry in entries:
        stats.add(entry, cal)
    return stats


_SPECIAL_LABELS = {
    "split-adults-young-adults": "Split site: adults and young adults",
    "not-recorded": "Area not recorded",
    "not-judged": "Not yet judged",
    "none": "No partner",
    "cqc": "CQC",
    "ofsted": "Ofsted",
    "estyn": "Estyn",
}


def label(key: str) -> str:
    """Words for a judgement, area, type or partner: 'good-progress' -> 'Good progress' (the
    guide's own terms), 'cqc' -> 'CQC'."""
    return _SPECIAL_LABELS.get(key) or key.replace("-", " ").capitalize()


def percent(share: float | None) -> str:
    """'72%', or '–' when there is nothing to share out."""
    return "–" if share is None else f"{round(100 * share)}%"
