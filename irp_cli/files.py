"""Safe writes: never overwrite without ``--force``, never leave a half-written file.

Data goes to a temporary file in the destination's folder, which then replaces the destination
in one step (``os.replace`` is atomic on one file system), so a crash or a full disk leaves the
old file as it was.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from irp_cli.errors import IrpError

WriteStatus = Literal["created", "overwritten", "unchanged", "would create", "would overwrite"]

# The files this run has read (visit files, settings, a filled pro forma), by (device, inode),
# so that a hard link or another spelling of the same file is caught, and by resolved path, so
# that a file replaced since (an editor saves by writing a new file) is caught too. An output
# that is one of them is refused, even with --force (see write_output).
_inputs: set[Path | tuple[int, int]] = set()
# What each of them held when this run read it (a digest), by the path it was read by: a
# command that updates its input (proforma-import, evidence add, judge) refuses to write when
# the file has changed since. The paths are resolved only when a command writes (_resolved):
# resolving costs a system call for each folder in the path, and a run over a folder of
# visits reads a thousand files and writes none of them.
_read_digests: dict[Path, bytes] = {}
_unresolved: list[Path] = []


def remember_input(
    path: Path, data: bytes | None = None, info: os.stat_result | None = None
) -> None:
    """Note that this run reads ``path`` (holding ``data``; ``info`` is its ``stat()`` when the
    caller has it): no output may replace it."""
    with contextlib.suppress(OSError):
        info = info or path.stat()
        _inputs.add((info.st_dev, info.st_ino))
    _unresolved.append(path)
    if data is not None:
        _read_digests[path] = _digest(data)


def _resolved() -> set[Path | tuple[int, int]]:
    """:data:`_inputs` with the paths read so far resolved, and the digests keyed by them."""
    for path in _unresolved:  # in the order read: the last reading of a file is the one kept
        with contextlib.suppress(OSError, RuntimeError):
            resolved = path.resolve()
            _inputs.add(resolved)
            if resolved != path and (digest := _read_digests.pop(path, None)) is not None:
                _read_digests[resolved] = digest
    _unresolved.clear()
    return _inputs


def forget_inputs() -> None:
    """Start a new run (the CLI calls it before each command)."""
    _inputs.clear()
    _read_digests.clear()
    _unresolved.clear()


def _digest(data: bytes) -> bytes:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).digest()


LOCK_WAIT_SECONDS = 30.0


@contextlib.contextmanager
def exclusive(path: Path, *, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the edit lock of ``path`` while a command reads, changes and writes it back.

    The lock is a hidden file beside it (``.NAME.irp-lock``, left in place: removing it could
    let two commands hold the lock at once), locked with the operating system's advisory lock,
    so it is released whenever the process ends, even when it is killed. A second command
    waits for the first (up to ``wait`` seconds, then says so), then reads what the first
    wrote: two commands started at once leave both changes.
    """
    import time

    lock = path.with_name(f".{path.name}.irp-lock")
    name = str(path)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        message = f"cannot lock it for editing: {_reason(exc)}"
        raise IrpError.at(name, message, code="lock") from None
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                message = (
                    f"another irp command has been changing this file for over {wait:.0f} "
                    "seconds; nothing written: try again when it has finished"
                )
                raise IrpError.at(name, message, code="locked")
            time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


if sys.platform == "win32":  # pragma: no cover - Windows

    def _try_lock(fd: int) -> bool:
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:

    def _try_lock(fd: int) -> bool:
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def is_input(path: Path) -> bool:
    """Whether ``path`` is a file this run has read."""
    with contextlib.suppress(OSError, RuntimeError):
        if path.resolve() in _resolved():
            return True
        info = path.stat()
        return (info.st_dev, info.st_ino) in _inputs
    return False


