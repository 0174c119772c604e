"""Reading the self-assessments for the insights and the preparation page."""

from __future__ import annotations

from afterview.store.db import Database


def scores_by_assessment(db: Database, account: int) -> dict[int, dict[str, int]]:
    """Every assessment's scores of the account: `{assessment id: {item: score}}`."""
    scores: dict[int, dict[str, int]] = {}
    for aid, item, score in db.query(
        "SELECT s.assessment_id, s.item, s.score FROM assessment_score s "
        "JOIN assessment a ON a.id = s.assessment_id WHERE a.account_id = ?",
        (account,),
    ):
        scores.setdefault(int(aid), {})[str(item)] = int(score)
    return scores


def confidences(db: Database, account: int) -> list[tuple[int, int, int | None]]:
    """`(assessment id, interview id, confidence)` of every assessment of the account."""
    return [
        (int(aid), int(iv_id), None if conf is None else int(conf))
        for aid, iv_id, conf in db.query(
            "SELECT id, interview_id, confidence FROM assessment WHERE account_id = ?",
            (account,),
        )
    ]


def written_after(
    db: Database, account: int
) -> dict[int, tuple[str | None, str | None, str | None]]:
    """What was written after each interview: `{interview id: (notes, went well, improve)}`."""
    return {
        int(i): (notes, well, improve)
        for i, notes, well, improve in db.query(
            "SELECT i.id, i.notes, a.went_well, a.improve FROM interview i "
            "LEFT JOIN assessment a ON a.interview_id = i.id WHERE i.account_id = ?",
            (account,),
        )
    }
