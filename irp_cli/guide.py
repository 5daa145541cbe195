"""The guide's rules as data. Each rule names the paragraph of the April 2025 guide
(`Guide to independent reviews of progress for prison staff`) it comes from.

The checks that apply them are in `review.checks`; ``irp rules`` lists this table, and a
coordinator can change a rule's severity (or turn it off) in ``irp.toml``::

    [rules.severity]
    team-size = "warning"
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from irp_cli.errors import Severity

#: When a rule applies. ``planning`` rules are about preparing a visit (its team, dates,
#: invitations, letter): they are not reported for a finished visit (a past record, or one whose
#: report is published), whose team and dates are history, not plans. ``any`` rules keep the
#: file's facts consistent and always apply.
Phase = Literal["planning", "any"]

#: Which commands apply a rule. ``file``: every command that reads the visit file (``validate``,
#: ``plan``, ``deadlines``, the documents, ...). ``today``: the same commands except
#: ``validate``, which has no "today": ``plan`` and ``deadlines`` against ``--today``, the
#: documents against their ``--date``. ``debrief``: ``irp debrief`` and ``irp report``.
AppliedBy = Literal["file", "today", "debrief"]

APPLIED_BY: dict[str, str] = {
    "file": "every command that reads the visit file, validate included",
    "today": "plan and deadlines (against --today) and the documents (against --date); not "
    "validate",
    "debrief": "debrief and report",
}


class Rule(NamedTuple):
    """A rule of the guide that irp checks: its id, the paragraph it comes from, how serious a
    breach is, and when and by which commands it is applied."""

    id: str
    paragraph: str
    severity: Severity
    summary: str
    phase: Phase = "any"
    applied_by: AppliedBy = "file"

    def applies(self, *, finished: bool) -> bool:
        """Whether the rule is checked for a visit that is (or is not) finished."""
        return self.phase == "any" or not finished

    @property
    def commands(self) -> str:
        """Which commands apply it, in words."""
        return APPLIED_BY[self.applied_by]


RULES: tuple[Rule, ...] = (
    Rule("team-size", "2.1", "warning",
         "There are usually three to five inspectors, counting specialists and partners "
         "(researchers are not counted).", phase="planning"),
    Rule("one-team-leader", "3.1, 4.4", "error",
         "The team has exactly one team leader (who holds the groups and meetings of Day 1, "
         "feeds back to the governor and leads the debrief).", phase="planning"),
    Rule("one-coordinator", "2.1", "error",
         "Exactly one inspector is the coordinating inspector.", phase="planning"),
    Rule("previous-team-member", "2.1", "warning",
         "In most cases someone on the team took part in the previous inspection.",
         phase="planning"),
    Rule("visit-window", "2.1", "warning",
         "The visit normally takes place eight to 12 months after the previous inspection.",
         phase="planning"),
    Rule("visit-after-inspection", "2.1", "error",
         "The visit comes after the previous inspection it follows up."),
    Rule("chief-inspector-days", "2.1", "error",
         "The Chief or Deputy Chief Inspector attends on days that are part of the visit."),
    Rule("cqc-invited", "2.2", "error",
         "CQC is invited when it issued notices after the previous inspection.", phase="planning"),
    Rule("ofsted-invited", "2.3", "error",
         "Ofsted takes part when education, skills and work was judged 'inadequate' or "
         "'requires improvement' (or an equivalent grade set in irp.toml).", phase="planning"),
    Rule("ofsted-needs-education-concern", "2.3", "warning",
         "Ofsted's themes are based on the key concerns, so when Ofsted takes part at least "
         "one followed-up concern is marked education, skills and work.", phase="planning"),
    Rule("education-inspectorate", "2.3, 2.5", "error",
         "Education, skills and work is judged by Ofsted in England and Estyn in Wales."),
    Rule("ofsted-england-only", "2.3, 2.5", "error",
         "Ofsted takes part only at prisons in England (Estyn at Welsh prisons)."),
    Rule("estyn-wales-only", "2.5", "error", "Estyn takes part only at prisons in Wales."),
    Rule("estyn-needs-education-concern", "2.5", "error",
         "Estyn takes part only where education, skills and work concerns are followed up.",
         phase="planning"),
    Rule("estyn-invited", "2.5", "error",
         "At a Welsh prison, Estyn takes part when education, skills and work concerns are "
         "followed up.", phase="planning"),
    Rule("partner-themes", "2.6", "error",
         "Ofsted or Estyn themes are listed only when that partner visits with the IRP."),
    Rule("partner-themes-listed", "2.3, 2.6", "warning",
         "Ofsted or Estyn visiting with the IRP has the themes it follows up listed, for the "
         "letter.", phase="planning"),
    Rule("partner-in-team", "2.1", "warning",
         "A partner taking part has an inspector on the team, and the other way round.",
         phase="planning"),
    Rule("prisoner-survey", "1.3", "error",
         "There is a prisoner survey only in establishments holding children.", phase="planning"),
    Rule("prisoner-survey-children", "1.3", "warning",
         "Establishments holding children have a prisoner survey.", phase="planning"),
    Rule("concern-area", "1.3", "error",
         "Concerns use the healthy prison areas of the establishment: safety, respect, "
         "purposeful activity, rehabilitation and release planning for adults; safety, care, "
         "purposeful activity, resettlement where children are held."),
    Rule("some-concerns-followed-up", "1.3", "error",
         "At least one concern is followed up (selected concerns are followed up)."),
    Rule("unique-ids", "2.9", "error",
         "Every concern and every theme has its own id (the pro forma has a row for each)."),
    Rule("healthy-prison-areas", "1.4", "error",
         "The previous inspection's healthy prison assessments use the establishment's areas."),
    Rule("raised-at-visit-reason", "1.3", "error",
         "A concern raised at the visit itself (only exceptionally) states why: a significant "
         "issue for prisoners' safety or well-being that is not being adequately managed."),
    Rule("judgement-not-followed-up", "4.1", "error",
         "Judgements are made only on concerns that are followed up."),
    Rule("evidence-by-team", "3.2", "error",
         "Evidence is recorded by a member of the team, named as under 'team'."),
    Rule("visit-working-days", "3.1", "warning",
         "Visit days are working days: not a weekend or a bank holiday in England and Wales.",
         phase="planning"),
    Rule("visit-length", "1.3, 3.1", "warning",
         "The visit lasts 2.5 days: at least three days, and no more than three working days "
         "in a row.", phase="planning"),
    Rule("visit-consecutive", "3.1", "warning",
         "The three working days from 'start:' follow each other; one that skips a bank "
         "holiday splits the visit (write 'days:' to confirm a split visit).",
         phase="planning"),
    Rule("debrief-not-judged", "4.1", "warning",
         "Every concern followed up is judged by the debrief.", applied_by="debrief"),
    Rule("debrief-theme-not-judged", "4.2", "warning",
         "Every theme of a partner visiting with the IRP is judged by the debrief.",
         applied_by="debrief"),
    Rule("debrief-not-triangulated", "3.2", "warning",
         "A judgement rests on triangulated evidence: from at least two different source "
         "types, a number set in irp.toml.", applied_by="debrief"),
    Rule("debrief-no-key-questions", "4.3", "warning",
         "A judged concern has notes against the key questions.", applied_by="debrief"),
    Rule("debrief-no-written-judgement", "3.1", "warning",
         "A judgement has its short written judgement.", applied_by="debrief"),
    Rule("debrief-before-visit-end", "4.4, 5.1", "warning",
         "The debrief is held at the end of the visit and the draft report written after it: "
         "one dated before the last visit day holds only what is recorded so far.",
         applied_by="debrief"),
    Rule("letter-window-passed", "2.6", "warning",
         "The announcement letter usually goes two to three months before the visit: once "
         "the latest day has passed with no letter recorded as sent, it is said.",
         phase="planning", applied_by="today"),
    Rule("letter-too-early", "2.6", "warning",
         "The letter usually goes two to three months before the visit: one sent more than "
         "three months before the first day is early.", phase="planning"),
    Rule("returns-before-letter", "2.10", "warning",
         "The letter reaches the prison before its documents are due, five working days "
         "before the visit.", phase="planning"),
    Rule("status-in-future", "2.6, 5.1", "warning",
         "A date recorded in visit.status is not after today: a date still to come is not "
         "counted as done.", applied_by="today"),
    Rule("draft-after-publication", "5.1", "warning",
         "The draft report goes to the governor for checking before the report is published."),
)  # fmt: skip

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def rule(rule_id: str) -> Rule:
    return BY_ID[rule_id]


# --------------------------------------------------------------------------------------------
# The judgements, word for word from the guide


class Judgement(NamedTuple):
    """A progress judgement as the guide words it (4.1, 4.2)."""

    value: str  # as written in the visit file
    name: str  # as the guide heads it
    definition: str  # the guide's definition, word for word


#: HMI Prisons' judgements on concerns (guide 4.1), in the guide's order.
HMI_PRISONS_JUDGEMENTS: tuple[Judgement, ...] = (
    Judgement(
        "no-meaningful-progress",
        "No meaningful progress",
        "Leaders had not formulated, resourced or begun to implement a realistic improvement "
        "strategy to address this concern.",
    ),
    Judgement(
        "insufficient-progress",
        "Insufficient progress",
        "Leaders had begun to implement a realistic improvement strategy (for example, with "
        "better and embedded systems and processes), but prisoner outcomes were improving too "
        "slowly or had not improved at all.",
    ),
    Judgement(
        "reasonable-progress",
        "Reasonable progress",
        "Leaders were implementing a realistic improvement strategy, with evidence of "
        "sustainable progress and some early improvement in outcomes for prisoners.",
    ),
    Judgement(
        "good-progress",
        "Good progress",
        "Leaders had already implemented a realistic improvement strategy to address this "
        "concern and had delivered a clear improvement in outcomes for prisoners.",
    ),
)

#: Ofsted's judgements on themes (guide 4.2), in the guide's order.
OFSTED_JUDGEMENTS: tuple[Judgement, ...] = (
    Judgement(
        "insufficient-progress",
        "Insufficient progress",
        "Progress has been either slow or insubstantial or both, and the demonstrable impact "
        "on learners has been negligible.",
    ),
    Judgement(
        "reasonable-progress",
        "Reasonable progress",
        "Action taken by the provider is already having a beneficial impact on learners and "
        "improvements are sustainable and are based on the provider's thorough quality "
        "assurance procedures.",
    ),
    Judgement(
        "significant-progress",
        "Significant progress",
        "Progress has been rapid and is already having considerable beneficial impact on learners.",
    ),
)

#: Guide 4.1, first sentence: there is never an overall judgement.
NO_OVERALL_JUDGEMENT = "There is no overall judgement."
