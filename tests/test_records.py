"""Past visits as records: what a record may leave out or leave unknown (and a visit being
planned may not), errors still located, and the planning rules not applied to a finished visit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, example_data
from typer.testing import CliRunner

from irp_cli.cli import app
from irp_cli.errors import IrpError
from irp_cli.guide import RULES
from irp_cli.review.session import Session
from irp_cli.visitfile.loader import load_visit

runner = CliRunner()
PROGRAMME = ROOT / "examples" / "programme"
RECORDS = sorted(PROGRAMME.glob("*.yaml"))


def line_of(path: Path, text: str) -> int:
    return next(n for n, t in enumerate(path.read_text().splitlines(), 1) if text in t)


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_past_visit_examples_are_clean(path: Path) -> None:
    loaded = Session().load(path)
    assert loaded.doc.visit.finished
    assert loaded.findings == ()


def counts_only_record() -> dict[str, Any]:
    """Ashcombe as a record: no team, no contacts, judgement counts instead of concerns."""
    data = example_data()
    for key in ("team", "concerns", "partner_themes", "chief_inspector"):
        data.pop(key)
    data["establishment"].pop("governor")
    data["establishment"].pop("imb_chair")
    data["partners"] = {"cqc": {}, "ofsted": {}}
    data["record"] = {
        "source": "the published report",
        "judgement_counts": [{"judgement": "good-progress", "count": 2}],
    }
    data["visit"] = {"days": ["2026-04-21", "2026-04-22", "2026-04-23"]}
    return data


def test_a_record_may_leave_out_what_records_lack(write_visit: Callable[..., Path]) -> None:
    path = write_visit(counts_only_record())
    loaded = Session().load(path)
    assert loaded.findings == ()  # team-size, cqc-invited... are planning rules
    record = loaded.doc.visit.record
    assert record is not None and record.judgement_counts[0].count == 2


def test_without_record_the_same_file_is_refused_at_each_place(
    write_visit: Callable[..., Path],
) -> None:
    data = counts_only_record()
    data.pop("record")
    path = write_visit(data)
    with pytest.raises(IrpError) as caught:
        load_visit(path)
    found = {(f.code, f.loc, f.line) for f in caught.value.findings}
    establishment = line_of(path, "establishment:")
    assert ("missing-key", "establishment", establishment) in found  # governor, imb_chair
    assert ("missing-key", "partners.cqc", line_of(path, "cqc:")) in found
    messages = " ".join(f.message for f in caught.value.findings)
    assert "'team' is missing" in messages and "only a past record" in messages
    assert "'concerns' is missing" in messages


def test_unknown_response_only_in_a_record(write_visit: Callable[..., Path]) -> None:
    data = example_data()
    data["concerns"][1]["hmpps_response"] = "unknown"
    path = write_visit(data)
    with pytest.raises(IrpError) as caught:
        load_visit(path)
    [finding] = caught.value.findings
    assert finding.code == "unknown-not-allowed"
    assert finding.line == line_of(path, "hmpps_response: unknown")
    assert finding.loc == "concerns[1].hmpps_response"
    data["record"] = {}
    assert load_visit(write_visit(data)).visit.concerns[1].hmpps_response.value == "unknown"


def test_real_errors_in_a_record_are_still_located(write_visit: Callable[..., Path]) -> None:
    data = counts_only_record()
    data["record"]["judgement_counts"].append({"judgement": "some-progress", "count": 1})
    data["visit"]["days"] = ["2025-06-01"]  # before the previous inspection ended: a fact wrong
    path = write_visit(data)
    with pytest.raises(IrpError) as caught:
        load_visit(path)
    [finding] = caught.value.findings
    assert finding.line == line_of(path, "some-progress")
    data["record"]["judgement_counts"].pop()
    findings = Session().load(write_visit(data)).findings
    assert [f.code for f in findings] == ["visit-after-inspection"]


def test_planning_rules_are_not_reported_once_the_report_is_published(
    write_visit: Callable[..., Path],
) -> None:
    data = example_data()
    data["team"] = data["team"][:2]  # two inspectors: team-size, partner-in-team...
    data["visit"]["days"] = ["2026-04-25", "2026-04-27", "2026-04-28"]  # a Saturday
    planned = {f.code for f in Session().load(write_visit(data)).findings}
    assert {"team-size", "visit-working-days", "partner-in-team"} <= planned
    data["visit"]["status"]["report_published"] = "2026-06-01"
    finished = {f.code for f in Session().load(write_visit(data)).findings}
    planning = {r.id for r in RULES if r.phase == "planning"}
    assert finished == planned - planning
    assert "visit-working-days" not in finished


def test_rules_list_says_which_are_planning_rules() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    [line] = [ln for ln in result.stdout.splitlines() if ln.startswith("team-size ")]
    assert "planning: not for a finished visit" in line
    [line] = [ln for ln in result.stdout.splitlines() if ln.startswith("concern-area ")]
    assert "planning:" not in line


def test_documents_are_not_made_for_a_record() -> None:
    path = PROGRAMME / "2025-hmp-caldmoor.yaml"
    result = runner.invoke(app, ["letter", str(path)])
    assert result.exit_code == 1
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if t == "record:")
    assert f"{path}:{line}:1: error [past-record]" in result.stderr


def test_deadlines_of_a_finished_visit_are_never_overdue() -> None:
    path = PROGRAMME / "2025-hmp-whitlow.yaml"
    result = runner.invoke(app, ["deadlines", str(path), "--today", "2026-01-05"])
    assert result.exit_code == 0, result.output
    assert "0 overdue" in result.stderr


def test_the_rules_page_names_exactly_the_planning_rules() -> None:
    readme = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    sentence = readme.split("They are `team-size`", 1)[1].split(".", 1)[0]
    named = {"team-size", *(part.strip("`, ") for part in sentence.split("`") if "-" in part)}
    assert named == {r.id for r in RULES if r.phase == "planning"}
