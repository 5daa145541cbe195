"""The visit file, described once: these pydantic models are its schema, its validation and its
documentation (``irp schema`` prints them as JSON Schema for editors).

Only the shape of each value is checked here. Rules that relate one part of the file to another
(team size, which partners take part, the 8-12-month window, ...) come from the guide and live
in :mod:`irp_cli.guide` and :mod:`irp_cli.review.checks`, so each can cite its paragraph.
"""

# No "from __future__ import annotations" here (nor in the settings and evidence models): with
# it, pydantic compiles each of the ~110 field annotations from text on every run (2-3 ms).
import re
from collections.abc import Callable
from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from irp_cli.dates import long_date
from irp_cli.text import check_free_text, check_line

SCHEMA_VERSION = 1

#: true or false only: the words 'yes', 'no', 'on' or the string "true" are reported, not guessed.
Flag = Annotated[bool, Strict()]

#: The longest single line (a name, a title, an address line); longer is not a name but an
#: accident, and would not fit a letter's heading.
MAX_LINE = 200
#: The longest free text (a concern as worded in a report is a paragraph or two).
MAX_TEXT = 10_000

#: One line of plain text: names, titles, codes. No line break, tab or control character
#: (see :mod:`irp_cli.text`); surrounding spaces are dropped. Use for every new one-line field.
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LINE),
    AfterValidator(check_line),
]
#: Free text: may hold line breaks (kept as ``\\n``) and tabs, no other control character.
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    AfterValidator(check_free_text),
]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        pattern=r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+\.[^@\s\x00-\x1f\x7f-\x9f]+$",
    ),
]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: object) -> object:
    """Dates are written YYYY-MM-DD: a number (a Unix timestamp), '20260302' or a date with a
    time are refused, not guessed."""
    if isinstance(value, datetime) or not (
        isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()))
    ):
        raise PydanticCustomError("date_format", "write dates as YYYY-MM-DD")
    return value


#: A calendar date, written YYYY-MM-DD. Use instead of ``date`` for every date field.
Day = Annotated[date, BeforeValidator(_iso_date_only)]
Id = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z][A-Za-z0-9._-]{0,19}$"),
]


def empty_list() -> list[Any]:
    """A new empty list, as ``default_factory``. Not ``list`` itself: pydantic reads a default
    factory's signature, and a built-in's is parsed from text by Python's tokenizer (compiled
    on first use), 2-3 ms of every run that reads a visit file."""
    return []


def empty_dict() -> dict[Any, Any]:
    """A new empty dict, as ``default_factory`` (see :func:`empty_list`)."""
    return {}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


# --- vocabularies ------------------------------------------------------------------------


class EstablishmentType(StrEnum):
    ADULT_MEN = "adult-men"
    ADULT_WOMEN = "adult-women"
    YOUNG_OFFENDER_INSTITUTION = "young-offender-institution"
    SPLIT_ADULTS_YOUNG_ADULTS = "split-adults-young-adults"

    @property
    def population_report(self) -> str:
        """The NOMIS report the prison sends (guide Appendix II)."""
        return {
            "adult-men": "Adult HMP Establishments Population Breakdown",
            "adult-women": "Adult HMP Establishments Population Breakdown",
            "young-offender-institution": "YOI Population Breakdown",
            "split-adults-young-adults": (
                "Population Breakdown for Split Establishments – Adults and Young Adults"
            ),
        }[self.value]


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"


class Inspectorate(StrEnum):
    """Who judges education, skills and work: Ofsted in England, Estyn in Wales."""

    OFSTED = "ofsted"
    ESTYN = "estyn"


