"""Recording at the visit without hand-editing YAML: ``irp evidence add`` and ``irp judge``.

Both work out the new text of the visit file (or of an evidence file) with the same
comment-keeping edit as ``irp proforma-import`` (:class:`irp_cli.visitfile.edit.TextEditor`),
check it reads back with the intended change, and leave the writing to the caller. A bad id,
judgement or name is refused with a message that says what would be right.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from irp_cli.errors import IrpError
from irp_cli.onsite.evidence import (
    is_evidence_file,
    parse_evidence,
    unknown_concern,
)
from irp_cli.review.session import Loaded
from irp_cli.text import one_name
from irp_cli.visitfile import positions
from irp_cli.visitfile.edit import TextEditor, Value
from irp_cli.visitfile.loader import display_name, parse_visit, read_text
from irp_cli.visitfile.models import (
    Concern,
    EvidenceSource,
    KeyQuestion,
    PartnerJudgement,
    PartnerTheme,
    ProgressJudgement,
    Visit,
)


@dataclass(frozen=True)
class Change:
    """The new text of one file, and one line saying what changed."""

    path: Path
    old_text: str
    new_text: str
    summary: str

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text


def _read(path: Path) -> tuple[str, str]:
    """The file's text (without a byte order mark) and the mark to put back."""
    text = read_text(path)
    bom = "\ufeff" if path.read_bytes().startswith(b"\xef\xbb\xbf") else ""
    return text, bom


def _concern(visit: Visit, concern_id: str, name: str, root: yaml.Node) -> tuple[int, Concern]:
    """The concern with this id, or an error at the file's list of concerns."""
    for index, concern in enumerate(visit.concerns):
        if concern.id == concern_id:
            return index, concern
    line, col = positions.key_position(root, ("concerns",)) or (None, None)
    raise IrpError.at(
        name, unknown_concern(concern_id, visit), code="unknown-concern", line=line, col=col
    )


def _item_node(root: yaml.Node, key: str, index: int, name: str) -> yaml.Node:
    found = positions.item(root, key)
    if found is None or not isinstance(found[1], yaml.SequenceNode):  # pragma: no cover
        raise IrpError.at(name, f"the file has no list '{key}'", code="edit")
    seq = found[1]
    if seq.flow_style:
        return seq  # refused with its place by the editor
    return seq.value[index]  # type: ignore[no-any-return]


def _line(loaded: Loaded, loc: tuple[str | int, ...]) -> tuple[int, int]:
    line, col, _path = loaded.doc.locate(loc)
    return line, col


def team_member(visit: Visit, name: str, where: str) -> str:
    """The team member's name as written under 'team': the whole name or a part of it that is
    in no other member's, in any case (as ``irp schedule --person``)."""
    names = [m.name for m in visit.team]
    found = one_name(name, names)
    if isinstance(found, str):
        return found
    if found:
        raise IrpError.at(
            where,
            f"'{name}' could be {', '.join(found)}: give more of the name",
            code="evidence-by-team",
            paragraph="3.2",
        )
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"the team is {', '.join(names)}"
    raise IrpError.at(
        where, f"'{name}' is not on the team; {hint}", code="evidence-by-team", paragraph="3.2"
    )


# --------------------------------------------------------------------------------------------
# irp evidence add


def add_evidence(
    loaded: Loaded,
    target: Path,
    concern_id: str,
    note: str,
    *,
    source: EvidenceSource | None = None,
    question: KeyQuestion | None = None,
    by: str | None = None,
    on: date | None = None,
) -> Change:
    """Add a piece of evidence (``source``) or a key-question note (``question``) about a
    concern to ``target``: the visit file, or an evidence file of it (created if need be)."""
    visit, visit_name = loaded.doc.visit, loaded.doc.name
    if (source is None) == (question is None):
        raise IrpError.at(
            visit_name,
            "give either --source (a piece of evidence) or --question (a key-question note)",
            code="usage",
        )
    note = note.strip()
    if not note:
        raise IrpError.at(visit_name, "the note is empty; say what was found", code="usage")
    index, concern = _concern(visit, concern_id, visit_name, loaded.doc.root)
    if not concern.followed_up:
        line, col = _line(loaded, ("concerns", index, "followed_up"))
        raise IrpError.at(
            visit_name,
            f"{concern.id} is not followed up at this visit ('followed_up: false'), so no "
            "evidence is recorded for it",
            code="not-followed-up",
            line=line,
            col=col,
        )
    who = team_member(visit, by, visit_name) if by else None
    if is_evidence_file(target):
        return _add_to_evidence_file(target, concern.id, note, source, question, who, on)
    return _add_to_visit_file(loaded, index, concern.id, note, source, question, who, on)


