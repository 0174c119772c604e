"""Migration 26 and its SQL: a server account's own settings.

On a server every account shares the settings file of the career centre; an account
that changes its settings in the web app (its time zone, name, address, country, the
playbook's numbers) keeps its own copy here, as TOML text, checked like the file. It is
the server's state (`LOCAL_TABLES`): no journal, no export; row-level security keeps it
to its account; erasing the account erases it.
"""

from __future__ import annotations

from datetime import datetime

from afterview.store.codec import put_dt
from afterview.store.db import Database

TABLE = "account_config"


def schema(dialect: str) -> list[str]:
    """The statements of migration 26."""
    ref = "BIGINT" if dialect == "postgresql" else "INTEGER"
    return [
        f"CREATE TABLE {TABLE} (account_id {ref} PRIMARY KEY REFERENCES account(id), "
        "body TEXT NOT NULL, updated_at TEXT NOT NULL)"
    ]


def get(db: Database, account: int) -> str | None:
    """The account's own settings (TOML text), or None: the centre's."""
    row = db.one(f"SELECT body FROM {TABLE} WHERE account_id = ?", (account,))
    return str(row[0]) if row else None


def put(db: Database, account: int, body: str, now: datetime) -> None:
    """Keep the account's own settings; inside a transaction."""
    db.execute(f"DELETE FROM {TABLE} WHERE account_id = ?", (account,))
    db.execute(
        f"INSERT INTO {TABLE} (account_id, body, updated_at) VALUES (?, ?, ?)",
        (account, body, put_dt(now)),
    )