class EducationGrade(StrEnum):
    """Ofsted's four-point scale (named in the guide, 2.3) and, since November 2025, its
    five-point scale for further education and skills. Either is accepted."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires-improvement"
    INADEQUATE = "inadequate"
    EXCEPTIONAL = "exceptional"
    STRONG_STANDARD = "strong-standard"
    EXPECTED_STANDARD = "expected-standard"
    NEEDS_ATTENTION = "needs-attention"
    URGENT_IMPROVEMENT = "urgent-improvement"


class FindingsWording(StrEnum):
    """What the previous report called its findings: 'concerns', or before mid-2022
    'key recommendations'. Documents use the same word."""

    CONCERNS = "concerns"
    KEY_RECOMMENDATIONS = "key-recommendations"


class HealthyPrisonArea(StrEnum):
    SAFETY = "safety"
    RESPECT = "respect"
    PURPOSEFUL_ACTIVITY = "purposeful-activity"
    REHABILITATION_AND_RELEASE_PLANNING = "rehabilitation-and-release-planning"
    CARE = "care"
    RESETTLEMENT = "resettlement"


#: Healthy prison areas by whether the establishment holds children.
ADULT_AREAS = (
    HealthyPrisonArea.SAFETY,
    HealthyPrisonArea.RESPECT,
    HealthyPrisonArea.PURPOSEFUL_ACTIVITY,
    HealthyPrisonArea.REHABILITATION_AND_RELEASE_PLANNING,
)
CHILDREN_AREAS = (
    HealthyPrisonArea.SAFETY,
    HealthyPrisonArea.CARE,
    HealthyPrisonArea.PURPOSEFUL_ACTIVITY,
    HealthyPrisonArea.RESETTLEMENT,
)


class ConcernKind(StrEnum):
    PRIORITY = "priority"
    KEY = "key"


class HmppsResponse(StrEnum):
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly-accepted"
    REJECTED = "rejected"
    NONE = "none"
    #: Only in a past record (``record:``): what HMPPS said is not known.
    UNKNOWN = "unknown"


class ProgressJudgement(StrEnum):
    """HMI Prisons' four judgements (guide 4.1)."""

    NO_MEANINGFUL_PROGRESS = "no-meaningful-progress"
    INSUFFICIENT_PROGRESS = "insufficient-progress"
    REASONABLE_PROGRESS = "reasonable-progress"
    GOOD_PROGRESS = "good-progress"


class PartnerJudgement(StrEnum):
    """Ofsted's three judgements for themes (guide 4.2)."""

    INSUFFICIENT_PROGRESS = "insufficient-progress"
    REASONABLE_PROGRESS = "reasonable-progress"
    SIGNIFICANT_PROGRESS = "significant-progress"


class HealthyPrisonAssessment(StrEnum):
    """The previous inspection's score for a healthy prison area (guide 1.4: 'poor or not
    sufficiently good scores')."""

    POOR = "poor"
    NOT_SUFFICIENTLY_GOOD = "not-sufficiently-good"
    REASONABLY_GOOD = "reasonably-good"
    GOOD = "good"


class EvidenceSource(StrEnum):
    """Where a piece of evidence comes from (guide 3.2: staff, prisoners, relevant third
    parties, documentation and data, observation; occasionally group discussions with
    prisoners)."""

    STAFF = "staff"
    PRISONERS = "prisoners"
    PRISONER_GROUP = "prisoner-group"
    THIRD_PARTY = "third-party"
    DOCUMENTATION = "documentation"
    DATA = "data"
    OBSERVATION = "observation"


class KeyQuestion(StrEnum):
    """The four 'key questions' of guide 4.3."""

    LEADERSHIP = "leadership"
    PLANNING = "planning"
    ACTION = "action"
    EVALUATION = "evaluation"

    @property
    def question(self) -> str:
        """The question as the guide words it (4.3)."""
        return {
            "leadership": "Have leaders and managers taken HMI Prisons' concerns seriously?",
            "planning": "Is there a realistic plan for addressing HMI Prisons' concerns?",
            "action": "Is the plan being robustly implemented?",
            "evaluation": "Is tangible/discernible improvement taking place?",
        }[self.value]


