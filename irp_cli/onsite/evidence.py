"""Evidence gathered at the visit: in the visit file and in evidence files beside it.

The convention (documented in docs/visit-file.md, 'Evidence files'): next to
``hmp-ashcombe.yaml`` is a folder ``hmp-ashcombe.evidence/`` holding one YAML file per
inspector, such as ``helen-ardagh.yaml``::

    schema_version: 1
    by: Helen Ardagh            # the default 'by' of every item below
    concerns:
      P1:
        evidence:
          - source: observation
            date: 2026-04-21
            note: Wings were unlocked on time on both mornings.
        key_questions:
          action: The regime plan was published weekly and followed.

So a team of four never edits one file at once. Every file is read with the visit file, and
every problem is located in the file it is in. :func:`load_record` joins them into one
:class:`Record`: per concern, every piece of evidence and every key-question note with where it
was written.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import yaml
from pydantic import ValidationError

from irp_cli.errors import Finding, IrpError
from irp_cli.guide import BY_ID
from irp_cli.review.checks import Hit, to_findings
from irp_cli.review.session import Loaded, unsupported_dates
from irp_cli.visitfile.evidencefile import EvidenceFile
from irp_cli.visitfile.loader import (
    EVIDENCE_FOLDER_SUFFIX,
    YAML_SUFFIXES,
    compose_data,
    display_name,
    evidence_files,
    read_text,
)
from irp_cli.visitfile.models import (
    Concern,
    Evidence,
    EvidenceSource,
    KeyQuestion,
    Visit,
)
from irp_cli.visitfile.positions import key_position, locate


def is_evidence_file(path: Path) -> bool:
    return (
        path.parent.name.endswith(EVIDENCE_FOLDER_SUFFIX) and path.suffix.lower() in YAML_SUFFIXES
    )


def visit_file_for(evidence_path: Path) -> Path:
    """The visit file an evidence file belongs to: ``x.evidence/a.yaml`` -> ``x.yaml`` (or
    ``x.yml``)."""
    folder = evidence_path.parent
    stem = folder.name[: -len(EVIDENCE_FOLDER_SUFFIX)]
    for suffix in YAML_SUFFIXES:
        candidate = folder.parent / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    raise IrpError.at(
        display_name(evidence_path),
        f"this evidence file is in '{folder.name}', but there is no visit file "
        f"'{stem}.yaml' beside that folder",
        code="evidence-file",
    )


class EvidenceDoc(NamedTuple):
    """One evidence file, read and validated."""

    path: Path
    name: str
    root: yaml.Node
    model: EvidenceFile

    def locate(self, loc: tuple[str | int, ...]) -> tuple[int, int, str]:
        return locate(self.root, loc)


def parse_evidence(text: str, name: str, path: Path | None = None) -> EvidenceDoc:
    """An evidence file's text, validated, or an IrpError with every problem located."""
    from irp_cli.visitfile.messages import describe_validation_errors

    # One walk over the nodes builds the data (as for a visit file); the placeholders it also
    # finds are the starter visit file's, which an evidence file does not have.
    root, data, _left = compose_data(text, name, what="evidence file")
    try:
        model = EvidenceFile.model_validate(data)
    except ValidationError as exc:
        raise IrpError(describe_validation_errors(exc, root, name, EvidenceFile)) from None
    return EvidenceDoc(path or Path(name), name, root, model)


def read_evidence(path: Path) -> EvidenceDoc:
    return parse_evidence(read_text(path, what="evidence file"), display_name(path), path)


# --------------------------------------------------------------------------------------------
# The record: the visit file's evidence and the evidence files', per concern


class Item(NamedTuple):
    """One piece of evidence and where it is written."""

    evidence: Evidence
    by: str | None  # the item's 'by', else its evidence file's
    file: str
    line: int

    @property
    def source(self) -> EvidenceSource:
        return self.evidence.source


class Note(NamedTuple):
    """A note against one key question (guide 4.3) and where it is written."""

    question: KeyQuestion
    text: str
    by: str | None
    file: str
    line: int


class ConcernRecord(NamedTuple):
    """A concern with the evidence and key-question notes recorded about it, from the visit
    file and its evidence files (its lists are filled as the files are read)."""

    concern: Concern
    position: int  # its place in the visit file's list of concerns (0 for the first)
    items: list[Item]
    notes: list[Note]

    @property
    def sources(self) -> list[EvidenceSource]:
        """The different source types of its evidence, in the order of 3.2."""
        found = {item.source for item in self.items}
        return [s for s in EvidenceSource if s in found]

    @property
    def questions(self) -> list[KeyQuestion]:
        """The key questions with at least one note, in the order of 4.3."""
        found = {note.question for note in self.notes}
        return [q for q in KeyQuestion if q in found]


class Record(NamedTuple):
    """A visit with all of its evidence, and the problems found in the evidence files."""

    loaded: Loaded
    files: list[EvidenceDoc]
    concerns: list[ConcernRecord]
    findings: list[Finding]

    @property
    def visit(self) -> Visit:
        return self.loaded.doc.visit

    def concern(self, concern_id: str) -> ConcernRecord | None:
        return next((c for c in self.concerns if c.concern.id == concern_id), None)

    @property
    def followed_up(self) -> list[ConcernRecord]:
        return [c for c in self.concerns if c.concern.followed_up]


