"""SQL for the action calendar: the SEQUENCE of each action's event."""

from __future__ import annotations

from afterview.store.db import Database


def sequences(db: Database, account: int) -> dict[str, tuple[str, int]]:
    """action id -> (window key, sequence) as last exported."""
    return {
        str(a): (str(k), int(n))
        for a, k, n in db.query(
            "SELECT action_id, window_key, sequence FROM calendar_event WHERE account_id = ?",
            (account,),
        )
    }


def save_sequence(db: Database, account: int, action_id: str, key: str, sequence: int) -> None:
    """Remember the window an action's event was exported with."""
    db.execute(
        "DELETE FROM calendar_event WHERE account_id = ? AND action_id = ?", (account, action_id)
    )
    db.execute(
        "INSERT INTO calendar_event (account_id, action_id, window_key, sequence) VALUES (?, ?, ?, ?)",
        (account, action_id, key, sequence),
    )
