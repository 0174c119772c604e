"""Migration 25 and its SQL: each account's mail secrets on a server, encrypted.

`account_secret` keeps, per account and key (`smtp:user@host`, an OAuth2 token's key),
the Fernet token of the secret (`server/secret_store.py` encrypts and decrypts; the key
is the server secret, a file outside the database). It is the server's state: no data
revision, no journal (a secret must never reach the history), never exported; erasing
an account erases its rows; row-level security keeps them to their account.
"""

from __future__ import annotations

from afterview.store.db import Database

TABLE = "account_secret"
VERSION = 25


def schema(dialect: str) -> list[str]:
    """The statements of migration 25: this table, and the function that tells a server's
    workers which accounts to serve (`worker_accounts.py`)."""
    from afterview.store import worker_accounts

    ref = "BIGINT" if dialect == "postgresql" else "INTEGER"
    return [
        f"CREATE TABLE {TABLE} (account_id {ref} NOT NULL REFERENCES account(id), "
        "name TEXT NOT NULL, sealed TEXT NOT NULL, PRIMARY KEY (account_id, name))",
        *worker_accounts.schema(dialect),
    ]


def get(db: Database, account: int, name: str) -> str | None:
    """The sealed secret of the account under `name`, or None."""
    row = db.one(f"SELECT sealed FROM {TABLE} WHERE account_id = ? AND name = ?", (account, name))
    return str(row[0]) if row else None


def put(db: Database, account: int, name: str, sealed: str) -> None:
    """Keep a sealed secret (replacing the one under `name`); inside a transaction."""
    db.execute(f"DELETE FROM {TABLE} WHERE account_id = ? AND name = ?", (account, name))
    db.execute(
        f"INSERT INTO {TABLE} (account_id, name, sealed) VALUES (?, ?, ?)", (account, name, sealed)
    )


def delete(db: Database, account: int, name: str) -> None:
    """Forget the secret under `name`; inside a transaction."""
    db.execute(f"DELETE FROM {TABLE} WHERE account_id = ? AND name = ?", (account, name))


def every(db: Database) -> list[tuple[int, str, str]]:
    """Every sealed secret the connection may see (all of them for the tables' owner)."""
    rows = db.query(f"SELECT account_id, name, sealed FROM {TABLE} ORDER BY account_id, name")
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def reseal(db: Database, account: int, name: str, old: str, new: str) -> bool:
    """Replace one sealed secret if it is still `old` (a rotation); False otherwise."""
    return (
        db.update(
            f"UPDATE {TABLE} SET sealed = ? WHERE account_id = ? AND name = ? AND sealed = ?",
            (new, account, name, old),
        )
        == 1
    )
