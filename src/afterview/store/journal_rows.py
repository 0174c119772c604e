"""Reading the change journal (`store/journal.py`) and putting rows back as they were."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from afterview.store import journal
from afterview.store.codec import get_dt, put_dt
from afterview.store.db import Database

Image = dict[str, Any]


class Change(NamedTuple):
    """One recorded change: when, from which command or page, and what it did."""

    id: int
    at: datetime
    source: str
    summary: str
    undone_at: datetime | None
    undo_note: str | None


class Entry(NamedTuple):
    """One row a change wrote: the row before (`old`) and after (`new`), as JSON images."""

    id: int
    change: int
    table: str
    key: str
    op: str
    old: Image | None
    new: Image | None


_CHANGE = "SELECT id, at, source, summary, undone_at, undo_note FROM journal_change"


def _change(row: tuple[Any, ...]) -> Change:
    i, at, source, summary, undone, note = row
    return Change(
        int(i), get_dt(at), str(source), str(summary), get_dt(undone) if undone else None, note
    )


def history(db: Database, account: int, limit: int, before: int | None = None) -> list[Change]:
    """The account's latest `limit` changes (those before id `before`), newest first."""
    if before is None:
        rows = db.query(
            f"{_CHANGE} WHERE account_id = ? ORDER BY id DESC LIMIT ?", (account, limit)
        )
    else:
        rows = db.query(
            f"{_CHANGE} WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
            (account, before, limit),
        )
    return [_change(r) for r in rows]


def get_change(db: Database, account: int, change: int) -> Change | None:
    """One change of the account, or None when it has none with this id (never, pruned,
    or another account's)."""
    row = db.one(f"{_CHANGE} WHERE account_id = ? AND id = ?", (account, change))
    return _change(row) if row else None


def open_from(db: Database, account: int, first: int) -> list[Change]:
    """The account's changes not undone from id `first` on, newest first."""
    rows = db.query(
        f"{_CHANGE} WHERE account_id = ? AND id >= ? AND undone_at IS NULL ORDER BY id DESC",
        (account, first),
    )
    return [_change(r) for r in rows]


def latest_open(db: Database, account: int) -> Change | None:
    """The account's newest change not undone, or None."""
    row = db.one(
        f"{_CHANGE} WHERE account_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
        (account,),
    )
    return _change(row) if row else None


def lock(db: Database, account: int) -> None:
    """Let one undo at a time run for the account (PostgreSQL; SQLite's writers take turns
    already)."""
    if db.dialect == "postgresql":
        db.execute("SELECT pg_advisory_xact_lock(?, ?)", (0x61667465, account))


def _entry(row: tuple[Any, ...]) -> Entry:
    i, change, table, key, op, old, new = row
    return Entry(
        int(i),
        int(change),
        str(table),
        str(key),
        str(op),
        json.loads(old) if old is not None else None,
        json.loads(new) if new is not None else None,
    )


def entries(db: Database, change: int) -> list[Entry]:
    """The rows a change wrote, in the order written."""
    rows = db.query(
        "SELECT id, change_id, tbl, row_key, op, old, new FROM journal_row "
        "WHERE change_id = ? ORDER BY id",
        (change,),
    )
    return [_entry(r) for r in rows]


def later_entries(db: Database, account: int, change: int) -> list[Entry]:
    """The rows written by the account's changes after `change` that are not undone, in
    order."""
    rows = db.query(
        "SELECT r.id, r.change_id, r.tbl, r.row_key, r.op, r.old, r.new FROM journal_row r "
        "JOIN journal_change c ON c.id = r.change_id "
        "WHERE c.account_id = ? AND r.change_id > ? AND c.undone_at IS NULL ORDER BY r.id",
        (account, change),
    )
    return [_entry(r) for r in rows]


def mark_undone(db: Database, account: int, change: int, at: datetime, note: str | None) -> None:
    """Record that the account's `change` was taken back at `at` (with what could not be)."""
    db.execute(
        "UPDATE journal_change SET undone_at = ?, undo_note = ? WHERE account_id = ? AND id = ?",
        (put_dt(at), note, account, change),
    )


# -- rows -----------------------------------------------------------------------------------------
class Shape:
    """The columns, keys and foreign keys of the tables, read once per undo."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._columns: dict[str, list[str]] = {}
        self._keys: dict[str, list[str]] = {}
        self._parents: dict[str, list[tuple[str, str]]] = {}

    def columns(self, table: str) -> list[str]:
        """The table's columns, in order."""
        if table not in self._columns:
            self._columns[table] = journal.columns(self.db, table)
        return self._columns[table]

    def keys(self, table: str) -> list[str]:
        """The columns of the table's primary key."""
        if table not in self._keys:
            self._keys[table] = journal.key_columns(self.db, table)
        return self._keys[table]

    def parents(self, table: str) -> list[tuple[str, str]]:
        """The table's foreign keys: `(column, parent table)`."""
        if table not in self._parents:
            self._parents[table] = journal.parents(self.db, table)
        return self._parents[table]


class Blocked(Exception):
    """The database refuses to put a row back (a constraint): `table` and its words."""

    def __init__(self, table: str, detail: str) -> None:
        super().__init__(detail)
        self.table = table
        self.detail = detail


def _where(shape: Shape, table: str, image: Image) -> tuple[str, list[Any]]:
    keys = shape.keys(table)
    return " AND ".join(f'"{k}" = ?' for k in keys), [image.get(k) for k in keys]


def current(db: Database, shape: Shape, table: str, image: Image) -> Image | None:
    """The row with the key of `image` as it is now (the same JSON image), or None."""
    cond, params = _where(shape, table, image)
    if db.dialect == "sqlite":
        cols = ", ".join(f"'{c}', \"{c}\"" for c in shape.columns(table))
        row = db.one(f'SELECT json_object({cols}) FROM "{table}" WHERE {cond}', params)
    else:
        row = db.one(f'SELECT row_to_json(t)::text FROM "{table}" t WHERE {cond}', params)
    return json.loads(row[0]) if row else None


def restore(db: Database, shape: Shape, table: str, where: Image, image: Image | None) -> None:
    """Make the row with the key of `where` be `image` again (None: no such row)."""
    cond, params = _where(shape, table, where)
    try:
        if image is None:
            db.execute(f'DELETE FROM "{table}" WHERE {cond}', params)
            return
        cols = [c for c in shape.columns(table) if c in image]
        values = [image[c] for c in cols]
        if db.one(f'SELECT 1 FROM "{table}" WHERE {cond}', params) is not None:
            sets = ", ".join(f'"{c}" = ?' for c in cols)
            db.execute(f'UPDATE "{table}" SET {sets} WHERE {cond}', [*values, *params])
        else:
            names = ", ".join(f'"{c}"' for c in cols)
            marks = ", ".join("?" for _ in cols)
            db.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
    except Exception as exc:
        if _refused(exc):
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise Blocked(table, first) from None
        raise


def _refused(exc: Exception) -> bool:
    """True for a constraint the database holds to (a foreign or unique key, a check)."""
    import sqlite3

    if isinstance(exc, sqlite3.IntegrityError):
        return True
    if type(exc).__module__.startswith("psycopg"):
        import psycopg

        return isinstance(exc, psycopg.IntegrityError)
    return False
