"""At the visit: evidence files, recording evidence and judgements (comments kept), the progress
view and the debrief's checks, counts, JSON and documents (guide 3.1, 3.2, 4.1-4.4)."""

from __future__ import annotations

import difflib
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLES, assert_golden, docx_dump, render_as
from typer.testing import CliRunner

from irp_cli.cli import app
from irp_cli.errors import IrpError
from irp_cli.guide import BY_ID, HMI_PRISONS_JUDGEMENTS, OFSTED_JUDGEMENTS
from irp_cli.onsite import debrief
from irp_cli.onsite.evidence import Record, evidence_files, load_record
from irp_cli.onsite.progress import progress
from irp_cli.onsite.record import add_evidence, judge, parse_judgement
from irp_cli.review.session import Loaded, Session
from irp_cli.visitfile.config import Config, EvidenceSettings
from irp_cli.visitfile.models import EvidenceSource, KeyQuestion

HOUSE = Path(__file__).parent / "fixtures" / "house" / "irp.toml"
runner = CliRunner(env={"IRP_CONFIG": str(HOUSE)})
COMPLETE, MID_VISIT = "hmp-redmarsh", "hmp-stallbridge"


def copy_example(tmp_path: Path, name: str) -> Path:
    """The example and its evidence folder, copied to ``tmp_path``."""
    target = tmp_path / f"{name}.yaml"
    shutil.copy(EXAMPLES / f"{name}.yaml", target)
    folder = EXAMPLES / f"{name}.evidence"
    if folder.is_dir():
        shutil.copytree(folder, tmp_path / folder.name)
    return target


def load(path: Path) -> Loaded:
    return Session(HOUSE).load(path, strict=True)


def record_of(path: Path) -> Record:
    return load_record(load(path))


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(old.splitlines(), new.splitlines()))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


# --------------------------------------------------------------------------------------------
# The guide's words


# The inspectorate's guide, in the shared folder beside the checkout (where CI has it too).
GUIDE = Path(__file__).resolve().parents[2] / "shared/guide/irp-guide-for-prison-staff-2025-04.txt"


def test_the_definitions_are_the_guides_word_for_word() -> None:
    assert [j.name for j in HMI_PRISONS_JUDGEMENTS] == [
        "No meaningful progress",
        "Insufficient progress",
        "Reasonable progress",
        "Good progress",
    ]
    assert [j.name for j in OFSTED_JUDGEMENTS] == [
        "Insufficient progress",
        "Reasonable progress",
        "Significant progress",
    ]
    assert HMI_PRISONS_JUDGEMENTS[0].definition == (
        "Leaders had not formulated, resourced or begun to implement a realistic improvement "
        "strategy to address this concern."
    )
    assert OFSTED_JUDGEMENTS[2].definition == (
        "Progress has been rapid and is already having considerable beneficial impact on learners."
    )
    if GUIDE.is_file():  # the guide itself, where it is available
        lines = GUIDE.read_text(encoding="utf-8").splitlines()
        for judgement in (*HMI_PRISONS_JUDGEMENTS, *OFSTED_JUDGEMENTS):
            assert judgement.name in lines
            assert judgement.definition in lines


# --------------------------------------------------------------------------------------------
# Evidence files


def test_evidence_files_are_read_with_the_visit_file() -> None:
    record = record_of(EXAMPLES / f"{COMPLETE}.yaml")
    assert [p.name for p in evidence_files(EXAMPLES / f"{COMPLETE}.yaml")] == [
        "amira-sole.yaml",
        "jon-pryce.yaml",
    ]
    k2 = record.concern("K2")
    assert k2 is not None
    assert [(i.source.value, i.by, Path(i.file).name) for i in k2.items] == [
        ("staff", "Amira Sole", "amira-sole.yaml"),
        ("data", "Jon Pryce", "jon-pryce.yaml"),
        ("third-party", "Jon Pryce", "jon-pryce.yaml"),
    ]
    assert k2.questions == list(KeyQuestion)
    p1 = record.concern("P1")
    assert p1 is not None and len(p1.items) == 3  # two in the visit file, one in Jon's file
    assert record.findings == []


