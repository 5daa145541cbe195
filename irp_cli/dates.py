"""Dates in words, the same whatever the computer's language settings.

* :func:`long_date` — ``2 June 2025``: British government letter style (no leading zero, no
  ordinal, no comma);
* :func:`day_date` — ``Monday 2 June 2025``;
* :func:`short_date` — ``Tue 21 Apr 2026``, for tables in the terminal;
* :func:`span_dates` — ``8 and 13–15 May 2024``: visit days as published reports write them;
* :func:`format_time` — ``12.30pm``, ``9am``, ``midday`` (GOV.UK style, as the guide writes).

And the one check of the years irp can work with (:func:`unsupported`): those whose England and
Wales bank holidays it knows (:mod:`irp_cli.calendar.workdays` builds its table for them).
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date, time

from irp_cli.text import join_words

MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})", re.ASCII)


def day_first(text: str) -> date | None:
    """The date that ``text`` is when written day first, as people in the UK write dates
    (``09/06/2025``, ``9.6.2025``, ``9-6-2025``), or None. Used only to say how to write it
    YYYY-MM-DD: such a date is never accepted as it is (``06/09`` could be either)."""
    found = _DAY_FIRST.fullmatch(text.strip())
    if not found:
        return None
    try:
        return date(int(found[4]), int(found[3]), int(found[1]))
    except ValueError:
        return None


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"


@functools.lru_cache(maxsize=4096)  # a folder's deadlines show the same few hundred dates
def short_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"


#: The first and last years irp knows the bank holidays for.
FIRST_YEAR = 2000
LAST_YEAR = 2045
FIRST_DAY = date(FIRST_YEAR, 1, 1)
LAST_DAY = date(LAST_YEAR, 12, 31)
SUPPORTED = f"irp knows England and Wales bank holidays for {FIRST_YEAR} to {LAST_YEAR} only"


def unsupported(value: date | int, what: str = "date") -> str | None:
    """Why a date (or a year) cannot be used, or None when it lies in the supported years:
    ``"{what} 2046-01-05 is outside the supported years: irp knows ..."``."""
    if isinstance(value, date):
        if FIRST_DAY <= value <= LAST_DAY:
            return None
        return f"{what} {value.isoformat()} is outside the supported years: {SUPPORTED}"
    if FIRST_YEAR <= value <= LAST_YEAR:
        return None
    return f"{what} {value} is outside the supported years: {SUPPORTED}"


def recorded_by(day: date | None, today: date) -> date | None:
    """A date recorded as done (``visit.status``), if it is on or before ``today``: one still
    to come is not done yet (the rule ``status-in-future`` warns of it). The one test of
    "done" for everything shown against today or a document's date."""
    return day if day is not None and day <= today else None


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar ``months`` (back when negative), on the same day of the
    month or the month's last day when it is shorter: 31 August + 6 months is 28 (or 29)
    February. As dateutil's ``relativedelta(months=...)``, without its cost on every date."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


def add_minutes(at: time, minutes: int) -> time:
    """``at`` plus ``minutes``, no later than 23:59 (a session never runs into the next day)."""
    total = min(at.hour * 60 + at.minute + minutes, 23 * 60 + 59)
    return time(total // 60, total % 60)


def span_dates(days: list[date] | tuple[date, ...]) -> str:
    """Visit days as published reports write them: ``21–23 April 2026``; a split visit
    ``8 and 13–15 May 2024``; across months ``29 April–1 May 2024`` or ``30 April and
    13–15 May 2024``; across years ``30 December 2025–2 January 2026``. Days in a row (by the
    calendar) are one run, with an en dash; the month and year are said once where shared."""
    ordered = sorted(set(days))
    if not ordered:
        return ""
    runs: list[list[date]] = []
    for day in ordered:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    words = []
    for n, run in enumerate(runs):
        first, last = run[0], run[-1]
        following = runs[n + 1][0] if n + 1 < len(runs) else None
        end_month = following is None or (following.month, following.year) != (
            last.month,
            last.year,
        )
        end_year = following is None or following.year != last.year
        text = _day_words(last, month=end_month, year=end_year)
        if first != last:
            start = _day_words(
                first,
                month=first.month != last.month or first.year != last.year,
                year=first.year != last.year,
            )
            text = f"{start}–{text}"
        words.append(text)
    return join_words(words)


def _day_words(day: date, *, month: bool, year: bool) -> str:
    text = str(day.day)
    if month or year:
        text += f" {MONTHS[day.month - 1]}"
    if year:
        text += f" {day.year}"
    return text


def format_time(value: time) -> str:
    """``12.30pm``, ``9am``, ``midday``: the guide's own style (3.1)."""
    if value == time(12, 0):
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    minutes = f".{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{suffix}"


def format_times(start: time | None, end: time | None) -> str:
    """``12.30pm``, ``12.30pm to 2pm``, or empty when the event has no set time."""
    if start is None:
        return ""
    return format_time(start) if end is None else f"{format_time(start)} to {format_time(end)}"