class Role(StrEnum):
    TEAM_LEADER = "team-leader"
    COORDINATING_INSPECTOR = "coordinating-inspector"
    INSPECTOR = "inspector"
    RESEARCHER = "researcher"
    SPECIALIST = "specialist"
    CQC_INSPECTOR = "cqc-inspector"
    OFSTED_INSPECTOR = "ofsted-inspector"
    ESTYN_INSPECTOR = "estyn-inspector"

    @property
    def counts_as_inspector(self) -> bool:
        """Guide 2.1: 'three to five inspectors, including any specialists or partners'.
        Researchers support the team but are not counted."""
        return self is not Role.RESEARCHER


class PartnerName(StrEnum):
    CQC = "cqc"
    OFSTED = "ofsted"
    ESTYN = "estyn"


class SeniorInspector(StrEnum):
    CHIEF_INSPECTOR = "chief-inspector"
    DEPUTY_CHIEF_INSPECTOR = "deputy-chief-inspector"

    @property
    def full_title(self) -> str:
        """``HM Chief Inspector of Prisons`` or ``HM Deputy Chief Inspector of Prisons``."""
        deputy = "Deputy " if self is SeniorInspector.DEPUTY_CHIEF_INSPECTOR else ""
        return f"HM {deputy}Chief Inspector of Prisons"


class ReturnItem(StrEnum):
    """What the prison sends before the visit (guide 2.9)."""

    PROFORMA = "proforma"
    ACTION_PLAN = "action-plan"
    PRESENTATION = "presentation"
    DATA_REQUEST = "data-request"
    EVIDENCE = "evidence"
    POPULATION_REPORT = "population-report"
    OSAG_REPORTS = "osag-reports"


# --- parts of the file ------------------------------------------------------------------


class Person(_Model):
    name: Line = Field(description="Full name, as it should appear in letters.")
    title: Line | None = Field(None, description="Job title, e.g. 'Governor' or 'Director'.")
    email: Email | None = Field(None, description="Email address, e.g. for the covering email.")
    phone: Line | None = Field(None, description="Telephone number, as it should be printed.")
    salutation: Line | None = Field(
        None,
        description="How a letter to them opens, e.g. 'Dear Governor' or 'Dear Ms Whitcombe' "
        "('Dear' may be left out; a title alone, such as 'Dr', is followed by the surname). "
        "Without it, letters open by role: 'Dear Governor', 'Dear Director', 'Dear Chair'.",
    )


class Establishment(_Model):
    name: Line = Field(description="The establishment's name, e.g. 'HMP Ashcombe'.")
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        description="NOMIS establishment code: three capital letters."
    )
    type: EstablishmentType = Field(
        description="Decides the population report the prison sends (guide Appendix II)."
    )
    nation: Nation = Field(description="England or Wales: decides Ofsted or Estyn (2.3, 2.5).")
    address: list[Line] = Field(
        default_factory=empty_list,
        max_length=8,
        description="The postal address, one line per item, for the addressee block of letters.",
    )
    holds_children: Flag = Field(
        False,
        description="Whether it holds children: only then is there a prisoner survey (1.3), and "
        "concerns use the children's healthy prison areas.",
    )
    governor: Person | None = Field(
        None,
        description="The governor or director the letter goes to (2.6). Required, except in a "
        "past record.",
    )
    imb_chair: Person | None = Field(
        None,
        description="Chair of the Independent Monitoring Board (2.6). Required, except in a "
        "past record.",
    )


class EducationJudgement(_Model):
    inspectorate: Inspectorate = Field(description="ofsted (England) or estyn (Wales).")
    grade: EducationGrade | None = Field(
        None,
        description="Overall judgement for education, skills and work at the last inspection "
        "(Estyn gives no single grade: leave it out).",
    )


