"""Changing records in place: applications, people, messages (touches), topics, outcomes.

Each function names the columns it may change; every write is limited to the account.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from afterview.store.codec import get_dt, put_dt
from afterview.store.db import Database

_APPLICATION_COLUMNS = ("company", "role", "url", "applied_on", "email_domain")


def update_application(
    db: Database, account: int, application_id: int, values: Mapping[str, Any]
) -> int:
    """Set columns of an application (`company`, `role`, `url`, `applied_on` as
    YYYY-MM-DD text, `email_domain`); returns the rows changed (0: no such application)."""
    unknown = set(values) - set(_APPLICATION_COLUMNS)
    if unknown:
        raise ValueError(f"application columns {sorted(unknown)} cannot be changed")
    if not values:
        return (
            1
            if db.one(
                "SELECT 1 FROM application WHERE id = ? AND account_id = ?",
                (application_id, account),
            )
            else 0
        )
    sets = ", ".join(f"{k} = ?" for k in values)
    return db.update(
        f"UPDATE application SET {sets} WHERE id = ? AND account_id = ?",
        (*values.values(), application_id, account),
    )


def move_interview(db: Database, account: int, interview_id: int, application_id: int) -> None:
    """Attach an interview to another application of the account."""
    db.execute(
        "UPDATE interview SET application_id = ? WHERE id = ? AND account_id = ?",
        (application_id, interview_id, account),
    )


def is_bare(db: Database, account: int, application_id: int) -> bool:
    """True for an application that holds nothing of its own: no interview, no applied
    day, no address, no posting details, no notes, no stage, no company domain (the kind
    `interview add` makes for a company and role it has not seen)."""
    row = db.one(
        "SELECT applied_on, url, email_domain, stage, notes FROM application "
        "WHERE id = ? AND account_id = ?",
        (application_id, account),
    )
    if row is None or any(v is not None for v in row):
        return False
    for sql in (
        "SELECT 1 FROM interview WHERE application_id = ? LIMIT 1",
        "SELECT 1 FROM lead_detail WHERE application_id = ? LIMIT 1",
    ):
        if db.one(sql, (application_id,)) is not None:
            return False
    return True


def interview_count(db: Database, account: int, application_id: int) -> int:
    """How many interviews an application holds."""
    row = db.one(
        "SELECT COUNT(*) FROM interview WHERE account_id = ? AND application_id = ?",
        (account, application_id),
    )
    return int(row[0]) if row else 0


# -- people ---------------------------------------------------------------------------------------
def person(db: Database, account: int, person_id: int) -> tuple[str, str | None] | None:
    """A person's name and address, or None."""
    row = db.one(
        "SELECT name, email FROM person WHERE id = ? AND account_id = ?", (person_id, account)
    )
    return (str(row[0]), row[1]) if row else None


def person_with_address(db: Database, account: int, email: str, other_than: int) -> int | None:
    """Another person of the account with this address (any case), if any."""
    row = db.one(
        "SELECT id FROM person WHERE account_id = ? AND LOWER(email) = LOWER(?) AND id <> ? "
        "ORDER BY id LIMIT 1",
        (account, email, other_than),
    )
    return int(row[0]) if row else None


def update_person(db: Database, account: int, person_id: int, name: str, email: str | None) -> int:
    """Set a person's name and address; returns the rows changed."""
    return db.update(
        "UPDATE person SET name = ?, email = ? WHERE id = ? AND account_id = ?",
        (name, email, person_id, account),
    )


def interviews_of_person(db: Database, account: int, person_id: int) -> list[int]:
    """The interviews a person is an interviewer of."""
    return [
        int(r[0])
        for r in db.query(
            "SELECT ip.interview_id FROM interview_person ip JOIN interview i "
            "ON i.id = ip.interview_id WHERE i.account_id = ? AND ip.person_id = ? "
            "ORDER BY ip.interview_id",
            (account, person_id),
        )
    ]


def live_outbox_to(db: Database, account: int, person_id: int) -> list[int]:
    """The outbox messages to a person that have not gone out yet (scheduled or held)."""
    return [
        int(r[0])
        for r in db.query(
            "SELECT id FROM outbox WHERE account_id = ? AND person_id = ? "
            "AND state IN ('scheduled', 'held') ORDER BY id",
            (account, person_id),
        )
    ]


