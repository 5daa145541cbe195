"""``irp validate``, ``irp init``, ``irp schema`` and ``irp rules``: the visit file itself."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from irp_cli.commands import options
from irp_cli.errors import EXIT_OK, EXIT_PROBLEMS, Finding, IrpError, sort_findings
from irp_cli.output import print_findings, print_json
from irp_cli.text import plural

if TYPE_CHECKING:
    from irp_cli.review.session import Loaded, Session
    from irp_cli.visitfile.starter import Answers


def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE|DIR...",
            help="Visit files, or folders of them (*.yaml, *.yml), or a quoted pattern such as "
            "'visits/*.yaml'.",
            show_default=False,
        ),
    ],
    as_json: Annotated[bool, options.JSON] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    config: Annotated[Path | None, options.CONFIG] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Check every file afresh, without the results kept in the cache folder from "
            "earlier runs of unchanged files.",
        ),
    ] = False,
) -> None:
    """Check visit files (or every visit file in a folder) against the file format and the
    guide's rules.

    Prints one line per problem, FILE:LINE:COL: error|warning [rule, guide x.y] message,
    for every file, then a summary. Exit 0 when there are no errors (warnings allowed unless
    --strict), 1 otherwise.
    """
    from irp_cli.review.session import Session, expand

    session = Session(config)
    files, findings = expand(paths, folders=True)
    from irp_cli.visitfile.loader import evidence_files

    checked = session.findings_of(
        files, cache=not no_cache, extra=_more_findings, companions=evidence_files
    )
    for _path, found in checked:
        findings.extend(found)
    findings.extend(_settings_findings(session))
    findings = sort_findings(findings)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if as_json:
        print_json([f.as_dict() for f in findings])
    else:
        print_findings(findings)
    summary = (
        f"{plural(len(files), 'file')} checked: "
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    )
    typer.echo(summary, err=True)
    failed = errors > 0 or (strict and warnings > 0)
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _settings_findings(session: Session) -> list[Finding]:
    """What is wrong in the settings files the visit files use, beyond what stops them loading
    (that is reported at each visit file): a letterhead that is not there. Once per file."""
    from irp_cli.visitfile.config import letterhead_problem

    found: dict[str, list[Finding]] = {}
    for config in session.configs():
        if config.source is not None and (problem := letterhead_problem(config)) is not None:
            found.setdefault(str(config.source), list(problem.findings))
    return [f for findings in found.values() for f in findings]


def _more_findings(loaded: Loaded) -> list[Finding]:
    """What a visit file's own checks do not see: its evidence files' problems, and sessions
    under visit.schedule that name no session, day or team member of the visit."""
    from irp_cli.visitfile.loader import evidence_folder

    doc = loaded.doc
    # Each module is imported only for a visit that has what it checks (a few ms a run).
    team: list[Finding] = []
    if doc.visit.visit.schedule.sessions:  # no change to the schedule: nothing wrong in one
        from irp_cli.onsite.schedule import schedule_findings

        team = schedule_findings(doc.visit, loaded.config, loaded.timeline, doc.locate, doc.name)
    if not evidence_folder(doc.path).is_dir():
        return team
    from irp_cli.onsite.evidence import evidence_findings

    return evidence_findings(loaded) + team


def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the schema to this file.", dir_okay=False),
    ] = None,
    force: Annotated[bool, options.FORCE] = False,
) -> None:
    """Print the JSON Schema of the visit file, for editors' completion and hover help.

    Point your editor at it with a first line such as
    '# yaml-language-server: $schema=visit.schema.json'.
    """
    from irp_cli.visitfile.models import json_schema_text

    text = json_schema_text()
    if output is None:
        sys.stdout.write(text)
        return
    from irp_cli.files import write_output

    status = write_output(output, text, force=force)
    typer.echo(f"{output}: {status}", err=True)


def ask(today: date, propose: Callable[[date], date | None] | None = None) -> Answers:
    """Ask for the essentials in the terminal, each with a sensible default. The visit's first
    day defaults to the first that ``propose`` finds; the previous inspection's first day may
    not be after its last."""
    from irp_cli.visitfile.models import EstablishmentType, Nation
    from irp_cli.visitfile.starter import Answers, suggested_start

    def choose(question: str, choices: list[str], default: str) -> str:
        while True:
            answer = str(typer.prompt(f"{question} ({' / '.join(choices)})", default=default))
            if answer.strip().lower() in choices:
                return answer.strip().lower()
            typer.echo(f"Please type one of: {', '.join(choices)}", err=True)

    def yes_or_no(question: str) -> bool:
        while True:
            answer = str(typer.prompt(f"{question} (yes / no)", default="no")).strip().lower()
            if answer in ("y", "yes", "n", "no"):
                return answer.startswith("y")
            typer.echo("Please type yes or no", err=True)

    def when(question: str, default: date) -> date:
        while True:
            answer = str(typer.prompt(f"{question} (YYYY-MM-DD)", default=default.isoformat()))
            try:
                return date.fromisoformat(answer)
            except ValueError:
                typer.echo("Please write the date as YYYY-MM-DD, e.g. 2026-06-02", err=True)

    base = Answers.blank(today)
    name = str(typer.prompt("Establishment name", default=base.name))
    while True:
        code = str(typer.prompt("NOMIS establishment code (three letters)", default=base.code))
        code = code.strip().upper()
        if len(code) == 3 and code.isalpha() and code.isascii():
            break
        typer.echo("The code is three letters, e.g. ASH", err=True)
    kind = choose("Establishment type", [t.value for t in EstablishmentType], base.type)
    nation = choose("Nation", [n.value for n in Nation], base.nation)
    children = yes_or_no("Does it hold children?")
    governor = str(typer.prompt("Governor or director's name", default=base.governor))
    imb = str(typer.prompt("IMB chair's name", default=base.imb_chair))
    first_day = when("First day of the previous inspection", base.first_day)
    while True:  # in the order they happened; the default keeps the usual length
        last_day = when(
            "Last day of the previous inspection", first_day + (base.last_day - base.first_day)
        )
        if last_day >= first_day:
            break
        typer.echo(
            f"The last day cannot be before the first day ({first_day.isoformat()}); "
            "please give it again",
            err=True,
        )
    proposed = propose(last_day) if propose is not None else None
    if propose is not None and proposed is None:
        typer.echo(
            "No visit days are left in the 8-12-month window whose letter can still go out in "
            "time (guide 2.1, 2.6); give the days agreed",
            err=True,
        )
    start = when("First day of the IRP visit", proposed or suggested_start(last_day))
    return Answers(name, code, kind, nation, children, governor, imb, first_day, last_day, start)


def init(
    path: Annotated[
        Path,
        typer.Argument(metavar="PATH", help="Where to write the new visit file.", dir_okay=False),
    ] = Path("visit.yaml"),
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Do not ask questions; write placeholders to fill in."),
    ] = False,
    force: Annotated[bool, options.FORCE] = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="DATE",
            help="Propose visit days as of this date (YYYY-MM-DD); defaults to the real date.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a commented starter visit file (and visit.schema.json beside it).

    In a terminal it asks for the essentials; with --no-input it writes placeholders, which
    'irp validate' reports until they are replaced. The visit's first day is proposed as
    'irp plan --suggest' would: three working days in a row inside the 8-12-month window whose
    letter can still go out in time as of today (guide 2.1, 2.6). An existing file is never
    replaced unless you add --force.
    """
    from irp_cli.commands.common import date_or_today
    from irp_cli.files import write_output
    from irp_cli.visitfile.starter import Answers, starter_text

    if path.exists() and not force:
        raise IrpError.at(
            str(path),
            "already exists; nothing written (use --force to replace it)",
            code="output-exists",
        )
    day = date_or_today(today, "--today")
    propose = _proposer(path, day)
    interactive = not no_input and stdin_is_terminal()
    answers = ask(day, propose) if interactive else Answers.blank(day, propose)
    text = starter_text(answers)
    try:  # a new visit often goes in a new folder (visits/): make it, as editors do
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IrpError.at(
            str(path), f"cannot make folder '{path.parent}': {exc.strerror}", code="output"
        ) from None
    status = write_output(path, text, force=force)
    typer.echo(f"{path}: {status}", err=True)
    schema_path = path.parent / "visit.schema.json"
    if not schema_path.exists():
        from irp_cli.visitfile.models import json_schema_text

        write_output(schema_path, json_schema_text())
        typer.echo(f"{schema_path}: created (for editor completion)", err=True)
    typer.echo(f"Next: fill in the file, then run 'irp validate {path}'.", err=True)


