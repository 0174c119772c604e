"""Reading and writing records: the only SQL outside migrations and fact loading.

Every function takes the account: a row of another account is never read or changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from afterview.core.model import Interview, Person
from afterview.store.codec import get_date, get_dt, put_date, put_dt
from afterview.store.db import Database
from afterview.store.facts import (
    INTERVIEW_COLUMNS,
    interview_from_row,
    load_interviewers,
    load_topics,
)


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    """An application as listed."""

    id: int
    company: str
    role: str
    applied_on: date | None
    url: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AssessmentRow:
    """A recorded self-assessment."""

    id: int
    interview_id: int
    at: datetime
    scores: dict[str, int]
    asked: list[str]
    went_well: str | None
    improve: str | None
    confidence: int | None


@dataclass(frozen=True, slots=True)
class DraftRow:
    """A draft as kept with its interview."""

    id: int
    interview_id: int
    action_id: str
    kind: str
    to_name: str | None
    to_email: str | None
    subject: str
    body: str
    created_at: datetime  # when it was saved (for an edited draft: the user's last edit)
    edited: bool = True  # the user's text: composing again keeps it unless asked to replace it


# -- applications -------------------------------------------------------------------------------
def add_application(
    db: Database,
    account: int,
    company: str,
    role: str,
    applied_on: date | None,
    url: str | None,
    now: datetime,
) -> int:
    """Insert an application and return its id."""
    return db.insert(
        "INSERT INTO application (account_id, company, role, applied_on, url, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (account, company, role, put_date(applied_on), url, put_dt(now)),
    )


def find_application(db: Database, account: int, company: str, role: str) -> int | None:
    """Return the id of the application for `company` and `role` (ignoring case), if any."""
    row = db.one(
        "SELECT id FROM application WHERE account_id = ? AND LOWER(company) = LOWER(?) "
        "AND LOWER(role) = LOWER(?) ORDER BY id LIMIT 1",
        (account, company, role),
    )
    return int(row[0]) if row else None


def get_application(db: Database, account: int, app_id: int) -> ApplicationRow | None:
    """Return one application."""
    rows = _applications(db, account, "AND id = ?", (app_id,))
    return rows[0] if rows else None


def list_applications(db: Database, account: int) -> list[ApplicationRow]:
    """Return every application, oldest first."""
    return _applications(db, account, "", ())


def interview_starts(db: Database, account: int) -> list[tuple[int, int, datetime]]:
    """`(id, application_id, start)` of every interview, for the lists."""
    return [
        (int(i), int(a), get_dt(start))
        for i, a, start in db.query(
            "SELECT id, application_id, start_at FROM interview WHERE account_id = ? ORDER BY id",
            (account,),
        )
    ]


def _applications(
    db: Database, account: int, where: str, params: tuple[object, ...]
) -> list[ApplicationRow]:
    return [
        ApplicationRow(i, c, r, get_date(d), u, get_dt(cr))
        for i, c, r, d, u, cr in db.query(
            "SELECT id, company, role, applied_on, url, created_at FROM application "
            f"WHERE account_id = ? {where} ORDER BY id",
            (account, *params),
        )
    ]


# -- people and interviews ----------------------------------------------------------------------
def find_or_add_person(db: Database, account: int, name: str, email: str | None) -> Person:
    """Return the person with this e-mail address (case-insensitive), or add a new one."""
    if email:
        row = db.one(
            "SELECT id, name, email FROM person WHERE account_id = ? AND LOWER(email) = LOWER(?) "
            "ORDER BY id LIMIT 1",
            (account, email),
        )
        if row:
            if name and name != row[1]:
                db.execute("UPDATE person SET name = ? WHERE id = ?", (name, row[0]))
            return Person(int(row[0]), name or str(row[1]), str(row[2]))
    pid = db.insert(
        "INSERT INTO person (account_id, name, email) VALUES (?, ?, ?)", (account, name, email)
    )
    return Person(pid, name, email)


def add_interview(
    db: Database,
    account: int,
    application_id: int,
    start: datetime,
    end: datetime,
    tz: str,
    decision_by: date | None,
    now: datetime,
) -> int:
    """Insert an interview and return its id."""
    return db.insert(
        "INSERT INTO interview (account_id, application_id, start_at, end_at, tz, decision_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            account,
            application_id,
            put_dt(start),
            put_dt(end),
            tz,
            put_date(decision_by),
            put_dt(now),
        ),
    )


def set_interviewers(db: Database, interview_id: int, people: list[Person]) -> None:
    """Replace an interview's interviewers, keeping their order."""
    db.execute("DELETE FROM interview_person WHERE interview_id = ?", (interview_id,))
    db.executemany(
        "INSERT INTO interview_person (interview_id, person_id, position) VALUES (?, ?, ?)",
        [(interview_id, p.id, n) for n, p in enumerate(people)],
    )


