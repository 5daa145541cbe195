"""Load one visit file or a whole folder of them, with the settings and calendar for each:
the one place a command reads a visit. Each file is read and parsed once, its timeline built
once and the guide's rules applied once (:class:`Loaded` carries all three).

Commands that take several files (``validate``, ``deadlines``) report each broken file and
carry on with the rest; commands that take one file raise at the first problem.
"""

from __future__ import annotations

import functools
import gc
import os
import typing
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from enum import Enum
from pathlib import Path

from pydantic import BaseModel

from irp_cli.calendar.timeline import Suggestion, Timeline, build_timeline, suggest_starts
from irp_cli.calendar.workdays import Calendar, OutOfRange, calendar
from irp_cli.dates import unsupported
from irp_cli.errors import Finding, IrpError, errors_only
from irp_cli.review.checks import check_document
from irp_cli.visitfile.config import Config, load_config
from irp_cli.visitfile.loader import (
    EVIDENCE_FOLDER_SUFFIX,
    YAML_SUFFIXES,
    Parsed,
    VisitFile,
    previous_inspection,
    read_visit,
    validate,
)
from irp_cli.visitfile.models import PreviousInspection

#: While a folder is read, Python's cycle collector waits for this many new objects (700 by
#: default) before it runs: reading a visit makes tens of thousands, nearly all freed as soon
#: as the file is done with, so the default has it run dozens of times a file for nothing
#: (about a tenth of the time of a large folder). Memory is unchanged: one file at a time.
COLLECT_AFTER = 20_000


class Loaded(typing.NamedTuple):
    """A visit file read and validated, with the settings and calendar that apply to it, its
    timeline and what the guide's rules found (errors and warnings, in rulebook order)."""

    doc: VisitFile
    config: Config
    calendar: Calendar
    timeline: Timeline  # every dated milestone, built once when the file is loaded
    findings: tuple[Finding, ...] = ()  # the rules applied once, given the timeline and today

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def visit_days(self) -> list[date]:
        return list(self.timeline.visit_days)


def _timeline(doc: VisitFile, config: Config, cal: Calendar) -> Timeline:
    """Every dated milestone of this visit; a worked-out date beyond the years irp knows
    is reported at the visit days."""
    try:
        return build_timeline(doc.visit, config, cal)
    except OutOfRange as exc:
        raise placed(doc, exc) from None


def placed(doc: VisitFile, exc: OutOfRange) -> IrpError:
    """An OutOfRange from a date worked out from the visit, placed at the visit days."""
    loc = ("visit", "days") if doc.visit.visit.days is not None else ("visit", "start")
    line, col, path = doc.locate(loc)
    message = exc.findings[0].message if exc.findings else str(exc)
    finding = Finding(
        doc.name,
        "error",
        "out-of-range",
        f"a date worked out from these visit days is out of range: {message}",
        line=line,
        col=col,
        loc=path,
    )
    return IrpError([finding])


def paced(paths: Iterable[Path]) -> Iterator[Path]:
    """``paths`` in turn, with the cycle collector on but run less often until the last one is
    done with (:data:`COLLECT_AFTER`); its settings are put back afterwards.

    The command line runs with the collector off (:mod:`irp_cli.__main__`), which is right for
    one file but not for thousands. So here it is turned on, after freezing what is loaded by
    now (modules, models, settings: all kept to the end of the run), which no collection then
    scans again."""
    before, was_on = gc.get_threshold(), gc.isenabled()
    if not was_on:
        gc.freeze()
    gc.set_threshold(max(before[0], COLLECT_AFTER), *before[1:])
    gc.enable()
    try:
        yield from paths
    finally:
        gc.set_threshold(*before)
        if not was_on:
            gc.disable()


def _has_magic(name: str) -> bool:
    """Whether ``name`` is a pattern, as :func:`glob.has_magic` says (glob loads only for one)."""
    return any(char in name for char in "*?[")


