"""The draft report (guide 5.1), in the shape of published IRP reports. Pure.

The title ("Report on an independent review of progress at HMP X by HM Chief Inspector of
Prisons") with the visit dates as published reports write them ("8 and 13–15 May 2024"); a
cover note with the dates of 5.1 (the draft to the governor for factual accuracy checking, and
publication within 25 working days) from the timeline; an introduction that restates the
previous inspection's healthy prison assessments (1.4) and says what an IRP is (1.1–1.3);
numbered summary paragraphs (S1 says how many of how many concerns, or key recommendations,
were followed up); the concerns grouped by judgement band, quoting their original wording; a
section per concern by healthy prison area, starting from the written judgement (3.1); the
partner themes (4.2); notable positive practice where recorded; and an appendix with the team
and the judgement definitions (4.1, 4.2).

There is never an overall judgement (4.1): the summary counts each band, and nothing adds them
up into one.
"""

from __future__ import annotations

from datetime import date

from irp_cli.dates import span_dates
from irp_cli.documents.context import AREA_LABELS, ROLE_LABELS, Document, common_context
from irp_cli.guide import HMI_PRISONS_JUDGEMENTS, OFSTED_JUDGEMENTS
from irp_cli.onsite.debrief import (
    COUNT_ORDER,
    PARTNER_COUNT_ORDER,
    concern_view,
    partner_counts,
    raised,
    themes_view,
    to_judge,
)
from irp_cli.onsite.debrief import counts as judgement_counts
from irp_cli.onsite.evidence import Record
from irp_cli.text import join_words, number_words
from irp_cli.visitfile.models import area_order

#: Words for the healthy prison assessments (guide 1.4).
ASSESSMENT_WORDS = {
    "poor": "poor",
    "not-sufficiently-good": "not sufficiently good",
    "reasonably-good": "reasonably good",
    "good": "good",
}
_NAMES = {j.value: j for j in HMI_PRISONS_JUDGEMENTS}
_PARTNER_NAMES = {j.value: j for j in OFSTED_JUDGEMENTS}


def _count_phrase(n: int, one: str, many: str) -> str:
    return f"{number_words(n)} {one if n == 1 else many}"


def report_document(record: Record, letter_date: date) -> Document:
    """The draft report (templates/report.md.j2)."""
    loaded = record.loaded
    visit = loaded.doc.visit
    context = common_context(
        visit, loaded.config, loaded.timeline, loaded.calendar, letter_date=letter_date
    )
    wording = context["wording"]
    one, many = wording["one"], wording["many"]
    judged = [concern_view(c) for c in to_judge(record)]
    previous = sum(not c.raised_at_visit for c in visit.concerns)
    got = judgement_counts(record)

    # Sections by area, each concern's paragraphs numbered on from 2.1 as published reports do.
    areas = []
    number = 0
    for area in area_order(visit):
        items = []
        for c in judged:
            if c["area"] != area.value:
                continue
            number += 1
            items.append({**c, "number": f"2.{number}"})
        if items:
            areas.append({"label": AREA_LABELS[area], "concerns": items})
    bands = []
    for value in COUNT_ORDER:
        items = [c for c in judged if c["judgement"] == value]
        bands.append({"name": _NAMES[value].name, "concerns": items, "count": got[value]})
    themes = themes_view(record)
    for n, theme in enumerate(themes, 1):
        theme["number"] = f"3.{n}"
    partner_got = partner_counts(record)
    partner_names = sorted({t["partner_name"] for t in themes})

    if len(judged) == previous and previous > 1:  # "all five concerns"
        s1 = f"We followed up all {number_words(previous)} {many}"
    else:  # "nine of the 10 key recommendations"
        s1 = f"We followed up {number_words(len(judged))} of the {number_words(previous)} "
        s1 += many if previous != 1 else one
    summary = [f"{s1} from the previous inspection."]
    said = [
        f"{_NAMES[v].name.lower()} in {_count_phrase(got[v], one, many)}"
        for v in COUNT_ORDER
        if got[v]
    ]
    if said:
        summary.append(f"We judged that there was {join_words(said)}.")
    unjudged = len(judged) - sum(got.values())
    if unjudged:
        summary.append(f"{_count_phrase(unjudged, one, many).capitalize()} had not been judged.")
    if themes:
        partner_said = [
            f"{_PARTNER_NAMES[v].name.lower()} in "
            f"{_count_phrase(partner_got[v], 'theme', 'themes')}"
            for v in PARTNER_COUNT_ORDER
            if partner_got[v]
        ]
        line = f"{join_words(partner_names)} followed up "
        line += _count_phrase(len(themes), "theme", "themes")
        if partner_said:
            line += f" and judged that there was {join_words(partner_said)}"
        summary.append(line + ".")
    new = [concern_view(c) for c in raised(record)]
    if new:
        summary.append(
            f"We raised {_count_phrase(len(new), 'new concern', 'new concerns')} at this visit "
            "(see section 2)."
        )
    if visit.notable_positive_practice:
        summary.append("We found notable positive practice, described in section 4.")

    prev = visit.previous_inspection
    assessments = [
        {"area": AREA_LABELS[area], "assessment": ASSESSMENT_WORDS[prev.healthy_prison[area].value]}
        for area in area_order(visit)
        if area in prev.healthy_prison
    ]
    team = [{"name": m.name, "role": ROLE_LABELS[m.role]} for m in visit.team]
    context["report"] = {
        "dates": span_dates(list(loaded.timeline.visit_days)),
        "assessments": assessments,
        "summary": [{"number": f"S{n}", "text": t} for n, t in enumerate(summary, 1)],
        "bands": bands,
        "areas": areas,
        "raised": new,
        "themes": themes,
        "partner_names": partner_names,
        "practice": list(visit.notable_positive_practice),
        "team": team,
        "definitions": [
            {"name": j.name, "definition": j.definition} for j in HMI_PRISONS_JUDGEMENTS
        ],
        "partner_definitions": [
            {"name": j.name, "definition": j.definition} for j in OFSTED_JUDGEMENTS
        ],
        "factual_accuracy": loaded.timeline.get("draft-report").date,
        "publication": loaded.timeline.get("publication-deadline").date,
    }
    title = (
        f"Report on an independent review of progress at {visit.establishment.name} by HM Chief "
        "Inspector of Prisons"
    )
    return Document("report.md.j2", title, context)
