"""The working-day core: a hand-checked table, properties, range errors and the disk cache.

Every expected value in CASES was worked out by hand from a printed calendar
(``python -c 'import calendar; print(calendar.month(2026, 12))'``) and GOV.UK's list of
England-and-Wales bank holidays, not by running the code. The reasoning is in each row's
comment: the days counted are numbered, the days skipped say why.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from irp_cli import paths
from irp_cli.calendar import workdays
from irp_cli.calendar.workdays import (
    FIRST_DAY,
    LAST_DAY,
    MAX_DAYS,
    Calendar,
    OutOfRange,
    calendar,
)

D = date


@pytest.fixture(autouse=True, scope="module")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Never write the bank-holiday cache to the real user cache folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IRP_CACHE_DIR", str(tmp_path_factory.mktemp("irp-cache")))
        yield


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return calendar()


# --------------------------------------------------------------------------- the table

# (op, start, n_or_end, expected)
CASES: list[tuple[str, date, int | date, date | int]] = [
    # ---- Christmas and New Year
    # Thu 24 Dec 2020: Fri 25 Christmas, Sat, Sun, Mon 28 Boxing Day (substitute) -> Tue 29 (1)
    ("add", D(2020, 12, 24), 1, D(2020, 12, 29)),
    # ...Tue 29 (1), Wed 30 (2), Thu 31 (3), Fri 1 Jan New Year, Sat, Sun, Mon 4 Jan (4)
    ("add", D(2020, 12, 24), 4, D(2021, 1, 4)),
    # 2021, Christmas on Saturday: Sat 25, Sun 26, Mon 27 + Tue 28 substitutes -> Wed 29 (1)
    ("add", D(2021, 12, 24), 1, D(2021, 12, 29)),
    # Fri 31 Dec 2021: Sat 1 Jan, Sun 2, Mon 3 New Year (substitute) -> Tue 4 Jan 2022 (1)
    ("add", D(2021, 12, 31), 1, D(2022, 1, 4)),
    # back from Tue 4 Jan 2022: Mon 3 substitute, Sun, Sat -> Fri 31 Dec 2021 (1)
    ("sub", D(2022, 1, 4), 1, D(2021, 12, 31)),
    # 2022, Christmas on Sunday: Sat 24, Sun 25, Mon 26 Boxing Day, Tue 27 Christmas
    # (substitute) -> Wed 28 (1)
    ("add", D(2022, 12, 23), 1, D(2022, 12, 28)),
    # Fri 30 Dec 2022: Sat 31, Sun 1 Jan, Mon 2 Jan New Year (substitute) -> Tue 3 Jan 2023
    ("add", D(2022, 12, 30), 1, D(2023, 1, 3)),
    # 2027, Christmas on Saturday: Sat, Sun, Mon 27 + Tue 28 substitutes, Wed 29 (1), Thu 30 (2)
    ("add", D(2027, 12, 24), 2, D(2027, 12, 30)),
    # Fri 31 Dec 2027: Sat 1 Jan 2028, Sun 2, Mon 3 New Year (substitute) -> Tue 4 Jan 2028
    ("add", D(2027, 12, 31), 1, D(2028, 1, 4)),
    # Thu 24 Dec 2026: Fri 25, Sat 26, Sun 27, Mon 28 (Boxing substitute), Tue 29 (1), Wed 30 (2),
    # Thu 31 (3), Fri 1 Jan, Sat, Sun, Mon 4 (4), Tue 5 (5)
    ("add", D(2026, 12, 24), 5, D(2027, 1, 5)),
    ("between", D(2026, 12, 24), D(2027, 1, 5), 5),
    ("between", D(2027, 1, 5), D(2026, 12, 24), -5),
    # back from Mon 4 Jan 2027: Sun, Sat, Fri 1 Jan, Thu 31 (1), Wed 30 (2), Tue 29 (3)
    ("sub", D(2027, 1, 4), 3, D(2026, 12, 29)),
    # ---- Easter
    # Thu 2 Apr 2026: Fri 3 Good Friday, Sat, Sun, Mon 6 Easter Monday -> Tue 7 (1)
    ("add", D(2026, 4, 2), 1, D(2026, 4, 7)),
    ("sub", D(2026, 4, 7), 1, D(2026, 4, 2)),
    # (Thu 17, Tue 22 Apr 2025]: Fri 18 GF, Sat, Sun, Mon 21 EM, Tue 22 (1)
    ("between", D(2025, 4, 17), D(2025, 4, 22), 1),
    # Easter across a month end: Fri 29 Mar 2024 GF, Sat, Sun, Mon 1 Apr EM -> Tue 2 Apr (1)
    ("add", D(2024, 3, 28), 1, D(2024, 4, 2)),
    # Thu 14 Apr 2022: Fri 15 GF, Sat, Sun, Mon 18 EM, Tue 19 (1), Wed 20 (2)
    ("add", D(2022, 4, 14), 2, D(2022, 4, 20)),
    # ---- summer bank holiday (England and Wales: last Monday of August)
    # Fri 28 Aug 2026: Sat, Sun, Mon 31 Aug -> Tue 1 Sep (1)
    ("add", D(2026, 8, 28), 1, D(2026, 9, 1)),
    # ---- one-off days
    # 2020: early May holiday moved to Fri 8 May (VE day): Sat, Sun -> Mon 11 (1)
    ("add", D(2020, 5, 7), 1, D(2020, 5, 11)),
    # ...so Mon 4 May 2020 was a working day: (Fri 1, Mon 4] = Sat, Sun, Mon 4 (1)
    ("between", D(2020, 5, 1), D(2020, 5, 4), 1),
    # 2022: spring holiday moved to Thu 2 June, Platinum Jubilee Fri 3 June -> Mon 6 (1)
    ("add", D(2022, 6, 1), 1, D(2022, 6, 6)),
    # ...so Mon 30 May 2022 was a working day: (Fri 27, Mon 30] = 1
    ("between", D(2022, 5, 27), D(2022, 5, 30), 1),
    # 2022 State Funeral, Mon 19 Sep: Fri 16 -> Sat, Sun, Mon 19 -> Tue 20 (1)
    ("add", D(2022, 9, 16), 1, D(2022, 9, 20)),
    # (Fri 16, Fri 23 Sep 2022]: Tue 20, Wed 21, Thu 22, Fri 23 = 4
    ("between", D(2022, 9, 16), D(2022, 9, 23), 4),
    # 2023 Coronation, Mon 8 May: back from Tue 9: Mon 8, Sun, Sat -> Fri 5 (1)
    ("sub", D(2023, 5, 9), 1, D(2023, 5, 5)),
    # May 2023 has 23 weekdays, less Mon 1, Mon 8 (Coronation), Mon 29 = 20
    ("between", D(2023, 4, 28), D(2023, 5, 31), 20),
    # ---- starting on a weekend or a holiday
    # Sat 7 Mar 2026 -> Sun, Mon 9 (1)
    ("add", D(2026, 3, 7), 1, D(2026, 3, 9)),
    # Sun 8 Mar 2026 -> Mon 9 (1) ... Fri 13 (5)
    ("add", D(2026, 3, 8), 5, D(2026, 3, 13)),
    # back from Sun 8 Mar 2026: Sat 7 -> Fri 6 (1)
    ("sub", D(2026, 3, 8), 1, D(2026, 3, 6)),
    # Christmas Day 2026 (Fri): Sat, Sun, Mon 28 substitute -> Tue 29 (1)
    ("add", D(2026, 12, 25), 1, D(2026, 12, 29)),
    # back from Mon 28 Dec 2026 (substitute): Sun, Sat, Fri 25 -> Thu 24 (1)
    ("sub", D(2026, 12, 28), 1, D(2026, 12, 24)),
    ("between", D(2026, 3, 7), D(2026, 3, 8), 0),  # Sat to Sun: nothing
    ("between", D(2026, 3, 6), D(2026, 3, 9), 1),  # Fri to Mon: the Monday
    ("between", D(2026, 3, 9), D(2026, 3, 9), 0),
    # ---- N = 0: the day itself if it is a working day, else the next (add) / last (sub)
    ("add", D(2026, 3, 9), 0, D(2026, 3, 9)),
    ("sub", D(2026, 3, 9), 0, D(2026, 3, 9)),
    ("add", D(2026, 3, 7), 0, D(2026, 3, 9)),
    ("sub", D(2026, 3, 7), 0, D(2026, 3, 6)),
    ("add", D(2026, 12, 25), 0, D(2026, 12, 29)),
    ("sub", D(2026, 12, 28), 0, D(2026, 12, 24)),
    # ---- the guide's own uses
    # 2.10 returns due 5 working days before a visit starting Mon 9 Mar 2026:
    # Fri 6 (1), Thu 5 (2), Wed 4 (3), Tue 3 (4), Mon 2 (5)
    ("sub", D(2026, 3, 9), 5, D(2026, 3, 2)),
    # 2.10, visit starting Tue 7 Apr 2026 (after Easter): Mon 6 EM, Sun, Sat, Fri 3 GF,
    # Thu 2 (1), Wed 1 (2), Tue 31 Mar (3), Mon 30 (4), Sun, Sat, Fri 27 (5)
    ("sub", D(2026, 4, 7), 5, D(2026, 3, 27)),
    # 2.10, visit starting Mon 9 Jan 2023: Fri 6 (1), Thu 5 (2), Wed 4 (3), Tue 3 (4),
    # Mon 2 New Year substitute, Sun 1, Sat 31, Fri 30 Dec 2022 (5)
    ("sub", D(2023, 1, 9), 5, D(2022, 12, 30)),
    # 5.1 publication 25 working days after a visit ending Wed 11 Mar 2026: Thu 12 (1),
    # Fri 13 (2), 16-20 (3-7), 23-27 (8-12), Mon 30 (13), Tue 31 (14), Wed 1 Apr (15),
    # Thu 2 (16), Fri 3 GF, Mon 6 EM, Tue 7 (17) ... Fri 10 (20), Mon 13 (21) ... Fri 17 (25)
    ("add", D(2026, 3, 11), 25, D(2026, 4, 17)),
    # 5.1, visit ending Wed 2 Dec 2026: Thu 3 (1), Fri 4 (2), 7-11 (3-7), 14-18 (8-12),
    # 21-24 (13-16), Fri 25 + Mon 28 holidays, 29-31 (17-19), Fri 1 Jan, Mon 4 (20) ...
    # Fri 8 (24), Mon 11 Jan 2027 (25)
    ("add", D(2026, 12, 2), 25, D(2027, 1, 11)),
    # ---- the edges of the supported years
    # 1 Jan 2000 is a Saturday; Mon 3 Jan 2000 was New Year's substitute: back from Wed 5 Jan,
    # Tue 4 (1)
    ("sub", D(2000, 1, 5), 1, D(2000, 1, 4)),
    # Thu 28 Dec 2045 -> Fri 29 (1)
    ("add", D(2045, 12, 28), 1, D(2045, 12, 29)),
]


def _case_id(case: tuple[str, date, int | date, date | int]) -> str:
    op, start, arg, expected = case
    return f"{op}({start},{arg})={expected}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_hand_checked(cal: Calendar, case: tuple[str, date, int | date, date | int]) -> None:
    op, start, arg, expected = case
    if op == "add":
        assert isinstance(arg, int)
        assert cal.add(start, arg) == expected
    elif op == "sub":
        assert isinstance(arg, int)
        assert cal.sub(start, arg) == expected
    else:
        assert isinstance(arg, date)
        assert cal.between(start, arg) == expected


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 30


# --------------------------------------------------------------------------- single days

ENGLAND_AND_WALES_2022 = [
    (D(2022, 1, 3), "New Year's Day (substitute day)"),
    (D(2022, 4, 15), "Good Friday"),
    (D(2022, 4, 18), "Easter Monday"),
    (D(2022, 5, 2), "Early May bank holiday"),
    (D(2022, 6, 2), "Spring bank holiday"),
    (D(2022, 6, 3), "Platinum Jubilee of Elizabeth II"),
    (D(2022, 8, 29), "Summer bank holiday"),
    (D(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
    (D(2022, 12, 26), "Boxing Day"),
    (D(2022, 12, 27), "Christmas Day (substitute day)"),
]


def test_holidays_in_2022_matches_gov_uk(cal: Calendar) -> None:
    assert cal.holidays_in(2022) == ENGLAND_AND_WALES_2022


def test_holidays_in_2026(cal: Calendar) -> None:
    assert [d for d, _ in cal.holidays_in(2026)] == [
        D(2026, 1, 1),
        D(2026, 4, 3),
        D(2026, 4, 6),
        D(2026, 5, 4),
        D(2026, 5, 25),
        D(2026, 8, 31),
        D(2026, 12, 25),
        D(2026, 12, 28),
    ]
    weekend = cal.holidays_in(2026, include_weekends=True)
    assert (D(2026, 12, 26), "Boxing Day") in weekend
    assert len(weekend) == 9


def test_2020_ve_day_name(cal: Calendar) -> None:
    assert (D(2020, 5, 8), "Early May bank holiday (VE day)") in cal.holidays_in(2020)
    assert cal.is_working_day(D(2020, 5, 4))


def test_2023_coronation(cal: Calendar) -> None:
    assert cal.why_not_working(D(2023, 5, 8)) == "Coronation of Charles III"


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 2),  # Scotland: 2 January
        D(2026, 6, 15),  # Scotland: a one-off day in the holidays package
        D(2026, 8, 3),  # Scotland: summer bank holiday, first Monday of August
        D(2026, 11, 30),  # Scotland: St Andrew's Day, a Monday in 2026
        D(2026, 3, 17),  # Northern Ireland: St Patrick's Day
        D(2026, 7, 13),  # Northern Ireland: Battle of the Boyne (substitute for Sun 12 July)
    ],
    ids=str,
)
def test_scotland_and_northern_ireland_days_are_working_days(cal: Calendar, day: date) -> None:
    assert cal.is_working_day(day)
    assert cal.why_not_working(day) is None


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 3, 7), "Saturday"),
        (D(2026, 3, 8), "Sunday"),
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 26), "Saturday (also Boxing Day)"),
        (D(2026, 12, 28), "Boxing Day (substitute day)"),
        (D(2026, 4, 6), "Easter Monday"),  # not a holiday in Scotland; is in England and Wales
        (D(2026, 8, 31), "Summer bank holiday"),  # Scotland's is 3 August
        (D(2021, 12, 27), "Christmas Day (substitute day)"),
        (D(2026, 3, 9), None),
    ],
    ids=str,
)
def test_why_not_working(cal: Calendar, day: date, reason: str | None) -> None:
    assert cal.why_not_working(day) == reason
    assert cal.is_working_day(day) == (reason is None)


# --------------------------------------------------------------------------- closures


def test_closures_are_not_working_days() -> None:
    closed = calendar({D(2026, 12, 24): "closure (irp.toml)", D(2026, 12, 25): "closure (x)"})
    # Thu 24 closure, Fri 25, Sat, Sun, Mon 28 -> Tue 29 (1)
    assert closed.add(D(2026, 12, 23), 1) == D(2026, 12, 29)
    assert closed.why_not_working(D(2026, 12, 24)) == "closure (irp.toml)"
    assert closed.why_not_working(D(2026, 12, 25)) == "Christmas Day (also closure (x))"
    assert calendar().is_working_day(D(2026, 12, 24))  # the plain calendar is unchanged


def test_closures_as_plain_dates_and_cached() -> None:
    first = calendar([D(2026, 3, 10)])
    assert first.why_not_working(D(2026, 3, 10)) == "closure"
    assert calendar([D(2026, 3, 10)]) is first
    assert calendar() is calendar(())
    # Mon 9 (1), Tue 10 closed, Wed 11 (2)
    assert first.add(D(2026, 3, 8), 2) == D(2026, 3, 11)


def test_closures_outside_the_supported_years_are_ignored() -> None:
    assert calendar([D(1990, 1, 2), D(2099, 1, 2)]).closures == {}


def test_every_day_of_every_supported_year_is_weekday_and_not_a_holiday_or_closure() -> None:
    """The calendar's table of working days, built a week at a time, against the definition."""
    closures = {D(2000, 1, 4): "closure", D(2026, 12, 24): "closure", D(2045, 12, 29): "closure"}
    closed = calendar(closures)
    days = [FIRST_DAY + timedelta(n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
    expected = [
        d.weekday() < 5 and d not in closed.bank_holidays and d not in closures for d in days
    ]
    assert [closed.is_working_day(d) for d in days] == expected
    assert closed.between(FIRST_DAY, LAST_DAY) == sum(expected[1:])


def test_calendar_is_immutable(cal: Calendar) -> None:
    with pytest.raises(AttributeError):
        cal.closures = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        cal.bank_holidays[D(2026, 3, 9)] = "x"  # type: ignore[index]


# --------------------------------------------------------------------------- skipped


def test_skipped_forwards(cal: Calendar) -> None:
    assert cal.skipped(D(2026, 12, 24), D(2027, 1, 5)) == [
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 26), "Saturday (also Boxing Day)"),
        (D(2026, 12, 27), "Sunday"),
        (D(2026, 12, 28), "Boxing Day (substitute day)"),
        (D(2027, 1, 1), "New Year's Day"),
        (D(2027, 1, 2), "Saturday"),
        (D(2027, 1, 3), "Sunday"),
    ]


