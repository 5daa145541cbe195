"""Everything that prints: diagnostics to stderr, results to stdout. The core never prints."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from irp_cli.errors import Finding


def _colour(stream: object) -> bool:
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
    colour = _colour(stream)
    for finding in findings:
        line = finding.format()
        if colour:
            word = finding.severity
            line = line.replace(f" {word} ", f" {_STYLES[word]}{word}\x1b[0m ", 1)
        print(line, file=stream)
