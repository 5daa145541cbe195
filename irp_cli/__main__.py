"""The ``irp`` console script and ``python -m irp_cli``.

Only the standard library is imported before the guard: Ctrl-C while the command line and its
libraries are still loading (the first fraction of a second) prints ``irp: interrupted`` and
exits 130, as it does once a command runs, instead of a Python traceback.
"""

import signal
import sys

EXIT_INTERRUPTED = 130  # as irp_cli.errors.EXIT_INTERRUPTED, which is not imported yet


def main() -> None:
    """Console-script entry point."""
    try:
        from irp_cli.cli import main as run

        run()
    except KeyboardInterrupt:
        try:
            print("irp: interrupted", file=sys.stderr, flush=True)
        finally:
            sys.exit(EXIT_INTERRUPTED)
    finally:
        # The command is over and its exit code chosen: a Ctrl-C while Python shuts down
        # changes nothing, so it is not allowed to kill the process (and lose that code).
        signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":
    main()
