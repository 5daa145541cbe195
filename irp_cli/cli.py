"""The ``irp`` command line: parse options, call the core, hand the result to output.

This module must stay light: ``import irp_cli.cli`` loads none of jinja2, holidays, yaml or
docx (a test checks, and ruff's TID253 bans them at module level). Each command imports what
it needs inside its function.

The one error boundary is :class:`IrpGroup`: an :class:`~irp_cli.errors.IrpError` prints its
findings and exits with its code; anything unexpected prints one line naming the log file that
holds the traceback and exits 3 (``IRP_DEBUG=1`` prints the traceback instead); Ctrl-C at any
moment, or Ctrl-C or Ctrl-D at a question, prints ``irp: interrupted`` and exits 130; a closed
pipe (``irp deadlines visits/ | head -1``) stops quietly with 141. The entry point in
``irp_cli/__main__.py`` guards the moment before this module is imported.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import itertools
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer._click.exceptions import NoArgsIsHelpError  # typer's own click
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from irp_cli import __version__

if TYPE_CHECKING:
    from typer._click.core import Context

from irp_cli.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
    IrpError,
)


def interrupted() -> NoReturn:
    """Ctrl-C (or Ctrl-D at a question): one line and exit 130, never a traceback."""
    print("irp: interrupted", file=sys.stderr, flush=True)
    raise typer.Exit(EXIT_INTERRUPTED)


def pipe_closed() -> NoReturn:
    """The reader of stdout went away (``irp rules | head -1``): stop quietly, as Unix tools
    do, with 141 (128 + SIGPIPE, what a shell reports for a tool stopped that way). Nothing
    more reaches the closed pipe, not even Python's flush at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no real file (a test runner): nothing to redirect
        pass
    raise typer.Exit(EXIT_BROKEN_PIPE)


@contextmanager
def _boundary() -> Iterator[None]:
    """Interrupts and closed pipes, wherever they happen while the command line is parsed
    or a command runs."""
    try:
        yield
    except KeyboardInterrupt:
        interrupted()
    except typer.Abort:  # click's answer to Ctrl-C or Ctrl-D (end of input) at a prompt
        interrupted()
    except BrokenPipeError:
        pipe_closed()
    except SystemExit as exc:
        if _rich_saw_a_closed_pipe(exc):
            pipe_closed()
        raise


def _rich_saw_a_closed_pipe(exc: SystemExit) -> bool:
    """Rich (the tables, Typer's help) turns a closed pipe into ``SystemExit(1)`` from its
    ``Console.on_broken_pipe``; 1 means "overdue" here, so that one is told apart."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_code.co_name == "on_broken_pipe"


#: pydantic's wording, which Typer passes on for a value it could not convert, said plainly.
_PYDANTIC_WORDS = {
    "Input should be a valid integer, unable to parse string as an integer": "not a whole number",
}


def plain_bad_value(message: str) -> str:
    """A bad value's message without pydantic's wording: "Value error, 'x' is not one of ..."
    becomes "'x' is not one of ...", "Input should be a valid integer, ..." "not a whole
    number"."""
    message = message.removeprefix("Value error, ")
    return _PYDANTIC_WORDS.get(message, message)


def _unwrap(text: str) -> str:
    """Help text with each paragraph on one line, so that the terminal wraps it at its own
    width rather than at the source's 100 columns and again at 80 (a ragged right edge). A
    paragraph that starts with ``\\b`` keeps its lines, as click intends, and so does an
    indented one (an example)."""
    return "\n\n".join(
        p if p.startswith(("\b", " ")) else " ".join(p.split("\n"))
        for p in inspect.cleandoc(text).split("\n\n")
    )


_MARKUP_TAG = re.compile(r"\[(?=[a-z#/@])")


def _literal(text: str) -> str:
    """``text`` shown as written by rich, which would take ``[rules.severity]`` or ``[rule,
    guide x.y]`` for a style and drop it (rich's escape, without importing rich)."""
    return _MARKUP_TAG.sub(r"\\[", text)


def _no_type(ctx: Any) -> None:
    return None


def tidy_help(command: Any, *, recurse: bool = True) -> None:
    """The help of ``command`` (and of its sub-commands) as a coordinator reads it: paragraphs
    wrapped at the terminal's width, and a word for what each option takes (FILE, DIR, TEXT or
    its own metavar such as DATE) instead of Python's type names (``<bool>``, ``<str>``,
    ``<list[Path]>``): a flag takes nothing, and an argument is already named by its metavar."""
    from typer.core import TyperArgument, TyperOption

    if getattr(command, "_irp_tidy", False):
        return
    command._irp_tidy = True
    markup = getattr(command, "rich_markup_mode", None) == "rich" and typer.core.HAS_RICH
    if command.help:
        command.help = _unwrap(command.help)
        if markup:
            command.help = _literal(command.help)
    help_option = command.get_help_option

    def quiet_help_option(ctx: Any) -> Any:
        option = help_option(ctx)
        if option is not None:
            setattr(option, "display_type_rich", _no_type)  # noqa: B010
        return option

    command.get_help_option = quiet_help_option
    for param in command.params:
        if markup and getattr(param, "help", None):
            param.help = _literal(param.help)
        if isinstance(param, TyperArgument) or (isinstance(param, TyperOption) and param.is_flag):
            setattr(param, "display_type_rich", _no_type)  # noqa: B010 (an instance's method)
        elif isinstance(param, TyperOption) and param.metavar is None:
            described = param.type_descriptor
            if described.is_path:
                param.metavar = "FILE" if described.parameter_info.file_okay else "DIR"
            elif not described.is_choice or all(
                str(c) in (param.help or "") for c in described.choices or ()
            ):  # a choice keeps its list of values unless its help gives them
                param.metavar = (param.name or "value").upper()
    if recurse:
        for sub in getattr(command, "commands", {}).values():
            tidy_help(sub)


