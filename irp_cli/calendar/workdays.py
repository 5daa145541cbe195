"""Working-day arithmetic for England and Wales.

A **working day** is a Monday to Friday that is not an England-and-Wales bank holiday (including
substitute days, shown as "(substitute day)", and one-off days such as the 2022 State Funeral)
and not an extra closure day passed in (for example from ``[calendar] closures`` in
``irp.toml``). Wales shares England's list; Scotland's and Northern Ireland's days never count.

The bank holidays come from the ``holidays`` package (country ``GB``, subdivision ``ENG``) for
the years :data:`FIRST_YEAR` to :data:`LAST_YEAR`. A date outside those years, or an answer that
would fall outside them, is an :class:`OutOfRange` error that names the range.

Definitions (S, E are any dates, N a whole number from 0 to :data:`MAX_DAYS`):

``add(S, N)``
    for N >= 1, the working day D > S with exactly N working days in (S, D];
    for N = 0, S itself if S is a working day, otherwise the next working day after S.
``sub(S, N)``
    for N >= 1, the working day D < S with exactly N working days in [D, S);
    for N = 0, S itself if S is a working day, otherwise the last working day before S.
``between(S, E)``
    the number of working days d with S < d <= E when S <= E, and -between(E, S) when E < S.
    So ``between(S, S) == 0`` and ``between(a, b) + between(b, c) == between(a, c)`` always.

S may itself be a weekend, bank holiday or closure; the definitions do not need S to be a
working day. For N >= 1, ``between(S, add(S, N)) == N``; and
``between(sub(S, N), S) == N`` when S is a working day (N - 1 when it is not, because S is
never counted by ``sub`` but is counted by ``between``).

Speed: a :class:`Calendar` holds the sorted ordinals of every working day in the supported
years, so ``add``, ``sub`` and ``between`` are a binary search and an index, never a day-by-day
loop. :func:`calendar` builds each calendar once per process.

Start-up cost: ``holidays`` is only imported when the bank-holiday table is not already in the
on-disk cache (``$IRP_CACHE_DIR``, else ``$XDG_CACHE_HOME/irp``, else ``~/.cache/irp``;
``%LOCALAPPDATA%\\irp`` on Windows). The cache file is keyed by the installed ``holidays``
version, written atomically (a temporary file, then a rename), and ignored (then rebuilt) when
it is missing, corrupt or unwritable.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType

from irp_cli.dates import (
    FIRST_DAY,
    FIRST_YEAR,
    LAST_DAY,
    LAST_YEAR,
    SUPPORTED,
    WEEKDAYS,
    unsupported,
)
from irp_cli.errors import Finding, IrpError
from irp_cli.paths import cache_dir

#: The largest N accepted by :meth:`Calendar.add` and :meth:`Calendar.sub` (about 8 years).
MAX_DAYS = 2000

#: Bump when the cached table's content or shape changes.
CACHE_FORMAT = 1

COUNTRY = "GB"
SUBDIV = "ENG"


class OutOfRange(IrpError):
    """A date, or an answer, outside :data:`FIRST_YEAR`..:data:`LAST_YEAR`.

    The calendar does not know where the date came from, so it says nothing of exit codes: the
    command line makes a date typed there a usage error (exit 2), and the session places a
    date worked out from a visit file at its line (exit 1).
    """

    def __init__(self, message: str) -> None:
        super().__init__([Finding("irp", "error", "out-of-range", message)])


def _check_in_range(d: date, what: str = "date") -> None:
    if problem := unsupported(d, what):
        raise OutOfRange(problem)


def _check_n(n: int) -> None:
    """A guard for callers: numbers typed by a user are checked by the command line first
    (:func:`irp_cli.commands.options.parse_working_days`), those from irp.toml by its model."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"the number of working days must be a whole number, not {n!r}")
    if n < 0:
        raise ValueError(
            f"the number of working days must be 0 or more, not {n} "
            "(to count backwards, subtract instead of adding)"
        )
    if n > MAX_DAYS:
        raise ValueError(
            f"{n} working days is more than irp counts; the limit is {MAX_DAYS} (about 8 years)"
        )


# --------------------------------------------------------------------------- the holiday table


#: GOV.UK's names for the regular bank holidays whose ``holidays`` names differ.
_GOV_UK_NAMES = {
    "May Day": "Early May bank holiday",
    "Spring Bank Holiday": "Spring bank holiday",
    "Late Summer Bank Holiday": "Summer bank holiday",
}


def _rename(day: date, name: str) -> str:
    """GOV.UK's wording: 'Boxing Day (substitute day)', 'Early May bank holiday'. Names this
    table does not know (one-off days, or a renamed day in a new ``holidays``) pass through."""
    if day == date(2020, 5, 8) and name == "May Day":
        return "Early May bank holiday (VE day)"
    base, observed, _ = name.partition(" (observed)")
    base = _GOV_UK_NAMES.get(base, base)
    return f"{base} (substitute day)" if observed else base


