"""House settings from ``irp.toml``: the choices a coordinator (or an office) may make differently.

Where the file is looked for, first found wins:

1. ``--config FILE`` on the command line, or the ``IRP_CONFIG`` environment variable;
2. ``irp.toml`` in the folder of the visit file, or in any folder above it;
3. ``irp.toml`` in the user's configuration folder (``$XDG_CONFIG_HOME/irp``, ``~/.config/irp``,
   or ``%APPDATA%\\irp`` on Windows).

With none found, the defaults below apply; they are the readings of the guide documented in the
docs/guide-readings.md; every setting is in docs/settings.md. Every field is optional.
"""

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from irp_cli.errors import Finding, IrpError
from irp_cli.paths import find_config
from irp_cli.visitfile.models import Day, Line, empty_dict, empty_list

#: A settings file is a few hundred bytes; it is bounded like a visit file.
MAX_CONFIG_BYTES = 100_000
#: Tables and lists in irp.toml nest two or three deep; deeper is refused before validation.
MAX_CONFIG_DEPTH = 8
#: The widest field in ``house.reference_format`` (``{year:>999999999}`` would take minutes).
MAX_FORMAT_WIDTH = 40


#: A whole number written as one: TOML's ``true`` or ``"12"`` is refused, not read as 1 or 12.
WholeNumber = Annotated[int, Strict()]


class _Section(BaseModel):
    # Built when a settings file is first validated, not at import (see load_config).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class CalendarSettings(_Section):
    closures: list[Day] = Field(
        default_factory=empty_list,
        description="Extra non-working days (e.g. a bank holiday announced after this release).",
    )
    reminder_days: WholeNumber | None = Field(
        None,
        ge=0,
        le=60,
        description="A reminder this many days before each deadline in calendar files "
        "(--ics); none when left out.",
    )

    @field_validator("closures")
    @classmethod
    def _known_years(cls, days: list[date]) -> list[date]:
        """A closure day is a day irp can count working days around (2000 to 2045)."""
        from irp_cli.dates import unsupported

        for day in days:
            if problem := unsupported(day, "closure"):
                raise ValueError(problem)
        return days


class TimelineSettings(_Section):
    draft_report_working_days: WholeNumber = Field(
        10,
        ge=1,
        le=40,
        description="Guide 5.1 says the draft report goes to the governor 'approximately two "
        "weeks' after the IRP: read as this many working days after the last visit day.",
    )
    letter_earliest_months: WholeNumber = Field(
        3, ge=1, le=12, description="Guide 2.6: the letter goes 'two to three months' before."
    )
    letter_latest_months: WholeNumber = Field(
        2, ge=0, le=12, description="Guide 2.6: the latest point, in months before the visit."
    )
    letter_delivery_working_days: WholeNumber = Field(
        2,
        ge=0,
        le=20,
        description="Working days a letter takes to reach the prison, for the check that returns "
        "are not due before the prison could have read the letter.",
    )
    liaison_officer_working_days: WholeNumber = Field(
        10,
        ge=0,
        le=60,
        description="Guide 2.7 gives no date for appointing the liaison officer: the plan expects "
        "one this many working days after the latest day for the letter.",
    )
    contact_working_days: WholeNumber = Field(
        15,
        ge=0,
        le=60,
        description="Working days before the prison's documents are due (2.10) by which the "
        "coordinating inspector has contacted the prison and asked for them (2.7, 2.9).",
    )
    follow_up_months: WholeNumber = Field(
        12,
        ge=1,
        le=60,
        description="Section 5 names no interval for the full unannounced inspection that follows "
        "an IRP; the plan shows it as 'not before' this many months after the IRP.",
    )

    @model_validator(mode="after")
    def _letter_window(self) -> Self:
        if self.letter_latest_months > self.letter_earliest_months:
            raise ValueError(
                f"letter_latest_months ({self.letter_latest_months}) is more months before the "
                f"visit than letter_earliest_months ({self.letter_earliest_months}): the latest "
                "point for the letter would come before the earliest (guide 2.6)"
            )
        return self


class ProgrammeSettings(_Section):
    visits_per_year: WholeNumber = Field(
        20,
        ge=1,
        le=500,
        description="Guide 1.3: 'HMI Prisons makes 15–20 visits per year'. 'irp programme' "
        "reports a year with more visits than this (counted by their first day).",
    )


def _clock_text(value: str) -> str:
    from irp_cli.visitfile.models import parse_clock

    parse_clock(value)
    return value