class IrpGroup(TyperGroup):
    """Typer's group with the project's single error boundary around every command."""

    def get_command(self, ctx: Context, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            tidy_help(command)
        return command

    def make_context(self, *args: Any, **kwargs: Any) -> Context:
        tidy_help(self, recurse=False)  # its sub-commands are tidied as they are looked up
        with _boundary():  # parsing runs --help and --version, which print
            try:
                return super().make_context(*args, **kwargs)
            except ClickUsageError as exc:  # irp's own options
                usage_error(exc)

    def invoke(self, ctx: Context) -> Any:
        from irp_cli.files import forget_inputs

        forget_inputs()  # a new run: the inputs of an earlier one (in tests) do not count
        with _boundary():
            try:
                try:
                    return super().invoke(ctx)
                finally:  # a closed pipe shows on the last flush: here, not at exit
                    sys.stdout.flush()
            except IrpError as exc:
                from irp_cli.output import print_findings

                print_findings(exc.findings)
                ctx.exit(exit_code(exc))
            except ClickUsageError as exc:  # a sub-command's line, as it is parsed
                usage_error(exc)
            except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt):
                raise
            except BrokenPipeError:
                raise
            except Exception:  # the boundary: never a traceback for a coordinator
                from irp_cli.output import report_bug

                report_bug(sys.argv)
                ctx.exit(EXIT_UNEXPECTED)


def usage_error(exc: ClickUsageError) -> NoReturn:
    """A command line click could not take, in one line as irp's own usage errors are (not
    Typer's box), with where to find the command's help; exit 2."""
    from irp_cli.text import terminal_safe

    if isinstance(exc, NoArgsIsHelpError):  # a group with nothing after it: Typer shows its help
        raise exc
    if isinstance(exc, typer.BadParameter):
        exc.message = plain_bad_value(exc.message)
    path = exc.ctx.command_path if exc.ctx is not None else "irp"
    message = terminal_safe(exc.format_message(), one_line=True).rstrip(".")
    help_hint = f" See '{path} -h'." if message.endswith("?") else f"; see '{path} -h'"
    typer.echo(f"irp: error [usage] {message}{help_hint}", err=True)
    sys.exit(EXIT_USAGE)


def exit_code(exc: IrpError) -> int:
    """The exit code of a problem the user can fix, chosen here and nowhere else.

    The core raises ``workdays.OutOfRange`` for a date outside the years irp knows without
    knowing where the date came from. A date from a visit file or ``irp.toml`` (or worked out
    from one) is placed at its line by the session or the settings model, and so arrives as a
    plain ``IrpError`` (exit 1); one that arrives here unplaced was typed on the command line,
    or worked out from what was (``workdays add 2045-12-29 5``, ``--within``): exit 2.
    """
    from irp_cli.calendar.workdays import OutOfRange

    return EXIT_USAGE if isinstance(exc, OutOfRange) else exc.exit_code


#: The modules of :mod:`irp_cli.commands`, in the order of the list of commands in the help,
#: each with the commands (and groups of commands) it registers. A run imports only the module
#: of the command it runs (:func:`only_command`); a test checks that this table is complete.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "visitfile": ("validate", "init", "schema", "rules"),
    "plan": ("plan",),
    "deadlines": ("deadlines",),
    "documents": ("letter", "proforma", "proforma-import", "returns", "liaison"),
    "programme": ("programme", "stats"),
    "onsite": ("evidence", "judge", "progress", "debrief", "report"),
    "schedule": ("schedule",),
    "workdays": ("workdays",),
    "population": ("population",),
}
_MODULE_OF = {name: module for module, names in COMMAND_MODULES.items() for name in names}


def _register(module: str, target: typer.Typer) -> None:
    commands: Any = importlib.import_module(f"irp_cli.commands.{module}")
    if module == "schedule":
        target.command()(commands.schedule)
    elif module == "workdays":
        target.add_typer(commands.app, name="workdays")
    else:
        commands.register(target)


@functools.cache
def registered_by(module: str) -> tuple[list[Any], list[Any]]:
    """The commands and the groups that ``irp_cli.commands.MODULE`` registers, imported and
    registered once per process."""
    scratch = typer.Typer()
    _register(module, scratch)
    return scratch.registered_commands, scratch.registered_groups


