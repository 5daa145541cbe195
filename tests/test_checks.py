"""Every rule of the guide, with a case that passes and a case that fails."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from helpers import EXAMPLE_FILES, dump, example_data

from irp_cli.calendar.timeline import build_timeline
from irp_cli.calendar.workdays import calendar
from irp_cli.errors import Finding
from irp_cli.guide import BY_ID, RULES
from irp_cli.review.checks import Hit, check_document, check_visit
from irp_cli.visitfile.config import Config, RuleSettings, TimelineSettings
from irp_cli.visitfile.loader import VisitFile, load_visit, parse_visit
from irp_cli.visitfile.models import Visit

Change = Callable[[dict[str, Any]], None]


#: The day the rules that depend on today (e.g. letter-window-passed) are checked on:
#: Monday 2 March 2026.
TODAY = date(2026, 3, 2)


def hits_of(
    data: dict[str, Any], config: Config | None = None, today: date | None = TODAY
) -> list[Hit]:
    visit = Visit.model_validate(parse_visit(dump(data), "t.yaml").data)
    config = config or Config()
    cal = calendar(config.calendar.closures)
    return check_visit(visit, config, cal, build_timeline(visit, config, cal), today)


def rule_ids(
    data: dict[str, Any], config: Config | None = None, today: date | None = TODAY
) -> list[str]:
    return [hit.rule.id for hit in hits_of(data, config, today)]


def check(doc: VisitFile, config: Config | None = None) -> list[Finding]:
    """A loaded file's findings, as ``irp validate`` reports them (no today)."""
    config = config or Config()
    cal = calendar(config.calendar.closures)
    return check_document(doc, config, cal, build_timeline(doc.visit, config, cal))


def changed(name: str, *changes: Change) -> dict[str, Any]:
    data = example_data(name)
    for change in changes:
        change(data)
    return data


