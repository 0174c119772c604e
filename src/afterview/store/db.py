"""One small database layer for SQLite (the default) and PostgreSQL (server mode).

SQL is written once with `?` placeholders; for PostgreSQL they become `%s` (a `?` or
`%` inside quoted text stays as written).
`transaction()` wraps one use case: everything in it commits together or not at all.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from afterview.errors import BUSY, BadInput, StoreError, Unavailable, is_busy
from afterview.textcheck import has_control, shown

if TYPE_CHECKING:
    from afterview.store.journal import Stamp

Row = tuple[Any, ...]
#: Names of PostgreSQL's server-side cursors: several may be open at once.
_STREAMS = itertools.count(1)


class Database:
    """A connection with the few operations the repository needs."""

    def __init__(
        self, conn: Any, dialect: str, where: str, read_only_why: str | None = None
    ) -> None:
        self.conn = conn
        self.dialect = dialect
        self.where = where
        self.read_only_why = read_only_why
        self._depth = 0
        #: who and when the change journal records a write for (`store/journal.py`): the
        #: use case's context; None records nothing (a migration, a bare connection)
        self.stamp: Stamp | None = None
        self._unrecorded = 0
        self._change: int | None = None  # the change the open transaction records into
        #: the change the latest committed transaction that wrote something recorded
        #: (None: none yet; set it back to None to watch): what a page's "Undo" takes back
        self.last_change: int | None = None
        self._has_journal: bool | None = None  # None: not looked yet (migration 18 adds it)
        #: what was learned of the schema's shape (kept until `forget_schema`)
        self.schema_facts: dict[str, object] = {}
        #: the account whose rows PostgreSQL's row-level security lets this connection see
        #: and write (`use_account`); None: no account's
        self.account: int | None = None
        #: False when a rollback may have taken `account` back (set inside a transaction)
        self._account_known = True

    def use_account(self, account: int | None) -> None:
        """Keep this connection to `account`'s rows from now on (None: no account's).

        On PostgreSQL this sets `afterview.account` for the connection, which the row-level
        security of migration 23 reads: a query that forgets its `account_id = ?` still sees
        and writes that account's rows only (for a role the policies hold, see
        `store/server_schema.py`). Inside a transaction the setting goes with it if it rolls
        back. SQLite, one user's file, has nothing to set.
        """
        if account == self.account and self._account_known:
            return
        if self.dialect == "postgresql":
            value = "" if account is None else str(int(account))
            self.conn.execute("SELECT set_config('afterview.account', %s, false)", (value,))
            if not self._depth:
                self.conn.commit()
        self.account = account
        self._account_known = not self._depth  # a rollback would take it back

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

    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 1000) -> Iterator[Row]:
        """Run a query and yield its rows a batch at a time (a server-side cursor on
        PostgreSQL), so a long table is never held whole; inside `snapshot()`."""
        if self.dialect == "postgresql":
            with self.conn.cursor(name=f"afterview_stream_{next(_STREAMS)}") as cur:
                cur.execute(self._sql(sql), tuple(params))
                while rows := cur.fetchmany(size):
                    yield from (tuple(r) for r in rows)
            return
        cur = self.conn.execute(sql, tuple(params))
        while rows := cur.fetchmany(size):
            yield from rows

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
        if self.read_only_why is not None:
            raise Unavailable(f"db: cannot write: {self.read_only_why}; nothing was written")
        self._depth = 1
        try:
            if self.dialect == "sqlite":
                self.conn.execute("BEGIN IMMEDIATE")
            try:
                self._change = self._begin_change()
                yield self
                kept = False
                if self._change is not None:
                    from afterview.store import journal

                    assert self.stamp is not None
                    kept = journal.finish(self, self._change, self.stamp)
            except BaseException:
                self.conn.rollback()
                raise
            else:
                self.conn.commit()
                if kept:
                    self.last_change = self._change
        except Exception as exc:
            if is_busy(exc):  # another writer held the lock past the wait: say so
                raise Unavailable(BUSY) from None
            raise
        finally:
            self._depth = 0
            self._change = None

    def _begin_change(self) -> int | None:
        """Open the change this transaction's writes are journaled into, or None when
        they are not (no context, `unrecorded()`, a database before migration 18)."""
        if self.stamp is None or self._unrecorded:
            return None
        from afterview.store import journal

        if self._has_journal is None:
            self._has_journal = journal.present(self)
        return journal.begin(self, self.stamp) if self._has_journal else None

    def forget_schema(self) -> None:
        """Look again for the journal's tables at the next write (after a migration)."""
        self._has_journal = None
        self.schema_facts.clear()

    @contextmanager
    def unrecorded(self) -> Iterator[Database]:
        """Write without journaling (the worker, a cache, undo itself): what is written
        in the block, in a transaction of its own or inside one, is no change to undo."""
        from afterview.store import journal

        paused = self._change if not self._unrecorded else None
        if paused is not None:
            journal.capture(self, None)
        self._unrecorded += 1
        try:
            yield self
        finally:
            self._unrecorded -= 1
        if paused is not None and self._change == paused:  # not after an error: rolled back
            journal.capture(self, paused)

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
        self._change = None
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