class _Irp(typer.Typer):
    """The ``irp`` app, whose commands are registered when Typer first asks for them: every
    command in the order of :data:`COMMAND_MODULES`, unless :func:`only_command` has put just
    the one being run in place (without importing the other modules)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._commands: list[Any] | None = None
        self._groups: list[Any] | None = None

    @property
    def registered_commands(self) -> list[Any]:
        if self._commands is None:
            self._commands = [c for m in COMMAND_MODULES for c in registered_by(m)[0]]
        return self._commands

    @registered_commands.setter
    def registered_commands(self, value: list[Any]) -> None:
        self._commands = value

    @property
    def registered_groups(self) -> list[Any]:
        if self._groups is None:
            self._groups = [g for m in COMMAND_MODULES for g in registered_by(m)[1]]
        return self._groups

    @registered_groups.setter
    def registered_groups(self, value: list[Any]) -> None:
        self._groups = value

    @contextmanager
    def only(self, module: str) -> Iterator[None]:
        """While inside, the app has only the commands of ``module`` (unless every command
        is registered already)."""
        if self._commands is not None or self._groups is not None:
            yield
            return
        self._commands, self._groups = (list(infos) for infos in registered_by(module))
        try:
            yield
        finally:
            self._commands = self._groups = None


app = _Irp(
    name="irp",
    cls=IrpGroup,
    help="Plans, dates and documents for HM Inspectorate of Prisons' independent reviews of "
    "progress (IRPs), from one YAML file per visit.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"irp {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Plans, dates and documents for IRPs, from one YAML file per visit."""


def main() -> None:
    """Run the command line (the console script's entry point is ``irp_cli.__main__.main``,
    which guards this module's own import against Ctrl-C)."""
    from irp_cli import startup

    startup.prepare()
    with only_command(app, sys.argv[1:]):
        app(prog_name="irp")
    sys.exit(0)


def _command_name(info: Any) -> str:
    """The name a registered command is called by: its own, else its function's."""
    import typer.main

    callback = info.callback.__name__ if info.callback else ""
    return str(info.name or typer.main.get_command_name(callback))


@contextmanager
def only_command(typer_app: typer.Typer, args: list[str]) -> Iterator[None]:
    """While the command line runs, let Typer build only the command named in ``args``
    (``irp validate ...`` needs none of the other commands' options: building them all is
    a tenth of a short run). With no command named (``irp --help``, ``irp --version``, ``irp
    --help validate``, which shows the list of commands) or an unknown one (so that the error
    can suggest the right name), every command is there, but as :func:`_listed` stand-ins:
    a name and a help text to list, without the options only the command itself needs."""
    before = list(itertools.takewhile(lambda a: a.startswith("-"), args))
    wanted = args[len(before)] if len(before) < len(args) else None
    module = _MODULE_OF.get(wanted or "")
    if isinstance(typer_app, _Irp) and module is not None and not set(before) & _ROOT_ONLY:
        with typer_app.only(module), _only(typer_app, wanted, before):
            yield
        return
    with _only(typer_app, wanted, before):
        yield


@contextmanager
def _only(typer_app: typer.Typer, wanted: str | None, before: list[str]) -> Iterator[None]:
    commands, groups = typer_app.registered_commands, typer_app.registered_groups
    chosen = [c for c in commands if _command_name(c) == wanted]
    chosen_groups = [g for g in groups if g.name == wanted]
    if set(before) & _ROOT_ONLY or not (chosen or chosen_groups):
        with _listed(typer_app):
            yield
        return
    typer_app.registered_commands, typer_app.registered_groups = chosen, chosen_groups
    try:
        yield
    finally:
        typer_app.registered_commands, typer_app.registered_groups = commands, groups


#: The options that make the root answer by itself, whatever command follows them.
_ROOT_ONLY = {"-h", "--help", "--version"}


@contextmanager
def _listed(typer_app: typer.Typer) -> Iterator[None]:
    """While inside, each command of ``typer_app`` (and of its groups) is a stand-in that
    takes no options: its name, help and panel as registered, for the list of commands."""
    saved = [(typer_app, typer_app.registered_commands)]
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            saved.append((group.typer_instance, group.typer_instance.registered_commands))
    for owner, registered in saved:
        owner.registered_commands = [_stand_in(info) for info in registered]
    try:
        yield
    finally:
        for owner, registered in saved:
            owner.registered_commands = registered


def _stand_in(info: Any) -> Any:
    """A copy of the registered command ``info`` whose callback takes nothing and says what
    the real one says. It is never run: a command named on the command line is built whole."""
    import copy

    real = info.callback

    def listed() -> None:
        raise AssertionError(f"the stand-in for {real.__name__} was run")  # pragma: no cover

    listed.__name__, listed.__doc__ = real.__name__, real.__doc__
    stand_in = copy.copy(info)
    stand_in.callback = listed
    return stand_in