class ScheduleSettings(_Section):
    """Times the guide leaves open, for ``irp schedule`` (guide 3.1, Appendix I)."""

    liaison_contacts: list[str] = Field(
        default_factory=lambda: ["08:30", "12:00", "16:00"],
        min_length=1,
        max_length=6,
        description="Appendix I: the liaison officer meets the team 'three times a day ... at "
        "times to be agreed'. The times used until agreed ones are set in the visit file.",
    )
    manager_feedback_start: str = Field(
        "09:30",
        description="Guide 3.1: on the last morning inspectors 'give feedback to named managers'. "
        "The first manager's slot starts then; the others follow on.",
    )
    manager_feedback_minutes: WholeNumber = Field(
        20, ge=5, le=120, description="How long each manager's feedback slot lasts."
    )

    @field_validator("liaison_contacts")
    @classmethod
    def _times(cls, values: list[str]) -> list[str]:
        return [_clock_text(v) for v in values]

    @field_validator("manager_feedback_start")
    @classmethod
    def _time(cls, value: str) -> str:
        return _clock_text(value)


OFSTED_GRADES_DEFAULT = [
    "requires-improvement",
    "inadequate",
    "needs-attention",
    "urgent-improvement",
]


class RuleSettings(_Section):
    ofsted_grades: list[str] = Field(
        default_factory=lambda: list(OFSTED_GRADES_DEFAULT),
        description="Education, skills and work judgements that bring Ofsted into the IRP (2.3).",
    )
    severity: dict[str, Literal["error", "warning", "off"]] = Field(
        default_factory=empty_dict,
        description="Override a rule's severity by its id, e.g. {team-size = 'warning'}.",
    )

    @field_validator("ofsted_grades")
    @classmethod
    def _known_grades(cls, grades: list[str]) -> list[str]:
        from irp_cli.visitfile.models import EducationGrade

        known = [g.value for g in EducationGrade]
        for grade in grades:
            if grade not in known:
                raise ValueError(f"'{grade}' is not a grade; use some of: {', '.join(known)}")
        return grades

    @field_validator("severity")
    @classmethod
    def _known_rules(cls, severity: dict[str, str]) -> dict[str, str]:
        from irp_cli.guide import BY_ID

        for rule_id in severity:
            if rule_id not in BY_ID:
                import difflib

                close = difflib.get_close_matches(rule_id, BY_ID, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else " (see `irp rules`)"
                raise ValueError(f"'{rule_id}' is not a rule{hint}")
        return severity


REFERENCE_FIELDS = ("code", "year", "name")


class PopulationSettings(_Section):
    percentage_tolerance: float = Field(
        0.1,
        ge=0,
        le=5,
        description="How far a percentage in the population summary (Appendix II) may be from "
        "its count's exact share, in percentage points: the report rounds to one decimal place.",
    )
    oldest_plausible_age: WholeNumber = Field(
        100,
        ge=60,
        le=130,
        description="A maximum age above this in the population summary is a warning.",
    )


class EvidenceSettings(_Section):
    triangulation_sources: WholeNumber = Field(
        2,
        ge=1,
        le=7,
        description="Guide 3.2: judgements rest on evidence 'corroborated by several evidence "
        "sources'. A concern's evidence counts as triangulated when it comes from at least "
        "this many different source types (staff, prisoners, documentation, ...).",
    )


class HouseSettings(_Section):
    inspectorate: Line = Field(
        "HM Inspectorate of Prisons", description="The sender's name at the top of each letter."
    )
    address: list[Line] = Field(
        default_factory=lambda: ["[Inspectorate address]"],
        max_length=12,
        description="The sender's address, one line per item.",
    )
    signatory_name: Line = Field(
        "[Chief Inspector's name]", description="The name that signs each letter."
    )
    signatory_title: Line = Field(
        "HM Chief Inspector of Prisons", description="The signatory's title, under the name."
    )
    reference_format: Line = Field(
        "IRP/{code}/{year}",
        description="Letter reference; {code}, {year} and {name} are filled in from the visit.",
    )
    marking: Line = Field("OFFICIAL", description="Protective marking for headers and footers.")
    letterhead: Path | None = Field(
        None,
        description="A Word document (.docx) whose styles, page set-up, header, footer and logo "
        "the Word documents use, relative to this irp.toml; its own text is not copied.",
    )
    logo_description: Line | None = Field(
        None,
        description="The alt text of the letterhead's logo, read out by screen readers (by "
        "default the inspectorate's name and 'logo'); a description the picture already has "
        "in the letterhead is kept.",
    )

    @property
    def logo_text(self) -> str:
        """The alt text given to a picture in the letterhead that has none."""
        return self.logo_description or f"{self.inspectorate} logo"

    @field_validator("reference_format")
    @classmethod
    def _reference_pattern(cls, fmt: str) -> str:
        """Only {code}, {year} and {name}, each with at most a small width or precision, and a
        pattern that works for any visit (tried on a sample one)."""
        import string

        allowed = ", ".join("{" + f + "}" for f in REFERENCE_FIELDS)
        try:
            parts = list(string.Formatter().parse(fmt))
        except ValueError as exc:
            raise ValueError(f"'{fmt}' is not a valid pattern ({exc}); use {allowed}") from None
        for _, field, spec, _ in parts:
            if field is None:
                continue
            if field not in REFERENCE_FIELDS:
                raise ValueError(f"'{fmt}' uses '{{{field}}}'; only {allowed} can be used")
            if "{" in (spec or ""):
                raise ValueError(f"'{fmt}' puts a field inside a field; use {allowed}")
            for number in re.findall(r"\d+", spec or ""):
                if int(number) > MAX_FORMAT_WIDTH:
                    raise ValueError(
                        f"'{fmt}' asks for a width of {int(number):,}; at most "
                        f"{MAX_FORMAT_WIDTH} characters"
                    )
        try:
            fmt.format(code="ABC", year=2026, name="HMP Sample")
        except (ValueError, TypeError) as exc:
            raise ValueError(f"'{fmt}' cannot be filled in ({exc}); use {allowed}") from None
        return fmt


class Config(_Section):
    calendar: CalendarSettings = Field(
        CalendarSettings.model_construct(), description="Working days and calendar files."
    )
    timeline: TimelineSettings = Field(
        TimelineSettings.model_construct(),
        description="How the plan reads the guide's vaguer dates.",
    )
    rules: RuleSettings = Field(RuleSettings.model_construct(), description="The guide's rules.")
    programme: ProgrammeSettings = Field(
        ProgrammeSettings.model_construct(),
        description="The programme across visits (irp programme).",
    )
    evidence: EvidenceSettings = Field(
        EvidenceSettings.model_construct(),
        description="Evidence at the visit (irp progress, irp debrief).",
    )
    house: HouseSettings = Field(
        HouseSettings.model_construct(), description="Your office's documents."
    )
    population: PopulationSettings = Field(
        PopulationSettings.model_construct(),
        description="The prisoner population summary (Appendix II).",
    )
    schedule: ScheduleSettings = Field(
        ScheduleSettings.model_construct(), description="The team's schedule (irp schedule)."
    )
    templates: Path | None = Field(
        None, description="A folder of your own templates, searched before the built-in ones."
    )
    source: Path | None = Field(None, exclude=True, description="Where these settings came from.")


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_toml(path: Path) -> dict[str, Any]:
    """The tables of a settings file, read like a visit file: a regular file of bounded size,
    UTF-8 with or without a byte order mark, nested a few levels at most."""
    from irp_cli.files import read_bounded

    name = str(path)
    raw = read_bounded(path, limit=MAX_CONFIG_BYTES, what="a settings file", code="config")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8"
        where = raw[: exc.start].count(b"\n") + 1
        raise IrpError.at(name, message, code="config", line=where) from None
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POS.search(str(exc))
        at: tuple[int | None, int | None] = (
            (int(match[1]), int(match[2])) if match else (None, None)
        )
        message = _TOML_POS.sub("", str(exc)).strip()
        raise IrpError.at(name, message, code="config", line=at[0], col=at[1]) from None
    except RecursionError:
        raise IrpError.at(name, _TOO_DEEP, code="config") from None
    except ValueError:  # Python's limit on converting a number of thousands of digits
        at = _long_number(text)
        message = "a number too long to be a setting; settings are small numbers"
        raise IrpError.at(name, message, code="config", line=at[0], col=at[1]) from None
    if _depth(data) > MAX_CONFIG_DEPTH:
        raise IrpError.at(name, _TOO_DEEP, code="config")
    return data


_TOO_DEEP = (
    f"lists or tables nested more than {MAX_CONFIG_DEPTH} deep; no setting needs that "
    "(see docs/settings.md)"
)


def _depth(value: object) -> int:
    """How deeply ``value`` nests lists and tables (without recursion)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_CONFIG_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _long_number(text: str) -> tuple[int | None, int | None]:
    match = re.search(r"[0-9_]{4000,}", text)
    if match is None:
        return None, None
    line = text.count("\n", 0, match.start()) + 1
    return line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1


def load_config(explicit: Path | None = None, near: Path | None = None) -> Config:
    """Read the settings that apply; defaults when there is no file.

    The defaults are constants, so they are put together without validation: a run with no
    settings file never builds the settings models' validators (``defer_build``), a few
    milliseconds of every command's start-up. A test checks that they validate."""
    path = explicit or find_config(near)
    if path is None:
        return Config.model_construct()
    name = str(path)
    data = parse_toml(path)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        from irp_cli.files import read_bounded

        raw = read_bounded(path, limit=MAX_CONFIG_BYTES, what="a settings file", code="config")
        text = raw.decode("utf-8-sig", errors="replace")
        findings = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            line, col = toml_position(text, loc)
            findings.append(
                Finding(
                    file=name,
                    severity="error",
                    code="config",
                    loc=".".join(str(p) for p in loc),
                    message=_config_message(err, loc),
                    line=line,
                    col=col,
                )
            )
        raise IrpError(findings) from None
    templates = config.templates
    if templates is not None:  # relative to the irp.toml it is written in, not to where irp runs
        templates = templates.expanduser()
        if not templates.is_absolute():
            templates = path.parent / templates
    house = config.house
    if house.letterhead is not None:  # relative to the irp.toml too
        letterhead = house.letterhead.expanduser()
        if not letterhead.is_absolute():
            letterhead = path.parent / letterhead
        house = house.model_copy(update={"letterhead": letterhead})
    return config.model_copy(update={"source": path, "templates": templates, "house": house})


def letterhead_problem(config: Config) -> IrpError | None:
    """An error at its line of ``irp.toml`` when ``[house] letterhead`` names no file: the
    settings model sees only a path. ``irp validate`` reports it and the Word documents stop
    on it; whether the file is a Word document is checked when it is read."""
    letterhead = config.house.letterhead
    if letterhead is None or config.source is None or letterhead.is_file():
        return None
    from irp_cli.files import read_bounded

    name = str(config.source)
    line = col = None
    try:
        raw = read_bounded(config.source, limit=MAX_CONFIG_BYTES, what="a settings file")
        line, col = toml_position(raw.decode("utf-8-sig", errors="replace"), _LETTERHEAD)
    except IrpError:
        pass  # the settings were read a moment ago; without the line, the file is still named
    message = (
        f"[house] letterhead: '{letterhead}' is not a file; give the path of your office's "
        "Word document (.docx), relative to this irp.toml, or leave the key out"
    )
    return IrpError(
        [Finding(name, "error", "letterhead", message, line=line, col=col, loc="house.letterhead")]
    )


_LETTERHEAD = ("house", "letterhead")


def _config_message(error: ErrorDetails, loc: tuple[str | int, ...]) -> str:
    """A settings error in plain words, as a visit file's are ("'two' is not a whole
    number"); an unknown key names the close one ("did you mean 'address'?") or the keys its
    table knows."""
    if error["type"] != "extra_forbidden":
        from irp_cli.visitfile.messages import explain

        return explain(error, Config)
    model: type[BaseModel] = Config
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        inner = field.annotation if field is not None else None
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            break
        model = inner
    known = [k for k, f in model.model_fields.items() if not f.exclude]
    table = ".".join(str(p) for p in loc[:-1])
    where = f"in [{table}]" if table else "at the top of the file"
    import difflib

    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"the settings here are {', '.join(known)}"
    return f"unknown setting '{loc[-1]}' {where}; {hint} (see docs/settings.md)"


_TOML_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_NAME = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_TOML_KEY = re.compile(rf"^(\s*)({_TOML_NAME}(?:\s*\.\s*{_TOML_NAME})*)\s*=")


def _toml_parts(dotted: str) -> tuple[str, ...]:
    """``a."b.c".d`` as ('a', 'b.c', 'd')."""
    return tuple(p.strip().strip("\"'") for p in re.findall(_TOML_NAME, dotted))


def toml_position(text: str, loc: tuple[str | int, ...]) -> tuple[int | None, int | None]:
    """The 1-based line and column in a TOML text of the key that ``loc`` (a pydantic error
    location such as ``('house', 'adress')``) names, or of its table when the key is not
    written (a missing one); (None, None) when neither is found. Tables (``[house]``) and
    dotted keys (``house.address = ...``) are both followed; list positions are skipped."""
    wanted = tuple(str(p) for p in loc if not isinstance(p, int))
    best: tuple[int, int, int] | None = None  # (length matched, line, col)
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        header = _TOML_HEADER.match(line)
        if header:
            table = _toml_parts(header.group(1))
            found, col = table, line.index("[") + 1
        else:
            key = _TOML_KEY.match(line)
            if not key:
                continue
            found, col = table + _toml_parts(key.group(2)), len(key.group(1)) + 1
        size = len(found)
        if found == wanted[:size] and (best is None or size > best[0]):
            best = (size, number, col)
    return (best[1], best[2]) if best else (None, None)