def update_interview_times(
    db: Database,
    interview_id: int,
    start: datetime,
    end: datetime,
    tz: str,
    decision_by: date | None,
) -> None:
    """Change an interview's times, zone and decision date."""
    db.execute(
        "UPDATE interview SET start_at = ?, end_at = ?, tz = ?, decision_by = ? WHERE id = ?",
        (put_dt(start), put_dt(end), tz, put_date(decision_by), interview_id),
    )


def get_interview(db: Database, account: int, interview_id: int) -> Interview | None:
    """Return one interview with its interviewers and topics, or None."""
    row = db.one(
        f"SELECT {INTERVIEW_COLUMNS} FROM interview WHERE account_id = ? AND id = ?",
        (account, interview_id),
    )
    if row is None:
        return None
    people = load_interviewers(db, account, interview_id).get(interview_id, [])
    topics = load_topics(db, account, interview_id).get(interview_id, [])
    return interview_from_row(row, people, topics)


def interview_notes(db: Database, interview_id: int) -> str | None:
    """Return an interview's free notes."""
    row = db.one("SELECT notes FROM interview WHERE id = ?", (interview_id,))
    return row[0] if row else None


def set_interview_notes(db: Database, interview_id: int, notes: str | None) -> None:
    """Replace an interview's free notes."""
    db.execute("UPDATE interview SET notes = ? WHERE id = ?", (notes, interview_id))


def add_topic(db: Database, interview_id: int, text: str, now: datetime) -> int:
    """Note a topic discussed in the interview."""
    return db.insert(
        "INSERT INTO topic (interview_id, text, created_at) VALUES (?, ?, ?)",
        (interview_id, text, put_dt(now)),
    )


# -- facts recorded after the interview ----------------------------------------------------------
def add_touch(
    db: Database,
    account: int,
    interview_id: int,
    direction: str,
    kind: str,
    person_id: int | None,
    at: datetime,
    note: str | None,
    forced: bool,
    now: datetime,
    message_id: str | None = None,
    sender: str | None = None,
    subject: str | None = None,
) -> int:
    """Record a message or call, sent or received (the e-mail's Message-ID, sender and
    subject when it was one)."""
    return db.insert(
        "INSERT INTO touch (account_id, interview_id, direction, kind, person_id, at, note, forced, "
        "created_at, message_id, sender, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            account,
            interview_id,
            direction,
            kind,
            person_id,
            put_dt(at),
            note,
            int(forced),
            put_dt(now),
            message_id,
            sender,
            subject,
        ),
    )


def set_outcome(db: Database, account: int, interview_id: int, result: str, at: datetime) -> None:
    """Record (or correct) an interview's outcome."""
    db.execute("DELETE FROM outcome WHERE interview_id = ?", (interview_id,))
    db.execute(
        "INSERT INTO outcome (interview_id, account_id, result, at) VALUES (?, ?, ?, ?)",
        (interview_id, account, result, put_dt(at)),
    )


def add_mark(
    db: Database, account: int, action_id: str, state: str, at: datetime, why: str | None
) -> int:
    """Record that an action was done or skipped by hand."""
    return db.insert(
        "INSERT INTO action_mark (account_id, action_id, state, at, why) VALUES (?, ?, ?, ?, ?)",
        (account, action_id, state, put_dt(at), why),
    )


def add_profile_review(db: Database, account: int, at: datetime) -> int:
    """Record that the profile was reviewed."""
    return db.insert(
        "INSERT INTO profile_review (account_id, at) VALUES (?, ?)", (account, put_dt(at))
    )


