"""SQL for a server's accounts: who signs in, with which role, and erasing an account.

An account is created by becoming it first (`Database.use_account` with its new id), so
the row-level security of `store/server_schema.py` lets the application's role write
it. Finding the account of an email happens before any account is set: on PostgreSQL
through `afterview_login_account`, which answers with the id only.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from afterview.store.codec import get_dt, put_dt
from afterview.store.db import Database
from afterview.store.server_schema import LOGIN_TABLE, SESSION_TABLE, TOKEN_TABLE


class Login(NamedTuple):
    """How an account signs in to the server."""

    account: int
    name: str
    email: str
    role: str
    password_hash: str | None
    created_at: datetime
    password_at: datetime | None
    disabled_at: datetime | None
    failed_logins: int
    locked_until: datetime | None


_COLUMNS = (
    "l.account_id, a.name, l.email, l.role, l.password_hash, l.created_at, l.password_at, "
    "l.disabled_at, l.failed_logins, l.locked_until"
)
_FROM = f"FROM {LOGIN_TABLE} l JOIN account a ON a.id = l.account_id"


def _login(row: tuple[object, ...]) -> Login:
    acc, name, email, role, hashed, created, pw_at, disabled, failed, locked = row
    return Login(
        int(str(acc)),
        str(name),
        str(email),
        str(role),
        None if hashed is None else str(hashed),
        get_dt(str(created)),
        get_dt(str(pw_at)) if pw_at else None,
        get_dt(str(disabled)) if disabled else None,
        int(str(failed)),
        get_dt(str(locked)) if locked else None,
    )


def new_account_id(db: Database) -> int:
    """Reserve the id of a new account (inside the transaction that creates it)."""
    if db.dialect == "postgresql":
        row = db.one("SELECT nextval(pg_get_serial_sequence('account', 'id'))")
    else:
        row = db.one("SELECT COALESCE(MAX(id), 0) + 1 FROM account")
    assert row is not None
    return int(row[0])


def create_account(
    db: Database, name: str, email: str, role: str, password_hash: str | None, now: datetime
) -> int:
    """Create an account that signs in with `email` (already normalized); return its id.
    The connection is kept to the new account afterwards. Inside a transaction, and
    `Database.unrecorded()`: a new account is no change its history could take back."""
    account = new_account_id(db)
    db.use_account(account)
    at = put_dt(now)
    db.execute("INSERT INTO account (id, name, created_at) VALUES (?, ?, ?)", (account, name, at))
    db.execute(
        f"INSERT INTO {LOGIN_TABLE} (account_id, email, role, password_hash, created_at, "
        "password_at) VALUES (?, ?, ?, ?, ?, ?)",
        (account, email, role, password_hash, at, at if password_hash else None),
    )
    return account


def account_of_email(db: Database, email: str) -> int | None:
    """The account that signs in with `email` (normalized), whatever account is set."""
    if db.dialect == "postgresql":
        row = db.one("SELECT afterview_login_account(?)", (email,))
    else:
        row = db.one(f"SELECT account_id FROM {LOGIN_TABLE} WHERE email = ?", (email,))
    return None if row is None or row[0] is None else int(row[0])


def get_login(db: Database, account: int, *, lock: bool = False) -> Login | None:
    """How `account` signs in, or None (no such account, or not one of the server's);
    `lock`: the row stays locked until the transaction ends (PostgreSQL)."""
    tail = " FOR UPDATE OF l" if lock and db.dialect == "postgresql" else ""
    row = db.one(f"SELECT {_COLUMNS} {_FROM} WHERE l.account_id = ?{tail}", (account,))
    return _login(row) if row else None


def list_logins(db: Database) -> list[Login]:
    """Every account the connection may see (all of them for the tables' owner), by email."""
    return [_login(r) for r in db.query(f"SELECT {_COLUMNS} {_FROM} ORDER BY l.email")]


def set_password(db: Database, account: int, password_hash: str, now: datetime) -> None:
    """Replace the account's password hash; failed attempts and a lockout are forgotten,
    and every one-time link not used yet stops working."""
    drop_links(db, account)
    db.execute(
        f"UPDATE {LOGIN_TABLE} SET password_hash = ?, password_at = ?, failed_logins = 0, "
        "locked_until = NULL WHERE account_id = ?",
        (password_hash, put_dt(now), account),
    )


def drop_links(db: Database, account: int) -> int:
    """Make every one-time link of the account not used yet stop working."""
    return db.update(
        f"DELETE FROM {TOKEN_TABLE} WHERE account_id = ? AND used_at IS NULL", (account,)
    )


def set_disabled(db: Database, account: int, at: datetime | None) -> None:
    """Disable the account from `at` (None: enable it again; its links stop working
    either way)."""
    drop_links(db, account)
    db.execute(
        f"UPDATE {LOGIN_TABLE} SET disabled_at = ? WHERE account_id = ?",
        (put_dt(at) if at else None, account),
    )


def end_sessions(db: Database, account: int) -> int:
    """Sign the account out everywhere; return how many sessions ended."""
    return db.update(f"DELETE FROM {SESSION_TABLE} WHERE account_id = ?", (account,))


#: Every table of an account's rows, children before their parents: what erasing an
#: account deletes (a test checks that no table holding account rows is missing).
ERASED = (
    ("journal_row", "change_id IN (SELECT id FROM journal_change WHERE account_id = ?)"),
    ("journal_change", "account_id = ?"),
    (SESSION_TABLE, "account_id = ?"),
    (TOKEN_TABLE, "account_id = ?"),
    (LOGIN_TABLE, "account_id = ?"),
    ("account_secret", "account_id = ?"),
    ("account_config", "account_id = ?"),
    ("seeker_summary", "account_id = ?"),
    (
        "cohort_member",
        "account_id = ? OR cohort_id IN (SELECT id FROM cohort WHERE account_id = ?)",
    ),
    ("cohort", "account_id = ?"),
    ("worker_run", "account_id = ?"),
    ("quiet_stamp", "account_id = ?"),
    ("interview_quiet", "account_id = ?"),
    ("calendar_event", "account_id = ?"),
    ("notification", "account_id = ?"),
    ("mail_sync", "account_id = ?"),
    ("mail_settings", "account_id = ?"),
    ("feed_token", "account_id = ?"),
    ("profile_check", "account_id = ?"),
    ("profile_review", "account_id = ?"),
    ("action_mark", "account_id = ?"),
    ("outbox", "account_id = ?"),
    ("draft", "account_id = ?"),
    ("touch", "account_id = ?"),
    ("outcome", "account_id = ?"),
    ("question", "account_id = ?"),
    ("assessment_score", "assessment_id IN (SELECT id FROM assessment WHERE account_id = ?)"),
    ("assessment", "account_id = ?"),
    ("topic", "interview_id IN (SELECT id FROM interview WHERE account_id = ?)"),
    ("interview_person", "interview_id IN (SELECT id FROM interview WHERE account_id = ?)"),
    ("interview", "account_id = ?"),
    ("lead_detail", "application_id IN (SELECT id FROM application WHERE account_id = ?)"),
    ("application", "account_id = ?"),
    ("person", "account_id = ?"),
    ("account", "id = ?"),
)


def erase_account(db: Database, account: int) -> int:
    """Delete every row of the account, the account itself last; return how many rows
    went. Inside a transaction, not journaled (`Database.unrecorded`): nothing of an
    erased account may stay behind, its history included."""
    gone = 0
    for table, condition in ERASED:
        gone += db.update(
            f"DELETE FROM {table} WHERE {condition}", (account,) * condition.count("?")
        )
    return gone
