"""Practice 5: recording a self-assessment of an interview."""

from __future__ import annotations

from afterview.errors import BadInput
from afterview.parsing import check_line, check_text, parse_score
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
    merge: bool = True,
    at: str | None = None,
) -> repo.AssessmentRow:
    """Record the self-assessment of an interview, at `at` (default now). With `merge`
    (the CLI), an earlier one is added to: scores given replace theirs, questions given
    join the list (a question asked again keeps its id, tag and better answer; none is
    dropped, nor the answer written for it), what is not given is kept, and so is its
    moment unless `at` is given. Without it (a form that shows every field), it is
    replaced. An assessment after the action lapsed is recorded all the same (insights
    use it); the action stays `lapsed`."""
    from afterview.services.records import event_moment

    iv = ctx.interview(interview_id)
    when = event_moment(ctx, at, iv)
    if when < iv.start:
        if at is not None:
            raise BadInput("at", f"expected a moment after interview {iv.id} started")
        raise BadInput("INTERVIEW", f"interview {iv.id} has not started yet; assess it afterwards")
    rubric = ctx.config.rubric
    parsed: dict[str, int] = {}
    for text in scores:
        key, value = parse_score(text, rubric)
        if key in parsed:
            raise BadInput("score", f"{key} is given twice; give each rubric item once")
        parsed[key] = value
    # A question is one line (a pasted line break would split it in the web form): its
    # spaces and line breaks become one space, then it is checked as a line.
    questions = [
        check_line(" ".join(check_text(q, "asked", limit=1000).split()), "asked", limit=1000)
        for q in asked
    ]
    if len(questions) > MAX_QUESTIONS:
        raise BadInput("asked", f"expected at most {MAX_QUESTIONS} questions")
    well = check_text(went_well, "went_well") if went_well is not None else None
    better = check_text(improve, "improve") if improve is not None else None
    if confidence is not None and not 0 <= confidence <= 100:
        raise BadInput(
            "confidence",
            f"expected 0 to 100 (your estimate, in %, that you move on), got {confidence}",
        )
    if not parsed and not questions and well is None and better is None and confidence is None:
        raise BadInput(
            "score", "give at least one of --score, --asked, --went-well, --improve, --confidence"
        )
    with ctx.db.transaction():
        # Assessing again adds to what was recorded: what is not given again is kept.
        before = repo.get_assessment(ctx.db, ctx.account, iv.id) if merge else None
        moment = when
        if before is not None and at is None:
            moment = before.at
        if before is not None:
            parsed = {**before.scores, **parsed}
            known = {" ".join(q.casefold().split()) for q in before.asked}
            questions = list(before.asked) + [
                q for q in questions if " ".join(q.casefold().split()) not in known
            ]
            if len(questions) > MAX_QUESTIONS:
                raise BadInput("asked", f"expected at most {MAX_QUESTIONS} questions")
            well = well if well is not None else before.went_well
            better = better if better is not None else before.improve
            confidence = confidence if confidence is not None else before.confidence
        repo.save_assessment(
            ctx.db, ctx.account, iv.id, moment, parsed, questions, well, better, confidence
        )
    row = repo.get_assessment(ctx.db, ctx.account, iv.id)
    assert row is not None
    return row