def _item(source: EvidenceSource, note: str, who: str | None, on: date | None) -> Value:
    item: dict[str, Value] = {"source": source.value}
    if on is not None:
        item["date"] = on
    if who is not None:
        item["by"] = who
    item["note"] = note
    return item


def _describe(concern_id: str, source: EvidenceSource | None, question: KeyQuestion | None) -> str:
    if source is not None:
        return f"{concern_id}: evidence from {source.value} added"
    assert question is not None
    return f"{concern_id}: note against the key question '{question.value}' added"


def _add_to_visit_file(
    loaded: Loaded,
    index: int,
    concern_id: str,
    note: str,
    source: EvidenceSource | None,
    question: KeyQuestion | None,
    who: str | None,
    on: date | None,
) -> Change:
    doc = loaded.doc
    text, bom = _read(doc.path)
    editor = TextEditor(text, doc.root, doc.name)
    node = _item_node(doc.root, "concerns", index, doc.name)
    what = f"concern {concern_id}"
    if source is not None:
        editor.append(node, "evidence", _item(source, note, who, on), what=what)
    else:
        assert question is not None
        _set_note(editor, node, question, note, doc.visit.concerns[index].key_questions, what)
    new = editor.result()
    visit = parse_visit(new, doc.name, doc.path).visit  # reads back, or raises at its line
    old_concern, new_concern = doc.visit.concerns[index], visit.concerns[index]
    if source is not None:
        assert len(new_concern.evidence) == len(old_concern.evidence) + 1
    return Change(doc.path, bom + text, bom + new, _describe(concern_id, source, question))


def _set_note(
    editor: TextEditor,
    concern_node: yaml.Node,
    question: KeyQuestion,
    note: str,
    existing: dict[KeyQuestion, str],
    what: str,
) -> None:
    """Set a key-question note; a second note on the same question follows the first."""
    text = f"{existing[question]} {note}" if question in existing else note
    notes = positions.item(concern_node, "key_questions")
    if notes is not None and isinstance(notes[1], yaml.MappingNode) and notes[1].value:
        editor.set(notes[1], question.value, text, what=what)
    else:
        editor.set(concern_node, "key_questions", {question.value: text}, what=what)


def _add_to_evidence_file(
    path: Path,
    concern_id: str,
    note: str,
    source: EvidenceSource | None,
    question: KeyQuestion | None,
    who: str | None,
    on: date | None,
) -> Change:
    name = display_name(path)
    if not path.exists():
        if not path.parent.is_dir():
            raise IrpError.at(
                name, f"folder '{path.parent}' does not exist; create it first", code="output"
            )
        head = "# Evidence gathered at the visit (see docs/visit-file.md, 'Evidence files').\n"
        head += "schema_version: 1\n"
        if who is not None:
            head += f"by: {_plain(who)}\n"
        text, bom = head, ""
        new_file = True
    else:
        text, bom = _read(path)
        new_file = False
    doc = parse_evidence(text, name, path)
    owner = doc.model.by
    item_by = None if who is None or (owner and owner.casefold() == who.casefold()) else who
    editor = TextEditor(text, doc.root, name)
    concerns = positions.item(doc.root, "concerns")
    entry_value: Value
    if source is not None:
        entry_value = {"evidence": [_item(source, note, item_by, on)]}
    else:
        assert question is not None
        entry_value = {"key_questions": {question.value: note}}
    what = f"concern {concern_id}"
    if concerns is None or not isinstance(concerns[1], yaml.MappingNode) or not concerns[1].value:
        editor.set(doc.root, "concerns", {concern_id: entry_value}, what="the file")
    else:
        entry = positions.item(concerns[1], concern_id)
        if entry is None:
            editor.set(concerns[1], concern_id, entry_value, what="'concerns'")
        elif source is not None:
            editor.append(entry[1], "evidence", _item(source, note, item_by, on), what=what)
        else:
            assert question is not None
            old = doc.model.concerns[concern_id].key_questions
            _set_note(editor, entry[1], question, note, dict(old), what)
    new = editor.result()
    parse_evidence(new, name, path)  # reads back, or raises at its line
    summary = _describe(concern_id, source, question)
    return Change(path, "" if new_file else bom + text, bom + new, summary)


