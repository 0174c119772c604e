"""The question bank: every question recorded with a self-assessment, with its interview."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from afterview.store.codec import put_dt
from afterview.store.db import Database

_SELECT = (
    "SELECT q.id, q.text, q.tag, q.answer, q.answered_at, a.interview_id, i.start_at, "
    "app.company, app.role, a.improve, a.went_well, i.tz FROM question q "
    "JOIN assessment a ON a.id = q.assessment_id JOIN interview i ON i.id = a.interview_id "
    "JOIN application app ON app.id = i.application_id WHERE q.account_id = ?"
)
_KEYS = (
    "id",
    "text",
    "tag",
    "answer",
    "answered_at",
    "interview_id",
    "asked_at",
    "company",
    "role",
    "improve",
    "went_well",
    "tz",
)


def all_questions(db: Database, account: int) -> list[dict[str, Any]]:
    """Every question of the account, newest interview first, in the order asked."""
    rows = db.query(_SELECT + " ORDER BY i.start_at DESC, i.id DESC, q.position", (account,))
    return [dict(zip(_KEYS, row, strict=True)) for row in rows]


def get_question(db: Database, account: int, question_id: int) -> dict[str, Any] | None:
    """One question by id, or None."""
    rows = db.query(_SELECT + " AND q.id = ?", (account, question_id))
    return dict(zip(_KEYS, rows[0], strict=True)) if rows else None


def set_answer(db: Database, question_id: int, answer: str | None, at: datetime) -> None:
    """Keep the better answer written after the interview (None clears it)."""
    db.execute(
        "UPDATE question SET answer = ?, answered_at = ? WHERE id = ?",
        (answer, put_dt(at) if answer else None, question_id),
    )


def set_tag(db: Database, question_id: int, tag: str | None) -> None:
    """Set the tag by hand (None goes back to the guess)."""
    db.execute("UPDATE question SET tag = ? WHERE id = ?", (tag, question_id))


def notes_by_assessment(db: Database, account: int) -> dict[int, list[dict[str, Any]]]:
    """Per interview, the questions' hand-set tags and answers, for the export."""
    out: dict[int, list[dict[str, Any]]] = {}
    for iv, position, tag, answer, answered in db.query(
        "SELECT a.interview_id, q.position, q.tag, q.answer, q.answered_at FROM question q "
        "JOIN assessment a ON a.id = q.assessment_id WHERE q.account_id = ? "
        "AND (q.tag IS NOT NULL OR q.answer IS NOT NULL) ORDER BY a.interview_id, q.position",
        (account,),
    ):
        out.setdefault(int(iv), []).append(
            {"position": position, "tag": tag, "answer": answer, "answered_at": answered}
        )
    return out
