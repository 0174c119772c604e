"""The calendar feed's secret token: only its SHA-256 is kept (migration 9)."""

from __future__ import annotations

from datetime import datetime

from afterview.store.codec import put_dt
from afterview.store.db import Database


def save_token_hash(db: Database, account: int, token_hash: str, at: datetime) -> None:
    """Keep the hash of the account's new feed token (the old one stops working)."""
    db.execute("DELETE FROM feed_token WHERE account_id = ?", (account,))
    db.execute(
        "INSERT INTO feed_token (account_id, token_hash, created_at) VALUES (?, ?, ?)",
        (account, token_hash, put_dt(at)),
    )


def token_hash(db: Database, account: int) -> str | None:
    """The hash of the account's feed token, or None when no feed link was made."""
    row = db.one("SELECT token_hash FROM feed_token WHERE account_id = ?", (account,))
    return str(row[0]) if row else None
