"""The commented starter visit file written by ``irp init``. The questions ``irp init`` asks
are in the CLI layer (:func:`irp_cli.commands.visitfile.ask`); this module only writes."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from irp_cli.dates import add_months
from irp_cli.visitfile.loader import PLACEHOLDER_CODE
from irp_cli.visitfile.models import EstablishmentType, Nation

#: The first day to propose for an IRP after an inspection that ended on the given day, or
#: None when no day is left (the CLI passes the logic of ``irp plan --suggest``).
Proposer = Callable[[date], date | None]


@dataclass(frozen=True)
class Answers:
    """What ``irp init`` asks, or proposes without asking, for a new visit file."""

    name: str
    code: str
    type: str
    nation: str
    holds_children: bool
    governor: str
    imb_chair: str
    first_day: date
    last_day: date
    visit_start: date

    @classmethod
    def blank(cls, today: date, propose: Proposer | None = None) -> Answers:
        """The answers of ``irp init --no-input``: placeholders to replace, and visit days
        that ``propose`` (the logic of ``irp plan --suggest``) finds for an inspection that
        ended two months before ``today``."""
        last_day = add_months(today, -2)
        start = propose(last_day) if propose is not None else None
        return cls(
            name="[Establishment name]",
            code=PLACEHOLDER_CODE,
            type=EstablishmentType.ADULT_MEN.value,
            nation=Nation.ENGLAND.value,
            holds_children=False,
            governor="[Governor's name]",
            imb_chair="[IMB chair's name]",
            first_day=last_day - timedelta(days=10),
            last_day=last_day,
            visit_start=start or suggested_start(last_day),
        )


def suggested_start(last_day: date) -> date:
    """A Tuesday about ten months after the inspection: the middle of the 8-12-month window."""
    start = add_months(last_day, 10)
    return start + timedelta(days=(1 - start.weekday()) % 7)


def _q(value: str) -> str:
    """A YAML-safe double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def starter_text(a: Answers) -> str:
    area = "care" if a.holds_children else "respect"
    return f"""\
# yaml-language-server: $schema=visit.schema.json
# An IRP visit file. Fill in the [placeholders], then run: irp validate THIS-FILE
# Dates are YYYY-MM-DD; yes/no answers are true or false; put times in quotes ("09:30").
schema_version: 1

establishment:
  name: {_q(a.name)}
  code: {a.code}              # NOMIS establishment code
  # type: adult-men, adult-women, young-offender-institution or split-adults-young-adults
  type: {a.type}
  nation: {a.nation}          # england or wales
  # holds_children: only then is there a prisoner survey (guide 1.3)
  holds_children: {str(a.holds_children).lower()}
  governor:                # the letter goes to them (guide 2.6)
    name: {_q(a.governor)}
    title: Governor        # or Director
  imb_chair:               # copied into the letter and invited to meet the team (guide 2.6)
    name: {_q(a.imb_chair)}

previous_inspection:
  first_day: {a.first_day.isoformat()}
  last_day: {a.last_day.isoformat()}
  # report_published: YYYY-MM-DD
  urgent_notification: false     # guide 1.4
  findings_wording: concerns     # or key-recommendations (reports before mid-2022)
  # education:                   # education, skills and work (guide 2.3, 2.5)
  #   inspectorate: ofsted       # estyn in Wales
  #   grade: requires-improvement
  cqc_notices: false             # did CQC issue notices? then CQC is invited (guide 2.2)

concerns:                  # the previous report's concerns; mark those not followed up
  - id: C1
    text: "[The concern as worded in the report]"
    area: safety           # the healthy prison area
    kind: priority         # priority or key
    hmpps_response: accepted   # accepted, partly-accepted, rejected or none
  - id: C2
    text: "[Another concern]"
    area: {area}
    kind: key
    hmpps_response: accepted
    # followed_up: false
    # education_skills_work: true

# partner_themes:          # Ofsted or Estyn themes, when they visit with you (guide 2.3, 2.5)
#   - id: T1
#     partner: ofsted
#     text: "[Theme]"

team:                      # three to five inspectors (guide 2.1)
  - name: "[Team leader]"
    role: team-leader
    on_previous_inspection: true
  - name: "[Coordinating inspector]"
    role: coordinating-inspector
  - name: "[Inspector]"
    role: inspector

# chief_inspector:         # if the Chief or Deputy Chief Inspector attends (guide 2.1, 3.1)
#   who: chief-inspector
#   days: [3]

# partners:                # who takes part (guide 2.2-2.5)
#   cqc:
#     contact:
#       name: "[CQC contact]"

visit:
  start: {a.visit_start.isoformat()}      # or: days: [YYYY-MM-DD, YYYY-MM-DD, YYYY-MM-DD]
  # liaison_officer:       # appointed by the governor (guide 2.7)
  #   name: "[Name]"
  # staff_associations:
  #   - name: Prison Officers' Association
  status:                  # fill in as things happen; 'irp deadlines' reads these
    letter_sent: null
    returns_received: null
"""
