"""A visit's timeline as an iCalendar file (RFC 5545), for Outlook, Google or Apple calendars.

* Each milestone is an **all-day** event: ``DTSTART;VALUE=DATE`` and an exclusive
  ``DTEND;VALUE=DATE`` (the day after its last day, so a window spans all its days). Visit
  days are ``TRANSP:OPAQUE`` (busy); the other all-day events are ``TRANSP:TRANSPARENT``, so
  they do not block time in the calendar.
* Each item of a visit day's schedule that has times (the 12.30 presentation, the team meeting)
  is also a **timed** event in ``Europe/London``, with a ``VTIMEZONE`` written out in full
  (British Summer Time from the last Sunday of March, GMT from the last Sunday of October).
  Outlook, Google and Apple all import named zones with a VTIMEZONE cleanly; floating times
  would move if the calendar's owner were in another zone. The VTIMEZONE is written from the
  rules (not from the machine's time-zone database), so the file is the same everywhere.
* UIDs are stable: ``irp-<code>-<last day of the previous inspection>-<milestone id>@irp-cli``
  (a timed event adds its session's key, e.g. ``-presentation``, so that moving a session to
  another time updates it; a session with a start and no end lasts 30 minutes). The previous
  inspection identifies the IRP even when its visit days move, so importing the file again
  after a change updates the events instead of adding copies.
* ``DTSTAMP`` (required, UTC) is derived from the input, never from the clock (RFC 5545 allows
  any fixed instant for ``METHOD:PUBLISH``): midnight UTC of the latest date recorded in
  ``visit.status`` of any visit in the file, else of the previous inspection's last day. The
  same visit files therefore give a byte-for-byte identical calendar on every run (a daily
  ``deadlines --ics`` job reports "unchanged"), and recording progress moves the stamp on.
* ``METHOD:PUBLISH``, ``PRODID``, ``VERSION:2.0``; lines end with CRLF and are folded at 75
  octets (done by the ``icalendar`` library).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from irp_cli.calendar.timeline import Milestone, Timeline
from irp_cli.dates import add_minutes, short_date
from irp_cli.visitfile.models import Visit

PRODID = "-//irp-cli//IRP timeline//EN"
TZID = "Europe/London"
UID_DOMAIN = "irp-cli"
#: A session with a start time and no end lasts this long in a calendar.
UNTIL_MINUTES = 30


@dataclass(frozen=True)
class CalendarVisit:
    """One visit to export: the visit (for its name and code) and its timeline."""

    visit: Visit
    timeline: Timeline

    @property
    def uid_base(self) -> str:
        code = self.visit.establishment.code
        return f"irp-{code}-{self.visit.previous_inspection.last_day:%Y%m%d}"


def london_timezone() -> Timezone:
    """Europe/London's rules since 1996 (EU summer time), as most calendars publish them."""
    tz = Timezone()
    tz.add("tzid", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("dtstart", datetime(1981, 3, 29, 1, 0))
    summer.add("tzoffsetfrom", timedelta(0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("dtstart", datetime(1996, 10, 27, 2, 0))
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _description(m: Milestone) -> str:
    lines = []
    if m.end is not None:
        lines.append(f"{short_date(m.date)} to {short_date(m.end)}.")
    if m.note:
        lines.append(m.note[0].upper() + m.note[1:] + ".")
    if m.done is not None:
        lines.append(f"Done {short_date(m.done)}.")
    for event in m.events:
        when = f"{event.start:%H:%M}–{event.end:%H:%M} " if event.start and event.end else ""
        lines.append(f"- {when}{event.title}")
    lines.append(f"Guide to IRPs for prison staff (April 2025), {_paragraphs(m.paragraph)}.")
    return "\n".join(lines)


def _paragraphs(numbers: str) -> str:
    if numbers.startswith("Appendix"):
        return numbers
    return f"paragraph{'s' * (',' in numbers)} {numbers}"


def _utc(now: datetime) -> datetime:
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    return now.replace(microsecond=0)


def input_stamp(visits: Sequence[CalendarVisit]) -> datetime:
    """The ``DTSTAMP`` of a calendar of ``visits``: midnight UTC of the latest date recorded in
    any visit's ``visit.status`` (its returns included), else of the latest previous
    inspection's last day. Derived from the input only, so repeat runs give the same bytes."""
    days: list[date] = []
    for item in visits:
        status = item.visit.visit.status
        days.extend(d for d in status.model_dump().values() if isinstance(d, date))
        days.extend(status.returns.values())
        days.append(item.visit.previous_inspection.last_day)
    return datetime.combine(max(days), time(), tzinfo=UTC)


def build_ics(
    visits: Sequence[CalendarVisit],
    *,
    now: datetime | None = None,
    name: str | None = None,
    keep: Callable[[Milestone], bool] | None = None,
    timed: bool = True,
) -> bytes:
    """The iCalendar file for ``visits``. ``keep`` chooses the milestones (all by default);
    ``timed`` adds the timed events of the visit days' schedules. ``now`` is the ``DTSTAMP``;
    by default :func:`input_stamp`."""
    stamp = _utc(input_stamp(visits) if now is None else now)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name is None:
        name = f"IRP: {visits[0].visit.establishment.name}" if len(visits) == 1 else "IRP deadlines"
    cal.add("x-wr-calname", name)
    events: list[Event] = []
    for item in visits:
        events.extend(_events(item, stamp, keep, timed))
    if any("TZID" in ev["dtstart"].params for ev in events):
        cal.add_component(london_timezone())
    for ev in events:
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data


def _events(
    item: CalendarVisit,
    stamp: datetime,
    keep: Callable[[Milestone], bool] | None,
    timed: bool,
) -> Iterable[Event]:
    prefix = f"{item.visit.establishment.name} IRP"
    for m in item.timeline.milestones:
        if keep is not None and not keep(m):
            continue
        ev = Event()
        ev.add("uid", f"{item.uid_base}-{m.id}@{UID_DOMAIN}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", m.date)
        ev.add("dtend", m.last + timedelta(days=1))
        title = f"{prefix}: {m.title}"
        ev.add("summary", f"Done: {title}" if m.done is not None else title)
        ev.add("description", _description(m))
        ev.add("categories", [f"IRP {m.kind}"])
        # A visit day takes the whole day; other milestones do not block time.
        ev.add("transp", "OPAQUE" if m.id.startswith("visit-day-") else "TRANSPARENT")
        yield ev
        if not timed:
            continue
        seen: set[str] = set()
        for event in m.events:
            if event.start is None:
                continue
            key = event.key or f"{event.start:%H%M}"
            while key in seen:
                key += "x"
            seen.add(key)
            end = event.end or add_minutes(event.start, UNTIL_MINUTES)
            timed_ev = Event()
            timed_ev.add("uid", f"{item.uid_base}-{m.id}-{key}@{UID_DOMAIN}")
            timed_ev.add("dtstamp", stamp)
            timed_ev.add("dtstart", _local(m.date, event.start), parameters={"TZID": TZID})
            timed_ev.add("dtend", _local(m.date, end), parameters={"TZID": TZID})
            timed_ev.add("summary", f"{prefix}: {event.title}")
            lines = [f"{m.title}."]
            if event.attendees:
                lines.append(f"Who: {', '.join(event.attendees)}.")
            lines.append(
                "Indicative schedule; guide to IRPs for prison staff (April 2025), "
                f"{_paragraphs(event.paragraph)}."
            )
            timed_ev.add("description", "\n".join(lines) if event.attendees else " ".join(lines))
            where = item.visit.establishment.name
            timed_ev.add("location", f"{event.room}, {where}" if event.room else where)
            yield timed_ev


def _local(day: date, at: time) -> datetime:
    """Local (wall-clock) time; written with ``TZID=Europe/London``."""
    return datetime.combine(day, at)