class PreviousInspection(_Model):
    first_day: Day = Field(description="First day of the full inspection (YYYY-MM-DD).")
    last_day: Day = Field(description="Last day of the full inspection (YYYY-MM-DD).")
    report_published: Day | None = Field(None, description="When its report was published.")
    urgent_notification: Flag = Field(
        False, description="Whether the Urgent Notification protocol was invoked (1.4)."
    )
    findings_wording: FindingsWording = Field(
        FindingsWording.CONCERNS,
        description="'concerns', or 'key-recommendations' for reports before mid-2022.",
    )
    education: EducationJudgement | None = Field(
        None, description="The Ofsted or Estyn judgement for education, skills and work (2.3)."
    )
    cqc_notices: Flag = Field(
        False, description="Whether the Care Quality Commission issued notices (2.2)."
    )
    healthy_prison: dict[HealthyPrisonArea, HealthyPrisonAssessment] = Field(
        default_factory=empty_dict,
        description="The previous inspection's healthy prison assessments, per area: poor, "
        "not-sufficiently-good, reasonably-good or good (1.4), e.g. {safety: poor}. The draft "
        "report restates them.",
    )

    @field_validator("last_day")
    @classmethod
    def _last_after_first(cls, last: date, info: ValidationInfo) -> date:
        first = info.data.get("first_day")
        if first is not None and last < first:
            raise ValueError(
                f"last_day ({long_date(last)}) is before first_day ({long_date(first)})"
            )
        return last

    @field_validator("report_published")
    @classmethod
    def _published_after_last(cls, published: date | None, info: ValidationInfo) -> date | None:
        last = info.data.get("last_day")
        if published is not None and last is not None and published < last:
            raise ValueError(
                f"report_published ({long_date(published)}) is before the inspection's "
                f"last_day ({long_date(last)})"
            )
        return published


class Evidence(_Model):
    """One piece of evidence about a concern (guide 3.2)."""

    source: EvidenceSource = Field(
        description="staff, prisoners, prisoner-group, third-party, documentation, data or "
        "observation (3.2)."
    )
    note: Text = Field(description="What was found, in a sentence or two.")
    date: Day | None = Field(None, description="When it was gathered (YYYY-MM-DD).")
    by: Line | None = Field(
        None, description="Who gathered it: a team member's name, as written under 'team'."
    )


#: Notes against the key questions (guide 4.3), e.g. {leadership: "Staff could articulate…"}.
KeyQuestionNotes = dict[KeyQuestion, Text]


class Concern(_Model):
    id: Id = Field(description="Short, unique and stable, e.g. 'C3' or 'P1'.")
    text: Text = Field(description="The concern as worded in the previous report.")
    area: HealthyPrisonArea = Field(description="The healthy prison area it belongs to.")
    kind: ConcernKind = Field(description="priority or key.")
    hmpps_response: HmppsResponse = Field(
        description="What HMPPS said in its action plan: accepted, partly-accepted, rejected "
        "or none (2.6)."
    )
    followed_up: Flag = Field(True, description="Whether this IRP follows it up (1.3).")
    education_skills_work: Flag = Field(
        False, description="Whether it concerns education, skills and work (2.3, 2.5)."
    )
    responsible_manager: Person | None = Field(
        None, description="The manager the prison names on the pro forma (2.9)."
    )
    judgement: ProgressJudgement | None = Field(
        None,
        description="HMI Prisons' progress judgement, made at the visit (4.1): "
        "no-meaningful-progress, insufficient-progress, reasonable-progress or good-progress.",
    )
    judgement_text: Text | None = Field(
        None, description="The short written judgement prepared on day 2 (3.1)."
    )
    evidence: list[Evidence] = Field(
        default_factory=empty_list,
        description="Evidence gathered at the visit (3.2); more may be in the evidence files "
        "beside the visit file.",
    )
    key_questions: KeyQuestionNotes = Field(
        default_factory=empty_dict,
        description="Notes against the key questions (4.3): leadership, planning, action, "
        "evaluation.",
    )
    raised_at_visit: Flag = Field(
        False,
        description="True for a concern raised at the visit itself, which happens only "
        "exceptionally (1.3); give the reason in 'raised_reason'.",
    )
    raised_reason: Text | None = Field(
        None,
        description="Why a concern was raised at the visit: a significant issue relating to the "
        "safety or well-being of prisoners which is not being adequately managed (1.3).",
    )


