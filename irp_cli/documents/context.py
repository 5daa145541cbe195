"""What goes into each document the coordinator sends: pure functions from a visit, its settings
and its timeline to the plain data (dicts, lists, dates and strings) a template prints.

Nothing here reads the clock, prints or writes: the letter date comes in as a parameter and
every other date comes from the timeline (:mod:`irp_cli.calendar.timeline`), so the documents always
agree with ``irp plan`` and ``irp deadlines``.

The documents, and the guide paragraphs they carry out:

* ``letter`` (2.6): the Chief Inspector's announcement letter to the governor or director;
* ``letter-imb`` (2.6, 2.8): the covering letter to the Chair of the Independent Monitoring
  Board, with the invitation to meet the team;
* ``letter-partner`` (2.2-2.5): the invitation to CQC, or the notice to Ofsted or Estyn;
* ``proforma`` (2.9): the pro forma naming the manager responsible for each concern;
* ``returns`` (2.9, 2.10, Appendix II): the checklist of everything the prison sends;
* ``liaison`` (Appendix I): the liaison officer's brief with this visit's dates and times.

Every template receives the same common context (:func:`common_context`), described in
``templates/README.md``; each document adds a few keys of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time
from typing import Any, NamedTuple

from irp_cli.calendar.timeline import Event, Milestone, Timeline, WorkingDays
from irp_cli.dates import (
    MONTHS,
    WEEKDAYS,
    day_date,
    format_time,
    format_times,
    long_date,
    recorded_by,
    short_date,
)
from irp_cli.documents.recipients import Recipient
from irp_cli.errors import Finding, IrpError
from irp_cli.text import all_of, join_words, number_words
from irp_cli.visitfile.config import Config
from irp_cli.visitfile.models import (
    Concern,
    HealthyPrisonArea,
    HmppsResponse,
    PartnerName,
    Person,
    ReturnItem,
    Role,
    SeniorInspector,
    TeamMember,
    Visit,
)

# --------------------------------------------------------------------------------------------
# The documents


class Document(NamedTuple):
    """A document ready to render: its template, its title and what the template prints."""

    template: str
    title: str
    context: dict[str, Any]


# --------------------------------------------------------------------------------------------
# Words

AREA_LABELS = {
    HealthyPrisonArea.SAFETY: "Safety",
    HealthyPrisonArea.RESPECT: "Respect",
    HealthyPrisonArea.PURPOSEFUL_ACTIVITY: "Purposeful activity",
    HealthyPrisonArea.REHABILITATION_AND_RELEASE_PLANNING: "Rehabilitation and release planning",
    HealthyPrisonArea.CARE: "Care",
    HealthyPrisonArea.RESETTLEMENT: "Resettlement",
}
RESPONSE_LABELS = {
    HmppsResponse.ACCEPTED: "accepted",
    HmppsResponse.PARTLY_ACCEPTED: "partly accepted",
    HmppsResponse.REJECTED: "rejected",
    HmppsResponse.NONE: "no response",
}
ROLE_LABELS = {
    Role.TEAM_LEADER: "Team leader",
    Role.COORDINATING_INSPECTOR: "Coordinating inspector",
    Role.INSPECTOR: "Inspector",
    Role.RESEARCHER: "Researcher",
    Role.SPECIALIST: "Specialist inspector",
    Role.CQC_INSPECTOR: "CQC inspector",
    Role.OFSTED_INSPECTOR: "Ofsted inspector",
    Role.ESTYN_INSPECTOR: "Estyn inspector",
}
SENIOR_TITLES = {who: who.full_title for who in SeniorInspector}


class PartnerFacts(NamedTuple):
    """What the guide says about each partner: who it is and why it takes part."""

    short: str
    name: str
    paragraph: str
    role: Role
    why: str


PARTNERS = {
    PartnerName.CQC: PartnerFacts(
        "CQC",
        "Care Quality Commission",
        "2.2",
        Role.CQC_INSPECTOR,
        "HMI Prisons invites CQC to take part in an IRP when CQC issued notices after the "
        "previous inspection",
    ),
    PartnerName.OFSTED: PartnerFacts(
        "Ofsted",
        "Ofsted",
        "2.3",
        Role.OFSTED_INSPECTOR,
        "Ofsted takes part in IRPs at prisons in England when education, skills and work was "
        "judged 'inadequate' or 'requires improvement' at the previous inspection",
    ),
    PartnerName.ESTYN: PartnerFacts(
        "Estyn",
        "Estyn",
        "2.5",
        Role.ESTYN_INSPECTOR,
        "Estyn takes part in IRPs at Welsh prisons where concerns about education, skills and "
        "work are followed up",
    ),
}

#: Guide 2.9: what the prison sends, in the guide's order, with what each item is.
RETURN_TITLES: dict[ReturnItem, str] = {
    ReturnItem.PROFORMA: "The pro forma naming the manager responsible for each {one}",
    ReturnItem.ACTION_PLAN: "An updated action plan for the {many} followed up",
    ReturnItem.PRESENTATION: "The presentation for the start of the visit (30–45 minutes)",
    ReturnItem.DATA_REQUEST: "The bespoke data request, which HMI Prisons will supply, completed",
    ReturnItem.EVIDENCE: "Documents and data that evidence the work done on the {many}",
    ReturnItem.POPULATION_REPORT: "The prisoner population report (summary tab, as a PDF)",
    ReturnItem.OSAG_REPORTS: "Any operational support and assurance group (OSAG) reports",
}

PRESENTATION_LENGTH = "30–45 minutes"
PRESENTATION_TIME = time(12, 30)  # guide 3.1 and Appendix I, if the timeline has no event


def phrase_days(days: Sequence[date], cal: WorkingDays) -> str:
    """The visit days in words: ``Tuesday 21 to Thursday 23 April 2026``; a split visit gives
    ``Tuesday 3 March 2026 and Tuesday 10 to Thursday 12 March 2026``. Weekdays that follow
    each other (a Friday and the Monday after) are one run; a bank holiday in between splits
    it, so three working days over Easter read ``Thursday 2 April 2026 and Tuesday 7 to
    Wednesday 8 April 2026``, never "Thursday 2 to Wednesday 8 April". ``cal`` is kept for
    callers; the runs are of calendar weekdays."""
    del cal
    runs: list[list[date]] = []
    for day in days:
        gap = (day - runs[-1][-1]).days if runs else 0
        if runs and (gap == 1 or (gap == 3 and runs[-1][-1].weekday() == 4)):
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = [_phrase_run(run[0], run[-1]) for run in runs]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _phrase_run(first: date, last: date) -> str:
    """One run of days, the shared month and year said once."""
    return _span(first, last, day_date, with_weekday=True)


def phrase_span(first: date, last: date) -> str:
    """``9 to 19 June 2025``, ``30 June to 4 July 2025``, ``1 June 2025``."""
    return _span(first, last, long_date, with_weekday=False)


def _span(first: date, last: date, full: Callable[[date], str], *, with_weekday: bool) -> str:
    if first == last:
        return full(first)
    if first.year != last.year:
        return f"{full(first)} to {full(last)}"
    start = f"{WEEKDAYS[first.weekday()]} {first.day}" if with_weekday else str(first.day)
    if first.month != last.month:
        start += f" {MONTHS[first.month - 1]}"
    return f"{start} to {full(last)}"


# --------------------------------------------------------------------------------------------
# The reference


def reference(visit: Visit, config: Config, first_day: date) -> str:
    """``house.reference_format`` filled in: ``{code}`` (NOMIS code), ``{year}`` (the year of
    the first visit day, so that a letter re-dated in January keeps its reference) and
    ``{name}`` (the establishment's name)."""
    fmt = config.house.reference_format  # checked by HouseSettings: known fields, small widths
    est = visit.establishment
    return fmt.format(code=est.code, year=first_day.year, name=est.name)


# --------------------------------------------------------------------------------------------
# The common context


def _person(person: Person | None, role: str = "colleague") -> dict[str, Any] | None:
    """A person as templates print them; ``role`` greets them when no salutation is given."""
    if person is None:
        return None
    return {
        "name": person.name,
        "title": person.title,
        "email": person.email,
        "phone": person.phone,
        "salutation": salutation(person, role),
    }


#: Titles that, given alone as a salutation, are followed by the surname ("Dear Dr Okafor").
HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Professor", "Prof", "Sir", "Dame", "Lord")


def salutation(person: Person, role: str) -> str:
    """How a letter to ``person`` opens: their own ``salutation`` (with 'Dear' added, and the
    surname after a title given alone), else 'Dear' and the ``role``, never the full name
    ("Dear Dr Jo Okafor" reads wrongly)."""
    given = (person.salutation or "").strip()
    if not given:
        return f"Dear {role}"
    words = given.removeprefix("Dear ").strip()
    if words.rstrip(".") in HONORIFICS:
        words = f"{words} {person.name.split()[-1]}"
    return f"Dear {words}"


def _governor_role(governor: Person | None) -> str:
    """'director' for a contracted prison's director, else 'governor' (guide 2.6)."""
    title = ((governor.title if governor else None) or "").lower()
    return "director" if "director" in title else "governor"


def _member(member: TeamMember) -> dict[str, Any]:
    return {
        "name": member.name,
        "role": member.role.value,
        "role_label": ROLE_LABELS[member.role],
        "needs_keys": member.needs_keys,
        "email": member.email,
        "phone": member.phone,
    }


def _concern(concern: Concern) -> dict[str, Any]:
    return {
        "id": concern.id,
        "text": concern.text,
        "area": AREA_LABELS[concern.area],
        "kind": concern.kind.value,
        "response": concern.hmpps_response.value,
        "response_label": RESPONSE_LABELS[concern.hmpps_response],
        "education_skills_work": concern.education_skills_work,
        "manager": _person(concern.responsible_manager),
    }


def _wording(visit: Visit) -> dict[str, str]:
    many = visit.wording  # 'concerns' or 'key recommendations', as the previous report said
    one = many.removesuffix("s")
    return {"many": many, "one": one, "Many": many.capitalize(), "One": one.capitalize()}


def _events(milestone: Milestone) -> list[dict[str, Any]]:
    return [
        {"title": e.title, "time": format_times(e.start, e.end), "start": e.start, "end": e.end}
        for e in milestone.events
    ]


def _presentation_time(timeline: Timeline) -> time:
    for event in timeline.get("visit-day-1").events:
        if "presentation" in event.title.lower() and event.start is not None:
            return event.start
    return PRESENTATION_TIME


def common_context(
    visit: Visit,
    config: Config,
    timeline: Timeline,
    cal: WorkingDays,
    *,
    letter_date: date,
) -> dict[str, Any]:
    """Everything a document may print, shared by all the templates."""
    est, prev, house = visit.establishment, visit.previous_inspection, config.house
    days = list(timeline.visit_days)
    wording = _wording(visit)
    followed = [_concern(c) for c in visit.followed_up]
    team = [_member(m) for m in visit.team]
    coordinator = next((m for m in team if m["role"] == Role.COORDINATING_INSPECTOR), None)
    leader = next((m for m in team if m["role"] == Role.TEAM_LEADER), None)
    joining = visit.partners.joining()
    partners = []
    for name in visit.partners.involved():
        facts = PARTNERS[name]
        partner = getattr(visit.partners, name.value)
        themes = [{"id": t.id, "text": t.text} for t in visit.partner_themes if t.partner is name]
        partners.append(
            {
                "id": name.value,
                "short": facts.short,
                "name": facts.name,
                "paragraph": facts.paragraph,
                "joining": name in joining,
                "separate_visit": name not in joining,
                "contact": _person(partner.contact),
                "contact_on_team": partner.contact is not None
                and any(m["name"] == partner.contact.name for m in team),
                "themes": themes if name in joining else [],
                "inspectors": [m["name"] for m in team if m["role"] == facts.role.value],
            }
        )
    education = next((p for p in partners if p["id"] in ("ofsted", "estyn") and p["joining"]), None)
    senior = None
    if visit.chief_inspector is not None:
        senior_days = [days[n - 1] for n in visit.chief_inspector.days if n <= len(days)]
        senior = {
            "title": SENIOR_TITLES[visit.chief_inspector.who],
            "days": senior_days,
            "dates": join_words([day_date(d) for d in senior_days]),
        }
    presentation_time = _presentation_time(timeline)
    schedule = []
    for number, day in enumerate(days, start=1):
        schedule.append(
            {
                "number": number,
                "date": day,
                "events": _events(timeline.get(f"visit-day-{number}")),
            }
        )
    return {
        "letter_date": letter_date,
        "reference": reference(visit, config, days[0]),
        "house": {
            "inspectorate": house.inspectorate,
            "address": list(house.address),
            "signatory": {"name": house.signatory_name, "title": house.signatory_title},
            "marking": house.marking,
        },
        "establishment": {
            "name": est.name,
            "code": est.code,
            "type": est.type.value,
            "nation": est.nation.value.title(),
            "holds_children": est.holds_children,
            "population_report": est.type.population_report,
            "address": list(est.address),
        },
        "governor": _person(est.governor, _governor_role(est.governor).capitalize()),
        "governor_role": _governor_role(est.governor),
        "imb_chair": _person(est.imb_chair, "Chair"),
        "wording": wording,
        "previous_inspection": {
            "first_day": prev.first_day,
            "last_day": prev.last_day,
            "dates": phrase_span(prev.first_day, prev.last_day),
            "report_published": prev.report_published,
            "urgent_notification": prev.urgent_notification,
            "education_grade": (
                prev.education.grade.value.replace("-", " ")
                if prev.education is not None and prev.education.grade is not None
                else None
            ),
        },
        "visit": {
            "days": days,
            "first_day": days[0],
            "last_day": days[-1],
            "dates": phrase_days(days, cal),
            "length": len(days),
        },
        "concerns": followed,
        "concerns_total": len(visit.concerns),
        "counts": {
            "followed": number_words(len(followed)),
            "total": number_words(len(visit.concerns)),
            "all": all_of(len(visit.concerns), wording["one"], wording["many"]),
            "need_keys": number_words(sum(m["needs_keys"] for m in team)),
        },
        "rejected": [c["id"] for c in followed if c["response"] == HmppsResponse.REJECTED],
        "partly_accepted": [
            c["id"] for c in followed if c["response"] == HmppsResponse.PARTLY_ACCEPTED
        ],
        "partners": partners,
        "partners_joining": [p for p in partners if p["joining"]],
        "education_partner": education,
        "team": team,
        "key_holders": [m for m in team if m["needs_keys"]],
        "coordinator": coordinator,
        "team_leader": leader,
        "senior_inspector": senior,
        "liaison_officer": _person(visit.visit.liaison_officer),
        "staff_associations": [a.name for a in visit.visit.staff_associations],
        "prisoner_survey": visit.prisoner_survey,
        "presentation": {
            "day": days[0],
            "time": format_time(presentation_time),
            "length": PRESENTATION_LENGTH,
            "points": [
                f"explain what staff have done to address HMI Prisons' {wording['many']}",
                "reflect on what has gone well and what has been challenging",
                "offer a self-assessment of how much progress has been made",
            ],
        },
        "returns": _returns(visit, timeline, wording, letter_date),
        "schedule": schedule,
        "draft_report": timeline.get("draft-report").date,
        "publication_deadline": timeline.get("publication-deadline").date,
    }


def _returns(
    visit: Visit, timeline: Timeline, wording: dict[str, str], today: date
) -> dict[str, Any]:
    status = visit.visit.status
    due = timeline.get("returns-due").date
    items = []
    for item, title in RETURN_TITLES.items():
        # what arrives after the document's date has not arrived yet (status-in-future)
        received = recorded_by(status.returns.get(item) or status.returns_received, today)
        items.append(
            {
                "id": item.value,
                "title": title.format(one=wording["one"], many=wording["many"]),
                "received": received,
                # 'any OSAG reports': there may be none, so it is never overdue
                "optional": item is ReturnItem.OSAG_REPORTS,
                "overdue": received is None and today > due and item is not ReturnItem.OSAG_REPORTS,
            }
        )
    return {
        "due": due,
        "checklist": items,
        "received": sum(1 for i in items if i["received"] is not None),
        "all_received": recorded_by(status.returns_received, today),
    }


# --------------------------------------------------------------------------------------------
# One function per document


def _title(kind: str, est_name: str) -> str:
    return f"Independent review of progress at {est_name}: {kind}"


def letter(
    visit: Visit,
    config: Config,
    timeline: Timeline,
    cal: WorkingDays,
    *,
    letter_date: date,
    to: Recipient = Recipient.GOVERNOR,
    source: str = "visit file",
) -> Document:
    """The announcement letter (2.6) or one of its variants: the IMB chair's copy (2.6, 2.8) or
    the letter to a partner that takes part (2.2-2.5). A partner that does not take part in
    this IRP gets no letter: :class:`IrpError` says why, with the guide paragraph."""
    context = common_context(visit, config, timeline, cal, letter_date=letter_date)
    est_name = visit.establishment.name
    if to is Recipient.GOVERNOR:
        return Document("letter.md.j2", _title("announcement letter", est_name), context)
    if to is Recipient.IMB:
        return Document("letter-imb.md.j2", _title("letter to the IMB chair", est_name), context)
    name = PartnerName(to.value)
    facts = PARTNERS[name]
    partner = next((p for p in context["partners"] if p["id"] == name.value), None)
    if partner is None:
        raise IrpError.at(
            source,
            f"no letter to {facts.short}: {facts.short} does not take part in this IRP (the "
            f"visit file has no 'partners: {name.value}:'); {facts.why}"
            f"{_not_taking_part_detail(visit, name)}",
            code="partner-not-taking-part",
            paragraph=facts.paragraph,
        )
    context["partner"] = partner
    kind = "invitation" if name is PartnerName.CQC else "notice"
    return Document("letter-partner.md.j2", _title(f"{kind} to {facts.short}", est_name), context)


def _not_taking_part_detail(visit: Visit, name: PartnerName) -> str:
    est, prev = visit.establishment, visit.previous_inspection
    if name is PartnerName.CQC:
        return ", and 'previous_inspection: cqc_notices' is not true"
    if name is PartnerName.OFSTED:
        if est.nation.value == "wales":
            return f"; {est.name} is in Wales, where Estyn takes part instead (2.5)"
        grade = prev.education.grade if prev.education else None
        if grade is None:
            return "; no judgement for education, skills and work is recorded"
        return f"; education, skills and work was judged '{grade.value.replace('-', ' ')}'"
    if est.nation.value == "england":
        return f"; {est.name} is in England, where Ofsted takes part instead (2.3)"
    return "; no followed-up concern is marked 'education_skills_work: true'"


#: Documents built from the common context alone: their template and title.
SIMPLE_DOCUMENTS: dict[str, tuple[str, str]] = {
    # the pro forma naming the manager responsible for each followed-up concern (2.9)
    "proforma": ("proforma.md.j2", "pro forma of responsible managers"),
    # the checklist of what the prison sends before the visit (2.9, 2.10, Appendix II)
    "returns": ("returns.md.j2", "what to send before the visit"),
    # the liaison officer's brief with this visit's dates and times (Appendix I)
    "liaison": ("liaison.md.j2", "the liaison officer's brief"),
}


def simple_document(
    kind: str,
    visit: Visit,
    config: Config,
    timeline: Timeline,
    cal: WorkingDays,
    *,
    letter_date: date,
) -> Document:
    """One of :data:`SIMPLE_DOCUMENTS`: ``proforma``, ``returns`` or ``liaison``."""
    template, what = SIMPLE_DOCUMENTS[kind]
    context = common_context(visit, config, timeline, cal, letter_date=letter_date)
    return Document(template, _title(what, visit.establishment.name), context)


def plan_document(
    visit: Visit, timeline: Timeline, cal: WorkingDays, warnings: Sequence[Finding]
) -> Document:
    """The plan as a document (templates/plan.md.j2): plain values, dates as ``date``.
    ``timeline`` is the visit's as of today (what is recorded as done after today is not
    done yet); ``late`` is whether a deadline was done after its date."""

    def event(e: Event) -> dict[str, Any]:
        when = format_times(e.start, e.end) if e.start and e.end else ""
        return {"title": e.title, "when": when, "paragraph": e.paragraph}

    milestones = [
        {
            "id": m.id,
            "date": m.date,
            "end": m.end,
            "kind": m.kind,
            "title": m.title,
            "paragraph": m.paragraph,
            "done": m.done,
            "late": m.late_by(cal) > 0,
            "note": m.note,
            "events": [event(e) for e in m.events],
        }
        for m in timeline.milestones
    ]
    context = {
        "establishment": {"name": visit.establishment.name, "code": visit.establishment.code},
        "previous_inspection": {
            "first_day": visit.previous_inspection.first_day,
            "last_day": visit.previous_inspection.last_day,
        },
        "visit_days": list(timeline.visit_days),
        "milestones": milestones,
        "visit_day_milestones": [m for m in milestones if str(m["id"]).startswith("visit-day-")],
        "warnings": [
            {"message": f.message, "rule": f.code, "paragraph": f.paragraph or ""} for f in warnings
        ],
    }
    title = f"{visit.establishment.name}: plan of the independent review of progress"
    return Document("plan.md.j2", title, context)


# --------------------------------------------------------------------------------------------
# Notes for the coordinator (printed on stderr by the CLI, never in the document)


def letter_notes(timeline: Timeline, letter_date: date) -> list[str]:
    """Plain warnings about the letter's date against the timeline (2.6, 2.10)."""
    notes = []
    send_by = timeline.get("letter-send-by").date
    due = timeline.get("returns-due").date
    first = timeline.visit_days[0]
    if letter_date >= first:
        notes.append(
            f"the letter is dated {short_date(letter_date)}, on or after the first visit day "
            f"({short_date(first)})"
        )
    elif letter_date >= due:
        notes.append(
            f"the letter is dated {short_date(letter_date)}, but the prison's documents are due "
            f"by {short_date(due)} (guide 2.10)"
        )
    elif letter_date > send_by:
        notes.append(
            f"the letter is dated {short_date(letter_date)}, after {short_date(send_by)}, the "
            "latest date for it (the letter usually goes two to three months before the visit)"
        )
    elif letter_date < (opens := timeline.get("letter-window").date):
        notes.append(
            f"the letter is dated {short_date(letter_date)}, before {short_date(opens)}, when the "
            "window for it opens: more than three months before the visit (it usually goes "
            "two to three months before)"
        )
    return notes
