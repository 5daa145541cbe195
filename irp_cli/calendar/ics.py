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
* ``LAST-MODIFIED`` is the same instant and ``SEQUENCE`` counts its days since 1 January 2000,
  so a calendar written after more progress is recorded carries a higher sequence and
  replaces the events imported before (a date moved without anything new recorded keeps its
  sequence: clients that match events by UID still move it).
* Short titles ("HMP Ashcombe: documents due"); the full title, the dates (GOV.UK style:
  "Tuesday 14 April 2026", "12.30pm to 2pm") and the guide paragraph are in the description.
* A window of weeks or months (the letter window, the 8–12-month window for the IRP) is two
  events, the day it opens and the day it closes, instead of a banner across every day.
* With ``[calendar] reminder_days`` in ``irp.toml``, each deadline not yet done has a reminder
  (``VALARM``, a display alarm) that many days before.
* ``METHOD:PUBLISH``, ``PRODID``, ``VERSION:2.0``; lines end with CRLF and are folded at 75
  octets (done by the ``icalendar`` library).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from irp_cli.calendar.timeline import Milestone, Timeline
from irp_cli.dates import add_minutes, day_date, format_times
from irp_cli.visitfile.models import Visit

PRODID = "-//irp-cli//IRP timeline//EN"
TZID = "Europe/London"
UID_DOMAIN = "irp-cli"
#: A session with a start time and no end lasts this long in a calendar.
UNTIL_MINUTES = 30
#: SEQUENCE counts the days of the DTSTAMP since this day.
SEQUENCE_EPOCH = date(2000, 1, 1)

#: Short titles for calendar views (the full title is in the description).
SHORT_TITLES = {
    "previous-inspection": "previous full inspection",
    "letter-send-by": "latest day to send the letter",
    "liaison-officer": "liaison officer appointed",
    "coordinator-contact": "contact the prison",
    "staff-associations": "offer staff associations a meeting",
    "returns-due": "documents due",
    "attendance-list": "send attendance list and key holders",
    "imb-meeting": "arrange the IMB meeting",
    "debrief": "debrief with the governor",
    "draft-report": "draft report to the governor",
    "publication-deadline": "report published",
    "follow-up-inspection": "next full inspection, not before",
}
WINDOW_TITLES = {"letter-window": "letter window", "irp-window": "window for the IRP"}


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


def short_title(m: Milestone) -> str:
    """``documents due``, ``visit day 1 of 3``: what a calendar's day view has room for."""
    if m.id in SHORT_TITLES:
        return SHORT_TITLES[m.id]
    if m.id in WINDOW_TITLES:
        return WINDOW_TITLES[m.id]
    return (
        m.title[0].lower() + m.title[1:]
        if m.title[:1].isupper() and m.title[1:2].islower()
        else m.title
    )


def _description(m: Milestone) -> str:
    lines = [f"{m.title}."]
    if m.end is not None:
        lines.append(f"{day_date(m.date)} to {day_date(m.end)}.")
    if m.note:
        lines.append(m.note[0].upper() + m.note[1:] + ".")
    if m.done is not None:
        lines.append(f"Done {day_date(m.done)}.")
    for event in m.events:
        when = format_times(event.start, event.end)
        lines.append(f"- {when}: {event.title}" if when else f"- {event.title}")
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
    reminder_days: int | None = None,
) -> bytes:
    """The iCalendar file for ``visits``. ``keep`` chooses the milestones (all by default);
    ``timed`` adds the timed events of the visit days' schedules; ``reminder_days`` puts a
    reminder that many days before each deadline not yet done. ``now`` is the ``DTSTAMP``;
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
        events.extend(_events(item, stamp, keep, timed, reminder_days))
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
    reminder_days: int | None,
) -> Iterable[Event]:
    prefix = item.visit.establishment.name
    for m in item.timeline.milestones:
        if keep is not None and not keep(m):
            continue
        title = f"{prefix}: {short_title(m)}"
        uid = f"{item.uid_base}-{m.id}"
        if m.kind == "window" and m.end is not None:  # the day it opens, the day it closes
            days = [(uid, m.date, f"{title} opens"), (f"{uid}-end", m.end, f"{title} closes")]
        else:
            days = [(uid, m.date, title)]
        for n, (event_uid, day, summary) in enumerate(days):
            ev = _all_day(event_uid, stamp, day, m.last if len(days) == 1 else day)
            ev.add("summary", f"Done: {summary}" if m.done is not None else summary)
            ev.add("description", _description(m))
            ev.add("categories", [f"IRP {m.kind}"])
            # A visit day takes the whole day; other milestones do not block time.
            ev.add("transp", "OPAQUE" if m.id.startswith("visit-day-") else "TRANSPARENT")
            if reminder_days is not None and m.kind == "deadline" and m.done is None and not n:
                ev.add_component(_reminder(reminder_days, summary))
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
            timed_ev.add("sequence", _sequence(stamp))
            timed_ev.add("last-modified", stamp)
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


def _sequence(stamp: datetime) -> int:
    return (stamp.date() - SEQUENCE_EPOCH).days


def _all_day(uid: str, stamp: datetime, first: date, last: date) -> Event:
    ev = Event()
    ev.add("uid", f"{uid}@{UID_DOMAIN}")
    ev.add("dtstamp", stamp)
    ev.add("sequence", _sequence(stamp))
    ev.add("last-modified", stamp)
    ev.add("dtstart", first)
    ev.add("dtend", last + timedelta(days=1))
    return ev


def _reminder(days: int, summary: str) -> Alarm:
    """A display alarm ``days`` before the start of the (all-day) event."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(days=-days))
    return alarm


def _local(day: date, at: time) -> datetime:
    """Local (wall-clock) time; written with ``TZID=Europe/London``."""
    return datetime.combine(day, at)
