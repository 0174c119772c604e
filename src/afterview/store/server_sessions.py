"""SQL for signing in to a server: sessions, failed attempts, one-time links.

Tokens are never stored: a session, a reset link or an invitation is kept by the
SHA-256 of its token. Finding the account of a token happens before any account is set
(PostgreSQL: the `SECURITY DEFINER` functions of `store/server_schema.py`); everything
after runs as that account.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from afterview.store.codec import get_dt, put_dt
from afterview.store.db import Database
from afterview.store.server_schema import LOGIN_TABLE, SESSION_TABLE, TOKEN_TABLE


class SessionRow(NamedTuple):
    """A session signed in."""

    account: int
    created_at: datetime
    expires_at: datetime
    seen_at: datetime


class TokenRow(NamedTuple):
    """A one-time link."""

    account: int
    purpose: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


def _account_of(db: Database, function: str, table: str, token_hash: str) -> int | None:
    if db.dialect == "postgresql":
        row = db.one(f"SELECT {function}(?)", (token_hash,))
    else:
        row = db.one(f"SELECT account_id FROM {table} WHERE token_hash = ?", (token_hash,))
    return None if row is None or row[0] is None else int(row[0])


def session_account(db: Database, token_hash: str) -> int | None:
    """The account of a session, whatever account is set (None: no such session)."""
    return _account_of(db, "afterview_session_account", SESSION_TABLE, token_hash)


def token_account(db: Database, token_hash: str) -> int | None:
    """The account of a one-time link, whatever account is set."""
    return _account_of(db, "afterview_token_account", TOKEN_TABLE, token_hash)


def feed_account(db: Database, token_hash: str) -> int | None:
    """The account whose calendar feed has this token, whatever account is set."""
    return _account_of(db, "afterview_feed_account", "feed_token", token_hash)


def add_session(
    db: Database, account: int, token_hash: str, now: datetime, expires_at: datetime
) -> None:
    """Keep a new session of the account."""
    db.execute(
        f"INSERT INTO {SESSION_TABLE} (token_hash, account_id, created_at, expires_at, "
        "seen_at) VALUES (?, ?, ?, ?, ?)",
        (token_hash, account, put_dt(now), put_dt(expires_at), put_dt(now)),
    )


def get_session(db: Database, token_hash: str) -> SessionRow | None:
    """A session of the account set."""
    row = db.one(
        f"SELECT account_id, created_at, expires_at, seen_at FROM {SESSION_TABLE} "
        "WHERE token_hash = ?",
        (token_hash,),
    )
    if row is None:
        return None
    return SessionRow(int(row[0]), get_dt(row[1]), get_dt(row[2]), get_dt(row[3]))


def touch_session(db: Database, token_hash: str, seen_at: datetime, expires_at: datetime) -> None:
    """Record that the session was used, and when it now expires."""
    db.execute(
        f"UPDATE {SESSION_TABLE} SET seen_at = ?, expires_at = ? WHERE token_hash = ?",
        (put_dt(seen_at), put_dt(expires_at), token_hash),
    )


def end_session(db: Database, token_hash: str) -> int:
    """End one session; return 1 when it existed."""
    return db.update(f"DELETE FROM {SESSION_TABLE} WHERE token_hash = ?", (token_hash,))


def record_attempt(db: Database, account: int, failed: int, locked_until: datetime | None) -> None:
    """Keep the count of wrong passwords in a row, and the lockout they brought."""
    db.execute(
        f"UPDATE {LOGIN_TABLE} SET failed_logins = ?, locked_until = ? WHERE account_id = ?",
        (failed, put_dt(locked_until) if locked_until else None, account),
    )


def add_token(
    db: Database,
    account: int,
    token_hash: str,
    purpose: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    """Keep a new one-time link of the account (the older unused ones of its purpose go)."""
    db.execute(
        f"DELETE FROM {TOKEN_TABLE} WHERE account_id = ? AND purpose = ? AND used_at IS NULL",
        (account, purpose),
    )
    db.execute(
        f"INSERT INTO {TOKEN_TABLE} (token_hash, account_id, purpose, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (token_hash, account, purpose, put_dt(now), put_dt(expires_at)),
    )


def get_token(db: Database, token_hash: str) -> TokenRow | None:
    """A one-time link of the account set."""
    row = db.one(
        f"SELECT account_id, purpose, created_at, expires_at, used_at FROM {TOKEN_TABLE} "
        "WHERE token_hash = ?",
        (token_hash,),
    )
    if row is None:
        return None
    return TokenRow(
        int(row[0]), str(row[1]), get_dt(row[2]), get_dt(row[3]), get_dt(row[4]) if row[4] else None
    )


def use_token(db: Database, token_hash: str, now: datetime) -> bool:
    """Mark a link used; False when it was used already (two tabs, a replay)."""
    return (
        db.update(
            f"UPDATE {TOKEN_TABLE} SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
            (put_dt(now), token_hash),
        )
        == 1
    )