def test_skipped_backwards_excludes_start_includes_end(cal: Calendar) -> None:
    # counting back from Sun 8 Mar 2026 to Sat 7: [end, start) = just the Saturday
    assert cal.skipped(D(2026, 3, 8), D(2026, 3, 7)) == [(D(2026, 3, 7), "Saturday")]
    assert cal.skipped(D(2026, 3, 9), D(2026, 3, 9)) == []


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("n", [-1, MAX_DAYS + 1, 10**9], ids=str)
def test_bad_n_is_refused(cal: Calendar, n: int) -> None:
    """A guard for callers: the command line checks what a user types first (exit 2)."""
    for op in (cal.add, cal.sub):
        with pytest.raises(ValueError, match="working days"):
            op(D(2026, 3, 9), n)


def test_bool_is_not_a_number(cal: Calendar) -> None:
    with pytest.raises(TypeError):
        cal.add(D(2026, 3, 9), True)


def test_max_days_is_allowed(cal: Calendar) -> None:
    end = cal.add(D(2026, 3, 9), MAX_DAYS)
    assert cal.between(D(2026, 3, 9), end) == MAX_DAYS


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add(D(1999, 12, 31), 1),
        lambda c: c.sub(D(2046, 1, 1), 1),
        lambda c: c.between(D(2026, 1, 1), D(2050, 1, 1)),
        lambda c: c.is_working_day(D(1999, 12, 31)),
        lambda c: c.holidays_in(2046),
        # answers outside the range: Fri 29 Dec 2045 + 1 would be in 2046
        lambda c: c.add(D(2045, 12, 29), 1),
        lambda c: c.add(D(2045, 12, 30), 0),
        # back from Tue 4 Jan 2000: Mon 3 holiday, Sun 2, Sat 1, then 1999
        lambda c: c.sub(D(2000, 1, 4), 1),
    ],
    ids=[
        "add-1999",
        "sub-2046",
        "between-2050",
        "is-1999",
        "year-2046",
        "add-past-end",
        "add0-past-end",
        "sub-before-start",
    ],
)
def test_out_of_range_names_the_range(cal: Calendar, call: Callable[[Calendar], object]) -> None:
    with pytest.raises(OutOfRange) as info:
        call(cal)
    assert "2000 to 2045" in str(info.value)
    assert info.value.findings[0].code == "out-of-range"  # exit 2 or 1: the caller decides


