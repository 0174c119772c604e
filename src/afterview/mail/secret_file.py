"""The secrets file: where mail secrets go when there is no system keyring.

A JSON object (`{"smtp:me@example.com@smtp.example.com": "…"}`) in `secrets.json`
next to `config.toml`, readable and writable by its owner only. It is created with
mode 0600 from its first byte (`os.open(…, 0o600)`), replaced atomically (a temp file
in the same folder, fsynced, then `os.replace`), and refused when its mode lets the
group or others in: a secret that others could read is no secret any more, so the
user is told to `chmod 600` it. It is not encrypted: anyone who can act as the user
(or root) can read it, which is why the keyring is preferred where there is one.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Iterator

from afterview.errors import BadInput
from afterview.redact import remember

NAME = "secrets.json"
#: How large the file may be (it holds a few passwords and tokens).
MAX_BYTES = 1_000_000
_POSIX = os.name == "posix"


def secrets_path() -> str:
    """The secrets file: `secrets.json` in the folder of `config.toml`."""
    from afterview.config import config_path

    return os.path.join(os.path.dirname(os.path.abspath(config_path())), NAME)


def _refuse(path: str, problem: str) -> BadInput:
    return BadInput("secrets_file", f"{path} {problem}")


def _check_mode(path: str, st: os.stat_result) -> None:
    """Refuse a file that the group or others may read or write, or that is not ours."""
    if not _POSIX:
        return  # Windows: the folder under the user's profile is private already
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(path, "is not a regular file; move it away")
    if st.st_mode & 0o077:
        raise _refuse(
            path,
            f"can be read or changed by others (mode {stat.S_IMODE(st.st_mode):03o}); "
            f"run `chmod 600 {path}` (and change any secret in it that others may have read)",
        )
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise _refuse(path, "belongs to another user; it must be yours (chown it, or remove it)")


def read_all(path: str | None = None) -> dict[str, str]:
    """Every secret in the file (empty when there is no file); each one is remembered by
    `afterview.redact`. A file others may read, or that is not a JSON object of texts,
    is refused in one line."""
    path = path or secrets_path()
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise _refuse(path, f"cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as fh:
        _check_mode(path, os.fstat(fh.fileno()))
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(path, f"is larger than {MAX_BYTES} bytes; it is not afterview's")
    try:
        found = json.loads(data.decode("utf-8")) if data.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _refuse(path, "is not a JSON object; fix it or remove it") from None
    if not isinstance(found, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in found.items()
    ):
        raise _refuse(path, "is not a JSON object of texts; fix it or remove it")
    for value in found.values():
        remember(value)
    return found


def get(key: str, path: str | None = None) -> str | None:
    """The secret kept under `key`, or None."""
    return read_all(path).get(key)


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    """Hold a lock beside the file while it is read and replaced (two processes that refresh
    a token at once must not lose one of the writes)."""
    if not _POSIX or sys.platform == "win32":
        yield
        return
    import fcntl

    fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def put(key: str, value: str | None, path: str | None = None) -> str:
    """Keep `value` under `key` (None removes it) and return the file's path.

    The folder is created private (0700) when missing; the new content is written to a
    temp file created 0600 in the same folder, then renamed over the old one, so the
    file is never partly written nor readable by others for a moment.
    """
    path = path or secrets_path()
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise _refuse(path, f"cannot be created ({exc.strerror or exc})") from None
    remember(value)
    with _locked(path):
        found = read_all(path)
        if value is None:
            if key not in found:
                return path
            found.pop(key)
        else:
            found[key] = value
        _write(path, json.dumps(found, indent=1, sort_keys=True))
    return path


def _write(path: str, text: str) -> None:
    """Replace the file (`outfile.replace_text`: a temp file made 0600, synced, renamed),
    then sync its folder so the rename itself is durable."""
    from afterview.outfile import replace_text

    folder = os.path.dirname(path)
    try:
        replace_text(path, text, 0o600)
    except OSError as exc:
        raise _refuse(path, f"cannot be written ({exc.strerror or exc})") from None
    if _POSIX:
        with contextlib.suppress(OSError):
            dfd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
