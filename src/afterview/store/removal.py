"""Deleting records with what hangs only on them, counting each kind of row that goes.

An interview takes with it its interviewers' places, topics, messages (touches), outcome,
self-assessment (scores, questions), drafts, outbox messages, the marks, calendar events
and notifications of its actions, and the people no other record names. An application
takes its interviews and its posting's details. Callers run these inside one transaction
and check first what must not go without being asked (`mail_facts`).
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from afterview.store.db import Database

#: The outbox states of a message that has not gone out and will not without a new
#: approval or a worker's claim: deleting it is safe.
UNSENT = ("scheduled", "held", "failed", "cancelled")


class MailFact(NamedTuple):
    """A record that came from the mailbox: a message afterview sent (or may have sent,
    or is sending now), or one found there. `record`: "touch" or "outbox"."""

    record: str
    id: int
    state: str  # outbox: its state; touch: "sent" or "received"
    at: str  # ISO, UTC


def _action_keys(interview_id: int) -> tuple[list[str], list[str]]:
    """The ids of an interview's actions that are exact, and the prefixes of the others."""
    exact = [f"self_assess:{interview_id}", f"refresh_profile:{interview_id}"]
    prefixes = [f"thank_you:{interview_id}:", f"follow_up:{interview_id}:"]
    return exact, prefixes


def _by_action(column: str, interview_id: int) -> tuple[str, list[object]]:
    """A condition on `column` (an action id, or a key starting with one) for the
    interview's actions; SUBSTR rather than LIKE, whose `_` is a wildcard."""
    exact, prefixes = _action_keys(interview_id)
    keys = [*prefixes, *(e + ":" for e in exact)]
    parts = [f"{column} = ?" for _ in exact]
    parts += [f"SUBSTR({column}, 1, {len(p)}) = ?" for p in keys]
    return "(" + " OR ".join(parts) + ")", [*exact, *keys]


def mail_facts(db: Database, account: int, interview_id: int) -> list[MailFact]:
    """The interview's records that came from the mailbox or went to it: messages with a
    Message-ID (sent by afterview or found in the mailbox) and outbox messages sent, maybe
    sent (uncertain) or being sent."""
    found = [
        MailFact("touch", int(i), str(d), str(at))
        for i, d, at in db.query(
            "SELECT id, direction, at FROM touch WHERE account_id = ? AND interview_id = ? "
            "AND message_id IS NOT NULL ORDER BY at, id",
            (account, interview_id),
        )
    ]
    found += [
        MailFact("outbox", int(i), str(s), str(sent or send))
        for i, s, sent, send in db.query(
            "SELECT id, state, sent_at, send_at FROM outbox WHERE account_id = ? "
            "AND interview_id = ? AND state NOT IN (?, ?, ?, ?) ORDER BY id",
            (account, interview_id, *UNSENT),
        )
    ]
    return found


def delete_interview(db: Database, account: int, interview_id: int) -> Counter[str]:
    """Delete an interview and everything that hangs only on it; return the rows gone by
    kind. Outbox messages in a state not `UNSENT` are deleted too (callers refuse first
    unless asked); one that moved to `sending` meanwhile is left, and the interview with
    it: the caller sees it in `outbox_left` and rolls back."""
    gone: Counter[str] = Counter()
    iv = (interview_id,)
    people = {
        int(r[0])
        for r in db.query(
            "SELECT person_id FROM interview_person WHERE interview_id = ? UNION "
            "SELECT person_id FROM touch WHERE interview_id = ? AND person_id IS NOT NULL UNION "
            "SELECT person_id FROM outbox WHERE interview_id = ? AND person_id IS NOT NULL",
            (interview_id, interview_id, interview_id),
        )
    }
    row = db.one("SELECT id FROM assessment WHERE interview_id = ?", iv)
    if row is not None:
        aid = (int(row[0]),)
        gone["questions"] += db.update("DELETE FROM question WHERE assessment_id = ?", aid)
        gone["scores"] += db.update("DELETE FROM assessment_score WHERE assessment_id = ?", aid)
        gone["assessments"] += db.update("DELETE FROM assessment WHERE id = ?", aid)
    gone["outcomes"] += db.update("DELETE FROM outcome WHERE interview_id = ?", iv)
    gone["messages"] += db.update("DELETE FROM touch WHERE interview_id = ?", iv)
    gone["drafts"] += db.update("DELETE FROM draft WHERE interview_id = ?", iv)
    for state, n in db.query(
        "SELECT state, COUNT(*) FROM outbox WHERE interview_id = ? AND state <> 'sending' "
        "GROUP BY state",
        iv,
    ):
        gone["outbox" if state in UNSENT else "outbox_sent"] += int(n)
    db.update("DELETE FROM outbox WHERE interview_id = ? AND state <> 'sending'", iv)
    gone["topics"] += db.update("DELETE FROM topic WHERE interview_id = ?", iv)
    db.update("DELETE FROM interview_person WHERE interview_id = ?", iv)
    for table, column, key in (
        ("action_mark", "action_id", "marks"),
        ("calendar_event", "action_id", "calendar_events"),
        ("notification", "key", "notifications"),
    ):
        where, params = _by_action(column, interview_id)
        gone[key] += db.update(
            f"DELETE FROM {table} WHERE account_id = ? AND {where}", (account, *params)
        )
    if outbox_left(db, interview_id):
        return gone  # the caller refuses and rolls back
    gone["interviews"] += db.update(
        "DELETE FROM interview WHERE id = ? AND account_id = ?", (interview_id, account)
    )
    gone["people"] += forget_people(db, account, people)
    return gone