# --------------------------------------------------------------------------- properties

DAYS = (LAST_DAY - FIRST_DAY).days


def _brute_add(cal: Calendar, start: date, n: int) -> date:
    """add() the slow way: walk forward a day at a time."""
    day, counted = start, 0
    if n == 0:
        while not cal.is_working_day(day):
            day += timedelta(days=1)
        return day
    while counted < n:
        day += timedelta(days=1)
        counted += cal.is_working_day(day)
    return day


def _brute_sub(cal: Calendar, start: date, n: int) -> date:
    day, counted = start, 0
    if n == 0:
        while not cal.is_working_day(day):
            day -= timedelta(days=1)
        return day
    while counted < n:
        day -= timedelta(days=1)
        counted += cal.is_working_day(day)
    return day


def _random_cases(count: int) -> list[tuple[date, int]]:
    rng = random.Random(20260309)
    margin = 400  # days, so that N up to 250 stays inside the supported years
    return [
        (FIRST_DAY + timedelta(days=rng.randrange(margin, DAYS - margin)), rng.randrange(0, 250))
        for _ in range(count)
    ]


@pytest.mark.parametrize("seeded", [_random_cases(400)], ids=["400-random"])
def test_matches_day_by_day_walk(cal: Calendar, seeded: list[tuple[date, int]]) -> None:
    for start, n in seeded:
        assert cal.add(start, n) == _brute_add(cal, start, n), (start, n)
        assert cal.sub(start, n) == _brute_sub(cal, start, n), (start, n)


