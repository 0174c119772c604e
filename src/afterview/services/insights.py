"""Use case: what the self-assessments teach — trends, calibration, the items that tell
interviews apart — and the data the charts and the report are drawn from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from afterview.core.insights import (
    MIN_BIN,
    MIN_CALIBRATION,
    MIN_GROUP,
    MIN_TREND,
    Assessed,
    by_stage,
    calibration,
    separation,
    trend_word,
    trends,
)
from afterview.core.model import Facts, InterviewStatus
from afterview.core.plan_parts import interview_statuses
from afterview.services.context import Context
from afterview.store import assessments

_MOVED_ON = {
    InterviewStatus.OFFER: True,
    InterviewStatus.NEXT_ROUND: True,
    InterviewStatus.REJECTED: False,
    InterviewStatus.NO_RESPONSE: False,
}


def assessed_interviews(ctx: Context, facts: Facts | None = None) -> list[Assessed]:
    """Every assessed interview, with its round and whether it moved on (as of now): an
    offer or a next round is moving on, and so is any round followed by another round of
    the same application; rejected or no response is not; withdrawn is left out."""
    facts = facts or ctx.facts()
    statuses = interview_statuses(facts, ctx.now, ctx.config.playbook)
    rounds: dict[int, int] = {}
    by_app: dict[int, list[tuple[datetime, int]]] = {}
    for iv in facts.interviews:
        by_app.setdefault(iv.application_id, []).append((iv.start, iv.id))
    later: set[int] = set()  # interviews followed by another round of the same application
    for ivs in by_app.values():
        ordered = sorted(ivs)
        for n, (_, iv_id) in enumerate(ordered, start=1):
            rounds[iv_id] = n
        later.update(iv_id for _, iv_id in ordered[:-1])
    scores = assessments.scores_by_assessment(ctx.db, ctx.account)
    starts = {iv.id: iv.start for iv in facts.interviews}
    out = []
    for aid, iv_id, conf in assessments.confidences(ctx.db, ctx.account):
        status = statuses.get(iv_id)
        out.append(
            Assessed(
                iv_id,
                starts[iv_id],
                rounds.get(iv_id, 1),
                scores.get(aid, {}),
                conf,
                True
                if iv_id in later and status is not InterviewStatus.WITHDRAWN
                else (_MOVED_ON.get(status) if status is not None else None),
            )
        )
    return sorted(out, key=lambda a: (a.at, a.interview_id))


def rubric_items(ctx: Context, assessed: list[Assessed]) -> list[str]:
    """The configured rubric first, then any other item once scored."""
    seen = list(ctx.config.rubric)
    for a in assessed:
        seen += [k for k in sorted(a.scores) if k not in seen]
    return seen


def insights_view(ctx: Context) -> dict[str, Any]:
    """Trends per rubric item and per round, calibration, separation: every figure with
    its sample size, and the minimum sizes below which no claim is made."""
    assessed = assessed_interviews(ctx)
    items = rubric_items(ctx, assessed)
    cal = calibration(assessed)
    known = [a for a in assessed if a.moved_on is not None]
    return {
        "at": ctx.now.isoformat(),
        "assessed": len(assessed),
        "with_result": len(known),
        "minimums": {
            "trend": MIN_TREND,
            "calibration": MIN_CALIBRATION,
            "bin": MIN_BIN,
            "group": MIN_GROUP,
        },
        "rubric": items,
        "scores": [
            {
                "interview_id": a.interview_id,
                "at": a.at.isoformat(),
                "round": a.stage,
                "scores": a.scores,
            }
            for a in assessed
        ],
        "trends": [
            {**t._asdict(), "word": trend_word(t.slope_per_month, t.clear)}
            for t in trends(assessed, items)
        ],
        "by_round": [
            {"round": stage, "items": {k: {"mean": m, "n": n} for k, (m, n) in row.items()}}
            for stage, row in by_stage(assessed, items).items()
        ],
        "calibration": {
            "n": cal.n,
            "brier": cal.brier,
            "reference": cal.reference,
            "base_rate": cal.base_rate,
            "mean_confidence": cal.mean_confidence,
            "bins": [b._asdict() for b in cal.bins],
            "verdict": cal.verdict,
            "enough": cal.verdict is not None,
        },
        "separation": [s._asdict() for s in separation(known, items)],
        "weakest": weakest_items(assessed, items),
    }


def weakest_items(
    assessed: list[Assessed], items: list[str], recent: int = 5
) -> list[dict[str, Any]]:
    """Items by their mean over the last `recent` assessments that scored them, lowest first."""
    out = []
    for item in items:
        vals = [a.scores[item] for a in assessed if item in a.scores][-recent:]
        if vals:
            out.append({"item": item, "mean": sum(vals) / len(vals), "n": len(vals)})
    return sorted(out, key=lambda r: (r["mean"], r["item"]))
