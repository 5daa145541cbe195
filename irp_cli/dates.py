"""Dates in words, the same whatever the computer's language settings.

* :func:`long_date` — ``2 June 2025``: British government letter style (no leading zero, no
  ordinal, no comma);
* :func:`day_date` — ``Monday 2 June 2025``;
* :func:`short_date` — ``Tue 21 Apr 2026``, for tables in the terminal.

And the one check of the years irp can work with (:func:`unsupported`): those whose England and
Wales bank holidays it knows (:mod:`irp_cli.calendar.workdays` builds its table for them).
"""

from __future__ import annotations

from datetime import date

MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"


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