@pytest.mark.parametrize("seeded", [_random_cases(2000)], ids=["2000-random"])
def test_round_trips(cal: Calendar, seeded: list[tuple[date, int]]) -> None:
    for start, n in seeded:
        later, earlier = cal.add(start, n), cal.sub(start, n)
        assert cal.is_working_day(later) and cal.is_working_day(earlier)
        working = cal.is_working_day(start)
        if n >= 1:
            assert later > start and earlier < start
            assert cal.between(start, later) == n
            assert cal.between(earlier, start) == n - 1 + working
            # coming back N from add(S, N) lands on S, or the working day before S
            assert cal.sub(later, n) == cal.sub(start, 0)
            assert cal.add(earlier, n) == cal.add(start, 0)
        else:
            assert (later == start) == working == (earlier == start)
        assert cal.between(later, start) == -cal.between(start, later)
        assert cal.between(earlier, start) + cal.between(start, later) == cal.between(
            earlier, later
        )


# --------------------------------------------------------------------------- the disk cache


@pytest.fixture(scope="module")
def real_table() -> dict[date, str]:
    return workdays.compute_bank_holidays()


def _no_compute() -> dict[date, str]:
    raise AssertionError("the cache should have been used")


def test_cache_miss_then_hit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_table: dict[date, str]
) -> None:
    calls: list[int] = []

    def compute() -> dict[date, str]:
        calls.append(1)
        return dict(real_table)

    monkeypatch.setattr(workdays, "compute_bank_holidays", compute)
    assert workdays.load_bank_holidays(tmp_path) == real_table
    assert calls == [1]
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [
        f"bank-holidays-ENG-2000-2045-holidays-{workdays.holidays_version()}-v1.json"
    ]
    monkeypatch.setattr(workdays, "compute_bank_holidays", _no_compute)
    assert workdays.load_bank_holidays(tmp_path) == real_table