def team_names(visit: Visit) -> dict[str, str]:
    """Team members' names by their case-folded form (names are compared ignoring case)."""
    return {m.name.casefold(): m.name for m in visit.team}


def _not_on_team(name: str, visit: Visit) -> str:
    names = [m.name for m in visit.team]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"the team is {', '.join(names)}"
    return f"'{name}' is not on the team; {hint}"


def unknown_concern(concern_id: str, visit: Visit) -> str:
    ids = [c.id for c in visit.concerns]
    close = [i for i in ids if i.casefold() == concern_id.casefold()]
    close = close or difflib.get_close_matches(concern_id, ids, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"the concerns are {', '.join(ids)}"
    return f"'{concern_id}' is not a concern of this visit; {hint}"


def _file_hits(doc: EvidenceDoc, visit: Visit) -> Iterator[Hit | Finding]:
    """Problems in one evidence file: unknown concern ids (errors, located at the id) and
    names that are not on the team (rule evidence-by-team)."""
    team = team_names(visit)
    ids = {c.id for c in visit.concerns}
    model = doc.model
    if model.by is not None and model.by.casefold() not in team:
        yield Hit(BY_ID["evidence-by-team"], ("by",), _not_on_team(model.by, visit))
    for concern_id, entry in model.concerns.items():
        if concern_id not in ids:
            line, col = _key_mark(doc.root, concern_id)
            yield Finding(
                doc.name,
                "error",
                "unknown-concern",
                unknown_concern(concern_id, visit),
                line=line,
                col=col,
                loc=f"concerns.{concern_id}",
            )
            continue
        for number, item in enumerate(entry.evidence):
            if item.by is not None and item.by.casefold() not in team:
                loc = ("concerns", concern_id, "evidence", number, "by")
                yield Hit(BY_ID["evidence-by-team"], loc, _not_on_team(item.by, visit))


def _key_mark(root: yaml.Node, concern_id: str) -> tuple[int | None, int | None]:
    position = key_position(root, ("concerns", concern_id))
    return position if position else (None, None)


def check_file(doc: EvidenceDoc, loaded: Loaded) -> list[Finding]:
    hits: list[Hit] = []
    findings: list[Finding] = []
    for found in _file_hits(doc, loaded.doc.visit):
        if isinstance(found, Hit):
            hits.append(found)
        else:
            findings.append(found)
    findings += unsupported_dates(doc.model, doc.name, doc.locate)
    located = findings + to_findings(hits, doc.locate, doc.name, loaded.config)
    return sorted(located, key=lambda f: (f.line or 0, f.col or 0))


def evidence_findings(loaded: Loaded) -> list[Finding]:
    """The problems of the visit's evidence files (``irp validate``): those of the files that
    cannot be read, else what checking them against the visit finds (as in
    :attr:`Record.findings`, without building the record)."""
    try:
        docs = _read_all(loaded)
    except IrpError as exc:
        return exc.findings
    return [f for doc in docs for f in check_file(doc, loaded)]


def _read_all(loaded: Loaded) -> list[EvidenceDoc]:
    """The visit's evidence files read, or IrpError with every problem of those that cannot be."""
    docs: list[EvidenceDoc] = []
    broken: list[Finding] = []
    for path in evidence_files(loaded.doc.path):
        try:
            docs.append(read_evidence(path))
        except IrpError as exc:
            broken.extend(exc.findings)
    if broken:
        raise IrpError(broken)
    return docs


def load_record(loaded: Loaded) -> Record:
    """The visit with the evidence of its evidence files. Raises :class:`IrpError` with every
    problem of every evidence file that cannot be read; problems found by checking them
    against the visit (unknown ids, names not on the team) are in :attr:`Record.findings`."""
    docs = _read_all(loaded)
    findings = [f for doc in docs for f in check_file(doc, loaded)]
    visit_doc = loaded.doc
    records = []
    for index, concern in enumerate(loaded.doc.visit.concerns):
        record = ConcernRecord(concern, index, [], [])
        for number, item in enumerate(concern.evidence):
            line, _col, _path = visit_doc.locate(("concerns", index, "evidence", number))
            record.items.append(Item(item, item.by, visit_doc.name, line))
        for question, text in concern.key_questions.items():
            line, _col, _path = visit_doc.locate(
                ("concerns", index, "key_questions", question.value)
            )
            record.notes.append(Note(question, text, None, visit_doc.name, line))
        for doc in docs:
            entry = doc.model.concerns.get(concern.id)
            if entry is None:
                continue
            for number, item in enumerate(entry.evidence):
                line, _col, _path = doc.locate(("concerns", concern.id, "evidence", number))
                record.items.append(Item(item, item.by or doc.model.by, doc.name, line))
            for question, text in entry.key_questions.items():
                loc = ("concerns", concern.id, "key_questions", question.value)
                line, _col, _path = doc.locate(loc)
                record.notes.append(Note(question, text, doc.model.by, doc.name, line))
        records.append(record)
    return Record(loaded, docs, records, findings)
