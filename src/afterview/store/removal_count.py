"""Counting what a delete would take, without deleting: the rows `removal.delete_interview`
and `removal.delete_assessment` remove, by the same kinds, read only (a confirmation page
shows them before the user decides)."""

from __future__ import annotations

from collections import Counter

from afterview.store.db import Database
from afterview.store.removal import UNSENT, _by_action


def _count(db: Database, sql: str, params: tuple[object, ...]) -> int:
    row = db.one(sql, params)
    return int(row[0]) if row else 0


def interview_rows(db: Database, account: int, interview_id: int) -> Counter[str]:
    """The rows that deleting the interview would remove, by kind (`deleting.KINDS`),
    the interview itself and the people no other record names left out."""
    found: Counter[str] = Counter()
    iv = (interview_id,)
    for kind, table in (
        ("messages", "touch"),
        ("drafts", "draft"),
        ("topics", "topic"),
        ("outcomes", "outcome"),
    ):
        found[kind] = _count(db, f"SELECT COUNT(*) FROM {table} WHERE interview_id = ?", iv)
    found += assessment_rows(db, account, interview_id)
    for state, n in db.query(
        "SELECT state, COUNT(*) FROM outbox WHERE interview_id = ? GROUP BY state", iv
    ):
        found["outbox" if state in UNSENT else "outbox_sent"] += int(n)
    for table, column, kind in (
        ("action_mark", "action_id", "marks"),
        ("calendar_event", "action_id", "calendar_events"),
    ):
        where, params = _by_action(column, interview_id)
        found[kind] = _count(
            db, f"SELECT COUNT(*) FROM {table} WHERE account_id = ? AND {where}", (account, *params)
        )
    return +found  # the kinds with none left out


def assessment_rows(db: Database, account: int, interview_id: int) -> Counter[str]:
    """The rows that deleting the interview's self-assessment would remove, by kind
    (none when it has none)."""
    found: Counter[str] = Counter()
    row = db.one(
        "SELECT id FROM assessment WHERE account_id = ? AND interview_id = ?",
        (account, interview_id),
    )
    if row is None:
        return found
    aid = (int(row[0]),)
    found["assessments"] = 1
    found["scores"] = _count(
        db, "SELECT COUNT(*) FROM assessment_score WHERE assessment_id = ?", aid
    )
    found["questions"] = _count(db, "SELECT COUNT(*) FROM question WHERE assessment_id = ?", aid)
    return +found