def test_cache_is_keyed_by_holidays_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_table: dict[date, str]
) -> None:
    monkeypatch.setattr(workdays, "compute_bank_holidays", lambda: dict(real_table))
    workdays.load_bank_holidays(tmp_path)
    monkeypatch.setattr(workdays, "holidays_version", lambda: "99.0")
    calls: list[int] = []

    def compute() -> dict[date, str]:
        calls.append(1)
        return dict(real_table)

    monkeypatch.setattr(workdays, "compute_bank_holidays", compute)
    assert workdays.load_bank_holidays(tmp_path) == real_table
    assert calls == [1]
    assert len(list(tmp_path.glob("*.json"))) == 2


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "",
        "[]",
        '{"format": 1}',
        "\x00\x01",
    ],
    ids=["broken-json", "empty", "list", "missing-keys", "binary"],
)
def test_corrupt_cache_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_table: dict[date, str], content: str
) -> None:
    version = workdays.holidays_version()
    assert version is not None
    path = workdays.cache_file(tmp_path, version)
    path.write_text(content, encoding="utf-8")
    monkeypatch.setattr(workdays, "compute_bank_holidays", lambda: dict(real_table))
    assert workdays.load_bank_holidays(tmp_path) == real_table
    # rewritten with good content, which the next load uses
    monkeypatch.setattr(workdays, "compute_bank_holidays", _no_compute)
    assert workdays.load_bank_holidays(tmp_path) == real_table


