"""SQLite files as backups: an online copy of the live database, and a backup file read
through a private copy (checked, then migrated there), never changed itself.

SQLite's online backup API copies the database as it stood at one moment while other
connections go on reading and writing (WAL mode: a writer never waits for it).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from urllib.parse import quote

from afterview.errors import BadInput
from afterview.store.codec import get_dt, put_dt
from afterview.store.db import Database
from afterview.textcheck import printable

SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER = 100


class CopyFailed(Exception):
    """The copy could not be written (the destination's disk or folder): `reason` says why."""


def copy_online(db: Database, dest: str) -> None:
    """Copy the live SQLite database of `db` into the new file `dest`, in one step (the
    state of one moment), as a single file (rollback journal, no -wal beside it), and
    check the copy with `PRAGMA integrity_check`. `CopyFailed` when it cannot be written."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(dest)
    dst = None
    try:
        dst = sqlite3.connect(dest, isolation_level=None)
        db.conn.backup(dst)  # pages=-1: every page in one step, one consistent state
        dst.execute("PRAGMA journal_mode = DELETE")
        verdict = [str(r[0]) for r in dst.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.Error as exc:
        raise CopyFailed(
            str(exc).strip().splitlines()[0] if str(exc).strip() else "error"
        ) from None
    finally:
        if dst is not None:
            dst.close()
    if verdict != ["ok"]:
        raise CopyFailed(f"the copy fails its integrity check ({verdict[0]})")
    try:
        fd = os.open(dest, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise CopyFailed(exc.strerror or "cannot write") from None


def is_sqlite_file(path: str) -> bool:
    """True when the file begins as an SQLite database does."""
    with open(path, "rb") as fh:
        return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def header_problem(path: str) -> str | None:
    """What the SQLite header says is wrong with the file (truncated, damaged), or None."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        head = fh.read(_HEADER)
    if len(head) < _HEADER:
        return "is truncated (shorter than an SQLite header)"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "is damaged (its header gives no valid page size)"
    pages = int.from_bytes(head[28:32], "big")
    counted = head[24:28] == head[92:96]  # the header's page count is valid
    if counted and pages and size < pages * page_size:
        return f"is truncated: it holds {size} bytes of the {pages * page_size} its header gives"
    if size % page_size:
        return "is truncated (not a whole number of pages)"
    return None


def open_copy(path: str, copy: str, field: str) -> Database:
    """Copy the SQLite file at `path` into `copy` (the original opened read-only) and
    return the copy, checked with `PRAGMA integrity_check`; `BadInput` naming `field`
    when the file is not a usable SQLite database."""
    name = printable(path)
    # With no -wal beside it the file is read as immutable: nothing is created next to it
    # (a WAL-mode file opened read-only would get a -shm and a -wal); with one, read-only
    # through it, so that what it holds is read too.
    mode = "mode=ro" if os.path.exists(path + "-wal") else "immutable=1"
    uri = "file:" + quote(os.path.abspath(path)) + "?" + mode
    src = dst = None
    try:
        src = sqlite3.connect(uri, uri=True, isolation_level=None)
        dst = sqlite3.connect(copy, isolation_level=None)
        src.backup(dst)
        dst.execute("PRAGMA trusted_schema = OFF")  # the file is not ours until checked
        verdict = [str(r[0]) for r in dst.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.Error as exc:
        if dst is not None:
            dst.close()
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise BadInput(field, f"{name} is not a usable SQLite database ({first})") from None
    finally:
        if src is not None:
            src.close()
    if verdict != ["ok"]:
        dst.close()
        raise BadInput(field, f"{name} is damaged: its integrity check says {verdict[0]!r}")
    dst.execute("PRAGMA foreign_keys = ON")
    return Database(dst, "sqlite", copy)


_HASH = re.compile(r"[0-9a-f]{64}")


def feed_token_row(db: Database, account: int) -> tuple[str, str] | None:
    """The account's calendar feed token `(hash, created_at)`, when it is well formed."""
    try:
        row = db.one(
            "SELECT token_hash, created_at FROM feed_token WHERE account_id = ?", (account,)
        )
    except sqlite3.Error:
        return None
    if row is None or not isinstance(row[0], str) or not isinstance(row[1], str):
        return None
    if not _HASH.fullmatch(row[0]):
        return None
    try:
        return row[0], put_dt(get_dt(row[1]))
    except (ValueError, BadInput):
        return None


def save_feed_token_row(db: Database, account: int, token_hash: str, created_at: str) -> None:
    """Keep a feed token's hash as it was (a restored backup keeps the calendar link)."""
    db.execute("DELETE FROM feed_token WHERE account_id = ?", (account,))
    db.execute(
        "INSERT INTO feed_token (account_id, token_hash, created_at) VALUES (?, ?, ?)",
        (account, token_hash, created_at),
    )


def counts_in_file(path: str, account: int) -> dict[str, int]:
    """How many applications, interviews, messages and assessments the account holds in
    the SQLite file at `path` (opened read-only)."""
    conn = sqlite3.connect("file:" + quote(os.path.abspath(path)) + "?mode=ro", uri=True)
    try:
        return {
            key: int(
                conn.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE account_id = ?", (account,)
                ).fetchone()[0]
            )
            for key, table in (
                ("applications", "application"),
                ("interviews", "interview"),
                ("touches", "touch"),
                ("assessments", "assessment"),
            )
        }
    finally:
        conn.close()
