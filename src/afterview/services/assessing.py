"""Practice 5: recording a self-assessment of an interview."""

from __future__ import annotations

from afterview.errors import BadInput
from afterview.parsing import check_text, parse_score
from afterview.services.context import Context
from afterview.store import repo

MAX_QUESTIONS = 100


def assess(
    ctx: Context,
    interview_id: int,
    scores: list[str],
    asked: list[str],
    went_well: str | None,
    improve: str | None,
    confidence: int | None,
) -> repo.AssessmentRow:
    """Record (or replace) the self-assessment of an interview, at now."""
    iv = ctx.interview(interview_id)
    if ctx.now < iv.start:
        raise BadInput("INTERVIEW", f"interview {iv.id} has not started yet; assess it afterwards")
    rubric = ctx.config.rubric
    parsed: dict[str, int] = {}
    for text in scores:
        key, value = parse_score(text, rubric)
        parsed[key] = value
    questions = [check_text(q, "--asked", limit=1000) for q in asked]
    if len(questions) > MAX_QUESTIONS:
        raise BadInput("--asked", f"expected at most {MAX_QUESTIONS} questions")
    well = check_text(went_well, "--went-well") if went_well is not None else None
    better = check_text(improve, "--improve") if improve is not None else None
    if confidence is not None and not 0 <= confidence <= 100:
        raise BadInput(
            "--confidence",
            f"expected 0 to 100 (your estimate, in %, that you move on), got {confidence}",
        )
    if not parsed and not questions and well is None and better is None and confidence is None:
        raise BadInput(
            "--score", "give at least one of --score, --asked, --went-well, --improve, --confidence"
        )
    with ctx.db.transaction():
        repo.save_assessment(
            ctx.db, ctx.account, iv.id, ctx.now, parsed, questions, well, better, confidence
        )
    row = repo.get_assessment(ctx.db, ctx.account, iv.id)
    assert row is not None
    return row