def _proposer(path: Path, today: date) -> Callable[[date], date | None]:
    """The first visit day that ``irp plan --suggest`` would propose after an inspection
    ending on a given day, with the settings (closure days) that apply at ``path``."""
    from irp_cli.calendar.timeline import suggest_starts
    from irp_cli.calendar.workdays import OutOfRange, calendar
    from irp_cli.visitfile.config import load_config
    from irp_cli.visitfile.models import PreviousInspection

    config = load_config(None, near=path)
    cal = calendar(config.calendar.closures)

    def propose(last_day: date) -> date | None:
        previous = PreviousInspection(first_day=last_day, last_day=last_day)
        try:
            found = suggest_starts(previous, config, cal, today)
        except OutOfRange:
            return None
        return found[0].start if found else None

    return propose


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def rules(
    as_json: Annotated[bool, options.JSON] = False,
    markdown: Annotated[
        bool,
        typer.Option(
            "--markdown", help="Print the table of rules in Markdown (as docs/rules.md shows it)."
        ),
    ] = False,
) -> None:
    """List the guide's rules: id, guide paragraph, severity, which commands apply it, and
    what it checks. Planning rules are not applied to a finished visit.

    A rule's severity can be changed, or the rule turned off, under [rules.severity] in
    irp.toml, e.g. team-size = "error".
    """
    from irp_cli.guide import RULES

    if as_json:
        data = [
            {
                "id": r.id,
                "paragraph": r.paragraph,
                "severity": r.severity,
                "phase": r.phase,
                "applied_by": r.commands,
                "summary": r.summary,
            }
            for r in RULES
        ]
        print_json(data)
        return
    if markdown:
        typer.echo("| Rule | Guide | Severity | Applied by | Checks |")
        typer.echo("| --- | --- | --- | --- | --- |")
        for r in RULES:
            phase = " Planning rule." if r.phase == "planning" else ""
            typer.echo(
                f"| `{r.id}` | {r.paragraph or '—'} | {r.severity} | {r.commands} | "
                f"{r.summary}{phase} |"
            )
        return
    for r in RULES:
        when = " (planning: not for a finished visit)" if r.phase == "planning" else ""
        by = "" if r.applied_by == "file" else f" [applied by {r.commands}]"
        typer.echo(
            f"{r.id:<30} guide {r.paragraph or '-':<8} {r.severity:<8} {r.summary}{when}{by}"
        )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command()(validate)
    app.command()(init)
    app.command()(schema)
    app.command()(rules)