def expand(
    paths: Iterable[Path], *, folders: bool, recursive: bool = False
) -> tuple[list[Path], list[Finding]]:
    """Files to read, as people give them.

    * A folder (when allowed) gives its visit files (:func:`scan_folder`): ``*.yaml`` and
      ``*.yml`` in any case (``.YAML`` too), sorted, skipping hidden files (``.name``);
      sub-folders are entered only with ``recursive`` (hidden ones, such as ``.git``, never).
    * A name with ``*``, ``?`` or ``[`` that is not an existing file is a glob, expanded here
      as a Unix shell would (Windows shells pass ``"visits/*.yaml"`` as it is): the files it
      matches, sorted, hidden ones skipped.
    * Anything else is passed on, to be reported by the loader if it cannot be read.

    A file given twice (by a folder and by name, or by two spellings of its path) is kept once.
    """
    files: list[Path] = []
    problems: list[Finding] = []
    for path in paths:
        if folders and path.is_dir():
            found = scan_folder(path, recursive=recursive)
            if not found:
                where = " or its sub-folders" if recursive else ""
                message = f"no visit files (*.yaml or *.yml) in this folder{where}"
                problems.append(Finding(str(path), "error", "file", message))
            files.extend(found)
        elif not path.exists() and _has_magic(str(path)):
            import glob

            found_names = glob.glob(str(path))  # noqa: PTH207 - Path.glob takes no absolute pattern
            matched = sorted(p for p in map(Path, found_names) if p.is_file())
            if not matched:
                message = "no files match this pattern"
                problems.append(Finding(str(path), "error", "file", message))
            files.extend(matched)
        else:
            files.append(path)
    return _once_each(files), problems


def _once_each(files: list[Path]) -> list[Path]:
    """``files`` without repeats of one file under another spelling (``visits/ visits/a.yaml``,
    ``a.yaml ./a.yaml``, a link to it): each visit is read, listed and counted once, where
    first given. A file is known by its device and inode (one system call, where resolving a
    path takes one for each folder in it); one that cannot be looked at by its absolute path,
    for the loader to report."""
    seen: set[object] = set()
    unique = []
    for path in files:
        key: object
        try:
            info = path.stat()
            key = (info.st_dev, info.st_ino)
        except (OSError, ValueError):  # missing, unreadable, a loop of links, a NUL in the name
            key = os.path.abspath(path)  # noqa: PTH100 - Path.absolute() keeps '..'
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def scan_folder(folder: Path, *, recursive: bool = False) -> list[Path]:
    """The visit files in ``folder`` (with ``recursive``, in its sub-folders too), sorted.
    Hidden files and folders (names starting with '.') are skipped; nothing is read."""
    if not recursive:  # the folder's listing says which entries are files: no stat() each
        with os.scandir(folder) as entries:
            return sorted(Path(e.path) for e in entries if _visit_entry(e.name) and e.is_file())
    found: list[Path] = []
    for top, dirs, names in os.walk(folder):
        # Hidden folders, and the evidence files kept beside a visit file (NAME.evidence/,
        # docs/visit-file.md, 'Evidence files'), are not visit files.
        dirs[:] = [
            d for d in dirs if not d.startswith(".") and not d.endswith(EVIDENCE_FOLDER_SUFFIX)
        ]
        base = Path(top)
        found.extend(p for p in (base / n for n in names) if is_visit_file(p))
    return sorted(found)


def is_visit_file(path: Path) -> bool:
    """A visit file in a folder scan: not hidden, ``.yaml`` or ``.yml`` in any case."""
    return _visit_entry(path.name) and path.is_file()


def _visit_entry(name: str) -> bool:
    """Whether a file called ``name`` is one a folder scan reads (:func:`is_visit_file`)."""
    return not name.startswith(".") and name.lower().endswith(YAML_SUFFIXES)


def dates_out_of_range(doc: VisitFile) -> list[Finding]:
    """Every date of the visit file outside the years whose bank holidays irp knows, each at its
    line and column: the inspection and visit days, the dates in ``visit.status``, evidence."""
    return unsupported_dates(doc.visit, doc.name, doc.locate)


def unsupported_dates(
    model: BaseModel, name: str, locate: Callable[[tuple[str | int, ...]], tuple[int, int, str]]
) -> list[Finding]:
    """The dates in ``model`` (read from the file ``name``) outside the supported years, each
    placed by ``locate``."""
    if not _any_unsupported(model):  # nearly always: one quick pass, no places worked out
        return []
    problems = []
    for loc, day in _dates(model, ()):
        if problem := unsupported(day):
            line, col, path = locate(loc)
            problems.append(Finding(name, "error", "out-of-range", problem, line, col, loc=path))
    return problems


