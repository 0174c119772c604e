"""Whether a record of a kind belongs to an account: one query per id, for the check the
web app makes of every id in a path before a route runs (`services/ownership.py`)."""

from __future__ import annotations

from afterview.store.db import Database

#: The table of each kind of record a path names
TABLES = {
    "interview": "interview",
    "application": "application",
    "touch": "touch",
    "question": "question",
    "person": "person",
    "outbox": "outbox",
}


def sees_cohort(db: Database, cohort: int) -> bool:
    """True when the account set may see the cohort (its coach, a member, the centre's
    staff): what row-level security lets through; the use cases check the role again."""
    return db.one("SELECT 1 FROM cohort WHERE id = ?", (cohort,)) is not None


def owns(db: Database, account: int, kind: str, record: int) -> bool:
    """True when the account has the record of `kind` with this id."""
    table = TABLES[kind]
    row = db.one(f"SELECT 1 FROM {table} WHERE account_id = ? AND id = ?", (account, record))
    return row is not None
