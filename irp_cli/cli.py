"""The ``irp`` command line: parse options, call the core, hand the result to output.

This module must stay light: ``import irp_cli.cli`` loads none of jinja2, holidays, yaml or
docx (a test checks, and ruff's TID253 bans them at module level). Each command imports what
it needs inside its function.

The one error boundary is :class:`IrpGroup.invoke`: an :class:`~irp_cli.errors.IrpError` prints
its findings and exits with its code; anything unexpected prints one short line and exits 3;
Ctrl-C exits 130.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from irp_cli import __version__
from irp_cli.commands import documents, timeline, visitfile, workdays

if TYPE_CHECKING:
    from typer._click.core import Context

from irp_cli.errors import EXIT_INTERRUPTED, EXIT_PROBLEMS, EXIT_UNEXPECTED, IrpError


class IrpGroup(TyperGroup):
    """Typer's group with the project's single error boundary around every command."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except IrpError as exc:
            from irp_cli.output import print_findings

            print_findings(exc.findings)
            ctx.exit(exc.exit_code)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except BrokenPipeError:
            # The reader went away (e.g. `irp rules | head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_PROBLEMS)
        except KeyboardInterrupt:
            typer.echo("irp: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exception as exc:  # the boundary: never a traceback for a coordinator
            typer.echo(
                f"irp: unexpected error ({type(exc).__name__}: {exc}). This is a bug in irp, "
                "not in your file; please report it with the command you ran.",
                err=True,
            )
            ctx.exit(EXIT_UNEXPECTED)


app = typer.Typer(
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


visitfile.register(app)
timeline.register(app)
documents.register(app)
app.add_typer(workdays.app, name="workdays")


def main() -> None:
    """Console-script entry point."""
    # pydantic looks for plugins (observability hooks) by scanning every installed package's
    # metadata the first time a model is built: about 30 ms that irp has no use for. An explicit
    # setting in the environment still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="irp")
    sys.exit(0)