# -- topics ---------------------------------------------------------------------------------------
def topics(db: Database, interview_id: int) -> list[tuple[int, str]]:
    """An interview's topics (id, text), in the order they were added."""
    return [
        (int(i), str(t))
        for i, t in db.query(
            "SELECT id, text FROM topic WHERE interview_id = ? ORDER BY id", (interview_id,)
        )
    ]


def remove_topics(db: Database, interview_id: int, ids: list[int]) -> int:
    """Delete topics of an interview by id; returns how many went."""
    return sum(
        db.update("DELETE FROM topic WHERE id = ? AND interview_id = ?", (i, interview_id))
        for i in ids
    )


# -- messages (touches) ---------------------------------------------------------------------------
class TouchRow(NamedTuple):
    """A message or call as recorded."""

    id: int
    interview_id: int
    direction: str
    kind: str
    person_id: int | None
    at: datetime
    note: str | None
    forced: bool
    message_id: str | None


def touch(db: Database, account: int, touch_id: int) -> TouchRow | None:
    """One message of the account, or None."""
    row = db.one(
        "SELECT id, interview_id, direction, kind, person_id, at, note, forced, message_id "
        "FROM touch WHERE id = ? AND account_id = ?",
        (touch_id, account),
    )
    if row is None:
        return None
    i, iv, d, k, p, at, note, forced, mid = row
    return TouchRow(
        int(i), int(iv), str(d), str(k), int(p) if p is not None else None, get_dt(at), note,
        bool(forced), mid,
    )  # fmt: skip


def update_touch(
    db: Database,
    account: int,
    touch_id: int,
    *,
    direction: str,
    kind: str,
    person_id: int | None,
    at: datetime,
    note: str | None,
    forced: bool,
) -> int:
    """Set what a message records; returns the rows changed."""
    return db.update(
        "UPDATE touch SET direction = ?, kind = ?, person_id = ?, at = ?, note = ?, forced = ? "
        "WHERE id = ? AND account_id = ?",
        (direction, kind, person_id, put_dt(at), note, int(forced), touch_id, account),
    )


# -- outcomes -------------------------------------------------------------------------------------
def outcome(db: Database, account: int, interview_id: int) -> tuple[str, datetime] | None:
    """An interview's outcome (result, moment), or None."""
    row = db.one(
        "SELECT result, at FROM outcome WHERE account_id = ? AND interview_id = ?",
        (account, interview_id),
    )
    return (str(row[0]), get_dt(row[1])) if row else None


def clear_outcome(db: Database, account: int, interview_id: int) -> int:
    """Remove an interview's outcome; returns the rows removed."""
    return db.update(
        "DELETE FROM outcome WHERE account_id = ? AND interview_id = ?", (account, interview_id)
    )


# -- what hangs on one action ---------------------------------------------------------------------
def drop_action_records(
    db: Database, account: int, action_id: str, now: datetime
) -> dict[str, int]:
    """For an action the plan no longer has (its interviewer was removed): delete its marks
    and drafts, and cancel its outbox messages not sent yet (scheduled, held, failed).
    Returns the rows by kind."""
    marks = db.update(
        "DELETE FROM action_mark WHERE account_id = ? AND action_id = ?", (account, action_id)
    )
    drafts = db.update(
        "DELETE FROM draft WHERE account_id = ? AND action_id = ?", (account, action_id)
    )
    cancelled = db.update(
        "UPDATE outbox SET state = 'cancelled', updated_at = ?, reason = ? WHERE account_id = ? "
        "AND action_id = ? AND state IN ('scheduled', 'held', 'failed')",
        (put_dt(now), "its interviewer was removed from the interview", account, action_id),
    )
    return {"marks": marks, "drafts": drafts, "outbox_cancelled": cancelled}


def sending_for(db: Database, account: int, action_ids: list[str]) -> list[int]:
    """The outbox messages of these actions that a worker is sending now, or that may
    have gone out (uncertain)."""
    if not action_ids:
        return []
    marks = ", ".join("?" for _ in action_ids)
    return [
        int(r[0])
        for r in db.query(
            f"SELECT id FROM outbox WHERE account_id = ? AND action_id IN ({marks}) "
            "AND state IN ('sending', 'uncertain') ORDER BY id",
            (account, *action_ids),
        )
    ]