def save_assessment(
    db: Database,
    account: int,
    interview_id: int,
    at: datetime,
    scores: dict[str, int],
    asked: list[str],
    went_well: str | None,
    improve: str | None,
    confidence: int | None,
) -> int:
    """Record the self-assessment of an interview, replacing an earlier one. A question
    asked again (the same text, whatever its case and spacing) keeps its id, its tag and
    the better answer written for it."""
    old = db.one("SELECT id FROM assessment WHERE interview_id = ?", (interview_id,))
    if old is None:
        aid = db.insert(
            "INSERT INTO assessment (account_id, interview_id, at, went_well, improve, confidence) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (account, interview_id, put_dt(at), went_well, improve, confidence),
        )
    else:
        aid = int(old[0])
        db.execute(
            "UPDATE assessment SET at = ?, went_well = ?, improve = ?, confidence = ? WHERE id = ?",
            (put_dt(at), went_well, improve, confidence, aid),
        )
        db.execute("DELETE FROM assessment_score WHERE assessment_id = ?", (aid,))
    db.executemany(
        "INSERT INTO assessment_score (assessment_id, item, score) VALUES (?, ?, ?)",
        [(aid, k, v) for k, v in scores.items()],
    )
    existing: dict[str, int] = {}
    for qid, text in db.query(
        "SELECT id, text FROM question WHERE assessment_id = ? ORDER BY position", (aid,)
    ):
        existing.setdefault(" ".join(str(text).casefold().split()), int(qid))
    kept: set[int] = set()
    for n, q in enumerate(asked):
        qid = existing.get(" ".join(q.casefold().split()))
        if qid is not None and qid not in kept:
            kept.add(qid)
            db.execute("UPDATE question SET position = ?, text = ? WHERE id = ?", (n, q, qid))
        else:
            kept.add(
                db.insert(
                    "INSERT INTO question (account_id, assessment_id, position, text) VALUES (?, ?, ?, ?)",
                    (account, aid, n, q),
                )
            )
    for qid in set(existing.values()) - kept:
        db.execute("DELETE FROM question WHERE id = ?", (qid,))
    return aid


def get_assessment(db: Database, account: int, interview_id: int) -> AssessmentRow | None:
    """Return an interview's self-assessment, if recorded."""
    row = db.one(
        "SELECT id, at, went_well, improve, confidence FROM assessment WHERE account_id = ? AND interview_id = ?",
        (account, interview_id),
    )
    if row is None:
        return None
    aid = int(row[0])
    scores = {
        str(k): int(v)
        for k, v in db.query(
            "SELECT item, score FROM assessment_score WHERE assessment_id = ? ORDER BY item", (aid,)
        )
    }
    asked = [
        str(t)
        for (t,) in db.query(
            "SELECT text FROM question WHERE assessment_id = ? ORDER BY position", (aid,)
        )
    ]
    return AssessmentRow(aid, interview_id, get_dt(row[1]), scores, asked, row[2], row[3], row[4])


# -- drafts --------------------------------------------------------------------------------------
def save_draft(
    db: Database,
    account: int,
    interview_id: int,
    action_id: str,
    kind: str,
    to_name: str | None,
    to_email: str | None,
    subject: str,
    body: str,
    now: datetime,
    *,
    edited: bool = True,
) -> int:
    """Keep the latest draft for an action (replacing the one before). `edited`: the user
    wrote or changed it (kept until they ask for a new one); False: afterview composed it."""
    db.execute("DELETE FROM draft WHERE account_id = ? AND action_id = ?", (account, action_id))
    return db.insert(
        "INSERT INTO draft (account_id, interview_id, action_id, kind, to_name, to_email, subject, "
        "body, created_at, edited) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            account,
            interview_id,
            action_id,
            kind,
            to_name,
            to_email,
            subject,
            body,
            put_dt(now),
            int(edited),
        ),
    )


def list_drafts(db: Database, account: int, interview_id: int) -> list[DraftRow]:
    """Return the drafts kept for an interview."""
    return [
        DraftRow(i, iv, a, k, tn, te, s, b, get_dt(c), bool(e))
        for i, iv, a, k, tn, te, s, b, c, e in db.query(
            "SELECT id, interview_id, action_id, kind, to_name, to_email, subject, body, "
            "created_at, edited FROM draft WHERE account_id = ? AND interview_id = ? "
            "ORDER BY action_id",
            (account, interview_id),
        )
    ]


def find_person(db: Database, account: int, email: str | None, name: str) -> Person | None:
    """Return the account's person with this e-mail address (any case), or with this name
    when there is no address; the lowest id when several match."""
    if email:
        row = db.one(
            "SELECT id, name, email FROM person WHERE account_id = ? AND LOWER(email) = LOWER(?) "
            "ORDER BY id LIMIT 1",
            (account, email),
        )
    else:
        row = db.one(
            "SELECT id, name, email FROM person WHERE account_id = ? AND name = ? "
            "AND email IS NULL ORDER BY id LIMIT 1",
            (account, name),
        )
    return Person(int(row[0]), str(row[1]), row[2]) if row else None


def has_interviews(db: Database, account: int) -> bool:
    """True when the account holds at least one interview."""
    return db.one("SELECT 1 FROM interview WHERE account_id = ? LIMIT 1", (account,)) is not None


def is_empty(db: Database, account: int) -> bool:
    """True when the account has no application, interview or profile review yet."""
    for table in ("application", "interview", "profile_review", "person"):
        if db.one(f"SELECT 1 FROM {table} WHERE account_id = ? LIMIT 1", (account,)):
            return False
    return True