def set_path(path: str, value: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        if value is DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value

    return change


DELETE = object()

#: A concern raised at the visit itself (1.3), still without its reason.
NEW_CONCERN = {"id": "N1", "text": "Cell bells went unanswered at night.", "area": "safety",
               "kind": "priority", "hmpps_response": "none", "raised_at_visit": True}  # fmt: skip


def team_roles(*roles: str, previous: bool = True) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["team"] = [
            {"name": f"Person {n}", "role": role, "on_previous_inspection": previous and n == 0}
            for n, role in enumerate(roles)
        ]

    return change


STANDARD_TEAM = ("team-leader", "coordinating-inspector", "inspector", "cqc-inspector",
                 "ofsted-inspector")  # fmt: skip


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_examples_pass_every_rule(path: Any) -> None:
    doc = load_visit(path)
    assert check(doc) == []


CASES: list[tuple[str, str, list[Change], list[Change]]] = [
    # rule id, example, changes that still pass, changes that fail
    ("team-size", "hmp-ashcombe",
     [team_roles(*STANDARD_TEAM, "researcher")],
     [team_roles("team-leader", "coordinating-inspector"),
      team_roles("team-leader", "coordinating-inspector", "researcher", "researcher"),
      team_roles(*STANDARD_TEAM, "specialist")]),
    ("one-team-leader", "hmp-ashcombe",
     [],
     [team_roles("inspector", "coordinating-inspector", "inspector", "cqc-inspector",
                 "ofsted-inspector"),
      team_roles("team-leader", "coordinating-inspector", "team-leader", "cqc-inspector",
                 "ofsted-inspector")]),
    ("one-coordinator", "hmp-ashcombe",
     [],
     [team_roles("team-leader", "inspector", "inspector", "cqc-inspector", "ofsted-inspector"),
      team_roles("team-leader", "coordinating-inspector", "coordinating-inspector",
                 "cqc-inspector", "ofsted-inspector")]),
    ("previous-team-member", "hmp-ashcombe",
     [],
     [team_roles(*STANDARD_TEAM, previous=False)]),
    ("visit-window", "hmp-ashcombe",
     [set_path("visit.days", ["2026-02-19", "2026-02-20", "2026-02-23"]),
      set_path("visit.days", ["2026-06-17", "2026-06-18", "2026-06-19"])],
     [set_path("visit.days", ["2026-02-16", "2026-02-17", "2026-02-18"]),
      set_path("visit.days", ["2026-06-18", "2026-06-19", "2026-06-22"])]),
    ("visit-after-inspection", "hmp-ashcombe",
     [],
     [set_path("visit.days", ["2025-06-17", "2025-06-18", "2025-06-19"])]),
    ("chief-inspector-days", "hmp-ashcombe",
     [set_path("chief_inspector.days", [1, 3])],
     [set_path("chief_inspector.days", [4])]),
    ("cqc-invited", "hmp-ashcombe",
     [set_path("partners.cqc.separate_visit", True),
      set_path("previous_inspection.cqc_notices", False)],
     [set_path("partners.cqc", DELETE)]),
    ("ofsted-invited", "hmp-ashcombe",
     [set_path("partners.ofsted.separate_visit", True),
      set_path("previous_inspection.education.grade", "good"),
      set_path("previous_inspection.education.grade", "strong-standard")],
     [set_path("partners.ofsted", DELETE),
      lambda d: (d["partners"].pop("ofsted"),
                 d["previous_inspection"]["education"].update(grade="urgent-improvement")),
      lambda d: (d["partners"].pop("ofsted"),
                 d["previous_inspection"]["education"].update(grade="needs-attention"))]),
    ("education-inspectorate", "hmp-ashcombe",
     [],
     [set_path("previous_inspection.education.inspectorate", "estyn")]),
    ("ofsted-england-only", "hmp-glanmorfa",
     [],
     [set_path("partners.ofsted", {"contact": {"name": "A Person"}})]),
    ("estyn-wales-only", "hmp-ashcombe",
     [],
     [set_path("partners.estyn", {"contact": {"name": "A Person"}})]),
    ("estyn-needs-education-concern", "hmp-glanmorfa",
     [],
     [lambda d: [c.update(education_skills_work=False) for c in d["concerns"]],
      lambda d: [c.update(followed_up=not c.get("education_skills_work", False))
                 for c in d["concerns"]]]),
    ("estyn-invited", "hmp-glanmorfa",
     [],
     [lambda d: (d.pop("partners"), d.pop("partner_themes"),
                 d["team"].pop())]),
    ("partner-themes", "hmp-ashcombe",
     [],
     [set_path("partners.ofsted.separate_visit", True),
      lambda d: d["partner_themes"].append({"id": "E9", "partner": "estyn", "text": "x"})]),
    ("partner-in-team", "hmp-ashcombe",
     [],
     [set_path("team.3.role", "inspector"),
      lambda d: (d["partners"].pop("cqc"), d["previous_inspection"].update(cqc_notices=False))]),
    ("prisoner-survey", "hmp-ashcombe",
     [set_path("visit.prisoner_survey", False)],
     [set_path("visit.prisoner_survey", True)]),
    ("prisoner-survey-children", "hmyoi-thornbeck",
     [set_path("visit.prisoner_survey", True)],
     [set_path("visit.prisoner_survey", False)]),
    ("concern-area", "hmp-ashcombe",
     [],
     [set_path("concerns.0.area", "care"),
      set_path("concerns.0.area", "resettlement")]),
    ("concern-area", "hmyoi-thornbeck",
     [],
     [set_path("concerns.0.area", "respect"),
      set_path("concerns.0.area", "rehabilitation-and-release-planning")]),
    ("some-concerns-followed-up", "hmp-ashcombe",
     [],
     [lambda d: [c.update(followed_up=False) for c in d["concerns"]]]),
    ("unique-ids", "hmp-ashcombe",
     [],
     [set_path("concerns.1.id", "P1"), set_path("partner_themes.1.id", "T1")]),
    ("healthy-prison-areas", "hmp-ashcombe",
     [set_path("previous_inspection.healthy_prison", {"safety": "poor", "respect": "good"})],
     [set_path("previous_inspection.healthy_prison", {"care": "poor"})]),
    ("healthy-prison-areas", "hmyoi-thornbeck",
     [set_path("previous_inspection.healthy_prison", {"care": "reasonably-good"})],
     [set_path("previous_inspection.healthy_prison", {"respect": "not-sufficiently-good"})]),
    ("raised-at-visit-reason", "hmp-ashcombe",
     [lambda d: d["concerns"].append(NEW_CONCERN | {"raised_reason": "Cell bells unanswered."})],
     [lambda d: d["concerns"].append(NEW_CONCERN),
      set_path("concerns.0.raised_reason", "Not a new concern.")]),
    ("judgement-not-followed-up", "hmp-ashcombe",
     [set_path("concerns.0.judgement", "good-progress"),
      set_path("concerns.0.judgement_text", "Leaders had acted.")],
     [set_path("concerns.5.judgement", "good-progress"),
      set_path("concerns.5.judgement_text", "Leaders had acted.")]),
    ("evidence-by-team", "hmp-ashcombe",
     [set_path("concerns.0.evidence", [{"source": "staff", "note": "x", "by": "helen ardagh"}]),
      set_path("concerns.0.evidence", [{"source": "data", "note": "x"}])],
     [set_path("concerns.0.evidence", [{"source": "staff", "note": "x", "by": "Helen Arda"}])]),
    ("visit-working-days", "hmp-ashcombe",
     [],
     # 25 April 2026 is a Saturday; 4 May 2026 is the Early May bank holiday.
     [set_path("visit.days", ["2026-04-23", "2026-04-24", "2026-04-25"]),
      set_path("visit.days", ["2026-04-30", "2026-05-01", "2026-05-04"])]),
    ("visit-length", "hmp-ashcombe",
     [set_path("visit.days", ["2026-04-14", "2026-04-21", "2026-04-22", "2026-04-23"])],
     [set_path("visit.days", ["2026-04-21", "2026-04-22"]),
      set_path("visit.days", ["2026-04-20", "2026-04-21", "2026-04-22", "2026-04-23"])]),
    # Glanmorfa's visit is given by 'start:'. Fri 22 May 2026, then the Spring bank holiday:
    # Tue 26, Wed 27. Fri 12 June, Mon 15, Tue 16 follow each other.
    # A start on Saturday 13 June is visit-working-days' to report, not this rule's ("the three
    # working days from Sat 13 Jun are Sat 13 Jun, ...").
    ("visit-consecutive", "hmp-glanmorfa",
     [set_path("visit.start", "2026-06-12"), set_path("visit.start", "2026-06-13"),
      lambda d: (d["visit"].pop("start"),
                 d["visit"].update(days=["2026-05-22", "2026-05-26", "2026-05-27"]))],
     [set_path("visit.start", "2026-05-22"), set_path("visit.start", "2026-04-02")]),
    ("ofsted-needs-education-concern", "hmp-ashcombe",
     [],
     [lambda d: [c.update(education_skills_work=False) for c in d["concerns"]]]),
    ("partner-themes-listed", "hmp-ashcombe",
     [lambda d: (d["partners"]["ofsted"].update(separate_visit=True),
                 d.update(partner_themes=[]))],
     [set_path("partner_themes", [])]),
    # The letter window for a visit on 21 April 2026 opens on Wednesday 21 January 2026.
    ("letter-too-early", "hmp-ashcombe",
     [set_path("visit.status.letter_sent", "2026-01-21")],
     [set_path("visit.status.letter_sent", "2026-01-20")]),
    # TODAY is the day the rules are checked on here; a status date after it is still to come.
    ("status-in-future", "hmp-ashcombe",
     [set_path("visit.status.letter_sent", TODAY.isoformat())],
     [set_path("visit.status.letter_sent", (TODAY + timedelta(days=1)).isoformat()),
      lambda d: d["visit"]["status"].update(returns={"proforma": "2099-01-01"})]),
    ("draft-after-publication", "hmp-ashcombe",
     [lambda d: d["visit"]["status"].update(draft_report_sent="2026-05-05",
                                            report_published="2026-05-20")],
     [lambda d: d["visit"]["status"].update(draft_report_sent="2026-05-21",
                                            report_published="2026-05-20")]),
    # The letter's latest day for a visit on 21 April 2026 is Friday 20 February 2026.
    ("letter-window-passed", "hmp-ashcombe",
     [set_path("visit.status.letter_sent", "2026-02-27"),
      lambda d: (d["visit"].pop("status"), d["visit"].update(days=["2026-05-12", "2026-05-13",
                                                                   "2026-05-14"]))],
     [lambda d: d["visit"].pop("status")]),
    # The documents are due on Tuesday 14 April 2026; a letter takes two working days.
    ("returns-before-letter", "hmp-ashcombe",
     [set_path("visit.status.letter_sent", "2026-04-09"),
      set_path("visit.status.letter_sent", "2026-04-10")],
     [set_path("visit.status.letter_sent", "2026-04-13"),
      set_path("visit.status.letter_sent", "2026-04-20")]),
]  # fmt: skip


def _cases(passing: bool) -> list[Any]:
    out = []
    for rule_id, example, good, bad in CASES:
        for n, change in enumerate(good if passing else bad):
            out.append(pytest.param(rule_id, example, change, id=f"{rule_id}-{example}-{n}"))
    return out


@pytest.mark.parametrize(("rule_id", "example", "change"), _cases(passing=False))
def test_rule_fails(rule_id: str, example: str, change: Change) -> None:
    assert rule_id in rule_ids(changed(example, change))


@pytest.mark.parametrize(("rule_id", "example", "change"), _cases(passing=True))
def test_rule_passes(rule_id: str, example: str, change: Change) -> None:
    assert rule_id not in rule_ids(changed(example, change))


def test_every_rule_has_a_failing_case() -> None:
    covered = {rule_id for rule_id, _example, _good, bad in CASES if bad}
    # The debrief's rules need the evidence files too: tests/test_debrief.py covers them.
    assert covered == {rule_id for rule_id in BY_ID if not rule_id.startswith("debrief-")}


def test_every_rule_cites_a_paragraph_of_the_guide() -> None:
    for rule in RULES:
        for paragraph in rule.paragraph.split(", "):
            major, _, minor = paragraph.partition(".")
            assert major.isdigit() and minor.isdigit(), rule
        assert rule.summary.endswith("."), rule


def test_findings_carry_the_place_and_paragraph() -> None:
    data = changed("hmp-ashcombe", set_path("concerns.1.area", "care"))
    text = dump(data)
    doc = parse_visit(text, "x.yaml")
    [finding] = check(doc)
    assert finding.format().startswith("x.yaml:")
    assert finding.tag == "[concern-area, guide 1.3]"
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "area: care" in t)
    assert finding.line == line


