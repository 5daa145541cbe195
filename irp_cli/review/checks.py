"""Apply the guide's rules (:mod:`irp_cli.guide`) to a visit. Pure: no printing, no clock.

Every rule is here, the rules about dates included: they are given the visit's timeline
(:mod:`irp_cli.calendar.timeline`, dates only) and, for the few that depend on it, today. A new
rule is a row in ``guide.py``, a check here and a test.

Each check yields :class:`Hit` records: the rule, where in the file (a pydantic-style ``loc``)
and a message with the specifics. :func:`check_document` turns them into findings with a line
and column, applying the severities a coordinator set in ``irp.toml``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple, Protocol

from irp_cli.calendar.timeline import Timeline
from irp_cli.dates import short_date
from irp_cli.errors import Finding
from irp_cli.guide import BY_ID, Rule
from irp_cli.text import article, plural
from irp_cli.visitfile.config import Config
from irp_cli.visitfile.models import (
    ADULT_AREAS,
    CHILDREN_AREAS,
    Inspectorate,
    Nation,
    PartnerName,
    Role,
    Visit,
)
from irp_cli.visitfile.positions import Loc

if TYPE_CHECKING:
    from irp_cli.visitfile.loader import VisitFile


class WorkingDays(Protocol):
    def is_working_day(self, day: date) -> bool: ...
    def why_not_working(self, day: date) -> str | None: ...
    def add(self, start: date, n: int) -> date: ...
    def between(self, start: date, end: date) -> int: ...


class Hit(NamedTuple):
    """A breach of a rule found in a visit, at its place in the file (turned into a Finding)."""

    rule: Rule
    loc: Loc
    message: str


def _hit(rule_id: str, loc: Loc, message: str) -> Hit:
    return Hit(BY_ID[rule_id], loc, message)


def _team(visit: Visit) -> Iterator[Hit]:
    inspectors = [m for m in visit.team if m.role.counts_as_inspector]
    if not 3 <= len(inspectors) <= 5:
        yield _hit(
            "team-size",
            ("team",),
            f"the team has {plural(len(inspectors), 'inspector')} "
            "(counting specialists and partners, not researchers); an IRP usually has three "
            'to five (to stop on this, set team-size = "error" under [rules.severity] in '
            "irp.toml)",
        )
    for role, rule_id, title in (
        (Role.TEAM_LEADER, "one-team-leader", "team leader"),
        (Role.COORDINATING_INSPECTOR, "one-coordinator", "coordinating inspector"),
    ):
        holders = [i for i, m in enumerate(visit.team) if m.role is role]
        if not holders:
            yield _hit(rule_id, ("team",), f"nobody on the team has the role '{role}' ({title})")
        for extra in holders[1:]:
            yield _hit(
                rule_id,
                ("team", extra, "role"),
                f"{visit.team[extra].name} is a second {title}; the team has exactly one",
            )
    if not any(m.on_previous_inspection for m in visit.team):
        yield _hit(
            "previous-team-member",
            ("team",),
            "nobody on the team is marked 'on_previous_inspection: true'; in most cases at least "
            "one member took part in the previous inspection",
        )
    partner_roles = {
        PartnerName.CQC: Role.CQC_INSPECTOR,
        PartnerName.OFSTED: Role.OFSTED_INSPECTOR,
        PartnerName.ESTYN: Role.ESTYN_INSPECTOR,
    }
    joining = visit.partners.joining()
    for partner, role in partner_roles.items():
        members = [i for i, m in enumerate(visit.team) if m.role is role]
        if partner in joining and not members:
            yield _hit(
                "partner-in-team",
                ("partners", partner.value),
                f"{partner.name} takes part but nobody on the team has the role '{role}'",
            )
        if members and partner not in joining:
            why = (
                f"{partner.name} visits separately ('separate_visit: true' under 'partners')"
                if partner in visit.partners.involved()
                else f"{partner.name} is not under 'partners' as taking part in the visit"
            )
            yield _hit(
                "partner-in-team",
                ("team", members[0], "role"),
                f"{visit.team[members[0]].name} is {article(role)} but {why}",
            )


def _dates(visit: Visit, timeline: Timeline, cal: WorkingDays) -> Iterator[Hit]:
    days = timeline.visit_days
    prev = visit.previous_inspection
    days_loc: Loc = ("visit", "days") if visit.visit.days is not None else ("visit", "start")
    if days[0] <= prev.last_day:
        yield _hit(
            "visit-after-inspection",
            days_loc,
            f"the visit starts on {short_date(days[0])}, not after the previous inspection "
            f"ended ({short_date(prev.last_day)})",
        )
    else:
        window = timeline.get("irp-window")
        earliest, latest = window.date, window.last
        if days[0] < earliest or days[-1] > latest:
            yield _hit(
                "visit-window",
                days_loc,
                f"the visit ({short_date(days[0])} to {short_date(days[-1])}) is outside eight "
                f"to 12 months after the previous inspection: between {short_date(earliest)} "
                f"and {short_date(latest)}",
            )
    for index, day in enumerate(days):
        reason = cal.why_not_working(day)
        if reason:
            loc: Loc = (*days_loc, index) if visit.visit.days is not None else days_loc
            message = f"visit day {index + 1}, {day}, is {article(reason)}"
            yield _hit("visit-working-days", loc, message)
    run = longest = 1
    for before, after in pairwise(days):
        run = run + 1 if cal.add(before, 1) == after else 1
        longest = max(longest, run)
    if len(days) < 3:
        yield _hit(
            "visit-length",
            days_loc,
            f"the visit has {plural(len(days), 'day')}; an IRP lasts 2.5 days, so three days",
        )
    elif longest > 3:
        yield _hit(
            "visit-length",
            days_loc,
            f"the visit has {longest} working days in a row; an IRP lasts 2.5 days, so "
            "three (a split visit may add days after a break)",
        )
    # A start that is not a working day is visit-working-days' to report.
    if visit.visit.start is not None and visit.visit.days is None and cal.is_working_day(days[0]):
        skipped = [
            (before, after) for before, after in pairwise(days) if not _next_weekday(before, after)
        ]
        if skipped:
            listed = ", ".join(short_date(d) for d in days)
            yield _hit(
                "visit-consecutive",
                ("visit", "start"),
                f"the three working days from {short_date(days[0])} are {listed}: the visit "
                f"is split by the non-working days after {short_date(skipped[0][0])}; choose "
                "another start, or write 'days:' with the three dates to confirm a split visit",
            )
    if visit.chief_inspector is not None:
        for index, number in enumerate(visit.chief_inspector.days):
            if number > len(days):
                yield _hit(
                    "chief-inspector-days",
                    ("chief_inspector", "days", index),
                    f"day {number} is not a visit day: the visit has {len(days)} days",
                )


def _next_weekday(before: date, after: date) -> bool:
    """Whether ``after`` is the weekday after ``before`` (Friday, then Monday)."""
    gap = (after - before).days
    return gap == 1 or (before.weekday() == 4 and gap == 3)


def _partners(visit: Visit, config: Config) -> Iterator[Hit]:
    est, prev, partners = visit.establishment, visit.previous_inspection, visit.partners
    wales = est.nation is Nation.WALES
    if prev.cqc_notices and partners.cqc is None:
        yield _hit(
            "cqc-invited",
            ("partners",),
            "CQC issued notices after the previous inspection, so it is invited: add "
            "'partners: cqc:' (with 'separate_visit: true' if CQC follows up on its own)",
        )
    education = prev.education
    if education is not None:
        expected = Inspectorate.ESTYN if wales else Inspectorate.OFSTED
        if education.inspectorate is not expected:
            yield _hit(
                "education-inspectorate",
                ("previous_inspection", "education", "inspectorate"),
                f"education, skills and work in {est.nation.value.title()} is judged by "
                f"{expected.name.title()}, not {education.inspectorate.name.title()}",
            )
        elif (
            not wales
            and education.grade is not None
            and education.grade.value in config.rules.ofsted_grades
            and partners.ofsted is None
        ):
            yield _hit(
                "ofsted-invited",
                ("partners",),
                f"education, skills and work was judged '{education.grade.value}', so Ofsted "
                "takes part: add 'partners: ofsted:' (with 'separate_visit: true' if it "
                "visits separately)",
            )
    if partners.ofsted is not None and wales:
        yield _hit(
            "ofsted-england-only",
            ("partners", "ofsted"),
            "Ofsted does not inspect prisons in Wales; education there is Estyn's",
        )
    education_concerns = [c for c in visit.followed_up if c.education_skills_work]
    if partners.estyn is not None:
        if not wales:
            yield _hit(
                "estyn-wales-only",
                ("partners", "estyn"),
                "Estyn takes part only at Welsh prisons; this establishment is in England",
            )
        elif not education_concerns:
            yield _hit(
                "estyn-needs-education-concern",
                ("partners", "estyn"),
                "no followed-up concern is marked 'education_skills_work: true', and Estyn "
                "takes part only where such concerns are followed up",
            )
    elif wales and education_concerns:
        yield _hit(
            "estyn-invited",
            ("partners",),
            f"education, skills and work concerns are followed up ({education_concerns[0].id}"
            f"{', …' if len(education_concerns) > 1 else ''}), so Estyn takes part: add "
            "'partners: estyn:'",
        )
    joining = partners.joining()
    if PartnerName.OFSTED in joining and not wales and not education_concerns:
        yield _hit(
            "ofsted-needs-education-concern",
            ("partners", "ofsted"),
            "Ofsted takes part, but no followed-up concern is marked 'education_skills_work: "
            "true'; its themes are based on the key concerns about education, skills and work",
        )
    for name in (PartnerName.OFSTED, PartnerName.ESTYN):
        if name in joining and not any(t.partner is name for t in visit.partner_themes):
            yield _hit(
                "partner-themes-listed",
                ("partners", name.value),
                f"{name.name.title()} visits with the IRP but no themes are listed for it under "
                "'partner_themes'; the letter names the themes it will follow up",
            )
    for index, theme in enumerate(visit.partner_themes):
        if theme.partner not in joining:
            state = (
                "visits separately"
                if theme.partner in partners.involved()
                else "is not taking part"
            )
            yield _hit(
                "partner-themes",
                ("partner_themes", index, "partner"),
                f"theme {theme.id} is for {theme.partner.name}, which {state}; its themes are "
                "listed only when it visits with the IRP",
            )


def _concerns(visit: Visit) -> Iterator[Hit]:
    children = visit.establishment.holds_children
    allowed = CHILDREN_AREAS if children else ADULT_AREAS
    for index, concern in enumerate(visit.concerns):
        if concern.area not in allowed:
            kind = "holding children" if children else "for adults"
            yield _hit(
                "concern-area",
                ("concerns", index, "area"),
                f"'{concern.area.value}' is not a healthy prison area of an establishment "
                f"{kind}; use one of: {', '.join(a.value for a in allowed)}",
            )
    if visit.concerns and not visit.followed_up:  # none listed: a past record's counts
        yield _hit(
            "some-concerns-followed-up",
            ("concerns",),
            "every concern has 'followed_up: false'; an IRP follows up selected concerns",
        )
    for field, ids in (
        ("concerns", [c.id for c in visit.concerns]),
        ("partner_themes", [t.id for t in visit.partner_themes]),
    ):
        counts = Counter(ids)
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if counts[item_id] > 1 and item_id in seen:
                yield _hit(
                    "unique-ids",
                    (field, index, "id"),
                    f"id '{item_id}' is used {counts[item_id]} times; give each its own id",
                )
            seen.add(item_id)


def _findings_at_visit(visit: Visit) -> Iterator[Hit]:
    """What the visit file records at and after the visit: assessments, new concerns,
    judgements and who gathered the evidence."""
    allowed = CHILDREN_AREAS if visit.establishment.holds_children else ADULT_AREAS
    for area in visit.previous_inspection.healthy_prison:
        if area not in allowed:
            yield _hit(
                "healthy-prison-areas",
                ("previous_inspection", "healthy_prison", area.value),
                f"'{area.value}' is not a healthy prison area of this establishment; use: "
                f"{', '.join(a.value for a in allowed)}",
            )
    team = {m.name.casefold() for m in visit.team}
    for index, concern in enumerate(visit.concerns):
        if concern.raised_at_visit and concern.raised_reason is None:
            yield _hit(
                "raised-at-visit-reason",
                ("concerns", index, "raised_at_visit"),
                f"{concern.id} is raised at the visit but gives no 'raised_reason'; a new "
                "concern is raised only for a significant issue relating to the safety or "
                "well-being of prisoners which is not being adequately managed",
            )
        if concern.raised_reason is not None and not concern.raised_at_visit:
            yield _hit(
                "raised-at-visit-reason",
                ("concerns", index, "raised_reason"),
                f"{concern.id} has a 'raised_reason' but not 'raised_at_visit: true'",
            )
        if not concern.followed_up:
            for field in ("judgement", "judgement_text"):
                if getattr(concern, field) is not None:
                    yield _hit(
                        "judgement-not-followed-up",
                        ("concerns", index, field),
                        f"{concern.id} is not followed up ('followed_up: false'), so it is not "
                        "judged; remove its judgement or follow it up",
                    )
                    break
        for number, item in enumerate(concern.evidence):
            if item.by is not None and visit.team and item.by.casefold() not in team:
                yield _hit(
                    "evidence-by-team",
                    ("concerns", index, "evidence", number, "by"),
                    f"'{item.by}' is not on the team; write a name as under 'team' "
                    f"({', '.join(m.name for m in visit.team)})",
                )


def _survey(visit: Visit) -> Iterator[Hit]:
    survey = visit.visit.prisoner_survey
    children = visit.establishment.holds_children
    if survey and not children:
        yield _hit(
            "prisoner-survey",
            ("visit", "prisoner_survey"),
            "there is no prisoner survey at an IRP unless the establishment holds children",
        )
    if survey is False and children:
        yield _hit(
            "prisoner-survey-children",
            ("visit", "prisoner_survey"),
            "this establishment holds children, where an IRP includes a prisoner survey",
        )


def _letter(
    visit: Visit, config: Config, cal: WorkingDays, timeline: Timeline, today: date | None
) -> Iterator[Hit]:
    """The letter against the prison's deadline (2.6, 2.10) and, given today, a letter window
    that has passed with no letter sent."""
    status = visit.visit.status
    days = timeline.visit_days
    send_by = timeline.get("letter-send-by").date
    returns_due = timeline.get("returns-due").date
    days_loc: Loc = ("visit", "days") if visit.visit.days is not None else ("visit", "start")
    if today is not None and status.letter_sent is None and send_by < today <= days[-1]:
        late = cal.between(send_by, today)
        yield _hit(
            "letter-window-passed",
            ("visit", "status"),
            f"no letter is recorded as sent (visit.status.letter_sent), and the latest day "
            f"to send it was {short_date(send_by)}, {plural(late, 'working day')} ago; the "
            f"visit starts on {short_date(days[0])}",
        )
    window_opens = timeline.get("letter-window").date
    if status.letter_sent is not None and status.letter_sent < window_opens:
        yield _hit(
            "letter-too-early",
            ("visit", "status", "letter_sent"),
            f"the letter went on {short_date(status.letter_sent)}, before the window opened "
            f"({short_date(window_opens)}, three months before the visit); it usually goes two "
            "to three months before",
        )
    delivery = config.timeline.letter_delivery_working_days
    sent = status.letter_sent
    arrives = cal.add(sent if sent is not None else send_by, delivery)
    if arrives > returns_due:
        what = (
            f"the letter went on {short_date(sent)}"
            if sent is not None
            else f"the latest day for the letter is {short_date(send_by)}"
        )
        yield _hit(
            "returns-before-letter",
            ("visit", "status", "letter_sent") if sent is not None else days_loc,
            f"{what} and takes {plural(delivery, 'working day')} to arrive "
            f"({short_date(arrives)}), after the prison's documents are due "
            f"({short_date(returns_due)}, five working days before the visit)",
        )


def _status(visit: Visit, today: date | None) -> Iterator[Hit]:
    """Dates recorded in visit.status that cannot be right: one after today (given today), a
    draft report after publication."""
    status = visit.visit.status
    if today is not None:
        recorded: list[tuple[Loc, date]] = [
            (("visit", "status", name), value) for name, value in status if isinstance(value, date)
        ]
        returns = status.returns.items()
        recorded += [(("visit", "status", "returns", k.value), v) for k, v in returns]
        for loc, value in recorded:
            if value > today:
                yield _hit(
                    "status-in-future",
                    loc,
                    f"{'.'.join(str(p) for p in loc[2:])} is {short_date(value)}, after today "
                    f"({short_date(today)}): not counted as done until then",
                )
    draft, published = status.draft_report_sent, status.report_published
    if draft is not None and published is not None and draft > published:
        yield _hit(
            "draft-after-publication",
            ("visit", "status", "draft_report_sent"),
            f"the draft report is recorded as sent on {short_date(draft)}, after the report "
            f"was published ({short_date(published)}); the draft goes first, for checking",
        )


def check_visit(
    visit: Visit, config: Config, cal: WorkingDays, timeline: Timeline, today: date | None = None
) -> list[Hit]:
    """Every rule hit for one visit, in rulebook order. ``timeline`` is the visit's own
    (:func:`~irp_cli.calendar.timeline.build_timeline`); the rules that depend on ``today``
    are left out without it."""
    hits = [
        *_team(visit),
        *_dates(visit, timeline, cal),
        *_letter(visit, config, cal, timeline, today),
        *_partners(visit, config),
        *_concerns(visit),
        *_findings_at_visit(visit),
        *_survey(visit),
        *_status(visit, today),
    ]
    finished = visit.finished_on(today)  # planning rules are not reported once it is over
    return sorted(
        (h for h in hits if h.rule.applies(finished=finished)),
        key=lambda h: _RULEBOOK_ORDER[h.rule.id],
    )


#: Each rule's place in the rulebook, the order hits are reported in.
_RULEBOOK_ORDER = {rule_id: n for n, rule_id in enumerate(BY_ID)}


def to_findings(
    hits: list[Hit], locate: Callable[[Loc], tuple[int, int, str]], file: str, config: Config
) -> list[Finding]:
    findings = []
    for hit in hits:
        severity = config.rules.severity.get(hit.rule.id, hit.rule.severity)
        if severity == "off":
            continue
        line, col, _path = locate(hit.loc)
        findings.append(
            Finding(
                file=file,
                severity=severity,
                code=hit.rule.id,
                paragraph=hit.rule.paragraph,
                message=hit.message,
                line=line,
                col=col,
            )
        )
    return findings


def check_document(
    doc: VisitFile, config: Config, cal: WorkingDays, timeline: Timeline, today: date | None = None
) -> list[Finding]:
    """:func:`check_visit`'s hits as findings at their line in the file, with the severities
    set in ``irp.toml``."""
    hits = check_visit(doc.visit, config, cal, timeline, today)
    return to_findings(hits, doc.locate, doc.name, config)
