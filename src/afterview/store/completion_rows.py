"""The few columns shell completion shows beside each id: newest first, at most `limit`.

Plain reads, each one query on an index (ids of one account); nothing here writes.
"""

from __future__ import annotations

from afterview.store.db import Database, Row


def _starting(column: str, prefix: str) -> tuple[str, tuple[str, ...]]:
    """A condition on an id's digits starting with `prefix` (digits only), and its value."""
    if not prefix:
        return "", ()
    return f" AND CAST({column} AS TEXT) LIKE ?", (f"{prefix}%",)


def interview_rows(db: Database, account: int, prefix: str, limit: int) -> list[Row]:
    """(id, company, role, start_at, tz) of the account's interviews whose id starts with
    `prefix` (digits), latest start first."""
    cond, value = _starting("i.id", prefix)
    return db.query(
        "SELECT i.id, a.company, a.role, i.start_at, i.tz FROM interview i "
        "JOIN application a ON a.id = i.application_id "
        f"WHERE i.account_id = ?{cond} ORDER BY i.start_at DESC, i.id DESC LIMIT ?",
        (account, *value, limit),
    )


def application_rows(
    db: Database, account: int, prefix: str, limit: int, *, leads: bool
) -> list[Row]:
    """(id, company, role, applied_on) of the account's applications whose id starts with
    `prefix`, newest first; with `leads`, only the leads (a posting's details kept, or not
    applied to yet)."""
    cond, value = _starting("a.id", prefix)
    where = (
        " AND (a.applied_on IS NULL OR EXISTS "
        "(SELECT 1 FROM lead_detail d WHERE d.application_id = a.id))"
        if leads
        else ""
    )
    return db.query(
        "SELECT a.id, a.company, a.role, a.applied_on FROM application a "
        f"WHERE a.account_id = ?{where}{cond} ORDER BY a.id DESC LIMIT ?",
        (account, *value, limit),
    )


def outbox_rows(db: Database, account: int, prefix: str, limit: int) -> list[Row]:
    """(id, state, kind, to_name, to_email, send_at) of the account's outbox messages
    whose id starts with `prefix`, newest first."""
    cond, value = _starting("id", prefix)
    return db.query(
        "SELECT id, state, kind, to_name, to_email, send_at FROM outbox "
        f"WHERE account_id = ?{cond} ORDER BY id DESC LIMIT ?",
        (account, *value, limit),
    )
