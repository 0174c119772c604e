"""`afterview config edit`: config.toml edited by hand, and checked once the editor exits.

Before the editor opens, the file is kept as `config.toml.bak` (or, when there is none,
written from the template `config show` prints). Afterwards it is read as start-up
reads it, with the checks start-up makes only later (the holidays' country, your name
and address); a file that does not read is put back as it was before, and what the
user wrote is kept as `config.toml.rejected`, so a slip in an editor never breaks every
command. A file that did not read before the editor opened is not kept as `.bak` (that
holds the last version that read) and, if it still does not read, is left as the user
wrote it: there is nothing better to put back. The editor itself is the adapter's
(`cli/config_cmd.py`).
"""

from __future__ import annotations

import os
from typing import NamedTuple

from afterview.config import Config, line_of, load_config
from afterview.errors import BadInput
from afterview.services.settings_edit import atomic_write, check_values

#: a setting's field as the checks name it -> its key in the file
_KEYS = {"name": "me.name", "email": "me.email"}


class Before(NamedTuple):
    """The file as it was before the editor opened (text None: there was no file;
    problem: why it did not read then, None when it did)."""

    path: str
    text: str | None
    problem: BadInput | None = None


def prepare(path: str, template: str, year: int) -> Before:
    """Keep the file as `.bak` (same mode) when it reads (checked as `check` does for
    `year`), or create it from `template` (mode 0600: it may come to hold channel
    secrets); return what it was. A file that does not read leaves `.bak` as it is:
    that is the last version that read."""
    try:
        with open(path, encoding="utf-8") as fh:
            text: str | None = fh.read()
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput("config", f"cannot read {path}: {exc}") from None
    problem = None
    if text is None:
        atomic_write(path, template, 0o600)
    else:
        try:
            check(path, year)
        except BadInput as exc:
            problem = exc
        if problem is None:
            atomic_write(f"{path}.bak", text, _mode(path))
    return Before(path, text, problem)


def good_backup(path: str) -> str | None:
    """`config.toml.bak` when it exists and reads as start-up reads a config file (the
    version to go back to when config.toml is broken), else None."""
    backup = f"{path}.bak"
    if not os.path.isfile(backup):
        return None
    try:
        load_config(backup)
    except BadInput:
        return None
    return backup


def check(path: str, year: int) -> Config:
    """Read the file as start-up does, and check what start-up checks later (the
    holidays of `year` for its country, the name and address); `BadInput` names the
    setting and, when it is found, the file's line."""
    config = load_config(path)
    try:
        check_values(config, year)
    except BadInput as exc:
        key = exc.field.removeprefix("config ")
        key = _KEYS.get(key, key)
        try:
            with open(path, encoding="utf-8") as fh:
                line = line_of(fh.read(), key)
        except (OSError, UnicodeDecodeError):
            line = None
        where = f"{path}, line {line}" if line else path
        raise BadInput(f"config {key}", f"{exc.problem} (in {where})") from None
    return config


def changed(before: Before) -> bool:
    """True when the file differs from what it was before the editor opened."""
    try:
        with open(before.path, encoding="utf-8", errors="replace") as fh:
            return fh.read() != before.text
    except FileNotFoundError:
        return before.text is not None


def restore(before: Before) -> str:
    """Put the file back as it was (remove it when there was none), keeping what the
    user wrote as `.rejected` (mode 0600); return that file's path."""
    rejected = f"{before.path}.rejected"
    try:
        with open(before.path, "rb") as fh:
            written: bytes | None = fh.read()
    except FileNotFoundError:
        written = None
    try:
        if written is not None:
            fd = os.open(rejected, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(written)
        if before.text is None:
            if written is not None:
                os.unlink(before.path)
        else:
            atomic_write(before.path, before.text, _mode(before.path))
    except OSError as exc:
        raise BadInput("config", f"cannot restore {before.path}: {exc.strerror}") from None
    return rejected


def _mode(path: str) -> int:
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return 0o600
