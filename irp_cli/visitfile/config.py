"""House settings from ``irp.toml``: the choices a coordinator (or an office) may make differently.

Where the file is looked for, first found wins:

1. ``--config FILE`` on the command line, or the ``IRP_CONFIG`` environment variable;
2. ``irp.toml`` in the folder of the visit file, or in any folder above it;
3. ``irp.toml`` in the user's configuration folder (``$XDG_CONFIG_HOME/irp``, ``~/.config/irp``,
   or ``%APPDATA%\\irp`` on Windows).

With none found, the defaults below apply; they are the readings of the guide documented in the
README. Every field is optional.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from irp_cli.errors import Finding, IrpError

CONFIG_NAME = "irp.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CalendarSettings(_Section):
    closures: list[date] = Field(
        default_factory=list,
        description="Extra non-working days (e.g. a bank holiday announced after this release).",
    )


class TimelineSettings(_Section):
    draft_report_working_days: int = Field(
        10,
        ge=1,
        le=40,
        description="Guide 5.1 says the draft report goes to the governor 'approximately two "
        "weeks' after the IRP: read as this many working days after the last visit day.",
    )
    letter_earliest_months: int = Field(
        3, ge=1, le=12, description="Guide 2.6: the letter goes 'two to three months' before."
    )
    letter_latest_months: int = Field(
        2, ge=0, le=12, description="Guide 2.6: the latest point, in months before the visit."
    )
    letter_delivery_working_days: int = Field(
        2,
        ge=0,
        le=20,
        description="Working days a letter takes to reach the prison, for the check that returns "
        "are not due before the prison could have read the letter.",
    )
    liaison_officer_working_days: int = Field(
        10,
        ge=0,
        le=60,
        description="Guide 2.7 gives no date for appointing the liaison officer: the plan expects "
        "one this many working days after the latest day for the letter.",
    )
    contact_working_days: int = Field(
        15,
        ge=0,
        le=60,
        description="Working days before the prison's documents are due (2.10) by which the "
        "coordinating inspector has contacted the prison and asked for them (2.7, 2.9).",
    )
    follow_up_months: int = Field(
        12,
        ge=1,
        le=60,
        description="Section 5 names no interval for the full unannounced inspection that follows "
        "an IRP; the plan shows it as 'not before' this many months after the IRP.",
    )


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
        default_factory=dict,
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
                close = difflib.get_close_matches(rule_id, BY_ID, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else " (see `irp rules`)"
                raise ValueError(f"'{rule_id}' is not a rule{hint}")
        return severity


class HouseSettings(_Section):
    inspectorate: str = "HM Inspectorate of Prisons"
    address: list[str] = Field(default_factory=lambda: ["[Inspectorate address]"])
    signatory_name: str = "[Chief Inspector's name]"
    signatory_title: str = "HM Chief Inspector of Prisons"
    reference_format: str = Field(
        "IRP/{code}/{year}",
        description="Letter reference; {code}, {year} and {name} are filled in from the visit.",
    )
    marking: str = Field("OFFICIAL", description="Protective marking for headers and footers.")

    def placeholders(self) -> list[str]:
        """The settings still at their '[...]' placeholders, which would print in a letter."""
        values = {"address": " ".join(self.address), "signatory_name": self.signatory_name}
        return [key for key, value in values.items() if value.startswith("[")]


class Config(_Section):
    calendar: CalendarSettings = CalendarSettings()
    timeline: TimelineSettings = TimelineSettings()
    rules: RuleSettings = RuleSettings()
    house: HouseSettings = HouseSettings()
    templates: Path | None = Field(
        None, description="A folder of your own templates, searched before the built-in ones."
    )
    source: Path | None = Field(None, exclude=True, description="Where these settings came from.")


def user_config_dir() -> Path:
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "irp"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "irp"


def find_config(near: Path | None = None) -> Path | None:
    """The settings file that applies to a visit file (or folder) at ``near``."""
    env = os.environ.get("IRP_CONFIG")
    if env:
        return Path(env)
    if near is not None:
        start = near if near.is_dir() else near.parent
        for folder in [start.resolve(), *start.resolve().parents]:
            candidate = folder / CONFIG_NAME
            if candidate.is_file():
                return candidate
    candidate = user_config_dir() / CONFIG_NAME
    return candidate if candidate.is_file() else None


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_config(explicit: Path | None = None, near: Path | None = None) -> Config:
    """Read the settings that apply; defaults when there is no file."""
    path = explicit or find_config(near)
    if path is None:
        return Config()
    name = str(path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise IrpError.at(name, "settings file not found", code="config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IrpError.at(name, f"cannot read settings file: {exc}", code="config") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POS.search(str(exc))
        line, col = (int(match[1]), int(match[2])) if match else (None, None)
        message = _TOML_POS.sub("", str(exc)).strip()
        raise IrpError.at(name, message, code="config", line=line, col=col) from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        findings = [
            Finding(
                file=name,
                severity="error",
                code="config",
                loc=".".join(str(p) for p in err["loc"]),
                message=str(err["msg"]).removeprefix("Value error, "),
            )
            for err in exc.errors(include_url=False)
        ]
        raise IrpError(findings) from None
    templates = config.templates
    if templates is not None:  # relative to the irp.toml it is written in, not to where irp runs
        templates = templates.expanduser()
        if not templates.is_absolute():
            templates = path.parent / templates
    return config.model_copy(update={"source": path, "templates": templates})
