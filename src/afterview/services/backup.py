"""Backups: a consistent copy of the database while other commands run, and restoring one
into an empty database.

On SQLite a backup is a copy of the database file made with SQLite's online backup
(the state of one moment; writers go on meanwhile), written beside the destination and
moved into place. On PostgreSQL it is the JSON export, read in one snapshot.

`restore` takes either kind. An SQLite backup is read through a private copy: checked
(an afterview database of a schema version this afterview knows, intact), migrated
there when older, then read as an export and written as `import` writes one, every
value checked. Nothing is written until the whole file has passed. Messages waiting in
the outbox come back `held` and one being sent `uncertain`, as an export's do: the
machine the backup came from may have sent them since, and a message goes out at most
once.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from typing import Any, NamedTuple

from afterview.errors import BadInput
from afterview.outfile import check_destination, discard, finish, write_streamed
from afterview.services.context import Context
from afterview.services.porting import (
    FORMAT,
    MAX_BYTES,
    VERSION,
    import_document,
    read_document,
    refuse_unless_empty,
    waiting,
    write_export,
)
from afterview.store import backup as store
from afterview.store.migrations import LATEST, current_version, migrate
from afterview.store.porting import read_account
from afterview.textcheck import printable

FIELD = "FILE"


class BackupDone(NamedTuple):
    """A backup written: where, which kind ("sqlite" or "json"), its size and what it holds."""

    path: str
    kind: str
    size: int
    counts: dict[str, int]


class Restored(NamedTuple):
    """A backup restored: which kind ("sqlite" or "json"), the schema version an SQLite
    backup was written with (None for JSON), and what came in."""

    kind: str
    version: int | None
    counts: dict[str, int]


def backup(ctx: Context, out: str) -> BackupDone:
    """Write a consistent copy of the database to `out` (checked before any work; written
    through a temporary file beside it, then moved into place)."""
    check_destination(out, "--out")
    if ctx.db.dialect == "sqlite":
        return _sqlite_backup(ctx, out)
    counts = write_streamed(out, lambda fh: write_export(ctx, fh.write), "--out")
    return BackupDone(out, "json", os.path.getsize(out), {k: counts[k] for k in _COUNTED})


def _sqlite_backup(ctx: Context, out: str) -> BackupDone:
    if _same_file(out, ctx.db.where):
        raise BadInput("--out", f"{printable(out)} is the database itself; give another file")
    tmp = f"{out}.{os.getpid()}.tmp"
    try:
        try:
            store.copy_online(ctx.db, tmp)
        except store.CopyFailed as exc:
            raise BadInput("--out", f"cannot write {printable(out)}: {exc}") from None
        counts = store.counts_in_file(tmp, ctx.account)
        size = os.path.getsize(tmp)
        finish(tmp, out, "--out")
    finally:
        discard(tmp)
    return BackupDone(out, "sqlite", size, counts)


def _same_file(a: str, b: str) -> bool:
    """True when `a` names the database file `b` (or its -wal, -shm or -journal)."""
    real = os.path.realpath(a)
    base = os.path.realpath(b)
    return real in (base, base + "-wal", base + "-shm", base + "-journal")


_COUNTED = ("applications", "interviews", "touches", "assessments")


def _doc_counts(doc: dict[str, Any]) -> dict[str, int]:
    return {k: len(doc[k]) for k in _COUNTED}


def restore(ctx: Context, path: str) -> Restored:
    """Restore a backup (an SQLite file from `backup`, or a JSON export) into the empty
    database of `ctx`. One clear `BadInput` (naming FILE) for a file that is not a
    backup, truncated, damaged, from a newer afterview or too large; `Refused` when the
    database holds data. Nothing is written unless all of it comes in."""
    name = printable(path)
    _check_readable(path)
    refuse_unless_empty(ctx, "restore")
    if store.is_sqlite_file(path):
        return _restore_sqlite(ctx, path, name)
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"{"):
        raise BadInput(FIELD, f"{name} is not an afterview backup: {_EXPECTED}")
    doc = _checked(data, path)
    counts = import_document(ctx, doc, "restore")
    return Restored("json", None, counts)


_EXPECTED = "expected an SQLite file written by `afterview backup` or an afterview export (JSON)"


def _check_readable(path: str) -> None:
    name = printable(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise BadInput(FIELD, f"cannot read {name}: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise BadInput(FIELD, f"{name} is not a regular file; give a backup file")
    if st.st_size == 0:
        raise BadInput(FIELD, f"{name} is empty: {_EXPECTED}")
    if st.st_size > MAX_BYTES:
        raise BadInput(
            FIELD, f"{name} is over {MAX_BYTES // (1024 * 1024)} MB: too large for a backup"
        )
    if not os.access(path, os.R_OK):
        raise BadInput(FIELD, f"cannot read {name}: permission denied")


def _checked(data: bytes, path: str) -> dict[str, Any]:
    """`read_document` with its fields named for restore: the file, or the place in it."""
    try:
        return read_document(data, path)
    except BadInput as exc:
        field = exc.field
        if field == "import":
            field = FIELD
        elif field.startswith("import "):
            field = "restore" + field.removeprefix("import")
        raise BadInput(field, exc.problem) from None


def _restore_sqlite(ctx: Context, path: str, name: str) -> Restored:
    problem = store.header_problem(path)
    if problem is not None:
        raise BadInput(FIELD, f"{name} {problem}; nothing was restored")
    with tempfile.TemporaryDirectory(prefix="afterview-restore-") as folder:
        copy = store.open_copy(path, os.path.join(folder, "copy.db"), FIELD)
        try:
            version = _schema_version(copy, name)
            if version < LATEST:
                try:
                    migrate(copy)
                except Exception as exc:
                    raise BadInput(
                        FIELD,
                        f"{name} (schema version {version}) cannot be brought up to date: "
                        f"{_first_line(exc)}",
                    ) from None
            try:
                data = read_account(copy, ctx.account)
                token = store.feed_token_row(copy, ctx.account)
            except Exception as exc:
                raise BadInput(
                    FIELD, f"{name} is not an afterview database ({_first_line(exc)})"
                ) from None
        finally:
            copy.close()
    data["outbox"] = [waiting(m) for m in data["outbox"]]
    doc = {"format": FORMAT, "version": VERSION, **data}
    try:
        text = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError) as exc:  # a BLOB where text belongs, and the like
        raise BadInput(FIELD, f"{name} is not an afterview database ({exc})") from None
    checked = _checked(text, path)
    with ctx.db.transaction():
        counts = import_document(ctx, checked, "restore")
        if token is not None:
            store.save_feed_token_row(ctx.db, ctx.account, *token)
    return Restored("sqlite", version, counts)


def _schema_version(copy: Any, name: str) -> int:
    try:
        version = current_version(copy)
    except Exception as exc:
        raise BadInput(FIELD, f"{name} is not an afterview database ({_first_line(exc)})") from None
    if version < 1:
        raise BadInput(
            FIELD, f"{name} is an SQLite database but not afterview's (no schema version)"
        )
    if version > LATEST:
        raise BadInput(
            FIELD,
            f"{name} was written by a newer afterview (schema version {version}; this one "
            f"knows up to {LATEST}): upgrade afterview to restore it",
        )
    return version


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
