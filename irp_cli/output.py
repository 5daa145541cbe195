"""Everything that prints: diagnostics to stderr, results to stdout. The core never prints."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable

from irp_cli.errors import Finding


def colour_enabled(stream: object) -> bool:
    """Colour only in a terminal, never with NO_COLOR or TERM=dumb."""
    return (
        not os.environ.get("NO_COLOR")
        and hasattr(stream, "isatty")
        and bool(stream.isatty())
        and os.environ.get("TERM") != "dumb"
    )


_STYLES = {"error": "\x1b[31m", "warning": "\x1b[33m"}


def print_findings(findings: Iterable[Finding]) -> None:
    """One line per finding on stderr, the severity coloured when stderr is a terminal."""
    stream = sys.stderr
    colour = colour_enabled(stream)
    from irp_cli.text import terminal_safe

    for finding in findings:
        line = terminal_safe(finding.format(), one_line=True)  # it may quote a hostile value
        if colour:
            word = finding.severity
            line = line.replace(f" {word} ", f" {_STYLES[word]}{word}\x1b[0m ", 1)
        print(line, file=stream)


def print_json(data: object) -> None:
    """Machine-readable output on stdout: indented, UTF-8 as it is, one final newline."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


DEBUG_ENV = "IRP_DEBUG"


def report_bug(argv: list[str]) -> None:
    """The one line for an unexpected error (a bug in irp, exit 3), with the traceback kept:
    printed with ``IRP_DEBUG=1``, else written to ``irp-error.log`` in the user's cache folder
    (the same as the bank-holiday cache's) and named in the line. Call it from an ``except``."""
    import traceback

    kind, exc, _tb = sys.exc_info()
    name = kind.__name__ if kind is not None else "error"
    details = traceback.format_exc()
    line = f"irp: unexpected error ({name}: {exc}). This is a bug in irp, not in your file"
    if os.environ.get(DEBUG_ENV, "").strip() not in ("", "0"):
        sys.stderr.write(details)
        print(f"{line}; please report it with the command you ran.", file=sys.stderr)
        return
    log = _write_log(argv, details)
    if log is None:
        print(
            f"{line}; please report it with the command you ran (run it again with "
            f"{DEBUG_ENV}=1 to see the details).",
            file=sys.stderr,
        )
    else:
        print(
            f"{line}; please report it with the command you ran and the file {log}.",
            file=sys.stderr,
        )


def _write_log(argv: list[str], details: str) -> str | None:
    """Write the crash log (replacing the last one); its path, or None when it cannot be."""
    import platform
    import shlex
    from datetime import UTC, datetime

    from irp_cli import __version__
    from irp_cli.calendar.workdays import cache_dir

    path = cache_dir() / "irp-error.log"
    text = (
        f"irp {__version__}, Python {platform.python_version()} on {platform.platform()}\n"
        f"when: {datetime.now(tz=UTC):%Y-%m-%dT%H:%M:%SZ}\n"
        f"command: {shlex.join(['irp', *argv[1:]])}\n\n{details}"
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return str(path)