class PartnerTheme(_Model):
    id: Id = Field(description="Short, unique and stable, e.g. 'T1'.")
    partner: Literal[PartnerName.OFSTED, PartnerName.ESTYN] = Field(description="ofsted or estyn.")
    text: Text = Field(description="The theme the partner follows up (2.3, 2.5).")
    judgement: PartnerJudgement | None = Field(
        None,
        description="The partner's judgement (4.2): insufficient-progress, reasonable-progress "
        "or significant-progress.",
    )
    judgement_text: Text | None = Field(None, description="The partner's written judgement.")


class TeamMember(_Model):
    name: Line = Field(description="Full name; evidence, schedules and the programme match it.")
    role: Role = Field(
        description="team-leader, coordinating-inspector, inspector, researcher, specialist, "
        "cqc-inspector, ofsted-inspector or estyn-inspector (2.1)."
    )
    on_previous_inspection: Flag = Field(
        False, description="Whether they took part in the previous full inspection (2.1)."
    )
    needs_keys: Flag = Field(True, description="Whether they need keys at the prison (2.8).")
    email: Email | None = Field(None, description="Email address, printed in the letter.")
    phone: Line | None = Field(None, description="Telephone number, printed in the letter.")


class ChiefInspectorVisit(_Model):
    who: SeniorInspector = Field(description="chief-inspector or deputy-chief-inspector.")
    days: list[Annotated[int, Strict(), Field(ge=1, le=10)]] = Field(
        min_length=1, description="Visit day numbers they attend, e.g. [3] (2.1, 3.1)."
    )


class Partner(_Model):
    contact: Person | None = Field(
        None,
        description="The partner's contact for this visit. Required, except in a past record.",
    )
    separate_visit: Flag = Field(
        False,
        description="True when the partner follows up separately rather than with the IRP "
        "(2.2, 2.3).",
    )


class Partners(_Model):
    cqc: Partner | None = Field(None, description="Care Quality Commission (2.2).")
    ofsted: Partner | None = Field(None, description="Ofsted, England only (2.3).")
    estyn: Partner | None = Field(None, description="Estyn, Wales only (2.5).")

    def joining(self) -> list[PartnerName]:
        """Partners that take part in the visit itself (not separately)."""
        return [
            name
            for name in _PARTNER_NAMES
            if (p := getattr(self, name)) is not None and not p.separate_visit
        ]

    def involved(self) -> list[PartnerName]:
        return [name for name in _PARTNER_NAMES if getattr(self, name)]


#: The partners in the order of their fields, each a str (a StrEnum) naming its field: asked
#: for in every check, where an enum's ``.value`` goes through a descriptor each time.
_PARTNER_NAMES = (PartnerName.CQC, PartnerName.OFSTED, PartnerName.ESTYN)


class StaffAssociation(_Model):
    name: Line = Field(description="e.g. 'Prison Officers' Association'.")
    contact: Person | None = Field(None, description="Its representative, when known.")


class Status(_Model):
    """What has happened so far; later commands mark these deadlines as done."""

    letter_sent: Day | None = Field(None, description="When the announcement letter went (2.6).")
    liaison_officer_appointed: Day | None = Field(None, description="Guide 2.7.")
    returns_received: Day | None = Field(
        None, description="When everything the prison sends (2.9) had arrived."
    )
    returns: dict[ReturnItem, Day] = Field(
        default_factory=empty_dict,
        description="When each return arrived, e.g. {proforma: 2026-04-20} (2.9, 2.10).",
    )
    prison_contacted: Day | None = Field(
        None,
        description="When the coordinating inspector contacted the prison about arrangements "
        "and asked for the documents (2.7, 2.9).",
    )
    attendance_list_sent: Day | None = Field(
        None, description="When the attendance list and who needs keys went to the prison (2.8)."
    )
    staff_associations_offered: Day | None = Field(
        None,
        description="When staff association representatives were offered a meeting with the "
        "team leader (2.8).",
    )
    imb_meeting_arranged: Day | None = Field(
        None, description="When the meeting with IMB representatives was arranged (2.8)."
    )
    draft_report_sent: Day | None = Field(None, description="Guide 5.1.")
    report_published: Day | None = Field(None, description="Guide 5.1.")


