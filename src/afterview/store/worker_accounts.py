"""SQL for a server's workers: which accounts have mail to serve, and one worker per
account at a time.

Finding the accounts happens before any is set: on PostgreSQL through
`afterview_worker_accounts`, which answers with ids only. A worker leases an account by
locking its row `FOR NO KEY UPDATE SKIP LOCKED` in a transaction of a connection of its
own, held for the account's pass: another worker skips it and serves the next account
(the lock lets the pass's own writes, which reference the account, through).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from afterview.store.db import Database

FUNCTION = "afterview_worker_accounts()"


def schema(dialect: str) -> list[str]:
    """The function of migration 25 (PostgreSQL; SQLite serves one account)."""
    if dialect != "postgresql":
        return []
    return [
        "CREATE FUNCTION afterview_worker_accounts() RETURNS SETOF bigint LANGUAGE sql STABLE "
        "SECURITY DEFINER SET search_path FROM CURRENT AS "
        "$$ SELECT account_id FROM mail_settings ORDER BY account_id $$",
        f"REVOKE ALL ON FUNCTION {FUNCTION} FROM PUBLIC",
    ]


def served_accounts(db: Database) -> list[int]:
    """The accounts whose mail a worker serves (those with mail settings), by id."""
    if db.dialect == "postgresql":
        rows = db.query("SELECT * FROM afterview_worker_accounts()")
    else:
        rows = db.query("SELECT account_id FROM mail_settings ORDER BY account_id")
    return [int(r[0]) for r in rows]


@contextmanager
def lease(db: Database, account: int) -> Iterator[bool]:
    """Hold the account for one pass (True), or find another worker holding it (False).
    `db` is the worker's connection for leases, not the one the pass writes with."""
    db.use_account(account)
    with db.unrecorded(), db.transaction():
        if db.dialect == "postgresql":
            row = db.one(
                "SELECT id FROM account WHERE id = ? FOR NO KEY UPDATE SKIP LOCKED", (account,)
            )
        else:
            row = db.one("SELECT id FROM account WHERE id = ?", (account,))
        yield row is not None