def read_bounded(path: Path, *, limit: int, what: str, code: str = "file") -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them, or an IrpError.

    Anything but a regular file (a folder, a FIFO that would wait for ever, ``/dev/zero`` that
    never ends) is refused before it is opened for reading, and the size is checked before
    reading and again while reading (a file that grows is still cut off at ``limit``).
    ``what`` names the file in messages: "a visit file", "a settings file".
    """
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IrpError.at(name, "no such file", code=code) from None
    except OSError as exc:
        raise IrpError.at(name, f"cannot read it: {_reason(exc)}", code=code) from None
    if stat.S_ISDIR(info.st_mode):
        raise IrpError.at(name, f"is a folder, not {what}", code=code)
    if not stat.S_ISREG(info.st_mode):
        raise IrpError.at(name, f"is not a regular file, so it cannot be {what}", code=code)
    if info.st_size > limit:
        message = f"file is {info.st_size:,} bytes; {what} is at most {limit:,} bytes"
        raise IrpError.at(name, message, code=code)
    try:
        # The file descriptor itself, not a Python file object around it: a folder of a
        # thousand visits reads a thousand files (a third of the time of reading one went on
        # the object and its system calls).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            data = _read_to(fd, info.st_size, limit)
        finally:
            os.close(fd)
    except PermissionError:
        raise IrpError.at(name, "permission denied: cannot read this file", code=code) from None
    except OSError as exc:
        raise IrpError.at(name, f"cannot read it: {_reason(exc)}", code=code) from None
    if len(data) > limit:
        raise IrpError.at(name, f"file is over {limit:,} bytes; {what} is smaller", code=code)
    remember_input(path, data, info)
    return data


def _read_to(fd: int, size: int, limit: int) -> bytes:
    """The bytes of the open file ``fd``, of at most ``limit + 1``: as many as ``stat()`` said
    (``size``) and one more, to see whether it has grown (then on, to the limit). Reading
    ``limit + 1`` at once would set aside the whole limit (a megabyte for a visit file) for
    every file read."""
    parts: list[bytes] = []
    total, want = 0, size + 1
    while total <= limit:
        part = os.read(fd, min(want, limit + 1 - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
        want = 1 << 16  # it has grown, or the system gave less than asked: read on
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _reason(exc: OSError | RuntimeError) -> str:
    """An OSError in words: 'too many levels of symbolic links', 'file name too long', ..."""
    if isinstance(exc, RuntimeError):  # Path.resolve() on a loop of links (Python 3.11)
        return "the path is a loop of symbolic links"
    if exc.errno == errno.ELOOP:
        return "the path is a loop of symbolic links"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long for this system"
    return (exc.strerror or str(exc)).lower() if exc.strerror else str(exc)


def write_output(
    path: Path,
    data: str | bytes,
    *,
    force: bool = False,
    dry_run: bool = False,
    replace_input: bool = False,
) -> WriteStatus:
    """Write a document without surprises, and say what happened.

    An existing file is replaced only with ``force`` (identical content is left alone and
    reported as ``unchanged``). The new content goes to a temporary file in the same folder
    that then replaces the target in one step, so a failure never leaves half a document.
    A dry run makes the same checks, and fails the same way, as a real run; it only skips
    the write. Text is written as UTF-8 with ``\\n`` line endings on every platform.

    A file this run has read (:func:`remember_input`: the visit file, its settings, a filled
    pro forma) is never replaced, even with ``force``; only a command whose job is to update
    its input (``irp proforma-import``) passes ``replace_input``.
    """
    blob = data.encode("utf-8") if isinstance(data, str) else data
    name = str(path)
    if not replace_input and is_input(path):
        message = (
            "is a file this command reads (the visit file, its settings or the pro forma); "
            "nothing written, even with --force: give another file name for the output"
        )
        raise IrpError.at(name, message, code="output-is-input")
    try:
        path, exists = _target(path, name)
        if exists and replace_input:
            _refuse_if_changed(path, name)
        if exists:
            if path.stat().st_size == len(blob) and path.read_bytes() == blob:
                return "unchanged"  # (a file of another size is not read to compare it)
            if not force:
                message = "already exists and differs; nothing written (use --force to replace it)"
                raise IrpError.at(name, message, code="output-exists")
            _check_writable(path, name)
    except (OSError, RuntimeError) as exc:
        raise IrpError.at(name, f"cannot write it: {_reason(exc)}", code="output") from None
    if dry_run:
        return "would overwrite" if exists else "would create"
    _replace(path, blob, name)
    return "overwritten" if exists else "created"


def _target(path: Path, name: str) -> tuple[Path, bool]:
    """The file to write (a link is followed, and kept) and whether it exists; an IrpError for
    a folder, a missing folder or something that is not a regular file."""
    if path.is_symlink():  # write to the file the link points at, keeping the link
        path = path.resolve(strict=True) if path.exists() else path.resolve()
    if path.is_dir():
        raise IrpError.at(name, "is a folder; give a file name", code="output")
    if not path.parent.is_dir():
        message = f"folder '{path.parent}' does not exist; create it first"
        raise IrpError.at(name, message, code="output")
    exists = path.exists()
    if exists and not path.is_file():
        raise IrpError.at(name, "is not a regular file", code="output")
    return path, exists


def _check_writable(path: Path, name: str) -> None:
    """Refuse to replace a read-only file: a rename would replace it whatever its own mode says
    (only the folder's permissions count), which is not what the file's owner asked for."""
    mode = path.stat().st_mode
    if not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise IrpError.at(
            name,
            "is read-only, so it is not replaced, even with --force; make it writable first "
            "(Windows: Properties, untick Read-only; elsewhere: chmod u+w) or write elsewhere",
            code="output-read-only",
        )


#: Temporary files are named ``.<name>.irp-<pid>-<random>.tmp`` beside the file they become, so
#: that one left by a killed run is recognised and removed by the next write to the same file.
_TMP_REST = re.compile(r"(\d+)-[^.]+\.tmp")
STALE_SECONDS = 3600
_NAME_ROOM = 200  # of a file name's usual 255 bytes, what the temporary name keeps of it


def _tmp_prefix(path: Path) -> str:
    return f".{path.name[:_NAME_ROOM]}.irp-"


def _clean_stale(path: Path) -> None:
    """Remove temporary files a killed write to ``path`` left behind: their process is gone
    (on this machine), or they are over an hour old."""
    prefix = _tmp_prefix(path)
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            match = _TMP_REST.fullmatch(entry.name[len(prefix) :])
            if not entry.name.startswith(prefix) or match is None:
                continue
            with contextlib.suppress(OSError):
                age = time.time() - entry.stat(follow_symlinks=False).st_mtime
                if age > STALE_SECONDS or not _alive(int(match[1])):
                    Path(entry.path).unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill would end the process there; rely on the age alone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def _refuse_if_changed(path: Path, name: str) -> None:
    """An input about to be updated must still hold what this run read from it."""
    _resolved()
    expected = _read_digests.get(path.resolve())
    if expected is not None and _digest(path.read_bytes()) != expected:
        message = (
            "was changed by another program since irp read it; nothing written, so that "
            "change is kept: run the command again"
        )
        raise IrpError.at(name, message, code="changed-on-disk")


def _replace(path: Path, blob: bytes, name: str) -> None:
    mode = _mode_for(path)
    _clean_stale(path)
    try:
        import tempfile  # here, not at the top: only a run that writes loads it

        fd, tmp_name = tempfile.mkstemp(
            prefix=f"{_tmp_prefix(path)}{os.getpid()}-", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        message = f"cannot write in folder '{path.parent}': {_reason(exc)}"
        raise IrpError.at(name, message, code="output") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(mode)
        tmp.replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, PermissionError):
            message = "permission denied; if it is open in Word, close it and try again"
            raise IrpError.at(name, message, code="output") from None
        if isinstance(exc, OSError):
            raise IrpError.at(name, f"cannot write it: {_reason(exc)}", code="output") from None
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 & ~umask)."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_cache(path: Path, data: bytes) -> bool:
    """Write a file of irp's own cache folder atomically (a temporary file beside it, then
    renamed), so a reader sees the old file or the new, never half of one. False, quietly, on
    any OS error: a cache that cannot be written is simply not used."""
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only a run that fills the cache writes

        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        tmp = Path(name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        tmp.replace(path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        return False
    return True


def repeatable_zip(data: bytes) -> bytes:
    """The same zip archive (a .docx or .xlsx) with fixed member timestamps, so the same input
    always gives the same bytes (the libraries stamp the current time)."""
    import zipfile  # only a Word or Excel output needs it

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()
