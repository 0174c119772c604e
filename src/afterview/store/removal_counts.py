"""What a delete would remove, counted without deleting anything: the same kinds of rows,
with the same counts, as `removal.delete_interview`, `removal.delete_application` and
`removal.delete_assessment` return once they ran (tests hold them equal). Read-only: for
a confirmation page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from afterview.store.db import Database
from afterview.store.removal import UNSENT, _by_action, interviews_of


def _count(db: Database, sql: str, params: Sequence[object]) -> int:
    row = db.one(sql, params)
    return int(row[0]) if row and row[0] is not None else 0


def interview_rows(db: Database, account: int, interview_id: int) -> Counter[str]:
    """The rows deleting the interview would remove, by kind (people aside: see
    `people_left`). An outbox message being sent is not counted: it blocks the delete."""
    iv = (interview_id,)
    gone: Counter[str] = Counter()
    gone["interviews"] += _count(
        db,
        "SELECT COUNT(*) FROM interview WHERE id = ? AND account_id = ?",
        (interview_id, account),
    )
    for table, key in (("question", "questions"), ("assessment_score", "scores")):
        gone[key] += _count(
            db,
            f"SELECT COUNT(*) FROM {table} WHERE assessment_id IN "
            "(SELECT id FROM assessment WHERE interview_id = ?)",
            iv,
        )
    for table, key in (
        ("assessment", "assessments"),
        ("outcome", "outcomes"),
        ("touch", "messages"),
        ("draft", "drafts"),
        ("topic", "topics"),
    ):
        gone[key] += _count(db, f"SELECT COUNT(*) FROM {table} WHERE interview_id = ?", iv)
    for state, n in db.query(
        "SELECT state, COUNT(*) FROM outbox WHERE interview_id = ? AND state <> 'sending' "
        "GROUP BY state",
        iv,
    ):
        gone["outbox" if state in UNSENT else "outbox_sent"] += int(n)
    for table, column, key in (
        ("action_mark", "action_id", "marks"),
        ("calendar_event", "action_id", "calendar_events"),
        ("notification", "key", "notifications"),
    ):
        where, params = _by_action(column, interview_id)
        gone[key] += _count(
            db, f"SELECT COUNT(*) FROM {table} WHERE account_id = ? AND {where}", (account, *params)
        )
    return gone


def people_left(db: Database, account: int, interview_ids: Sequence[int]) -> int:
    """How many people deleting these interviews would forget: those they name (as an
    interviewer, in a message or an outbox message) and no other interview names."""
    if not interview_ids:
        return 0
    marks = ", ".join("?" for _ in interview_ids)
    ids = tuple(interview_ids)
    named = (
        f"SELECT person_id FROM interview_person WHERE interview_id IN ({marks}) UNION "
        f"SELECT person_id FROM touch WHERE interview_id IN ({marks}) "
        "AND person_id IS NOT NULL UNION "
        f"SELECT person_id FROM outbox WHERE interview_id IN ({marks}) AND person_id IS NOT NULL"
    )
    elsewhere = (
        f"SELECT person_id FROM interview_person WHERE interview_id NOT IN ({marks}) UNION "
        f"SELECT person_id FROM touch WHERE interview_id NOT IN ({marks}) "
        "AND person_id IS NOT NULL UNION "
        f"SELECT person_id FROM outbox WHERE interview_id NOT IN ({marks}) "
        "AND person_id IS NOT NULL"
    )
    return _count(
        db,
        f"SELECT COUNT(*) FROM person WHERE account_id = ? AND id IN ({named}) "
        f"AND id NOT IN ({elsewhere})",
        (account, *ids, *ids, *ids, *ids, *ids, *ids),
    )


def application_rows(db: Database, account: int, application_id: int) -> Counter[str]:
    """The rows deleting the application would remove, by kind, as `removal` counts them:
    its interviews with what hangs only on them, its posting's details, itself."""
    interviews = interviews_of(db, account, application_id)
    gone: Counter[str] = Counter()
    for iv_id in interviews:
        gone += interview_rows(db, account, iv_id)
    gone["people"] += people_left(db, account, interviews)
    gone["lead_details"] += _count(
        db, "SELECT COUNT(*) FROM lead_detail WHERE application_id = ?", (application_id,)
    )
    gone["applications"] += _count(
        db,
        "SELECT COUNT(*) FROM application WHERE id = ? AND account_id = ?",
        (application_id, account),
    )
    return +gone  # the kinds with at least one row


def assessment_rows(db: Database, account: int, interview_id: int) -> Counter[str]:
    """The rows deleting the interview's self-assessment would remove, by kind (none
    when it has none)."""
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
