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

import os
import stat
import tempfile
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing, contextmanager
from typing import Any, NamedTuple

from afterview.errors import BadInput
from afterview.outfile import check_destination, discard, finish, write_streamed
from afterview.services.context import Context
from afterview.services.import_stream import import_sections, refuse_unless_empty, value_pairs
from afterview.services.porting import FORMAT, VERSION, import_export, waiting, write_export
from afterview.store import backup as store
from afterview.store.migrations import LATEST, current_version, migrate
from afterview.store.porting import account_parts
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
    check_destination(out, "out")
    if ctx.db.dialect == "sqlite":
        return _sqlite_backup(ctx, out)
    counts = write_streamed(out, lambda fh: write_export(ctx, fh.write), "out")
    return BackupDone(out, "json", os.path.getsize(out), {k: counts[k] for k in _COUNTED})


def _sqlite_backup(ctx: Context, out: str) -> BackupDone:
    if _same_file(out, ctx.db.where):
        raise BadInput("out", f"{printable(out)} is the database itself; give another file")
    tmp = f"{out}.{os.getpid()}.tmp"
    try:
        try:
            store.copy_online(ctx.db, tmp)
        except store.CopyFailed as exc:
            raise BadInput("out", f"cannot write {printable(out)}: {exc}") from None
        counts = store.counts_in_file(tmp, ctx.account)
        size = os.path.getsize(tmp)
        finish(tmp, out, "out")
    finally:
        discard(tmp)
    return BackupDone(out, "sqlite", size, counts)


def _same_file(a: str, b: str) -> bool:
    """True when `a` names the database file `b` (or its -wal, -shm or -journal)."""
    real = os.path.realpath(a)
    base = os.path.realpath(b)
    return real in (base, base + "-wal", base + "-shm", base + "-journal")


_COUNTED = ("applications", "interviews", "touches", "assessments")


def restore(ctx: Context, path: str) -> Restored:
    """Restore a backup (an SQLite file from `backup`, or a JSON export) into the empty
    database of `ctx`. One clear `BadInput` (naming FILE) for a file that is not a
    backup, truncated, damaged or from a newer afterview; `Refused` when the database
    holds data. Nothing is written unless all of it comes in."""
    name = printable(path)
    _check_readable(path)
    refuse_unless_empty(ctx, "restore")
    if store.is_sqlite_file(path):
        return _restore_sqlite(ctx, path, name)
    with open(path, "rb") as fh:
        start = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        if not start.startswith(b"{"):
            raise BadInput(FIELD, f"{name} is not an afterview backup: {_EXPECTED}")
        fh.seek(0)
        with _restore_fields():
            counts = import_export(ctx, fh.read, path, "restore")
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
    if not os.access(path, os.R_OK):
        raise BadInput(FIELD, f"cannot read {name}: permission denied")


@contextmanager
def _restore_fields() -> Iterator[None]:
    """The import's refusals with their fields named for restore: the file, or the place
    in it."""
    try:
        yield
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
                token = store.feed_token_row(copy, ctx.account)
            except Exception as exc:
                raise BadInput(
                    FIELD, f"{name} is not an afterview database ({_first_line(exc)})"
                ) from None
            parts = _copy_parts(copy, ctx.account, name)
            with closing(parts), ctx.db.transaction(), _restore_fields():
                counts = import_sections(ctx, value_pairs(parts, name), "restore")
                if token is not None:
                    store.save_feed_token_row(ctx.db, ctx.account, *token)
        finally:
            copy.close()
    return Restored("sqlite", version, counts)


def _copy_parts(copy: Any, account: int, name: str) -> Generator[tuple[str, Any], None, None]:
    """The account's records in the copy, as an export's keys and values: read as they
    are imported, messages waiting held (`waiting`), a failure to read as one line."""
    yield "format", FORMAT
    yield "version", VERSION
    with _readable_copy(name), copy.snapshot():
        for key, value in account_parts(copy, account):
            if value is None or isinstance(value, dict):
                yield key, value
            else:
                items = (waiting(m) for m in value) if key == "outbox" else value
                yield key, _guarded(items, name)


def _guarded(items: Iterable[Any], name: str) -> Iterator[Any]:
    with _readable_copy(name):
        yield from items


@contextmanager
def _readable_copy(name: str) -> Iterator[None]:
    try:
        yield
    except BadInput:
        raise
    except Exception as exc:
        raise BadInput(FIELD, f"{name} is not an afterview database ({_first_line(exc)})") from None


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
