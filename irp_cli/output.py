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
    for finding in findings:
        line = finding.format()
        if colour:
            word = finding.severity
            line = line.replace(f" {word} ", f" {_STYLES[word]}{word}\x1b[0m ", 1)
        print(line, file=stream)


def print_json(data: object) -> None:
    """Machine-readable output on stdout: indented, UTF-8 as it is, one final newline."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