def _write_evidence(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{MID_VISIT}.evidence" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_problems_in_an_evidence_file_are_located_in_it(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    bad = _write_evidence(
        tmp_path,
        "owen-hale.yaml",
        "schema_version: 1\nby: Owen Hail\nconcerns:\n  P9:\n    evidence: []\n"
        "  K2:\n    evidence:\n      - source: staff\n        by: Lena Quist\n        note: x\n"
        "      - source: staff\n        by: Nobody Here\n        note: y\n",
    )
    record = record_of(visit)
    got = [(f.file, f.line, f.code, f.severity) for f in record.findings]
    assert got == [
        (str(bad), 2, "evidence-by-team", "error"),
        (str(bad), 4, "unknown-concern", "error"),
        (str(bad), 12, "evidence-by-team", "error"),
    ]
    messages = " ".join(f.message for f in record.findings)
    assert "did you mean 'Owen Hale'?" in messages and "'P9' is not a concern" in messages


def test_an_evidence_file_that_does_not_read_stops_with_its_line(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    bad = _write_evidence(
        tmp_path,
        "owen-hale.yaml",
        "schema_version: 1\nconcerns:\n  K1:\n    evidence:\n      - source: gossip\n"
        "        note: x\n    key_questoins: {}\n",
    )
    with pytest.raises(IrpError) as caught:
        record_of(visit)
    found = [(f.file, f.line, f.code) for f in caught.value.findings]
    assert found == [(str(bad), 5, "invalid-value"), (str(bad), 7, "unknown-key")]
    assert "did you mean 'key_questions'?" in caught.value.findings[1].message


def test_hidden_files_in_the_evidence_folder_are_skipped(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    _write_evidence(tmp_path, ".ravi-dunmore.yaml.swp.yaml", "not: [valid")
    assert len(record_of(visit).files) == 1


def test_validate_reports_evidence_file_problems(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    _write_evidence(tmp_path, "x.yaml", "schema_version: 1\nby: Nobody\n")
    result = runner.invoke(app, ["validate", str(visit)])
    assert result.exit_code == 1
    assert f"{tmp_path / f'{MID_VISIT}.evidence' / 'x.yaml'}:2:5: error [evidence-by-team" in (
        result.stderr
    )


def test_a_folder_scan_does_not_take_evidence_files_for_visit_files() -> None:
    from irp_cli.review.session import scan_folder

    found = scan_folder(EXAMPLES, recursive=True)
    assert not [p for p in found if p.parent.name.endswith(".evidence")]
    assert EXAMPLES / f"{COMPLETE}.yaml" in found


# --------------------------------------------------------------------------------------------
# irp evidence add: every other byte of the file kept

COMMENTED = (
    "      leadership: The governor chaired the monthly safety meeting herself.   # reviewed"
)


def test_evidence_add_to_the_visit_file_only_adds_lines(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    old = visit.read_text(encoding="utf-8")
    change = add_evidence(
        load(visit),
        visit,
        "P2",
        "Men said support was hard to get: 'weeks'.",
        source=EvidenceSource.PRISONERS,
        by="ravi dunmore",
        on=__import__("datetime").date(2026, 6, 10),
    )
    removed, added = changed_lines(old, change.new_text)
    assert removed == []
    assert added == [
        "      - source: prisoners",
        "        date: 2026-06-10",
        "        by: Ravi Dunmore",
        "        note: \"Men said support was hard to get: 'weeks'.\"",
    ]
    assert COMMENTED in change.new_text
    assert "    # Judged at the team meeting; the written judgement is still to come.\n" in (
        change.new_text
    )


def test_evidence_add_starts_a_list_and_a_key_question_note(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    loaded = load(visit)
    old = visit.read_text(encoding="utf-8")
    change = add_evidence(loaded, visit, "K2", "No reviews seen.", source=EvidenceSource.DATA)
    assert changed_lines(old, change.new_text) == (
        [],
        ["    evidence:", "      - source: data", "        note: No reviews seen."],
    )
    note = add_evidence(loaded, visit, "P1", "A plan.", question=KeyQuestion.PLANNING)
    assert changed_lines(old, note.new_text) == ([], ["      planning: A plan."])
    again = add_evidence(loaded, visit, "P1", "Also this.", question=KeyQuestion.EVALUATION)
    removed, added = changed_lines(old, again.new_text)
    assert removed == ["      evaluation: The fall in assaults was sustained over six months."]
    assert added == [
        "      evaluation: The fall in assaults was sustained over six months. Also this."
    ]


def test_evidence_add_creates_and_extends_an_evidence_file(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    target = tmp_path / f"{MID_VISIT}.evidence" / "owen-hale.yaml"
    args = ["evidence", "add", str(target), "K2", "-s", "documentation", "-n", "Plans sampled."]
    result = runner.invoke(app, [*args, "--by", "Owen Hale", "--date", "2026-06-10"])
    assert result.exit_code == 0, result.output
    assert f"{target}: created" in result.stderr
    assert target.read_text(encoding="utf-8").endswith(
        "schema_version: 1\nby: Owen Hale\nconcerns:\n  K2:\n    evidence:\n"
        "      - source: documentation\n        date: 2026-06-10\n        note: Plans sampled.\n"
    )
    more = ["evidence", "add", str(target), "K2", "-q", "action", "-n", "Reviews began."]
    assert runner.invoke(app, [*more, "--date", "2026-06-10"]).exit_code == 0
    k2 = record_of(visit).concern("K2")
    assert k2 is not None
    assert [(i.source.value, i.by) for i in k2.items] == [("documentation", "Owen Hale")]
    assert [(n.question.value, n.by) for n in k2.notes] == [("action", "Owen Hale")]


@pytest.mark.parametrize("given", ["Owen Hale", "owen hale", "owen", "HALE", " Owen "])
def test_evidence_add_takes_a_name_or_a_part_only_one_member_has(
    tmp_path: Path, given: str
) -> None:
    """As ``irp schedule --person``: the whole name in any case, or a part of one name alone;
    the file gets the name as written under 'team'."""
    copy_example(tmp_path, MID_VISIT)
    target = tmp_path / f"{MID_VISIT}.evidence" / "notes.yaml"
    args = ["evidence", "add", str(target), "K2", "-s", "staff", "-n", "Spoke to staff."]
    result = runner.invoke(app, [*args, "--by", given, "--date", "2026-06-10"])
    assert result.exit_code == 0, result.output
    assert "\nby: Owen Hale\n" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["P9", "-s", "staff"], "unknown-concern", "'P9' is not a concern of this visit"),
        (["p1", "-s", "staff"], "unknown-concern", "did you mean 'P1'?"),
        (["P1", "-s", "staff", "--by", "Tess Morow"], "evidence-by-team", "'Tessa Morrow'"),
        (
            ["P1", "-s", "staff", "--by", "mor"],
            "evidence-by-team",
            "'mor' could be Tessa Morrow, Ravi Dunmore: give more of the name",
        ),
    ],
)
def test_evidence_add_refuses_and_writes_nothing(
    tmp_path: Path, args: list[str], code: str, words: str
) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    before = visit.read_bytes()
    cmd = ["evidence", "add", str(visit), *args, "-n", "x", "--date", "2026-06-10"]
    result = runner.invoke(app, cmd)
    assert result.exit_code == 1
    assert f"[{code}" in result.stderr and words in result.stderr
    assert visit.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["evidence", "add", "{visit}", "P1", "-n", "x"], "give either --source"),
        (
            ["evidence", "add", "{visit}", "P1", "-s", "staff", "-q", "action", "-n", "x"],
            "give either",
        ),
        (
            ["evidence", "add", "{visit}", "P1", "-s", "staff", "-n", "Bad\x01"],
            "--note: holds U+0001",
        ),
        (["evidence", "add", "{visit}", "P1", "-q", "action", "-n", "  "], "--note is empty"),
        (
            ["evidence", "add", "{visit}", "P1", "-s", "staff", "-n", "a" * 10_001],
            "--note is 10,001",
        ),
        (["judge", "{visit}", "P1", "good", "--text", "Tab\tok, bell\x07"], "--text: holds U+0007"),
        (["judge", "{visit}", "P1", "good", "-t", ""], "--text is empty"),
    ],
)
def test_a_bad_value_on_the_command_line_is_named_as_typed(
    tmp_path: Path, args: list[str], words: str
) -> None:
    """A mistake in what was typed names the option (exit 2), not a line of the visit file
    that was never written."""
    visit = copy_example(tmp_path, MID_VISIT)
    before = visit.read_bytes()
    result = runner.invoke(app, [a.replace("{visit}", str(visit)) for a in args])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("irp: error [usage] ") and words in result.stderr
    assert str(visit) not in result.stderr
    assert visit.read_bytes() == before


