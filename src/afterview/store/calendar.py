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


def find_imported(db: Database, account: int, uid: str) -> tuple[int, int] | None:
    """`(interview id, SEQUENCE)` of the interview imported from invitation `uid`, if any."""
    row = db.one(
        "SELECT id, ical_sequence FROM interview WHERE account_id = ? AND ical_uid = ?",
        (account, uid),
    )
    return (int(row[0]), int(row[1] or 0)) if row else None


def set_invitation(
    db: Database,
    interview_id: int,
    uid: str,
    sequence: int,
    fmt: str | None,
    location: str | None,
    meeting_url: str | None,
) -> None:
    """Keep where an interview came from, and how and where it takes place."""
    db.execute(
        "UPDATE interview SET ical_uid = ?, ical_sequence = ?, format = ?, location = ?, "
        "meeting_url = ? WHERE id = ?",
        (uid, sequence, fmt, location, meeting_url, interview_id),
    )


def has_facts(db: Database, interview_id: int) -> bool:
    """True when anything was recorded about an interview besides itself."""
    for table in ("touch", "outcome", "assessment", "draft", "outbox"):
        if db.one(f"SELECT 1 FROM {table} WHERE interview_id = ? LIMIT 1", (interview_id,)):
            return True
    return False


def delete_interview(db: Database, account: int, interview_id: int) -> None:
    """Remove an interview that nothing was recorded about (a cancelled invitation)."""
    db.execute("DELETE FROM interview_person WHERE interview_id = ?", (interview_id,))
    db.execute("DELETE FROM topic WHERE interview_id = ?", (interview_id,))
    db.execute(
        "DELETE FROM calendar_event WHERE account_id = ? AND (action_id LIKE ? OR action_id LIKE ?)",
        (account, f"%:{interview_id}:%", f"%:{interview_id}"),
    )
    db.execute("DELETE FROM interview WHERE account_id = ? AND id = ?", (account, interview_id))


def meeting(db: Database, interview_id: int) -> tuple[str | None, str | None, str | None]:
    """`(format, location, meeting link)` of an interview (from its invitation)."""
    row = db.one(
        "SELECT format, location, meeting_url FROM interview WHERE id = ?", (interview_id,)
    )
    return (row[0], row[1], row[2]) if row else (None, None, None)