def outbox_left(db: Database, interview_id: int) -> int:
    """How many outbox messages of the interview are still there (one being sent)."""
    row = db.one("SELECT COUNT(*) FROM outbox WHERE interview_id = ?", (interview_id,))
    return int(row[0]) if row else 0


def forget_people(db: Database, account: int, candidates: set[int]) -> int:
    """Delete the people among `candidates` that no interview, message or outbox message
    names any more; return how many went."""
    gone = 0
    for pid in sorted(candidates):
        used = db.one(
            "SELECT 1 FROM interview_person WHERE person_id = ? UNION ALL "
            "SELECT 1 FROM touch WHERE person_id = ? UNION ALL "
            "SELECT 1 FROM outbox WHERE person_id = ? LIMIT 1",
            (pid, pid, pid),
        )
        if used is None:
            gone += db.update("DELETE FROM person WHERE id = ? AND account_id = ?", (pid, account))
    return gone


def interviews_of(db: Database, account: int, application_id: int) -> list[int]:
    """The ids of an application's interviews."""
    return [
        int(r[0])
        for r in db.query(
            "SELECT id FROM interview WHERE account_id = ? AND application_id = ? ORDER BY id",
            (account, application_id),
        )
    ]


def delete_application(db: Database, account: int, application_id: int) -> Counter[str]:
    """Delete an application with no interview left, and its posting's details."""
    gone: Counter[str] = Counter()
    gone["lead_details"] += db.update(
        "DELETE FROM lead_detail WHERE application_id = ?", (application_id,)
    )
    gone["applications"] += db.update(
        "DELETE FROM application WHERE id = ? AND account_id = ?", (application_id, account)
    )
    return gone


def delete_assessment(db: Database, account: int, interview_id: int) -> Counter[str]:
    """Delete an interview's self-assessment, its scores and its questions."""
    gone: Counter[str] = Counter()
    row = db.one(
        "SELECT id FROM assessment WHERE account_id = ? AND interview_id = ?",
        (account, interview_id),
    )
    if row is None:
        return gone
    aid = (int(row[0]),)
    gone["questions"] += db.update("DELETE FROM question WHERE assessment_id = ?", aid)
    gone["scores"] += db.update("DELETE FROM assessment_score WHERE assessment_id = ?", aid)
    gone["assessments"] += db.update("DELETE FROM assessment WHERE id = ?", aid)
    return gone


def delete_touch(db: Database, account: int, touch_id: int) -> Counter[str]:
    """Delete one message (touch), and its person when nothing else names them."""
    gone: Counter[str] = Counter()
    row = db.one("SELECT person_id FROM touch WHERE id = ? AND account_id = ?", (touch_id, account))
    if row is None:
        return gone
    gone["messages"] += db.update(
        "DELETE FROM touch WHERE id = ? AND account_id = ?", (touch_id, account)
    )
    if row[0] is not None:
        gone["people"] += forget_people(db, account, {int(row[0])})
    return gone
