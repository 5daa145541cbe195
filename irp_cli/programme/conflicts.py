"""Conflicts in a programme of visits, caught before a letter goes. Pure.

``double-booked``
    someone is on two visits that share a day (the Chief or Deputy Chief Inspector only on the
    days they attend);
``back-to-back``
    someone's visits follow each other with no working day between (one ends on a Wednesday,
    the next starts on the Thursday; or on the Friday and the Monday);
``two-roles``
    one name is listed twice in a visit's team;
``same-establishment``
    two visits at one establishment (the same NOMIS code) whose 8-12-month windows (guide 2.1)
    overlap: both follow up inspections within a few months of each other, which usually means
    a copied file or one inspection followed up twice;
``non-working-day``
    a visit day on a weekend or an England-and-Wales bank holiday (guide 3.1);
``programme-size``
    more visits start in a year than the programme's size (guide 1.3, ``[programme]
    visits_per_year`` in ``irp.toml``).

Everything here is sorting and one pass: nothing compares every visit with every other, so a
folder of thousands of visits is checked in well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal, Protocol

from irp_cli.dates import short_date
from irp_cli.errors import Finding
from irp_cli.programme.entries import Entry, Member, Place
from irp_cli.text import article

Kind = Literal[
    "double-booked",
    "back-to-back",
    "two-roles",
    "same-establishment",
    "non-working-day",
    "programme-size",
]

PARAGRAPHS: dict[Kind, str | None] = {
    "double-booked": None,
    "back-to-back": None,
    "two-roles": "2.1",
    "same-establishment": "2.1",
    "non-working-day": "3.1",
    "programme-size": "1.3",
}


class WorkingDays(Protocol):
    def is_working_day(self, day: date) -> bool: ...
    def between(self, start: date, end: date) -> int: ...


@dataclass(frozen=True)
class Conflict:
    """One conflict: what, who (if a person), and the places in the files it concerns."""

    kind: Kind
    message: str
    places: tuple[Place, ...]
    files: tuple[str, ...]
    person: str | None = None
    year: int | None = None

    @property
    def paragraph(self) -> str | None:
        return PARAGRAPHS[self.kind]

    def finding(self, where: str = "irp") -> Finding:
        """The one-line form, at the first place (``where`` when there is none, as for the
        size of the programme); the others are named in the message."""
        first = self.places[0] if self.places else None
        others = [p.where for p in self.places[1:]]
        message = self.message + (f" (see {', '.join(others)})" if others else "")
        return Finding(
            file=first.file if first else where,
            severity="error",
            code=self.kind,
            message=message,
            line=first.line if first else None,
            col=first.col if first else None,
            paragraph=self.paragraph,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "paragraph": self.paragraph,
            "message": self.message,
            "person": self.person,
            "year": self.year,
            "files": list(self.files),
            "places": [{"file": p.file, "line": p.line, "col": p.col} for p in self.places],
        }


def span(entry: Entry) -> str:
    first, last = entry.first, entry.last
    return short_date(first) if first == last else f"{short_date(first)} to {short_date(last)}"


def find_conflicts(
    entries: Sequence[Entry], cal: WorkingDays, *, per_year: int, year: int | None = None
) -> list[Conflict]:
    """Every conflict among ``entries`` (with ``year``, only those that touch a visit starting
    in that year), in a stable order: by kind, then by the files concerned."""
    found = [
        *_people(entries, cal),
        *_two_roles(entries),
        *_same_establishment(entries),
        *_non_working(entries),
        *_programme_size(entries, per_year),
    ]
    if year is not None:
        in_year = {e.file for e in entries if e.year == year}
        found = [
            c
            for c in found
            if (c.year == year if c.kind == "programme-size" else bool(in_year & set(c.files)))
        ]
    order = {kind: n for n, kind in enumerate(PARAGRAPHS)}
    return sorted(found, key=lambda c: (order[c.kind], c.files, c.person or "", c.message))


def _people(entries: Sequence[Entry], cal: WorkingDays) -> Iterable[Conflict]:
    """Per person, every day they are out on a visit, sorted: two visits clash exactly when
    some neighbouring pair of those days belongs to different visits and is the same day or
    has no working day between."""
    days: dict[str, list[tuple[date, int, Member]]] = defaultdict(list)
    for index, entry in enumerate(entries):
        seen: set[str] = set()
        for member in entry.members:
            if member.key in seen:
                continue  # listed twice in one team: reported as two-roles
            seen.add(member.key)
            for day in member.days if member.days is not None else entry.days:
                days[member.key].append((day, index, member))
    for listing in days.values():
        if len({i for _d, i, _m in listing}) < 2:
            continue
        listing.sort(key=lambda item: (item[0], item[1]))
        worst: dict[tuple[int, int], tuple[bool, date, date, Member, Member]] = {}
        for (d1, i1, m1), (d2, i2, m2) in pairwise(listing):
            if i1 == i2:
                continue
            same_day = d1 == d2
            if not same_day and cal.between(d1, d2) - cal.is_working_day(d2) > 0:
                continue
            pair = (min(i1, i2), max(i1, i2))
            if pair not in worst or (same_day and not worst[pair][0]):
                worst[pair] = (same_day, d1, d2, m1, m2)
        for (a, b), (same_day, d1, d2, m1, m2) in sorted(worst.items()):
            first, second = entries[a], entries[b]
            name = m1.name
            if same_day:
                kind: Kind = "double-booked"
                text = (
                    f"{name} is on two visits on {short_date(d1)}: {first.name} "
                    f"({span(first)}) and {second.name} ({span(second)})"
                )
            else:
                kind = "back-to-back"
                text = (
                    f"{name} has no working day between visits: {short_date(d1)} and "
                    f"{short_date(d2)} ({first.name}, {span(first)}; {second.name}, "
                    f"{span(second)})"
                )
            places = (m1.place, m2.place) if m1.place.file == first.file else (m2.place, m1.place)
            yield Conflict(kind, text, places, (first.file, second.file), person=name)


def _two_roles(entries: Iterable[Entry]) -> Iterable[Conflict]:
    for entry in entries:
        by_key: dict[str, list[Member]] = defaultdict(list)
        for member in entry.members:
            if member.days is None:
                by_key[member.key].append(member)
        for listed in by_key.values():
            if len(listed) > 1:
                roles = " and ".join(f"'{m.role}'" for m in listed)
                yield Conflict(
                    "two-roles",
                    f"{listed[0].name} is listed {len(listed)} times in the team of "
                    f"{entry.name} ({roles}); one person takes one place on the team",
                    tuple(m.place for m in listed),
                    (entry.file,),
                    person=listed[0].name,
                )


def _same_establishment(entries: Iterable[Entry]) -> Iterable[Conflict]:
    by_code: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_code[entry.code].append(entry)
    for group in by_code.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda e: (e.window[0], e.file))
        latest_end, latest = group[0].window[1], group[0]
        for entry in group[1:]:
            if entry.window[0] <= latest_end:
                yield Conflict(
                    "same-establishment",
                    f"two visits at {entry.name} ({entry.code}) in overlapping 8-12-month "
                    f"windows: {span(latest)} (inspection ending "
                    f"{short_date(latest.previous_last_day)}) and {span(entry)} (inspection "
                    f"ending {short_date(entry.previous_last_day)})",
                    (latest.code_place, entry.code_place),
                    (latest.file, entry.file),
                )
            if entry.window[1] > latest_end:
                latest_end, latest = entry.window[1], entry


def _non_working(entries: Iterable[Entry]) -> Iterable[Conflict]:
    for entry in entries:
        for bad in entry.non_working:
            yield Conflict(
                "non-working-day",
                f"{entry.name}: visit day {short_date(bad.day)} is {article(bad.reason)}",
                (bad.place,),
                (entry.file,),
            )


def _programme_size(entries: Iterable[Entry], per_year: int) -> Iterable[Conflict]:
    by_year: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_year[entry.year].append(entry)
    for year, group in sorted(by_year.items()):
        if len(group) > per_year:
            yield Conflict(
                "programme-size",
                f"{len(group)} visits start in {year}, more than the programme's "
                f"{per_year} a year (guide 1.3: 15-20; [programme] visits_per_year in irp.toml)",
                (),
                tuple(sorted(e.file for e in group)),
                year=year,
            )
