"""The team leader's view during the visit (``irp progress``): per concern, grouped by healthy
prison area, how much evidence there is of each source type (guide 3.2), which key questions
have notes (4.3), whether it is judged (4.1) and whether its evidence is triangulated (3.2:
'corroborated by several evidence sources'; the number of source types is a setting). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from irp_cli.documents.context import AREA_LABELS
from irp_cli.onsite.evidence import ConcernRecord, Record
from irp_cli.visitfile.models import (
    EvidenceSource,
    HealthyPrisonArea,
    KeyQuestion,
    area_order,
)


@dataclass(frozen=True)
class ConcernProgress:
    """Where one followed-up concern stands: its evidence by source type, notes and judgement."""

    record: ConcernRecord
    threshold: int  # source types needed for triangulation

    @property
    def id(self) -> str:
        return self.record.concern.id

    @property
    def counts(self) -> dict[EvidenceSource, int]:
        """Pieces of evidence per source type: every type, zeros included."""
        counts = dict.fromkeys(EvidenceSource, 0)
        for item in self.record.items:
            counts[item.source] += 1
        return counts

    @property
    def total(self) -> int:
        return len(self.record.items)

    @property
    def questions(self) -> dict[KeyQuestion, bool]:
        noted = set(self.record.questions)
        return {q: q in noted for q in KeyQuestion}

    @property
    def judged(self) -> bool:
        return self.record.concern.judgement is not None

    @property
    def written(self) -> bool:
        return self.record.concern.judgement_text is not None

    @property
    def triangulated(self) -> bool:
        return len(self.record.sources) >= self.threshold

    @property
    def complete(self) -> bool:
        """Nothing left to do: judged with a written judgement, triangulated, every key
        question noted."""
        return self.judged and self.written and self.triangulated and all(self.questions.values())

    def as_dict(self) -> dict[str, Any]:
        concern = self.record.concern
        return {
            "id": concern.id,
            "text": concern.text,
            "area": concern.area.value,
            "raised_at_visit": concern.raised_at_visit,
            "evidence": {s.value: n for s, n in self.counts.items()},
            "evidence_total": self.total,
            "source_types": len(self.record.sources),
            "triangulated": self.triangulated,
            "key_questions": {q.value: noted for q, noted in self.questions.items()},
            "judged": self.judged,
            "judgement": concern.judgement.value if concern.judgement else None,
            "judgement_text": concern.judgement_text is not None,
        }


@dataclass(frozen=True)
class AreaProgress:
    """The concerns of one healthy prison area, in the order of the visit file."""

    area: HealthyPrisonArea
    concerns: list[ConcernProgress]

    @property
    def label(self) -> str:
        return AREA_LABELS[self.area]


@dataclass(frozen=True)
class ThemeProgress:
    """Whether a partner's theme is judged, and its judgement written."""

    id: str
    partner: str
    judged: bool
    written: bool


@dataclass(frozen=True)
class Progress:
    """Where the visit stands (``irp progress``): its concerns by area, and the partner
    themes."""

    areas: list[AreaProgress]
    themes: list[ThemeProgress]
    threshold: int

    @property
    def concerns(self) -> list[ConcernProgress]:
        return [c for area in self.areas for c in area.concerns]

    def as_dict(self) -> dict[str, Any]:
        concerns = self.concerns
        return {
            "triangulation_sources": self.threshold,
            "concerns": [c.as_dict() for c in concerns],
            "partner_themes": [
                {
                    "id": t.id,
                    "partner": t.partner,
                    "judged": t.judged,
                    "judgement_text": t.written,
                }
                for t in self.themes
            ],
            "summary": {
                "followed_up": len(concerns),
                "judged": sum(c.judged for c in concerns),
                "triangulated": sum(c.triangulated for c in concerns),
                "written": sum(c.written for c in concerns),
                "themes_judged": sum(t.judged for t in self.themes),
                "themes": len(self.themes),
            },
        }


def progress(record: Record) -> Progress:
    """Where the visit's evidence and judgements stand, per followed-up concern."""
    visit = record.visit
    threshold = record.loaded.config.evidence.triangulation_sources
    areas = []
    for area in area_order(visit):
        rows = [ConcernProgress(c, threshold) for c in record.followed_up if c.concern.area is area]
        if rows:
            areas.append(AreaProgress(area, rows))
    themes = [
        ThemeProgress(t.id, t.partner.value, t.judgement is not None, t.judgement_text is not None)
        for t in visit.partner_themes
        if t.partner in visit.partners.joining()
    ]
    return Progress(areas, themes, threshold)