def test_tampered_cache_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_table: dict[date, str]
) -> None:
    monkeypatch.setattr(workdays, "compute_bank_holidays", lambda: dict(real_table))
    workdays.load_bank_holidays(tmp_path)
    version = workdays.holidays_version()
    assert version is not None
    path = workdays.cache_file(tmp_path, version)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["holidays"] = {k: v for k, v in data["holidays"].items() if not k.startswith("2026")}
    path.write_text(json.dumps(data), encoding="utf-8")
    calls: list[int] = []

    def compute() -> dict[date, str]:
        calls.append(1)
        return dict(real_table)

    monkeypatch.setattr(workdays, "compute_bank_holidays", compute)
    assert workdays.load_bank_holidays(tmp_path) == real_table
    assert calls == [1]


def test_unwritable_cache_is_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_table: dict[date, str]
) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x", encoding="utf-8")
    monkeypatch.setattr(workdays, "compute_bank_holidays", lambda: dict(real_table))
    assert workdays.load_bank_holidays(not_a_dir / "irp") == real_table
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_cache_leaves_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_table: dict[date, str]
) -> None:
    monkeypatch.setattr(workdays, "compute_bank_holidays", lambda: dict(real_table))
    workdays.load_bank_holidays(tmp_path / "new" / "dir")
    assert [p.suffix for p in (tmp_path / "new" / "dir").iterdir()] == [".json"]