def test_severity_can_be_changed_or_turned_off_in_settings() -> None:
    data = changed("hmp-ashcombe", team_roles(*STANDARD_TEAM, "specialist"))
    doc = parse_visit(dump(data), "x.yaml")
    default = check(doc)
    assert [(f.code, f.severity) for f in default] == [("team-size", "warning")]  # "usually"
    assert 'team-size = "error" under [rules.severity] in irp.toml' in default[0].message
    strict = Config(rules=RuleSettings(severity={"team-size": "error"}))
    assert [f.severity for f in check(doc, strict)] == ["error"]
    off = Config(rules=RuleSettings(severity={"team-size": "off"}))
    assert check(doc, off) == []


def test_ofsted_grades_come_from_settings() -> None:
    data = changed(
        "hmp-ashcombe",
        set_path("partners.ofsted", DELETE),
        set_path("partner_themes", []),
        set_path("team.4.role", "specialist"),
        set_path("previous_inspection.education.grade", "good"),
    )
    assert "ofsted-invited" not in rule_ids(data)
    strict = Config(rules=RuleSettings(ofsted_grades=["good"]))
    assert "ofsted-invited" in rule_ids(data, strict)


def test_closures_from_settings_are_not_working_days() -> None:
    from irp_cli.visitfile.config import CalendarSettings

    data = example_data()
    doc = parse_visit(dump(data), "x.yaml")
    config = Config(calendar=CalendarSettings(closures=["2026-04-22"]))  # type: ignore[list-item]
    found = check(doc, config)
    assert [f.code for f in found] == ["visit-working-days"]
    assert "2026-04-22" in found[0].message