_CLOCK = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")


def parse_clock(value: object) -> object:
    """``"12:30"`` (or ``"12.30"``) to a time; anything else is reported, not guessed."""
    if isinstance(value, time):
        return value
    match = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f'{value!r} is not a time; write it as "HH:MM" in quotes, e.g. "12:30"')
    return time(int(match[1]), int(match[2]))


#: A time of day on the 24-hour clock, written "HH:MM" (in quotes).
ClockTime = Annotated[
    time,
    BeforeValidator(parse_clock),
    WithJsonSchema({"type": "string", "pattern": _CLOCK.pattern, "description": 'e.g. "12:30"'}),
]


class ScheduleSession(_Model):
    """A change to one session of the visit's schedule, or a session added to it (guide 3.1)."""

    session: Id | None = Field(
        None,
        description="The id of a session of the guide's schedule to change, e.g. 'presentation', "
        "'team-meeting', 'governor-feedback', 'manager-feedback-P1', 'liaison-2' (irp schedule "
        "--json lists them). Leave out to add a session of your own.",
    )
    day: Annotated[int, Strict(), Field(ge=1, le=10)] | None = Field(
        None,
        description="The visit day number (1 is the first visit day). Needed for a new session; "
        "for a change, leave out to change that session on every day it is held.",
    )
    title: Text | None = Field(None, description="What happens; needed for a new session.")
    start: ClockTime | None = Field(None, description='Start time, e.g. "12:30".')
    end: ClockTime | None = Field(None, description='End time, e.g. "14:00".')
    room: Text | None = Field(None, description="Where it takes place.")
    attendees: list[Text] | None = Field(
        None,
        description="Who from the team attends, by name as under 'team' (replaces the usual "
        "attendees).",
    )
    others: list[Text] | None = Field(
        None,
        description="Who else attends (from the prison or elsewhere), e.g. ['Governor'].",
    )
    cancelled: Flag = Field(False, description="True to take a session out of the schedule.")

    @model_validator(mode="after")
    def _session_or_title(self) -> Self:
        if self.session is None and (self.title is None or self.day is None):
            raise ValueError(
                "a new session needs a 'title' and a 'day'; to change a session of the guide's "
                "schedule, give its id as 'session'"
            )
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"end ({self.end:%H:%M}) is not after start ({self.start:%H:%M})")
        if self.end is not None and self.start is None:
            raise ValueError("an end time needs a start time")
        return self


class Schedule(_Model):
    """The team's timetable for the visit days (``irp schedule``): the guide's indicative
    schedule (3.1, Appendix I) with the times, rooms and people agreed with the prison."""

    base_room: Text | None = Field(
        None, description="The team's base room for the visit (Appendix I)."
    )
    sessions: list[ScheduleSession] = Field(
        default_factory=empty_list,
        description="Changes to the guide's sessions, and added sessions.",
    )


