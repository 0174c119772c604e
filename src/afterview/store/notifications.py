"""SQL for notifications: what was sent to which channel (channels by a hash, never the URL)."""

from __future__ import annotations

from datetime import datetime

from afterview.store.codec import put_dt
from afterview.store.db import Database


def sent_keys(db: Database, account: int, channel: str) -> set[str]:
    """The alert keys already delivered to `channel` (its hash)."""
    return {
        str(r[0])
        for r in db.query(
            "SELECT key FROM notification WHERE account_id = ? AND channel = ?", (account, channel)
        )
    }


def record(db: Database, account: int, key: str, channel: str, at: datetime) -> None:
    """Remember that `key` reached `channel`."""
    db.execute(
        "INSERT INTO notification (account_id, key, channel, sent_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (account_id, key, channel) DO NOTHING",
        (account, key, channel, put_dt(at)),
    )