def compute_bank_holidays() -> dict[date, str]:
    """Every England-and-Wales bank holiday in the supported years, from ``holidays``.

    Includes the weekend dates of holidays that have a substitute day (Boxing Day on Saturday
    26 December 2026 as well as its substitute on Monday 28 December). Slow: imports
    ``holidays`` (~100 ms) and builds the table (~100 ms).
    """
    import holidays

    table = holidays.country_holidays(
        COUNTRY, subdiv=SUBDIV, years=range(FIRST_YEAR, LAST_YEAR + 1)
    )
    return {day: _rename(day, str(name)) for day, name in sorted(table.items())}


_DIST_INFO = re.compile(r"holidays-([^-]+)\.dist-info", re.IGNORECASE)


def holidays_version() -> str | None:
    """The installed ``holidays`` version, without importing it (or ``importlib.metadata``,
    which alone costs ~40 ms): read from the ``holidays-X.Y.dist-info`` folder next to the
    package, falling back to ``importlib.metadata``. None when it cannot be found."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    site = Path(spec.origin).parent.parent
    try:
        with os.scandir(site) as entries:
            found = [m[1] for e in entries if (m := _DIST_INFO.fullmatch(e.name))]
    except OSError:
        found = []
    if len(found) == 1:
        return found[0]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:
        return None


def cache_file(directory: Path, version: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._+]", "_", version)
    name = f"bank-holidays-{SUBDIV}-{FIRST_YEAR}-{LAST_YEAR}-holidays-{safe}-v{CACHE_FORMAT}.json"
    return directory / name


def _read_cache(path: Path, version: str) -> dict[date, str] | None:
    """The cached table, or None if the file is missing, unreadable or not exactly as written."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != CACHE_FORMAT or data.get("holidays_version") != version:
            return None
        if data.get("country") != COUNTRY or data.get("subdiv") != SUBDIV:
            return None
        if data.get("years") != [FIRST_YEAR, LAST_YEAR]:
            return None
        raw = data["holidays"]
        table = {date.fromisoformat(k): v for k, v in raw.items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    if not all(isinstance(v, str) and v for v in table.values()):
        return None
    if any(not FIRST_DAY <= d <= LAST_DAY for d in table):
        return None
    years = {d.year for d in table}
    if years != set(range(FIRST_YEAR, LAST_YEAR + 1)) or len(table) < 8 * len(years):
        return None
    return table


def _write_cache(path: Path, version: str, table: Mapping[date, str]) -> bool:
    """Write atomically (temporary file + ``os.replace``); False, silently, on any OS error."""
    data = {
        "format": CACHE_FORMAT,
        "holidays_version": version,
        "country": COUNTRY,
        "subdiv": SUBDIV,
        "years": [FIRST_YEAR, LAST_YEAR],
        "holidays": {d.isoformat(): name for d, name in sorted(table.items())},
    }
    from irp_cli.files import write_cache

    return write_cache(path, json.dumps(data, ensure_ascii=False, indent=0).encode("utf-8"))


def load_bank_holidays(directory: Path | None = None) -> dict[date, str]:
    """The bank-holiday table: from the disk cache in ``directory`` when it is good, else
    computed (and then cached). Never fails because of the cache."""
    version = holidays_version()
    if directory is None or version is None:
        return compute_bank_holidays()
    path = cache_file(directory, version)
    cached = _read_cache(path, version)
    if cached is not None:
        return cached
    table = compute_bank_holidays()
    _write_cache(path, version, table)
    return table


@functools.cache
def bank_holidays() -> Mapping[date, str]:
    """The bank-holiday table, loaded once per process (see :func:`load_bank_holidays`)."""
    return MappingProxyType(load_bank_holidays(cache_dir()))


# --------------------------------------------------------------------------- the calendar


@dataclass(frozen=True, eq=False)
class Calendar:
    """England-and-Wales working days for the supported years, plus extra closure days.

    Immutable. Build it with :func:`calendar`, which caches it.
    """

    bank_holidays: Mapping[date, str]
    closures: Mapping[date, str]
    _working: tuple[int, ...]  # sorted ordinals of every working day in the supported years
    _mask: bytes  # 1 for a working day, indexed by ordinal - FIRST_DAY.toordinal()

    @classmethod
    def build(
        cls, bank_holidays: Mapping[date, str], closures: Mapping[date, str] | None = None
    ) -> Calendar:
        closed = {d: r for d, r in (closures or {}).items() if FIRST_DAY <= d <= LAST_DAY}
        first = FIRST_DAY.toordinal()
        size = LAST_DAY.toordinal() - first + 1
        # Ordinal 1 (1 January 0001) is a Monday, so the weekday of ordinal o is (o - 1) % 7:
        # the mask is Monday-to-Friday week after week from the first day's weekday on (built
        # whole rather than day by day: a few milliseconds of every run).
        week, start = b"\x01\x01\x01\x01\x01\x00\x00", (first - 1) % 7
        mask = bytearray((week[start:] + week[:start]) * (size // 7 + 1))[:size]
        for d in (*bank_holidays, *closed):
            if FIRST_DAY <= d <= LAST_DAY:
                mask[d.toordinal() - first] = 0
        working = tuple(itertools.compress(range(first, first + size), mask))
        return cls(
            bank_holidays=MappingProxyType(dict(bank_holidays)),
            closures=MappingProxyType(closed),
            _working=working,
            _mask=bytes(mask),
        )

    # ---- single days

    def is_working_day(self, d: date) -> bool:
        _check_in_range(d)
        return bool(self._mask[d.toordinal() - FIRST_DAY.toordinal()])

    def why_not_working(self, d: date) -> str | None:
        """None for a working day, else the reason: ``Saturday``, ``Christmas Day``,
        ``Boxing Day (substitute day)``, ``closure (irp.toml)``. A day with several reasons
        gives the first and the others in brackets: ``Saturday (also Boxing Day)``."""
        if self.is_working_day(d):
            return None
        reasons: list[str] = []
        if d.weekday() >= 5:
            reasons.append(WEEKDAYS[d.weekday()])
        if d in self.bank_holidays:
            reasons.append(self.bank_holidays[d])
        if d in self.closures:
            reasons.append(self.closures[d])
        if len(reasons) == 1:
            return reasons[0]
        return f"{reasons[0]} (also {'; '.join(reasons[1:])})"

    # ---- arithmetic

    def _count_to(self, d: date) -> int:
        """How many working days are on or before ``d`` (within the supported years)."""
        return bisect.bisect_right(self._working, d.toordinal())

    def _at(self, index: int, start: date, n: int, forward: bool) -> date:
        if not 0 <= index < len(self._working):
            edge = LAST_DAY if forward else FIRST_DAY
            side = "after" if forward else "before"
            raise OutOfRange(
                f"{n} working days {side} {start.isoformat()} falls {side} "
                f"{edge.isoformat()}: {SUPPORTED}"
            )
        return date.fromordinal(self._working[index])

    def add(self, start: date, n: int) -> date:
        """The working day D > start with exactly n working days in (start, D]; for n = 0,
        start itself if it is a working day, else the next working day."""
        _check_in_range(start, "start date")
        _check_n(n)
        after = self._count_to(start)  # index of the first working day > start
        if n == 0:
            return self._at(after - 1 if self.is_working_day(start) else after, start, 0, True)
        return self._at(after + n - 1, start, n, True)

    def sub(self, start: date, n: int) -> date:
        """The working day D < start with exactly n working days in [D, start); for n = 0,
        start itself if it is a working day, else the last working day before it."""
        _check_in_range(start, "start date")
        _check_n(n)
        before = bisect.bisect_left(self._working, start.toordinal())  # working days < start
        if n == 0:
            return self._at(before if self.is_working_day(start) else before - 1, start, 0, False)
        return self._at(before - n, start, n, False)

    def between(self, start: date, end: date) -> int:
        """The number of working days d with start < d <= end; negative when end < start."""
        _check_in_range(start, "start date")
        _check_in_range(end, "end date")
        return self._count_to(end) - self._count_to(start)

    # ---- explanations

    def skipped(self, start: date, end: date) -> list[tuple[date, str]]:
        """The days that are not working days that a count from ``start`` to ``end`` passes
        over, in date order: those in (start, end] going forwards, [end, start) going
        backwards. So ``skipped(S, add(S, N))`` and ``skipped(S, sub(S, N))`` are exactly the
        days the count did not count."""
        _check_in_range(start, "start date")
        _check_in_range(end, "end date")
        if start <= end:
            first, last = start + timedelta(days=1), end
        else:
            first, last = end, start - timedelta(days=1)
        out: list[tuple[date, str]] = []
        day = first
        while day <= last:
            reason = self.why_not_working(day)
            if reason is not None:
                out.append((day, reason))
            day += timedelta(days=1)
        return out

    def holidays_in(self, year: int, *, include_weekends: bool = False) -> list[tuple[date, str]]:
        """The year's bank holidays in date order, as GOV.UK lists them: the days off, so a
        holiday that falls at a weekend appears only as its substitute day (unless
        ``include_weekends``). Closures are not included (see :attr:`closures`)."""
        if problem := unsupported(year, "year"):
            raise OutOfRange(problem)
        return [
            (d, name)
            for d, name in sorted(self.bank_holidays.items())
            if d.year == year and (include_weekends or d.weekday() < 5)
        ]


@functools.lru_cache(maxsize=32)
def _calendar(closures: frozenset[tuple[date, str]]) -> Calendar:
    return Calendar.build(bank_holidays(), dict(sorted(closures)))


def calendar(closures: Iterable[date] | Mapping[date, str] = ()) -> Calendar:
    """The England-and-Wales calendar with these extra closure days, built once per process.

    ``closures`` is dates (each labelled ``closure``) or a mapping from date to its label, e.g.
    ``{date(2026, 12, 24): "closure (irp.toml)"}``. Closures outside the supported years are
    ignored: they cannot affect any answer.
    """
    if isinstance(closures, Mapping):
        items = frozenset((d, str(label)) for d, label in closures.items())
    else:
        items = frozenset((d, "closure") for d in closures)
    return _calendar(items)
