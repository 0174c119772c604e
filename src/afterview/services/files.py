"""Writing a file the user named: checked first, written beside it, then renamed into place
(a reader never sees half a file, and a failure leaves no temporary file behind)."""

from __future__ import annotations

import contextlib
import os

from afterview.errors import BadInput


def check_path(path: str, field: str) -> None:
    """Refuse, naming `field`, a path that cannot be written: nothing, no such folder, a
    folder itself, or no permission."""
    if not path.strip():
        raise BadInput(field, "expected a file name, got nothing")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise BadInput(field, f"folder {folder} does not exist")
    if os.path.isdir(path):
        raise BadInput(field, f"{path} is a folder; give a file name")
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise BadInput(field, f"cannot write {path}: permission denied")


def prepare(path: str, data: bytes, field: str) -> str:
    """Write `data` beside `path` in a temporary file (after `check_path`); return its name."""
    check_path(path, field)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        discard(tmp)
        raise BadInput(field, f"cannot write {path}: {exc.strerror}") from None
    return tmp


def finish(tmp: str, path: str, field: str) -> None:
    """Move the temporary file of `prepare` into place."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise BadInput(field, f"cannot write {path}: {exc.strerror}") from None


def discard(tmp: str) -> None:
    """Remove a temporary file, if it is still there."""
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def write_file(path: str, data: bytes, field: str = "--eml") -> None:
    """Write a file atomically (a temporary file, then a rename)."""
    tmp = prepare(path, data, field)
    try:
        finish(tmp, path, field)
    finally:
        discard(tmp)
