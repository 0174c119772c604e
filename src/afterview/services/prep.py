"""Use case: prepare for the next round — what this company asked before, what you
noted after those interviews, your weakest rubric items, the questions you meet most."""

from __future__ import annotations

from typing import Any

from afterview.core.profile import company_key
from afterview.core.questions import TAGS
from afterview.services.context import Context
from afterview.services.insights import assessed_interviews, rubric_items, weakest_items
from afterview.services.questions import bank_of, question_bank
from afterview.services.views import iso
from afterview.store import assessments

MOST_ASKED = 8


def prep_view(ctx: Context, interview_id: int) -> dict[str, Any]:
    """Everything worth reading before interview `interview_id`."""
    iv = ctx.interview(interview_id)
    facts = ctx.facts(with_topics=True)
    apps = {a.id: a for a in facts.applications}
    app = apps[iv.application_id]
    company = company_key(app.company)  # "Acme" and "Acme Inc." are one employer
    # Earlier interviews at the same company (any role), oldest first.
    here = sorted(
        (
            other
            for other in facts.interviews
            if other.id != iv.id
            and other.start < iv.start
            and company_key(apps[other.application_id].company) == company
        ),
        key=lambda other: (other.start, other.id),
    )
    written = assessments.written_after(ctx.db, ctx.account)
    here_ids = {other.id for other in here}
    bank = question_bank(ctx)
    questions = bank["questions"]
    answers = {q["id"]: q["answer"] for q in questions}
    assessed = assessed_interviews(ctx, facts)
    if iv.start <= ctx.now:
        # Looking back at a past interview: only what was known before it.
        before = {i.id for i in facts.interviews if i.start < iv.start}
        assessed = [a for a in assessed if a.at < iv.start]
        bank = bank_of([q for q in questions if q["interview_id"] in before])
    same_app = [other for other in here if other.application_id == iv.application_id]
    return {
        "interview": {
            "id": iv.id,
            "company": app.company,
            "role": app.role,
            "start": iso(iv.start, iv.tz),
            "tz": iv.tz,
            "upcoming": iv.start > ctx.now,
            "round": len(same_app) + 1,
        },
        "asked_here_before": [q for q in questions if q["interview_id"] in here_ids],
        "notes_here": [
            note
            for note in (
                {
                    "interview_id": other.id,
                    "start": iso(other.start, other.tz),
                    "role": apps[other.application_id].role,
                    "notes": written[other.id][0],
                    "went_well": written[other.id][1],
                    "improve": written[other.id][2],
                    "topics": list(other.topics),
                }
                for other in here
            )
            if any(note[k] for k in ("notes", "went_well", "improve", "topics"))
        ],
        "weakest": weakest_items(assessed, rubric_items(ctx, assessed))[:3],
        "most_asked": [
            {**g, "answer": next((answers[i] for i in g["ids"] if answers.get(i)), None)}
            for g in bank["repeated"][:MOST_ASKED]
        ],
        "by_tag": {t: bank["by_tag"][t] for t in TAGS},
    }
