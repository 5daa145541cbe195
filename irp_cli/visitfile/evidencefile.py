"""The model of an evidence file (docs/visit-file.md, 'Evidence files'): one inspector's
evidence beside the visit file. Apart from the visit file's models, so that a run that reads
no evidence file does not build it (:mod:`irp_cli.onsite.evidence` reads them)."""

from typing import Literal

from pydantic import ConfigDict, Field

from irp_cli.visitfile.models import (
    Evidence,
    Id,
    KeyQuestionNotes,
    Line,
    _Model,
    empty_dict,
    empty_list,
)


class ConcernEvidence(_Model):
    """What one evidence file records about one concern."""

    evidence: list[Evidence] = Field(default_factory=empty_list, description="Evidence (3.2).")
    key_questions: KeyQuestionNotes = Field(
        default_factory=empty_dict, description="Notes against the key questions (4.3)."
    )


class EvidenceFile(_Model):
    """An evidence file: one inspector's evidence, kept beside the visit file so that team
    members never edit one file at once (see docs/visit-file.md, 'Evidence files')."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="IRP evidence file")

    schema_version: Literal[1] = Field(description="Always 1 for this version of irp.")
    by: Line | None = Field(
        None,
        description="The team member whose file this is: the 'by' of every item that names "
        "nobody else.",
    )
    concerns: dict[Id, ConcernEvidence] = Field(
        default_factory=empty_dict,
        description="Per concern id, its evidence and key-question notes.",
    )
