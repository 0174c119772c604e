"""Writing a file the user named: checked before any work is done, written atomically.

A command that writes a file checks its destination first, so that a bad path
costs nothing (no computation, no database state moved) and a half-written file
never replaces a good one: the data goes to a temporary file beside it, then a
rename.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import BinaryIO, TypeVar

from afterview.errors import BadInput
from afterview.textcheck import is_utf8, shown

T = TypeVar("T")


def check_destination(path: str, field: str) -> str:
    """Return `path` if a file can be written there, else refuse it naming `field`.

    Refused: nothing, a folder, a device such as /dev/null, a symbolic link, a
    folder that does not exist or cannot be written to, a file that cannot be
    written to.
    """
    if not path.strip():
        raise BadInput(field, "expected a file name")
    if not is_utf8(path):
        raise BadInput(field, "is not valid UTF-8 text")
    if os.path.islink(path):
        raise BadInput(field, f"{shown(path)} is a symbolic link; give the file itself")
    if os.path.isdir(path):
        raise BadInput(field, f"{shown(path)} is a folder; give a file name in it")
    if os.path.exists(path) and not os.path.isfile(path):
        raise BadInput(field, f"{shown(path)} exists and is not a regular file")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise BadInput(field, f"folder {shown(folder)} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (
        os.path.exists(path) and not os.access(path, os.W_OK)
    ):
        raise BadInput(field, f"cannot write {shown(path)}: permission denied")
    return path


def prepare(path: str, data: bytes, field: str) -> str:
    """Write `data` beside `path` in a temporary file (after `check_destination`) and
    return its name: `finish` moves it into place, `discard` removes it. A use case that
    also writes to the database prepares the file, commits, then finishes."""
    check_destination(path, field)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        discard(tmp)
        raise BadInput(field, f"cannot write {shown(path)}: {exc.strerror}") from None
    return tmp


def finish(tmp: str, path: str, field: str) -> None:
    """Move the temporary file of `prepare` into place."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise BadInput(field, f"cannot write {shown(path)}: {exc.strerror}") from None


def discard(tmp: str) -> None:
    """Remove a temporary file, if it is still there."""
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def write_streamed(path: str, fill: Callable[[BinaryIO], T], field: str) -> T:
    """Write what `fill` writes to a file to `path` through a temporary file and a rename
    (after `check_destination`); return what `fill` returns; refuse with `field`."""
    check_destination(path, field)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        try:
            with open(tmp, "wb") as fh:
                found = fill(fh)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise BadInput(field, f"cannot write {shown(path)}: {exc.strerror}") from None
        finish(tmp, path, field)
    finally:
        discard(tmp)
    return found


def write_atomically(path: str, data: bytes, field: str) -> None:
    """Write `data` to `path` through a temporary file and a rename; refuse with `field`."""
    tmp = prepare(path, data, field)
    try:
        finish(tmp, path, field)
    finally:
        discard(tmp)


def replace_text(path: str, text: str, mode: int) -> None:
    """Write `text` to `path` (its folder made if missing) through a new temporary file
    beside it, created with `mode` before a byte is written (0o600: never readable by others,
    even for a moment) and synced, then renamed into place; raises OSError."""
    import tempfile

    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".afterview-", suffix=".tmp")  # made 0600
    try:
        if os.fstat(fd).st_mode & 0o777 != mode:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        discard(tmp)
        raise
