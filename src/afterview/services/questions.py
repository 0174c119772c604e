"""Use cases of the question bank: list (filtered, repeats grouped), answer better, tag."""

from __future__ import annotations

from typing import Any

from afterview.core.questions import TAGS as TAGS  # re-exported for the adapters
from afterview.core.questions import (
    Asked,
    canonical_tag,
    companies,
    fold,
    group_repeats,
    guess_tag,
)
from afterview.errors import BadInput, NotFound
from afterview.parsing import check_text, shown
from afterview.services.context import Context
from afterview.services.views import iso
from afterview.store import questions as store
from afterview.store.codec import get_dt

MAX_ANSWER = 20_000


def _shaped(row: dict[str, Any]) -> dict[str, Any]:
    tag = row["tag"] or guess_tag(row["text"])
    return {
        "id": row["id"],
        "text": row["text"],
        "tag": tag,
        "tag_by": "you" if row["tag"] else "guess",
        "answer": row["answer"],
        "answered_at": row["answered_at"],
        "interview_id": row["interview_id"],
        "asked_at": iso(get_dt(row["asked_at"]), row["tz"]),
        "company": row["company"],
        "role": row["role"],
    }


def all_shaped(ctx: Context) -> list[dict[str, Any]]:
    """Every question of the account in its porcelain shape, newest first."""
    return [_shaped(r) for r in store.all_questions(ctx.db, ctx.account)]


def question_bank(
    ctx: Context, tag: str | None = None, company: str | None = None, search: str | None = None
) -> dict[str, Any]:
    """The questions asked (filtered by tag, company and words), and the ones asked more
    than once, grouped with their companies."""
    tag = canonical_tag(tag) if tag is not None else None
    if tag is not None and tag not in TAGS:
        raise BadInput("tag", f"expected one of {', '.join(TAGS)}, got {shown(tag, 30)}")
    rows = all_shaped(ctx)
    if tag:
        rows = [r for r in rows if r["tag"] == tag]
    if company:
        want = fold(company)
        rows = [r for r in rows if want in fold(r["company"])]
    if search:
        words = fold(search).split()
        rows = [
            r for r in rows if all(w in fold(f"{r['text']} {r['answer'] or ''}") for w in words)
        ]
    return bank_of(rows)


def bank_of(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """These questions with their repeats grouped and their counts by tag."""
    groups = group_repeats([Asked(r["id"], r["text"], r["company"]) for r in rows])
    repeated = [
        {
            "text": g[0].text,
            "times": len(g),
            "companies": companies(g),
            "ids": [q.id for q in g],
        }
        for g in groups
        if len(g) > 1
    ]
    counts = {t: sum(1 for r in rows if r["tag"] == t) for t in TAGS}
    return {"questions": rows, "repeated": repeated, "by_tag": counts}


def _question(ctx: Context, question_id: int) -> dict[str, Any]:
    row = store.get_question(ctx.db, ctx.account, question_id)
    if row is None:
        raise NotFound(f"question {question_id}: no such question (see `afterview questions`)")
    return row


_KEEP: Any = object()


def update_question(
    ctx: Context,
    question_id: int,
    answer: str | None = _KEEP,
    tag: str = _KEEP,
    fields: tuple[str, str] = ("text", "TAG"),
) -> dict[str, Any]:
    """Set a question's better answer (empty text clears it) and/or its tag (`guess`: back
    to the guess), checked first and written together; what is not given is kept.
    `fields` names the answer and the tag in errors (the CLI's and the web's names)."""
    row = _question(ctx, question_id)
    if tag is not _KEEP:
        tag = canonical_tag(tag)
    if tag is not _KEEP and tag not in (*TAGS, "guess"):
        raise BadInput(
            fields[1],
            f"expected one of {', '.join(TAGS)}, or guess; got {shown(tag, 30)}",
        )
    value = row["answer"]
    if answer is not _KEEP:
        value = (
            check_text(answer, fields[0], limit=MAX_ANSWER) if answer and answer.strip() else None
        )
    with ctx.db.transaction():
        if value != row["answer"]:
            store.set_answer(ctx.db, question_id, value, ctx.now)
        if tag is not _KEEP:
            store.set_tag(ctx.db, question_id, None if tag == "guess" else tag)
    return _shaped(_question(ctx, question_id))


def answer(ctx: Context, question_id: int, text: str | None) -> dict[str, Any]:
    """Keep the better answer to a question (empty text clears it), at now."""
    return update_question(ctx, question_id, answer=text)


def set_tag(ctx: Context, question_id: int, tag: str) -> dict[str, Any]:
    """Tag a question by hand (`guess` goes back to the guess)."""
    return update_question(ctx, question_id, tag=tag)


def question_exists(ctx: Context, question_id: int) -> dict[str, Any]:
    """The question, or NotFound (before asking the user for an answer)."""
    return _question(ctx, question_id)