class VisitDetails(_Model):
    days: list[Day] | None = Field(
        None,
        min_length=1,
        max_length=10,
        description="The visit days, in order. Usually three consecutive working days; may be "
        "split (e.g. one day, then three more a week later). Give either 'days' or 'start'.",
    )
    start: Day | None = Field(
        None,
        description="Shorthand: the first of three consecutive working days. Give either "
        "'days' or 'start'.",
    )
    liaison_officer: Person | None = Field(None, description="Appointed by the governor (2.7).")
    staff_associations: list[StaffAssociation] = Field(
        default_factory=empty_list,
        description="To be offered a meeting with the team leader (2.8).",
    )
    prisoner_survey: Flag | None = Field(
        None,
        description="Only where children are held (1.3). Leave out to follow the establishment.",
    )
    status: Status = Field(
        Status(), description="The dates things happened; each marks a deadline as done."
    )
    population_summary: Line | None = Field(
        None,
        description="The prisoner population summary the prison sent (Appendix II), its figures "
        "typed into a file as in examples/population/ (check it with 'irp population check'): "
        "its path, relative to this visit file. The debrief ends with it as an appendix.",
    )
    schedule: Schedule = Field(
        Schedule(),
        description="Times, rooms and attendees of the visit days' sessions (irp schedule).",
    )

    @model_validator(mode="after")
    def _days_or_start(self) -> Self:
        if (self.days is None) == (self.start is None):
            raise ValueError("give either 'days' (a list of dates) or 'start' (one date)")
        if self.days is not None:
            for before, after in zip(self.days, self.days[1:], strict=False):
                if after <= before:
                    raise ValueError(f"days must be in order, without repeats ({after})")
        return self

    def day_list(self, next_working_day: Callable[[date, int], date]) -> list[date]:
        """The visit days; with ``start:``, it and the next two working days."""
        if self.days is not None:
            return list(self.days)
        assert self.start is not None
        return [self.start, next_working_day(self.start, 1), next_working_day(self.start, 2)]


class JudgementCount(_Model):
    """How many concerns had one judgement, in a past record that does not list them."""

    judgement: ProgressJudgement = Field(description="The progress judgement (4.1).")
    count: Annotated[int, Strict(), Field(ge=0, le=1000)] = Field(description="How many.")
    area: HealthyPrisonArea | None = Field(
        None, description="The healthy prison area, when the record says (leave out if unknown)."
    )


class ThemeCount(_Model):
    """How many partner themes had one judgement, in a past record that does not list them."""

    partner: Literal[PartnerName.OFSTED, PartnerName.ESTYN] = Field(description="ofsted or estyn.")
    judgement: PartnerJudgement = Field(description="The partner's judgement (4.2).")
    count: Annotated[int, Strict(), Field(ge=0, le=1000)] = Field(description="How many.")


class PastRecord(_Model):
    """A visit kept for the record: what is known, and nothing invented."""

    source: Line | None = Field(
        None, description="Where the facts come from, e.g. 'Published report, 12 May 2025'."
    )
    judgement_counts: list[JudgementCount] = Field(
        default_factory=empty_list,
        description="Judgements on concerns that are not listed under 'concerns', as counts, "
        "e.g. [{judgement: reasonable-progress, count: 3, area: safety}].",
    )
    theme_counts: list[ThemeCount] = Field(
        default_factory=empty_list,
        description="Judgements on partner themes not listed under 'partner_themes', as counts.",
    )