def test_start_shorthand_gives_three_working_days() -> None:
    # Glanmorfa starts on Tuesday 16 June 2026.
    visit = load_visit(EXAMPLE_FILES[1]).visit
    assert visit.establishment.code == "GLM"
    days = visit.visit.day_list(calendar().add)
    assert [d.isoformat() for d in days] == ["2026-06-16", "2026-06-17", "2026-06-18"]


def test_start_shorthand_skips_a_bank_holiday() -> None:
    # Friday 22 May 2026, then Monday 25 May is the Spring bank holiday: Tuesday 26, Wed 27.
    data = changed("hmp-glanmorfa", set_path("visit.start", "2026-05-22"))
    visit = Visit.model_validate(parse_visit(dump(data), "t.yaml").data)
    days = visit.visit.day_list(calendar().add)
    assert [d.isoformat() for d in days] == ["2026-05-22", "2026-05-26", "2026-05-27"]


# --------------------------------------------------------------------------- the rules about dates


def test_weekend_and_window_warnings_come_from_the_rules() -> None:
    data = example_data()
    data["visit"]["days"] = ["2026-06-19", "2026-06-20", "2026-06-22"]  # Fri, Sat, Mon
    del data["visit"]["status"]["letter_sent"]  # sent for an April visit: early for June's
    hits = hits_of(data)
    assert [h.rule.id for h in hits] == ["visit-window", "visit-working-days"]
    [window] = [h for h in hits if h.rule.id == "visit-window"]
    assert window.message == (  # dates as in the other messages, not YYYY-MM-DD
        "the visit (Fri 19 Jun 2026 to Mon 22 Jun 2026) is outside eight to 12 months after "
        "the previous inspection: between Thu 19 Feb 2026 and Fri 19 Jun 2026"
    )
    [weekend] = [h for h in hits if h.rule.id == "visit-working-days"]
    assert weekend.loc == ("visit", "days", 1)
    assert "Saturday" in weekend.message


