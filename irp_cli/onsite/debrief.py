"""The debrief (guide 4.4): its checks, its counts and its document. Pure.

The checks (rules ``debrief-*`` in :mod:`irp_cli.guide`) are warnings about gaps that the team
leader closes before the deliberation meeting: a concern or theme not judged, a judgement whose
evidence is not triangulated (3.2), a judged concern with no key-question notes (4.3), a
judgement without its written text (3.1). Broken files and wrong scales are errors found when
the files are read.

There is never an overall judgement (4.1): the counts are per judgement, and nothing here adds
them up into one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from irp_cli.dates import day_date
from irp_cli.documents.context import AREA_LABELS, Document, common_context
from irp_cli.errors import Finding
from irp_cli.guide import BY_ID, HMI_PRISONS_JUDGEMENTS, OFSTED_JUDGEMENTS, Judgement
from irp_cli.onsite.evidence import ConcernRecord, Record
from irp_cli.review.checks import Hit, to_findings
from irp_cli.text import number_words
from irp_cli.visitfile.models import PartnerName, area_order

#: The summary table's order: from the best judgement down, as published reports list them.
COUNT_ORDER = ("good-progress", "reasonable-progress", "insufficient-progress",
               "no-meaningful-progress")  # fmt: skip
PARTNER_COUNT_ORDER = ("significant-progress", "reasonable-progress", "insufficient-progress")
_NAMES = {j.value: j for j in HMI_PRISONS_JUDGEMENTS}
_PARTNER_NAMES = {j.value: j for j in OFSTED_JUDGEMENTS}
_PARTNER_SHORT = {PartnerName.OFSTED: "Ofsted", PartnerName.ESTYN: "Estyn"}


def to_judge(record: Record) -> list[ConcernRecord]:
    """The concerns the team judges: followed up, and not raised at this visit (a new concern
    has no progress to judge)."""
    return [c for c in record.followed_up if not c.concern.raised_at_visit]


def raised(record: Record) -> list[ConcernRecord]:
    return [c for c in record.concerns if c.concern.raised_at_visit]


def _hits(record: Record) -> Iterator[Hit]:
    threshold = record.loaded.config.evidence.triangulation_sources
    for item in to_judge(record):
        concern, loc = item.concern, ("concerns", item.position)
        if concern.judgement is None:
            yield Hit(
                BY_ID["debrief-not-judged"],
                loc,
                f"{concern.id} is followed up but not judged yet: run "
                f"'irp judge FILE {concern.id} JUDGEMENT --text TEXT'",
            )
            continue
        judged_at = (*loc, "judgement")
        sources = item.sources
        if len(sources) < threshold:
            have = ", ".join(s.value for s in sources) or "no evidence recorded"
            yield Hit(
                BY_ID["debrief-not-triangulated"],
                judged_at,
                f"{concern.id}'s judgement rests on {len(sources)} source type"
                f"{'s' * (len(sources) != 1)} ({have}); triangulated evidence comes from at "
                f"least {threshold}",
            )
        if not item.notes:
            yield Hit(
                BY_ID["debrief-no-key-questions"],
                judged_at,
                f"{concern.id} is judged but has no notes against the key questions "
                "(leadership, planning, action, evaluation)",
            )
        if concern.judgement_text is None:
            yield Hit(
                BY_ID["debrief-no-written-judgement"],
                judged_at,
                f"{concern.id} is judged but has no 'judgement_text', the short written judgement",
            )
    joining = record.visit.partners.joining()
    for index, theme in enumerate(record.visit.partner_themes):
        if theme.partner not in joining:
            continue
        loc = ("partner_themes", index)
        if theme.judgement is None:
            yield Hit(
                BY_ID["debrief-theme-not-judged"],
                loc,
                f"theme {theme.id} ({_PARTNER_SHORT[theme.partner]}) is not judged yet",
            )
        elif theme.judgement_text is None:
            yield Hit(
                BY_ID["debrief-no-written-judgement"],
                (*loc, "judgement"),
                f"theme {theme.id} is judged but has no 'judgement_text'",
            )


def findings(
    record: Record, day: date | None = None, *, document: str = "the debrief"
) -> list[Finding]:
    """The debrief's checks, located in the visit file, after the evidence files' problems;
    with ``day``, the date on ``document`` (the debrief or the draft report), also whether the
    visit is over by then."""
    doc = record.loaded.doc
    hits = sorted(
        [*_hits(record), *_before_the_end(record, day, document)],
        key=lambda h: doc.locate(h.loc)[:2],
    )
    return [*record.findings, *to_findings(hits, doc.locate, doc.name, record.loaded.config)]


def _before_the_end(record: Record, day: date | None, document: str) -> Iterator[Hit]:
    """A debrief (4.4) or draft report (5.1) dated before the visit's last day."""
    days = record.loaded.visit_days
    if day is None or not days or day >= days[-1]:
        return
    details = record.visit.visit
    loc = ("visit", "days") if details.days is not None else ("visit", "start")
    yield Hit(
        BY_ID["debrief-before-visit-end"],
        loc,
        f"{document} is dated {day_date(day)}, before the visit's last day "
        f"({day_date(days[-1])}): it holds only the judgements and evidence recorded so far",
    )


