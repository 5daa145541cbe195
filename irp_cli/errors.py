"""The one error type that crosses from the core to the command line, and the findings it carries.

Every problem a coordinator sees is a :class:`Finding`: one line, GNU style, so editors and
terminals can jump to it::

    visits/hmp-x.yaml:14:9: error [invalid-value] team[2].role: 'lead' is not a role; ...
    visits/hmp-x.yaml:3:1: warning [previous-team-member, guide 2.1] nobody on the team ...

The core raises :class:`IrpError` (or a subclass); the CLI's error boundary prints its findings
to stderr and exits with its exit code. Nothing else crosses that boundary on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]

#: Exit codes, documented in docs/commands.md ('Exit codes').
EXIT_OK = 0
EXIT_PROBLEMS = 1  # the input has errors, a check failed, a deadline is overdue
EXIT_USAGE = 2  # click's own code for a bad command line
EXIT_UNEXPECTED = 3  # a bug in irp: one line naming the log that holds the traceback
EXIT_INTERRUPTED = 130  # Ctrl-C, or Ctrl-D at a question (128 + SIGINT, as shells report)
EXIT_BROKEN_PIPE = 141  # the reader of the output went away (128 + SIGPIPE, as shells report)


class Finding(NamedTuple):
    """One problem in one place. ``line`` and ``col`` are 1-based, or None when unknown."""

    file: str
    severity: Severity
    code: str
    message: str
    line: int | None = None
    col: int | None = None
    paragraph: str | None = None
    loc: str = ""

    @property
    def where(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    @property
    def tag(self) -> str:
        if self.paragraph:
            return f"[{self.code}, guide {self.paragraph}]"
        return f"[{self.code}]"

    def format(self) -> str:
        """The one-line form: ``FILE:LINE:COL: severity [code, guide x.y] loc: message``."""
        text = f"{self.loc}: {self.message}" if self.loc else self.message
        return f"{self.where}: {self.severity} {self.tag} {text}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "paragraph": self.paragraph,
            "loc": self.loc,
            "message": self.message,
        }


class IrpError(Exception):
    """A problem the user can fix. Carries one or more findings and an exit code.

    A plain class (a dataclass would compile its methods when this module loads, in every
    command)."""

    def __init__(
        self, findings: list[Finding] | None = None, exit_code: int = EXIT_PROBLEMS
    ) -> None:
        self.findings: list[Finding] = findings if findings is not None else []
        self.exit_code = exit_code
        super().__init__(self.lines())

    def __repr__(self) -> str:
        return f"{type(self).__name__}(findings={self.findings!r}, exit_code={self.exit_code!r})"

    @classmethod
    def at(
        cls,
        file: str,
        message: str,
        *,
        code: str = "error",
        line: int | None = None,
        col: int | None = None,
        paragraph: str | None = None,
    ) -> IrpError:
        """Build an error with a single finding."""
        finding = Finding(
            file=file,
            severity="error",
            code=code,
            message=message,
            line=line,
            col=col,
            paragraph=paragraph,
        )
        return cls([finding])

    def lines(self) -> list[str]:
        return [f.format() for f in self.findings]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class UsageError(IrpError):
    """A bad argument that click could not catch (e.g. an absurd number of days)."""

    def __init__(self, message: str, *, code: str = "usage") -> None:
        super().__init__([Finding(file="irp", severity="error", code=code, message=message)])
        self.exit_code = EXIT_USAGE


def errors_only(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Order by file, then line and column (findings without a place come first)."""
    return sorted(findings, key=lambda f: (f.file, f.line or 0, f.col or 0, f.code))
