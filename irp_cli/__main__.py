"""The ``irp`` console script and ``python -m irp_cli``.

Ctrl-C at any moment prints ``irp: interrupted`` and exits 130. Once the command line is
loaded, its error boundary (:mod:`irp_cli.cli`) sees to that, with Python's ``KeyboardInterrupt``,
so that a file being written is cleaned up. Before then, while the command line and its
libraries are still loading (a few tens of milliseconds), the first statement of :func:`main`
puts :func:`_interrupted_while_loading` in place: it stops the process at once with
``os._exit``, so there is no exception that an import could print as a traceback, or swallow
("Exception ignored in ...") and carry on. Nothing is loaded before it: ``os`` and ``sys`` are
loaded by Python's start-up, and so is ``_signal``, the C half of :mod:`signal` (``signal.py``
itself builds enums first, half a millisecond in which a Ctrl-C was a traceback). What runs
before this module, and cannot be guarded from here, is described in docs/commands.md ("Ctrl-C").
"""

# The C module behind 'signal', already loaded by Python itself (typeshed has no stub for it).
import _signal  # type: ignore[import-not-found]
import os
import sys

EXIT_INTERRUPTED = 130  # as irp_cli.errors.EXIT_INTERRUPTED, which is not imported yet
_MESSAGE = b"irp: interrupted\n"


def _interrupted_while_loading(signum: int, frame: object) -> None:
    """SIGINT before the command line is loaded: one line, then exit 130 at once."""
    # No contextlib.suppress: nothing is imported here, while the process is being stopped.
    for stream in (sys.stdout, sys.stderr):  # nothing of irp's is in them yet, but flush
        try:  # noqa: SIM105
            stream.flush()
        except (AttributeError, OSError, RuntimeError, ValueError):  # closed, or mid-write
            pass
    try:  # noqa: SIM105
        os.write(2, _MESSAGE)  # unbuffered: no print() that the signal may have interrupted
    except OSError:  # no stderr to write to: the exit code still says it
        pass
    os._exit(EXIT_INTERRUPTED)


def main() -> None:
    """Console-script entry point."""
    # Only if Ctrl-C is not ignored (a background job started with SIGINT ignored keeps it so).
    guarded = _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler
    if guarded:
        _signal.signal(_signal.SIGINT, _interrupted_while_loading)
    # The cycle collector off for the run (gc is built into Python: nothing is loaded). Loading
    # the command line and its libraries makes hundreds of thousands of objects that live to
    # the end, and the collector scans them again and again for cycles that are not there:
    # about 5% of a command's time. One file's work leaves little garbage, freed at exit; a run
    # over many files turns the collector back on (irp_cli.review.session.paced).
    import gc

    gc.disable()
    import signal

    try:
        from irp_cli.cli import main as run

        if guarded:  # from here on the command line's own boundary handles Ctrl-C
            signal.signal(signal.SIGINT, signal.default_int_handler)
        run()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C cannot cut the line
        try:
            print("irp: interrupted", file=sys.stderr, flush=True)
        finally:
            sys.exit(EXIT_INTERRUPTED)
    finally:
        # The command is over and its exit code chosen: a Ctrl-C while Python shuts down
        # changes nothing, so it is not allowed to kill the process (and lose that code).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # Nor does Python's last collection as it shuts down, which would scan every object
        # loaded (tens of milliseconds): they are frozen out of it. Files are flushed and
        # closed as usual.
        gc.freeze()


if __name__ == "__main__":
    main()