def test_letter_window_passed_needs_today() -> None:
    data = example_data()
    del data["visit"]["status"]
    assert rule_ids(data, today=None) == []  # no today: not checked
    assert rule_ids(data, today=date(2026, 2, 20)) == []  # the last day itself
    [hit] = hits_of(data, today=date(2026, 2, 24))
    assert hit.rule.id == "letter-window-passed"
    assert "Fri 20 Feb 2026, 2 working days ago" in hit.message
    assert rule_ids(data, today=date(2026, 4, 24)) == []  # the visit is over


def test_returns_before_the_letter_can_arrive() -> None:
    data = example_data()
    data["visit"]["status"]["letter_sent"] = "2026-04-13"
    [hit] = hits_of(data, today=date(2026, 4, 14))  # the letter was sent, not still to come
    assert hit.rule.id == "returns-before-letter"
    assert hit.loc == ("visit", "status", "letter_sent")
    assert "(Wed 15 Apr 2026), after the prison's documents are due (Tue 14 Apr 2026" in (
        hit.message
    )
    # Not sent yet: the latest day for the letter is used instead.
    del data["visit"]["status"]
    late = Config(timeline=TimelineSettings(letter_earliest_months=1, letter_latest_months=0))
    [hit] = hits_of(data, late, today=None)
    assert hit.rule.id == "returns-before-letter"
    assert hit.loc == ("visit", "days")