def test_cache_dir_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IRP_CACHE_DIR", str(tmp_path / "explicit"))
    assert paths.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("IRP_CACHE_DIR")
    if os.name != "nt":
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert paths.cache_dir() == tmp_path / "xdg" / "irp"


def test_holidays_version_matches_metadata() -> None:
    from importlib.metadata import version

    assert workdays.holidays_version() == version("holidays")


def test_cached_and_computed_tables_agree(real_table: dict[date, str]) -> None:
    assert dict(workdays.bank_holidays()) == real_table


# --------------------------------------------------------------------------- import cost

_PROBE = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('holidays' in sys.modules, file=sys.stderr))\n"
    "from irp_cli.cli import main\n"
    "sys.argv = ['irp', 'workdays', 'add', '2026-12-24', '5']\n"
    "main()\n"
)


@pytest.mark.slow
def test_importing_the_core_does_not_import_holidays() -> None:
    code = "import sys, irp_cli.calendar.workdays; print('holidays' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_warm_cache_avoids_importing_holidays(tmp_path: Path) -> None:
    env = {**os.environ, "IRP_CACHE_DIR": str(tmp_path / "cache"), "IRP_CONFIG": ""}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    runs = [
        subprocess.run(
            [sys.executable, "-c", _PROBE],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=True,
        )
        for _ in range(2)
    ]
    assert [r.stdout for r in runs] == ["2027-01-05\n", "2027-01-05\n"]
    assert [r.stderr.strip() for r in runs] == ["True", "False"]  # cold, then warm
