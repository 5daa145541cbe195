"""Dates in words, the same whatever the computer's language settings.

* :func:`long_date` — ``2 June 2025``: British government letter style (no leading zero, no
  ordinal, no comma);
* :func:`day_date` — ``Monday 2 June 2025``;
* :func:`short_date` — ``Tue 21 Apr 2026``, for tables in the terminal.
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