def counts(record: Record) -> dict[str, int]:
    """How many concerns are at each of the four judgements (all four, zeros included)."""
    found = dict.fromkeys(COUNT_ORDER, 0)
    for item in to_judge(record):
        if item.concern.judgement is not None:
            found[item.concern.judgement.value] += 1
    return found


def partner_counts(record: Record) -> dict[str, int]:
    """How many partner themes are at each of Ofsted's three judgements (zeros included)."""
    found = dict.fromkeys(PARTNER_COUNT_ORDER, 0)
    for theme in record.visit.partner_themes:
        if theme.judgement is not None and theme.partner in record.visit.partners.joining():
            found[theme.judgement.value] += 1
    return found


def concern_view(item: ConcernRecord) -> dict[str, Any]:
    concern = item.concern
    judgement = _NAMES[concern.judgement.value] if concern.judgement else None
    return {
        "id": concern.id,
        "text": concern.text,
        "area": concern.area.value,
        "area_label": AREA_LABELS[concern.area],
        "judgement": concern.judgement.value if concern.judgement else None,
        "judgement_name": judgement.name if judgement else None,
        "judgement_text": concern.judgement_text,
        "raised_at_visit": concern.raised_at_visit,
        "raised_reason": concern.raised_reason,
        "evidence": len(item.items),
        "source_types": [s.value for s in item.sources],
        "key_questions": [q.value for q in item.questions],
    }


def themes_view(record: Record) -> list[dict[str, Any]]:
    joining = record.visit.partners.joining()
    out = []
    for theme in record.visit.partner_themes:
        if theme.partner not in joining:
            continue
        judgement = _PARTNER_NAMES[theme.judgement.value] if theme.judgement else None
        out.append(
            {
                "id": theme.id,
                "partner": theme.partner.value,
                "partner_name": _PARTNER_SHORT[theme.partner],
                "text": theme.text,
                "judgement": theme.judgement.value if theme.judgement else None,
                "judgement_name": judgement.name if judgement else None,
                "judgement_text": theme.judgement_text,
            }
        )
    return out


def as_json(record: Record, found: Sequence[Finding]) -> dict[str, Any]:
    """``irp debrief --json``: every key always present."""
    return {
        "counts": counts(record),
        "partner_counts": partner_counts(record),
        "concerns": [concern_view(c) for c in to_judge(record)],
        "raised_at_visit": [concern_view(c) for c in raised(record)],
        "partner_themes": themes_view(record),
        "findings": [f.as_dict() for f in found],
    }


def _rows(order: Sequence[str], names: dict[str, Judgement], got: dict[str, int]) -> list[Any]:
    return [{"value": v, "name": names[v].name, "count": got[v]} for v in order]


def _definition(judgement: Judgement) -> dict[str, str]:
    return {"name": judgement.name, "definition": judgement.definition}


def _none_or_words(n: int) -> str:
    """``none``, ``one`` ... ``nine``, then figures: how many have a judgement so far."""
    return "none" if n == 0 else number_words(n)


def document(record: Record, letter_date: date) -> Document:
    """The debrief document (templates/debrief.md.j2)."""
    loaded = record.loaded
    visit = loaded.doc.visit
    context = common_context(
        visit, loaded.config, loaded.timeline, loaded.calendar, letter_date=letter_date
    )
    judged = [concern_view(c) for c in to_judge(record)]
    areas = []
    for area in area_order(visit):
        items = [c for c in judged if c["area"] == area.value]
        if items:
            areas.append({"label": AREA_LABELS[area], "concerns": items})
    themes = themes_view(record)
    partner_got = partner_counts(record)
    context["debrief"] = {
        "areas": areas,
        "raised": [concern_view(c) for c in raised(record)],
        "themes": themes,
        "partners": sorted({t["partner_name"] for t in themes}),
        "counts": _rows(COUNT_ORDER, _NAMES, counts(record)),
        "partner_counts": _rows(PARTNER_COUNT_ORDER, _PARTNER_NAMES, partner_got),
        "partners_judged": any(t["judgement"] for t in themes),
        "judged": sum(1 for c in judged if c["judgement"]),
        "to_judge": len(judged),
        "judged_words": _none_or_words(sum(1 for c in judged if c["judgement"])),
        "followed": number_words(len(judged)),
        "previous": number_words(sum(not c.raised_at_visit for c in visit.concerns)),
        "definitions": [_definition(j) for j in HMI_PRISONS_JUDGEMENTS],
        "partner_definitions": [_definition(j) for j in OFSTED_JUDGEMENTS],
        "estyn": any(t["partner"] == PartnerName.ESTYN.value for t in themes),
    }
    title = f"Debrief: independent review of progress at {visit.establishment.name}"
    return Document("debrief.md.j2", title, context)