class Visit(_Model):
    """One independent review of progress."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="IRP visit file",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    schema_version: Literal[1] = Field(description="Always 1 for this version of irp.")
    establishment: Establishment = Field(description="The prison or young offender institution.")
    previous_inspection: PreviousInspection = Field(
        description="The full inspection this IRP follows up (2.1)."
    )
    concerns: list[Concern] = Field(
        default_factory=empty_list,
        description="The previous inspection's concerns; mark those followed up. At least one, "
        "except in a past record (which may give judgement counts instead).",
    )
    partner_themes: list[PartnerTheme] = Field(
        default_factory=empty_list, description="Themes Ofsted or Estyn follow up (2.3, 2.5)."
    )
    team: list[TeamMember] = Field(
        default_factory=empty_list,
        description="The IRP team (2.1). At least one member, except in a past record.",
    )
    chief_inspector: ChiefInspectorVisit | None = Field(
        None, description="When the Chief or Deputy Chief Inspector attends (2.1, 3.1)."
    )
    partners: Partners = Field(
        Partners(), description="The partner inspectorates involved: CQC, Ofsted, Estyn (2.2-2.5)."
    )
    visit: VisitDetails = Field(description="The visit itself: its days, people and progress.")
    notable_positive_practice: list[Text] = Field(
        default_factory=empty_list,
        description="Notable positive practice found at the visit, one item per entry, as the "
        "draft report should describe it (irp report).",
    )
    record: PastRecord | None = Field(
        None,
        description="Marks a visit that is over and kept for the record (e.g. typed in from a "
        "published report). A past record may leave out what such records often lack (the "
        "team, contacts), write 'unknown' for HMPPS responses, and give judgement counts "
        "instead of listing the concerns. Planning rules are not applied to it.",
    )

    @property
    def finished(self) -> bool:
        """The visit is over: a past record, or its report is published (guide 5.1)."""
        return self.finished_on(None)

    def finished_on(self, today: date | None) -> bool:
        """:attr:`finished` as of ``today``: a publication date still to come is not counted
        yet (``status-in-future`` warns of it), as every other status date. With no
        ``today`` (``validate``), any date recorded counts."""
        published = self.visit.status.report_published
        if self.record is not None:
            return True
        return published is not None and (today is None or published <= today)

    def planning_gaps(self) -> list[tuple[tuple[str | int, ...], str]]:
        """What only a past record may leave out or leave unknown, as (loc, message) pairs; the
        loader reports them like any missing key. Empty for a past record."""
        if self.record is not None:
            return []
        hint = "only a past record (a file with a 'record:' section) may leave it out"
        gaps: list[tuple[tuple[str | int, ...], str]] = []
        for loc, value in (
            (("establishment", "governor"), self.establishment.governor),
            (("establishment", "imb_chair"), self.establishment.imb_chair),
        ):
            if value is None:
                gaps.append((loc, f"'{loc[-1]}' is missing; {hint}"))
        for name in ("cqc", "ofsted", "estyn"):
            partner = getattr(self.partners, name)
            if partner is not None and partner.contact is None:
                gaps.append((("partners", name, "contact"), f"'contact' is missing; {hint}"))
        if not self.concerns:
            gaps.append((("concerns",), "'concerns' is missing or empty; list at least one"))
        if not self.team:
            gaps.append((("team",), f"'team' is missing or empty; {hint}"))
        for index, concern in enumerate(self.concerns):
            if concern.hmpps_response is HmppsResponse.UNKNOWN:
                gaps.append(
                    (
                        ("concerns", index, "hmpps_response"),
                        "'unknown' is only for a past record (a file with a 'record:' section); "
                        "write what HMPPS said: accepted, partly-accepted, rejected or none",
                    )
                )
        return gaps

    @property
    def key(self) -> str:
        """What identifies this IRP in the files irp sends out (the pro forma, the calendar):
        the establishment's code and the last day of the previous inspection, which stay the
        same when the visit days move, e.g. ``irp-ASH-20250619``."""
        return f"irp-{self.establishment.code}-{self.previous_inspection.last_day:%Y%m%d}"

    @property
    def followed_up(self) -> list[Concern]:
        return [c for c in self.concerns if c.followed_up]

    @property
    def wording(self) -> str:
        """'concerns' or 'key recommendations', as the previous report said."""
        return self.previous_inspection.findings_wording.replace("-", " ")  # a StrEnum: a str

    @property
    def prisoner_survey(self) -> bool:
        survey = self.visit.prisoner_survey
        return self.establishment.holds_children if survey is None else survey


class PlanningStart(BaseModel):
    """Just enough of a visit file to propose dates (``irp plan --suggest``); the rest of the
    file may still be unfinished."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    previous_inspection: PreviousInspection


def area_order(visit: Visit) -> list[HealthyPrisonArea]:
    """The establishment's healthy prison areas in the order reports use, then any others."""
    own = CHILDREN_AREAS if visit.establishment.holds_children else ADULT_AREAS
    return [*own, *(a for a in HealthyPrisonArea if a not in own)]


def json_schema() -> dict[str, object]:
    return Visit.model_json_schema()


def json_schema_text() -> str:
    """The schema as written to visit.schema.json (``irp schema``, ``irp init``)."""
    import json

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
