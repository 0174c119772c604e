"""One small database layer for SQLite (the default) and PostgreSQL (server mode).

SQL is written once with `?` placeholders; for PostgreSQL they become `%s` (a `?` or
`%` inside quoted text stays as written).
`transaction()` wraps one use case: everything in it commits together or not at all.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from afterview.errors import StoreError

Row = tuple[Any, ...]


class Database:
    """A connection with the few operations the repository needs."""

    def __init__(self, conn: Any, dialect: str, where: str) -> None:
        self.conn = conn
        self.dialect = dialect
        self.where = where
        self._depth = 0

    @property
    def in_transaction(self) -> bool:
        """True inside `transaction()` or `snapshot()`: what is read may not be committed."""
        return self._depth > 0

    def _sql(self, sql: str) -> str:
        return _pyformat(sql) if self.dialect == "postgresql" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement."""
        self.conn.execute(self._sql(sql), tuple(params))

    def update(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an UPDATE or DELETE and return how many rows it changed."""
        cur = self.conn.execute(self._sql(sql), tuple(params))
        return int(cur.rowcount)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""
        if not rows:
            return
        if self.dialect == "postgresql":
            with self.conn.cursor() as cur:
                cur.executemany(self._sql(sql), [tuple(r) for r in rows])
        else:
            self.conn.executemany(sql, [tuple(r) for r in rows])

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run a query and return all its rows as tuples."""
        cur = self.conn.execute(self._sql(sql), tuple(params))
        return list(cur.fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """Run a query and return its first row, or None."""
        cur = self.conn.execute(self._sql(sql), tuple(params))
        row = cur.fetchone()
        return tuple(row) if row is not None else None

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT and return the new row's id."""
        row = self.one(sql + " RETURNING id", params)
        assert row is not None
        return int(row[0])

    def sync_ids(self, table: str) -> None:
        """After rows were inserted with explicit ids, move the id sequence past them."""
        if self.dialect == "postgresql":
            self.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Run the block in one transaction; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._depth = 1
        if self.dialect == "sqlite":
            self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.conn.rollback()
            raise
        else:
            self.conn.commit()
        finally:
            self._depth = 0

    @contextmanager
    def snapshot(self) -> Iterator[Database]:
        """Run the reads of the block against one consistent state of the database.

        SQLite: a deferred transaction (WAL keeps its snapshot); PostgreSQL: a
        read-only REPEATABLE READ transaction. Inside a transaction already, it joins it.
        """
        if self._depth:
            with self.transaction():
                yield self
            return
        self._depth = 1
        pg = self.dialect == "postgresql"
        try:
            if pg:
                self.conn.rollback()  # idle, so the settings below may change
                self.conn.isolation_level = 3  # psycopg IsolationLevel.REPEATABLE_READ
                self.conn.read_only = True
            else:
                self.conn.execute("BEGIN")
            yield self
        finally:
            try:
                self.conn.rollback()  # nothing was written
            finally:
                if pg and not self.conn.closed:
                    self.conn.isolation_level = None
                    self.conn.read_only = None
                self._depth = 0

    def reset(self) -> bool:
        """End whatever a failed use left open; False when the connection is unusable."""
        try:
            if self.dialect == "postgresql":
                if self.conn.closed or self.conn.info.transaction_status == 4:  # UNKNOWN
                    return False
                if self.conn.info.transaction_status != 0:  # not IDLE
                    self.conn.rollback()
            elif self.conn.in_transaction:
                self.conn.rollback()
        except Exception:
            return False
        self._depth = 0
        return True

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


@lru_cache(maxsize=512)
def _pyformat(sql: str) -> str:
    """Turn `?` placeholders into psycopg's `%s`; quoted text keeps its `?`, and `%` is escaped."""
    out: list[str] = []
    quote = ""
    for ch in sql:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "?":
            out.append("%s")
            continue
        out.append("%%" if ch == "%" else ch)
    return "".join(out)


def is_postgres_url(target: str) -> bool:
    """True for a `postgresql://` or `postgres://` URL."""
    return target.startswith(("postgresql://", "postgres://"))


def connect(target: str, *, any_thread: bool = False) -> Database:
    """Open a SQLite file (path or `sqlite:///path`) or a PostgreSQL URL.

    `any_thread`: the connection may be used from one thread after another (a pool's
    connections are; never by two at once).
    """
    if is_postgres_url(target):
        return _connect_postgres(target)
    path = target.removeprefix("sqlite://") if target.startswith("sqlite://") else target
    return _connect_sqlite(path, any_thread)


def _connect_sqlite(path: str, any_thread: bool = False) -> Database:
    path = os.path.expanduser(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise StoreError(f"db: folder {folder} does not exist; create it or choose another --db")
    if os.path.isdir(path):
        raise StoreError(f"db: {path} is a folder; give a file path such as {path}/afterview.db")
    try:
        conn = sqlite3.connect(
            path, isolation_level=None, timeout=10, check_same_thread=not any_thread
        )
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"db: {path} is not an afterview database ({exc})") from None
    return Database(conn, "sqlite", path)


def _connect_postgres(url: str) -> Database:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        raise StoreError("db: PostgreSQL needs the psycopg package") from None
    try:
        conn = psycopg.connect(url, connect_timeout=10)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"db: cannot connect to PostgreSQL ({first})") from None
    return Database(conn, "postgresql", _redact(url))


def _redact(url: str) -> str:
    """Hide a password in a URL before it is shown."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        cred, host = rest.rsplit("@", 1)
        if ":" in cred:
            cred = cred.split(":", 1)[0] + ":***"
        return f"{scheme}://{cred}@{host}"
    return url