def test_evidence_add_refuses_a_concern_not_followed_up_at_its_line(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, COMPLETE)
    result = runner.invoke(app, ["evidence", "add", str(visit), "K3", "-s", "staff", "-n", "x"])
    assert result.exit_code == 1
    line = visit.read_text(encoding="utf-8").splitlines().index("    followed_up: false") + 1
    assert f"{visit}:{line}:18: error [not-followed-up]" in result.stderr


def test_evidence_add_dry_run_shows_the_change_and_writes_nothing(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    before = visit.read_bytes()
    cmd = [
        "evidence",
        "add",
        str(visit),
        "K1",
        "-s",
        "staff",
        "-n",
        "Seen.",
        "--date",
        "2026-06-10",
    ]
    result = runner.invoke(app, [*cmd, "--dry-run"])
    assert result.exit_code == 0
    assert "+    evidence:\n" in result.stdout and "would overwrite" in result.stderr
    assert visit.read_bytes() == before


# --------------------------------------------------------------------------------------------
# irp judge


@pytest.mark.parametrize(
    ("typed", "allowed", "value"),
    [
        ("good", "hmip", "good-progress"),
        ("Good progress", "hmip", "good-progress"),
        ("no meaningful", "hmip", "no-meaningful-progress"),
        ("NO_MEANINGFUL_PROGRESS", "hmip", "no-meaningful-progress"),
        ("significant", "ofsted", "significant-progress"),
        ("significant", "hmip", None),
        ("some", "hmip", None),
    ],
)
def test_judgements_can_be_typed_short(typed: str, allowed: str, value: str | None) -> None:
    scale = HMI_PRISONS_JUDGEMENTS if allowed == "hmip" else OFSTED_JUDGEMENTS
    assert parse_judgement(typed, [j.value for j in scale]) == value


def test_judge_replaces_a_judgement_and_adds_its_text_keeping_comments(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    old = visit.read_text(encoding="utf-8")
    change = judge(load(visit), "P2", "reasonable", "Leaders had a plan: dated, resourced.")
    assert changed_lines(old, change.new_text) == (
        ["    judgement: insufficient-progress"],
        [
            "    judgement: reasonable-progress",
            '    judgement_text: "Leaders had a plan: dated, resourced."',
        ],
    )
    assert "    # Judged at the team meeting; the written judgement is still to come.\n" in (
        change.new_text
    )


def test_judge_on_the_command_line_writes_the_file(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    result = runner.invoke(app, ["judge", str(visit), "K1", "insufficient", "-t", "Too slow."])
    assert result.exit_code == 0, result.output
    assert "K1: insufficient-progress (with its written judgement)" in result.stderr
    concern = load(visit).doc.visit.concerns[2]
    assert concern.judgement is not None and concern.judgement.value == "insufficient-progress"
    assert concern.judgement_text == "Too slow."


@pytest.mark.parametrize(
    ("example", "args", "code", "words"),
    [
        (MID_VISIT, ["P1", "significant"], "wrong-scale",
         "'significant-progress' is on Ofsted's scale for partner themes (guide 4.2); a concern "
         "is judged on HMI Prisons' scale (guide 4.1): no-meaningful-progress"),
        (COMPLETE, ["T1", "good"], "wrong-scale",
         "a partner theme is judged on Ofsted's scale (guide 4.2): insufficient-progress, "
         "reasonable-progress, significant-progress"),
        (MID_VISIT, ["P1", "some-progress"], "invalid-value", "use one of: no-meaningful"),
        (MID_VISIT, ["Z1", "good"], "unknown-concern", "the ids are P1, P2, K1, K2, K3"),
        (COMPLETE, ["K3", "good"], "judgement-not-followed-up", "not followed up"),
        (COMPLETE, ["N1", "good"], "raised-at-visit", "no progress to judge"),
    ],
)  # fmt: skip
def test_judge_refuses_with_a_located_message_and_writes_nothing(
    tmp_path: Path, example: str, args: list[str], code: str, words: str
) -> None:
    visit = copy_example(tmp_path, example)
    before = visit.read_bytes()
    result = runner.invoke(app, ["judge", str(visit), *args])
    assert result.exit_code == 1
    assert f"[{code}" in result.stderr and words in result.stderr
    assert visit.read_bytes() == before
    assert result.stderr.startswith(f"{visit}:")
    assert result.stderr.split(":")[1].isdigit()  # at a line of the visit file


def test_judge_keeps_a_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    text = visit.read_text(encoding="utf-8").replace("\n", "\r\n")
    visit.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    change = judge(load(visit), "K2", "no-meaningful", None)
    assert change.new_text.startswith("\ufeff# yaml-language-server")
    assert "    hmpps_response: rejected\r\n    judgement: no-meaningful-progress\r\n" in (
        change.new_text
    )


# --------------------------------------------------------------------------------------------
# irp progress


def test_progress_counts_sources_questions_and_triangulation() -> None:
    view = progress(record_of(EXAMPLES / f"{MID_VISIT}.yaml"))
    rows = {row.id: row for row in view.concerns}
    assert [a.label for a in view.areas] == [
        "Safety",
        "Respect",
        "Purposeful activity",
        "Rehabilitation and release planning",
    ]
    assert rows["P1"].counts[EvidenceSource.STAFF] == 1
    assert rows["P1"].counts[EvidenceSource.DATA] == 1 and rows["P1"].total == 2
    assert rows["P1"].questions == {
        KeyQuestion.LEADERSHIP: True,
        KeyQuestion.PLANNING: False,
        KeyQuestion.ACTION: False,
        KeyQuestion.EVALUATION: True,
    }
    got = {i: (r.triangulated, r.judged, r.written) for i, r in rows.items()}
    assert got == {
        "P1": (True, True, True),
        "P2": (False, True, False),
        "K1": (True, False, False),  # from Ravi Dunmore's evidence file
        "K3": (True, True, True),
        "K2": (False, False, False),
    }


def test_the_triangulation_threshold_is_a_setting() -> None:
    loaded = load(EXAMPLES / f"{MID_VISIT}.yaml")
    strict = Config(evidence=EvidenceSettings(triangulation_sources=3))
    record = load_record(Loaded(loaded.doc, strict, loaded.calendar, loaded.timeline))
    assert [r.triangulated for r in progress(record).concerns] == [False] * 5


def test_progress_json_has_every_source_and_question() -> None:
    result = runner.invoke(app, ["progress", str(EXAMPLES / f"{MID_VISIT}.yaml"), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    first = data["concerns"][0]
    assert list(first["evidence"]) == [s.value for s in EvidenceSource]
    assert list(first["key_questions"]) == [q.value for q in KeyQuestion]
    assert data["summary"] == {
        "followed_up": 5, "judged": 3, "triangulated": 3, "written": 2,
        "themes_judged": 0, "themes": 0,
    }  # fmt: skip


def test_progress_is_a_view_that_exits_0_with_gaps() -> None:
    result = runner.invoke(app, ["progress", str(EXAMPLES / f"{MID_VISIT}.yaml")])
    assert result.exit_code == 0
    assert "not judged" in result.stdout and "Rehabilitation and release planning" in result.stdout


# --------------------------------------------------------------------------------------------
# irp debrief: checks


def _findings(path: Path) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in debrief.findings(record_of(path))]


def _line(path: Path, needle: str, after: str = "") -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, t in enumerate(lines) if after in t) if after else 0
    return next(n for n, t in enumerate(lines) if n >= start and needle in t) + 1


def test_a_complete_visit_has_no_debrief_findings() -> None:
    assert _findings(EXAMPLES / f"{COMPLETE}.yaml") == []


def test_the_mid_visit_example_shows_every_kind_of_gap() -> None:
    path = EXAMPLES / f"{MID_VISIT}.yaml"
    judged_p2 = _line(path, "judgement: insufficient-progress")
    assert _findings(path) == [
        ("debrief-not-triangulated", judged_p2),
        ("debrief-no-key-questions", judged_p2),
        ("debrief-no-written-judgement", judged_p2),
        ("debrief-not-judged", _line(path, "- id: K1")),
        ("debrief-not-judged", _line(path, "- id: K2")),
        ("debrief-no-key-questions", _line(path, "judgement: good-progress")),
    ]


def _complete_with(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the complete example with one change."""
    visit = copy_example(tmp_path, COMPLETE)
    text = visit.read_text(encoding="utf-8")
    assert old in text
    visit.write_text(text.replace(old, new, 1), encoding="utf-8")
    return visit


def _cut(text: str, start: str, end: str) -> str:
    """``text`` without the lines from the one starting ``start`` up to (not with) ``end``."""
    first = text.index(start)
    return text[:first] + text[text.index(end, first) :]


#: One gap per debrief rule, made in a copy of the complete example.
DEBRIEF_CASES: list[tuple[str, str, str]] = [
    ("debrief-not-judged", "    judgement: good-progress\n", ""),
    ("debrief-theme-not-judged", "    judgement: significant-progress\n", ""),
    ("debrief-no-written-judgement", "cut", "    judgement_text: >\n      Leaders had rapidly"),
    ("debrief-no-key-questions", "cut", "    key_questions:\n      leadership: Managers could"),
    ("debrief-not-triangulated", "unlink", "amira-sole.yaml"),
]


@pytest.mark.parametrize(("rule", "how", "what"), DEBRIEF_CASES, ids=[c[0] for c in DEBRIEF_CASES])
def test_each_debrief_check_fails_on_its_gap(
    tmp_path: Path, rule: str, how: str, what: str
) -> None:
    visit = copy_example(tmp_path, COMPLETE)
    text = visit.read_text(encoding="utf-8")
    if how == "unlink":  # P2's evidence is then data alone (its other sources are in this file)
        (tmp_path / f"{COMPLETE}.evidence" / what).unlink()
    elif how == "cut":
        end = "\nteam:" if rule.endswith("written-judgement") else "    judgement:"
        text = _cut(text, what, end)
    else:
        assert how in text
        text = text.replace(how, what, 1)
    visit.write_text(text, encoding="utf-8")
    assert [code for code, _line in _findings(visit)] == [rule]


#: The complete example's visit days end on Thursday 14 May 2026.
@pytest.mark.parametrize(
    ("dated", "warned"),
    [
        (None, False),  # no date given to the checks
        (date(2026, 2, 10), True),  # months before the visit
        (date(2026, 5, 12), True),  # its first day
        (date(2026, 5, 13), True),  # the day before the last
        (date(2026, 5, 14), False),  # the last day: the debrief is held then (4.4)
        (date(2026, 6, 1), False),  # after: the draft report (5.1)
    ],
)
def test_a_debrief_or_report_dated_before_the_last_visit_day_is_said(
    dated: date | None, warned: bool
) -> None:
    record = record_of(EXAMPLES / f"{COMPLETE}.yaml")
    found = debrief.findings(record, dated, document="the draft report")
    early = [f for f in found if f.code == "debrief-before-visit-end"]
    assert len(early) == warned
    if warned:
        assert early[0].line == _line(EXAMPLES / f"{COMPLETE}.yaml", "days:", after="visit:")
        assert early[0].message.startswith("the draft report is dated ")
        assert "before the visit's last day (Thursday 14 May 2026)" in early[0].message


def test_report_says_when_it_is_dated_before_the_visit_ends(tmp_path: Path) -> None:
    visit = copy_example(tmp_path, COMPLETE)
    early = runner.invoke(app, ["report", str(visit), "--date", "2026-05-13"])
    on_time = runner.invoke(app, ["report", str(visit), "--date", "2026-05-20"])
    assert early.exit_code == on_time.exit_code == 0
    assert "[debrief-before-visit-end, guide 4.4, 5.1] the draft report is dated" in early.stderr
    assert "debrief-before-visit-end" not in on_time.stderr


def test_every_debrief_rule_has_a_failing_case() -> None:
    debrief_rules = {r for r in BY_ID if r.startswith("debrief-")}
    dated = {"debrief-before-visit-end"}  # the date on the document, tested above
    assert {case[0] for case in DEBRIEF_CASES} | dated == debrief_rules


def test_debrief_warnings_can_be_turned_off_in_settings(tmp_path: Path) -> None:
    settings = tmp_path / "irp.toml"
    settings.write_text('[rules.severity]\ndebrief-not-judged = "off"\n', encoding="utf-8")
    visit = copy_example(tmp_path, MID_VISIT)
    record = load_record(Session(settings).load(visit, strict=True))
    assert "debrief-not-judged" not in {f.code for f in debrief.findings(record)}


# --------------------------------------------------------------------------------------------
# irp debrief: counts, JSON, exit codes


def test_counts_have_all_four_judgements_with_zeros() -> None:
    record = record_of(EXAMPLES / f"{COMPLETE}.yaml")
    assert debrief.counts(record) == {
        "good-progress": 1,
        "reasonable-progress": 2,
        "insufficient-progress": 1,
        "no-meaningful-progress": 0,
    }
    assert debrief.partner_counts(record) == {
        "significant-progress": 1,
        "reasonable-progress": 1,
        "insufficient-progress": 0,
    }
    mid = record_of(EXAMPLES / f"{MID_VISIT}.yaml")
    assert debrief.partner_counts(mid) == dict.fromkeys(debrief.PARTNER_COUNT_ORDER, 0)


@pytest.mark.parametrize("name", [COMPLETE, MID_VISIT])
def test_debrief_json_has_every_key(name: str) -> None:
    result = runner.invoke(app, ["debrief", str(EXAMPLES / f"{name}.yaml"), "--json"])
    assert result.exit_code == 0
    data: dict[str, Any] = json.loads(result.stdout)
    assert list(data) == [
        "counts", "partner_counts", "concerns", "raised_at_visit", "partner_themes", "findings",
    ]  # fmt: skip
    assert list(data["counts"]) == [
        "good-progress", "reasonable-progress", "insufficient-progress", "no-meaningful-progress",
    ]  # fmt: skip
    assert list(data["partner_counts"]) == [
        "significant-progress", "reasonable-progress", "insufficient-progress",
    ]  # fmt: skip
    assert "overall" not in result.stdout.lower()
    for concern in data["concerns"]:
        assert set(concern) >= {"id", "judgement", "judgement_text", "area"}


def test_debrief_exit_codes(tmp_path: Path) -> None:
    mid = str(EXAMPLES / f"{MID_VISIT}.yaml")
    warned = runner.invoke(app, ["debrief", mid, "--date", "2026-06-11"])
    assert warned.exit_code == 0
    assert "warning [debrief-not-judged, guide 4.1]" in warned.stderr
    out = tmp_path / "debrief.md"
    strict = runner.invoke(app, ["debrief", mid, "--strict", "-o", str(out)])
    assert strict.exit_code == 1 and not out.exists()
    assert runner.invoke(app, ["debrief", mid, "--json", "--strict"]).exit_code == 1
    complete = str(EXAMPLES / f"{COMPLETE}.yaml")
    assert (
        runner.invoke(app, ["debrief", complete, "--strict", "--date", "2026-05-14"]).exit_code == 0
    )


def test_debrief_on_a_wrong_scale_is_an_error(tmp_path: Path) -> None:
    visit = _complete_with(
        tmp_path, "    judgement: good-progress\n", "    judgement: significant-progress\n"
    )
    result = runner.invoke(app, ["debrief", str(visit)])
    assert result.exit_code == 1 and "error [wrong-scale]" in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------------------------
# The debrief document


@pytest.mark.parametrize(("name", "day"), [(COMPLETE, "2026-05-14"), (MID_VISIT, "2026-06-11")])
def test_debrief_document_matches_golden_in_every_format(name: str, day: str) -> None:
    from datetime import date

    record = record_of(EXAMPLES / f"{name}.yaml")
    document = debrief.document(record, date.fromisoformat(day))
    config = record.loaded.config
    markdown = render_as(document, "md", config)
    assert_golden(f"documents/{name}-debrief.md", markdown)
    assert_golden(f"documents/{name}-debrief.html", render_as(document, "html", config))
    assert_golden(
        f"documents/{name}-debrief.docx.txt", docx_dump(render_as(document, "docx", config))
    )
    assert "overall judgement" not in markdown.lower().replace("there is no overall judgement", "")


def test_the_debrief_document_shows_zeros_and_the_definitions() -> None:
    from datetime import date

    document = debrief.document(record_of(EXAMPLES / f"{MID_VISIT}.yaml"), date(2026, 6, 11))
    markdown = str(render_as(document, "md", Config()))
    assert "| No meaningful progress | 0 |" in markdown
    assert "This draft has judgements for three of the five concerns so far." in markdown
    for judgement in HMI_PRISONS_JUDGEMENTS:
        assert f"**{judgement.name}**: {judgement.definition}" in markdown
    assert "themes" not in markdown.lower()  # no partner themes at this visit


@pytest.mark.parametrize(
    ("n", "words"), [(0, "none"), (1, "one"), (9, "nine"), (10, "10"), (17, "17")]
)
def test_how_many_are_judged_so_far_is_in_words(n: int, words: str) -> None:
    assert debrief._none_or_words(n) == words  # "judgements for none of the five concerns"


@pytest.mark.parametrize(
    ("text", "line", "code", "words"),
    [
        ("", 1, "empty", "the file is empty"),
        ("- a\n- b\n", 1, "not-a-mapping", "an evidence file is a set of 'key: value' lines"),
        ("schema_version: 1\nconcerns:\n  K1: [1, 2]\n", 3, "invalid-value", "not a list"),
        ("schema_version: 2\n", 1, "invalid-value", "use one of: 1"),
        ("\x00\x01", None, "file", "binary file"),
    ],
)
def test_a_broken_evidence_file_is_refused_at_its_place(
    tmp_path: Path, text: str, line: int | None, code: str, words: str
) -> None:
    visit = copy_example(tmp_path, MID_VISIT)
    bad = _write_evidence(tmp_path, "bad.yaml", text)
    result = runner.invoke(app, ["progress", str(visit)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    where = f"{bad}:{line}:" if line else f"{bad}:"
    assert result.stderr.startswith(where) and f"[{code}]" in result.stderr, result.stderr
    assert words in result.stderr


def test_evidence_add_refuses_a_file_written_on_one_line(tmp_path: Path) -> None:
    copy_example(tmp_path, MID_VISIT)
    target = _write_evidence(
        tmp_path, "flow.yaml", "schema_version: 1\nconcerns: {K1: {evidence: []}}\n"
    )
    before = target.read_bytes()
    cmd = ["evidence", "add", str(target), "K2", "-s", "data", "-n", "y", "--date", "2026-06-10"]
    result = runner.invoke(app, cmd)
    assert result.exit_code == 1
    assert f"{target}:2:11: error [edit] 'concerns' is written on one line" in result.stderr
    assert target.read_bytes() == before


@pytest.mark.parametrize("broken", [False, True], ids=["as-is", "one-evidence-file-broken"])
@pytest.mark.parametrize("name", ["hmp-redmarsh", "hmp-stallbridge", "hmp-ashcombe"])
def test_evidence_findings_are_the_records(tmp_path: Path, name: str, broken: bool) -> None:
    """irp validate's evidence findings (no record built) are those of the record, or of the
    evidence files that cannot be read."""
    from irp_cli.onsite.evidence import evidence_findings

    shutil.copy(EXAMPLES / f"{name}.yaml", tmp_path)
    if (EXAMPLES / f"{name}.evidence").is_dir():
        shutil.copytree(EXAMPLES / f"{name}.evidence", tmp_path / f"{name}.evidence")
    if broken:
        (tmp_path / f"{name}.evidence").mkdir(exist_ok=True)
        (tmp_path / f"{name}.evidence" / "zz.yaml").write_text("by: [\n", encoding="utf-8")
    loaded = Session(HOUSE).load(tmp_path / f"{name}.yaml")
    try:
        expected = load_record(loaded).findings
    except IrpError as exc:
        expected = exc.findings
    assert evidence_findings(loaded) == expected
    assert bool(expected) == broken  # the examples are clean; the broken file is reported