def _plain(value: str) -> str:
    from irp_cli.visitfile.edit import yaml_scalar

    return yaml_scalar(value)


# --------------------------------------------------------------------------------------------
# irp judge


def _normal(value: str) -> str:
    return "-".join(value.strip().lower().replace("_", " ").split())


def parse_judgement(value: str, allowed: list[str]) -> str | None:
    """``good``, ``Good progress`` or ``good-progress`` -> ``good-progress``, if allowed."""
    word = _normal(value)
    for candidate in (word, f"{word}-progress"):
        if candidate in allowed:
            return candidate
    return None


def judge(loaded: Loaded, item_id: str, judgement: str, text: str | None) -> Change:
    """Record a judgement (and its written text) on a concern or a partner theme in the
    visit file."""
    doc = loaded.doc
    visit = doc.visit
    concerns = {c.id: n for n, c in enumerate(visit.concerns)}
    themes = {t.id: n for n, t in enumerate(visit.partner_themes)}
    if item_id in concerns:
        key, index = "concerns", concerns[item_id]
        target: Concern | PartnerTheme = visit.concerns[index]
    elif item_id in themes:
        key, index = "partner_themes", themes[item_id]
        target = visit.partner_themes[index]
    else:
        ids = [*concerns, *themes]
        close = [i for i in ids if i.casefold() == item_id.casefold()]
        close = close or difflib.get_close_matches(item_id, ids, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"the ids are {', '.join(ids)}"
        line, col = positions.key_position(doc.root, ("concerns",)) or (None, None)
        raise IrpError.at(
            doc.name,
            f"'{item_id}' is not a concern or partner theme of this visit; {hint}",
            code="unknown-concern",
            line=line,
            col=col,
        )
    id_line, id_col = _line(loaded, (key, index, "id"))
    value = _judgement_value(judgement, key, item_id, doc.name, (id_line, id_col))
    if isinstance(target, Concern):
        if not target.followed_up:
            line, col = _line(loaded, (key, index, "followed_up"))
            raise IrpError.at(
                doc.name,
                f"{item_id} is not followed up ('followed_up: false'), so it is not judged",
                code="judgement-not-followed-up",
                line=line,
                col=col,
                paragraph="4.1",
            )
        if target.raised_at_visit:
            line, col = _line(loaded, (key, index, "raised_at_visit"))
            raise IrpError.at(
                doc.name,
                f"{item_id} was raised at this visit: a new concern has no progress to judge",
                code="raised-at-visit",
                line=line,
                col=col,
                paragraph="1.3",
            )
    if text is not None and not text.strip():
        raise IrpError.at(doc.name, "--text is empty; write the judgement or leave it out")
    raw, bom = _read(doc.path)
    editor = TextEditor(raw, doc.root, doc.name)
    node = _item_node(doc.root, key, index, doc.name)
    what = f"{'concern' if key == 'concerns' else 'theme'} {item_id}"
    editor.set(node, "judgement", value, what=what, code="edit")
    if text is not None:
        editor.set(node, "judgement_text", text.strip(), what=what, code="edit")
    new = editor.result()
    after = parse_visit(new, doc.name, doc.path).visit
    written = after.concerns[index] if key == "concerns" else after.partner_themes[index]
    assert written.judgement is not None and written.judgement.value == value
    summary = f"{item_id}: {value}" + (" (with its written judgement)" if text else "")
    return Change(doc.path, bom + raw, bom + new, summary)


def _judgement_value(judgement: str, key: str, item_id: str, name: str, at: tuple[int, int]) -> str:
    from irp_cli.visitfile.messages import wrong_scale

    scale = ProgressJudgement if key == "concerns" else PartnerJudgement
    allowed = [j.value for j in scale]
    value = parse_judgement(judgement, allowed)
    if value is not None:
        return value
    other = PartnerJudgement if key == "concerns" else ProgressJudgement
    other_value = parse_judgement(judgement, [j.value for j in other])
    message = wrong_scale((key, 0, "judgement"), other_value) if other_value else None
    if message is None:
        message = f"'{judgement}' is not a judgement; use one of: {', '.join(allowed)}"
    code = "wrong-scale" if other_value else "invalid-value"
    raise IrpError.at(name, f"{item_id}: {message}", code=code, line=at[0], col=at[1])