def connect(target: str, *, any_thread: bool = False, lock_wait_s: int | None = None) -> Database:
    """Open a SQLite file (path or `sqlite:///path`) or a PostgreSQL URL.

    `any_thread`: the connection may be used from one thread after another (a pool's
    connections are; never by two at once). `lock_wait_s`: on PostgreSQL, a lock waited
    for longer becomes an error (busy) instead of a hung request.
    """
    if has_control(target):
        raise BadInput("db", "a path or URL holds no line breaks or control characters")
    if is_postgres_url(target):
        db = _connect_postgres(target)
        if lock_wait_s is not None:
            db.execute(f"SET lock_timeout = '{int(lock_wait_s)}s'")
            db.conn.commit()
        return db
    if "://" in target and not target.startswith("sqlite://"):
        scheme = target.split("://", 1)[0]
        raise BadInput(
            "db",
            f"{shown(scheme)}:// is not a database afterview reads; give a file path, "
            "sqlite:///path or postgresql://…",
        )
    path = target.removeprefix("sqlite://") if target.startswith("sqlite://") else target
    return _connect_sqlite(path, any_thread)


#: How long a command waits for another writer before it says the database is busy
BUSY_TIMEOUT_S = 30
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _connect_sqlite(path: str, any_thread: bool = False) -> Database:
    path = os.path.expanduser(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise StoreError(
            f"db: folder {shown(folder)} does not exist; create it or choose another --db"
        )
    if os.path.isdir(path):
        raise StoreError(
            f"db: {shown(path)} is a folder; give a file path such as {path}/afterview.db"
        )
    if os.path.exists(path) and not os.path.isfile(path):
        raise StoreError(f"db: {shown(path)} is not a regular file; give a database file")
    _check_is_sqlite(path)
    conn = None
    try:
        conn = sqlite3.connect(
            path, isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=not any_thread
        )
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        why = _cannot_write(path, folder)
        if why is None:
            raise StoreError(f"db: cannot open {shown(path)} ({exc})") from None
        return _open_read_only(path, why, any_thread)
    return Database(conn, "sqlite", path)


def _check_is_sqlite(path: str) -> None:
    """Refuse a file that is not an SQLite database (read its header, write nothing)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"db: cannot read {shown(path)} ({exc.strerror})") from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError(
            f"db: {shown(path)} is not an afterview database (not an SQLite file); "
            "choose another --db"
        )


def _cannot_write(path: str, folder: str) -> str | None:
    """Why the database's folder cannot take a write now, or None when it can."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return None
    if st.f_flag & os.ST_RDONLY:
        return f"the folder {folder} is on a read-only file system"
    if st.f_bavail * st.f_frsize < 256 * 1024:
        return f"the disk holding {folder} is full; free some space"
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        return f"{path} or its folder is read-only for you"
    return None


def _open_read_only(path: str, why: str, any_thread: bool) -> Database:
    """Open a database that cannot be written now, for reading (agenda, lists, export)."""
    if not os.path.exists(path):
        raise Unavailable(f"db: cannot create {shown(path)}: {why}")
    from urllib.parse import quote

    uri = "file:" + quote(os.path.abspath(path))
    for mode in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(
                f"{uri}?{mode}", uri=True, isolation_level=None, check_same_thread=not any_thread
            )
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            continue
        return Database(conn, "sqlite", path, read_only_why=why)
    raise Unavailable(f"db: cannot open {shown(path)}: {why}")


def connect_read_only(target: str, *, timeout_s: int = 3) -> Database | None:
    """Open a database for reading only, writing nothing at all (not even a new file, a
    journal mode or a lock wait): None when there is no such SQLite file. For what must
    never change the database, such as shell completion."""
    if has_control(target):
        return None
    if is_postgres_url(target):
        db = _connect_postgres(target, timeout_s)
        db.execute("SET default_transaction_read_only = on")  # for the session
        db.conn.commit()
        return db
    if "://" in target and not target.startswith("sqlite://"):
        return None
    path = os.path.expanduser(target.removeprefix("sqlite://"))
    if not os.path.isfile(path):
        return None
    _check_is_sqlite(path)
    from urllib.parse import quote

    uri = f"file:{quote(os.path.abspath(path))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout_s)
    return Database(conn, "sqlite", path, read_only_why="opened for reading only")


def _connect_postgres(url: str, timeout_s: int = 10) -> Database:
    try:
        import psycopg
    except ImportError:  # the `postgresql` extra is not installed
        raise StoreError(
            "db: a PostgreSQL database needs psycopg, which the base install leaves out: "
            "pipx inject afterview 'psycopg[binary]', or pip install 'afterview[postgresql]'"
        ) from None
    from afterview.redact import redact, redacted_url

    shown_url = redacted_url(url)  # remembers the password: no error line shows it
    try:
        conn = psycopg.connect(url, connect_timeout=timeout_s)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(redact(f"db: cannot connect to PostgreSQL ({first})")) from None
    return Database(conn, "postgresql", shown_url)