def _dates(
    value: object, loc: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], date]]:
    """The dates inside a model, in the order of its fields, each with its loc. Only the fields
    whose type can hold a date are visited (texts are most of a visit file)."""
    if isinstance(value, date):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in _dated_fields(type(value)):
            item = getattr(value, name)
            if item is not None:
                yield from _dates(item, (*loc, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _dates(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _dates(item, (*loc, key.value if isinstance(key, Enum) else str(key)))


def _any_unsupported(value: object) -> bool:
    """Whether a date inside ``value`` (visited as :func:`_dates` visits it) is outside the
    supported years."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, date):
            if unsupported(item) is not None:
                return True
        elif isinstance(item, BaseModel):
            for name in _dated_fields(type(item)):
                inner = getattr(item, name)
                if inner is not None:
                    stack.append(inner)
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


@functools.cache
def _dated_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` whose type holds a date somewhere inside it."""
    return tuple(
        name for name, field in model.model_fields.items() if _holds_date(field.annotation)
    )


def _holds_date(kind: object, seen: frozenset[object] = frozenset()) -> bool:
    if kind in seen:
        return False
    if isinstance(kind, type):
        if issubclass(kind, date):
            return True
        if issubclass(kind, BaseModel):
            return bool(_dated_fields(kind))
    inner = frozenset({*seen, kind})
    return any(_holds_date(arg, inner) for arg in typing.get_args(kind))


class Planning(typing.NamedTuple):
    """What ``irp plan --suggest`` needs from a file that may not be finished: the previous
    inspection, a name for the establishment, and the settings and calendar."""

    parsed: Parsed
    previous: PreviousInspection
    label: str  # the establishment's name, else the file's
    config: Config
    calendar: Calendar

    def suggestions(self, today: date) -> list[Suggestion]:
        """The first visit days ``irp plan --suggest`` proposes as of ``today``; a window that
        runs past the years irp knows is reported at the inspection's last day."""
        try:
            return suggest_starts(self.previous, self.config, self.calendar, today)
        except OutOfRange as exc:
            line, col, path = self.parsed.locate(("previous_inspection", "last_day"))
            message = exc.findings[0].message if exc.findings else str(exc)
            text = f"the visit days worked out from this inspection are out of range: {message}"
            finding = Finding(self.parsed.name, "error", "out-of-range", text, line, col, loc=path)
            raise IrpError([finding]) from None


def _contents(paths: list[Path]) -> bytes:
    """The names and bytes of ``paths``, for a cache key (an unreadable one counts as such)."""
    parts = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0unreadable"
        parts.append(b"\0%s\0%d\0%s" % (path.name.encode("utf-8", "replace"), len(data), data))
    return b"".join(parts)


class Session:
    """One run's reading of visit files: each file read and parsed once, settings and
    calendars read once and shared by the files that use them."""

    def __init__(self, config_path: Path | None = None, *, keep_parsed: bool = True) -> None:
        """``keep_parsed=False`` for a run over thousands of files read one at a time (the
        programme): nothing is kept of a file once it is loaded."""
        self.config_path = config_path
        self._configs: dict[Path, Config] = {}
        self._folders: dict[Path, Path] = {}
        self._parsed: dict[Path, Parsed] = {}
        self._keep = keep_parsed

    def parse(self, path: Path) -> Parsed:
        """The file read and parsed (once per run), not yet validated: its ``data`` says
        what even an unfinished file holds."""
        if path in self._parsed:
            return self._parsed[path]
        parsed = read_visit(path)
        if self._keep:
            self._parsed[path] = parsed
        return parsed

    def planning(self, path: Path) -> Planning:
        """The previous inspection of a file that may hold nothing else yet."""
        parsed = self.parse(path)
        prev, label = previous_inspection(parsed)
        config = self.config_for(path)
        return Planning(parsed, prev, label, config, calendar(config.calendar.closures))

    def configs(self) -> list[Config]:
        """The settings read so far, one per folder of visit files."""
        return list(self._configs.values())

    def config_for(self, path: Path) -> Config:
        key = self._folder(path)
        if key not in self._configs:
            self._configs[key] = load_config(self.config_path, near=path)
        return self._configs[key]

    def _folder(self, path: Path) -> Path:
        """The real folder of the file at ``path`` (``path.resolve().parent``): each folder
        resolved once a run, unless the file is itself a link (to a file in another folder)."""
        try:
            linked = path.name in ("", ".", "..") or path.is_symlink()
        except OSError:  # a folder that cannot be read: as resolve() finds it
            linked = True
        if linked:
            return path.resolve().parent
        parent = path.parent
        real = self._folders.get(parent)
        if real is None:
            real = self._folders[parent] = parent.resolve()
        return real

    def load(
        self,
        path: Path,
        *,
        strict: bool = False,
        today: date | None = None,
        rules: bool = True,
        config: Config | None = None,
    ) -> Loaded:
        """Read one file, build its timeline and apply the guide's rules to it. With
        ``strict``, rule errors (not warnings) raise too. ``today`` is for the rules that
        depend on it (a letter window passed); without it they are left out. ``rules=False``
        for a command that reports no rule (the programme, the record): no findings.
        ``config``: the file's settings when the caller has them (:meth:`config_for`)."""
        config = config if config is not None else self.config_for(path)
        doc = validate(self.parse(path))
        if problems := dates_out_of_range(doc):
            raise IrpError(problems)
        cal = calendar(config.calendar.closures)
        timeline = _timeline(doc, config, cal)
        findings = check_document(doc, config, cal, timeline, today) if rules else []
        if strict and (problems := errors_only(findings)):
            raise IrpError(problems)
        return Loaded(doc, config, cal, timeline, tuple(findings))

    def findings_of(
        self,
        paths: Iterable[Path],
        *,
        cache: bool = True,
        extra: Callable[[Loaded], list[Finding]] | None = None,
        companions: Callable[[Path], list[Path]] | None = None,
    ) -> Iterator[tuple[Path, list[Finding]]]:
        """What ``irp validate`` reports, one file at a time: the problems that stop a file
        loading, or what the guide's rules found in it, and what ``extra`` finds in a file
        that loads (the evidence files beside it). Nothing is kept between files (a folder of
        thousands takes the memory of one), and with ``cache`` a file that has not changed
        since the last run, nor have its ``companions`` (the files ``extra`` reads), under the
        same settings and irp version, is not parsed again (:mod:`irp_cli.review.cache`;
        ``IRP_NO_CACHE=1`` turns it off too)."""
        from irp_cli.files import read_bounded
        from irp_cli.paths import checked_cache_dir
        from irp_cli.review.cache import FindingsCache, key
        from irp_cli.visitfile.loader import MAX_BYTES, decode, display_name, parse_text

        cache = cache and not os.environ.get("IRP_NO_CACHE")
        store = FindingsCache(checked_cache_dir()) if cache else None
        settings: dict[int, str] = {}
        for path in paced(paths):
            name = display_name(path)
            try:
                config = self.config_for(path)
                raw = read_bounded(path, limit=MAX_BYTES, what="a visit file")
            except IrpError as exc:
                yield path, list(exc.findings)
                continue
            entry = ""
            if store is not None:
                if id(config) not in settings:
                    settings[id(config)] = config.model_dump_json()
                beside = _contents(companions(path)) if companions else b""
                entry = key(raw + beside, settings[id(config)])
                if (found := store.get(entry, name)) is not None:
                    yield path, found
                    continue
            try:
                self._parsed[path] = parse_text(decode(raw, name), name, path)
                loaded = self.load(path, config=config)
                found = [*loaded.findings, *(extra(loaded) if extra else [])]
            except IrpError as exc:
                found = list(exc.findings)
            finally:
                self._parsed.pop(path, None)
            if store is not None:
                store.put(entry, name, found)
            yield path, found
        if store is not None:
            store.save()

    def load_many(
        self, paths: Iterable[Path], *, today: date | None = None
    ) -> tuple[list[Loaded], list[Finding]]:
        """Every file that loads, and the findings of those that do not."""
        good: list[Loaded] = []
        problems: list[Finding] = []
        for loaded, found in self.load_each(paths, today=today):
            if loaded is not None:
                good.append(loaded)
            problems.extend(found)
        return good, problems

    def load_each(
        self, paths: Iterable[Path], *, today: date | None = None
    ) -> Iterator[tuple[Loaded | None, list[Finding]]]:
        """Each file in turn, loaded (with no findings) or not (with why): what a command over
        a folder needs, one file at a time. Nothing parsed is kept here once a file has been
        handed on, so a folder of thousands takes the memory the caller keeps."""
        for path in paced(paths):
            try:
                yield self.load(path, today=today), []
            except IrpError as exc:
                yield None, list(exc.findings)
            finally:
                self._parsed.pop(path, None)
