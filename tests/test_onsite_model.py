"""The visit file's on-site fields: judgements on the right scale, written judgements, evidence,
key-question notes, the previous inspection's healthy prison assessments, and never an overall
judgement (guide 1.4, 3.1, 3.2, 4.1-4.3)."""

from __future__ import annotations

import pytest
from helpers import EXAMPLES

from irp_cli.errors import IrpError
from irp_cli.visitfile.loader import parse_visit
from irp_cli.visitfile.models import (
    KeyQuestion,
    PartnerJudgement,
    ProgressJudgement,
    json_schema,
)

ASHCOMBE = (EXAMPLES / "hmp-ashcombe.yaml").read_text(encoding="utf-8")


def _errors(text: str) -> list[str]:
    with pytest.raises(IrpError) as caught:
        parse_visit(text, "v.yaml")
    return [f.format() for f in caught.value.findings]


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(
    ("anchor", "value", "words"),
    [
        ("    hmpps_response: partly-accepted\n", "significant-progress",
         "on Ofsted's scale for partner themes (guide 4.2); a concern is judged on HMI Prisons' "
         "scale (guide 4.1): no-meaningful-progress, insufficient-progress, reasonable-progress, "
         "good-progress"),
        ("    text: What progress have leaders made", "good-progress",
         "on HMI Prisons' scale for concerns (guide 4.1); a partner theme is judged on Ofsted's "
         "scale (guide 4.2): insufficient-progress, reasonable-progress, significant-progress"),
        ("    text: What progress have leaders made", "no-meaningful-progress",
         "on HMI Prisons' scale for concerns (guide 4.1)"),
    ],
)  # fmt: skip
def test_a_judgement_on_the_wrong_scale_is_an_error_at_its_line_naming_the_right_scale(
    anchor: str, value: str, words: str
) -> None:
    start = ASHCOMBE.index(anchor)
    end = ASHCOMBE.index("\n", start) + 1
    text = ASHCOMBE[:end] + f"    judgement: {value}\n" + ASHCOMBE[end:]
    with pytest.raises(IrpError) as caught:
        parse_visit(text, "v.yaml")
    [finding] = caught.value.findings
    assert finding.code == "wrong-scale"
    assert finding.line == _line_of(text, f"judgement: {value}")
    assert words in finding.message


def test_a_value_on_neither_scale_lists_the_allowed_ones() -> None:
    text = ASHCOMBE.replace(
        "    hmpps_response: partly-accepted\n",
        "    hmpps_response: partly-accepted\n    judgement: some-progress\n",
        1,
    )
    [message] = _errors(text)
    assert "[invalid-value]" in message and "use one of" in message


def test_there_is_no_overall_judgement_field() -> None:
    schema = json_schema()
    keys = [key for part in schema["$defs"].values() for key in part.get("properties", {})]  # type: ignore[attr-defined]
    keys += list(schema["properties"])  # type: ignore[call-overload]
    assert "judgement" in keys and not [k for k in keys if "overall" in k.lower()]
    text = ASHCOMBE.replace("schema_version: 1\n", "schema_version: 1\noverall_judgement: good\n")
    [message] = _errors(text)
    assert "there is no overall judgement (guide 4.1)" in message


def test_on_site_fields_load() -> None:
    extra = (
        "    judgement: reasonable-progress\n"
        "    judgement_text: Leaders had a realistic plan.\n"
        "    key_questions:\n"
        "      leadership: Staff could articulate the concern.\n"
        "    evidence:\n"
        "      - source: observation\n"
        "        date: 2026-04-21\n"
        "        by: Helen Ardagh\n"
        "        note: Wings were unlocked on time.\n"
    )
    text = ASHCOMBE.replace(
        "    hmpps_response: partly-accepted\n", "    hmpps_response: partly-accepted\n" + extra, 1
    ).replace("  cqc_notices: true\n", "  cqc_notices: true\n  healthy_prison:\n    safety: poor\n")
    visit = parse_visit(text, "v.yaml").visit
    concern = visit.concerns[0]
    assert concern.judgement is ProgressJudgement.REASONABLE_PROGRESS
    assert concern.judgement_text == "Leaders had a realistic plan."
    assert concern.key_questions == {KeyQuestion.LEADERSHIP: "Staff could articulate the concern."}
    assert concern.evidence[0].by == "Helen Ardagh"
    assert concern.evidence[0].date is not None and concern.evidence[0].date.day == 21
    assert visit.previous_inspection.healthy_prison["safety"] == "poor"  # type: ignore[index]


def test_an_unknown_evidence_source_or_key_question_is_located() -> None:
    text = ASHCOMBE.replace(
        "    hmpps_response: partly-accepted\n",
        "    hmpps_response: partly-accepted\n"
        "    key_questions:\n      leadershp: x\n"
        "    evidence:\n      - source: gossip\n        note: x\n",
        1,
    )
    messages = _errors(text)
    assert len(messages) == 2, messages
    assert any(f":{_line_of(text, 'source: gossip')}:" in m for m in messages)
    assert any("'leadershp'" in m for m in messages)


def test_the_scales_are_the_guides() -> None:
    assert [j.value for j in ProgressJudgement] == [
        "no-meaningful-progress",
        "insufficient-progress",
        "reasonable-progress",
        "good-progress",
    ]
    assert [j.value for j in PartnerJudgement] == [
        "insufficient-progress",
        "reasonable-progress",
        "significant-progress",
    ]
