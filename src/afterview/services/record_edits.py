"""Correcting a self-assessment (scores, questions, notes, confidence, moment) and a lead
(what its posting says), each checked as the command that records it checks it.

As in `editing`: a field left at `KEEP` is kept, None or an empty text clears it, and
one transaction writes the whole change or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from afterview.errors import BadInput, NotFound, Refused
from afterview.parsing import check_line, check_text, parse_date, parse_score, shown
from afterview.services.context import Context
from afterview.services.editing import KEEP, Edited, Keep, given, optional_text, words
from afterview.store import applications as appstore
from afterview.store import edits, repo
from afterview.store import leads as leadstore

MAX_QUESTIONS = 100


@dataclass(frozen=True)
class AssessmentChanges:
    """What to change in a self-assessment: `scores` as `KEY=1..5` (replacing theirs),
    `remove_scores` by rubric key; `asked` replaces the questions, `add_asked` and
    `remove_asked` change them one by one (a question kept keeps its tag and better
    answer); `confidence` 0..100 (None or "" clears); `at` when it was assessed."""

    scores: tuple[str, ...] = ()
    remove_scores: tuple[str, ...] = ()
    asked: tuple[str, ...] | Keep = KEEP
    add_asked: tuple[str, ...] = ()
    remove_asked: tuple[str, ...] = ()
    went_well: str | Keep | None = KEEP
    improve: str | Keep | None = KEEP
    confidence: int | str | Keep | None = KEEP
    at: str | Keep = KEEP


def _question(text: str, field: str) -> str:
    """A question as `assess` keeps it: one line, its spaces and line breaks made one."""
    return check_line(" ".join(check_text(text, field, limit=1000).split()), field, limit=1000)


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _confidence(value: int | str | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{1,3}", value.strip()):
            raise BadInput(
                "confidence", f"expected a whole number from 0 to 100, got {shown(value)}"
            )
        value = int(value)
    if isinstance(value, bool) or not 0 <= value <= 100:
        raise BadInput(
            "confidence",
            f"expected 0 to 100 (your estimate, in %, that you move on), got {value}",
        )
    return value


def edit_assessment(ctx: Context, interview_id: int, ch: AssessmentChanges) -> Edited:
    """Change the self-assessment of an interview (named by the interview's id, as
    `assess` names it). `NotFound` when the interview has none; an edit that would
    leave it empty is refused (delete it instead)."""
    from afterview.services.records import event_moment

    iv = ctx.interview(interview_id)
    before = repo.get_assessment(ctx.db, ctx.account, iv.id)
    if before is None:
        raise NotFound(
            f"interview {iv.id} has no self-assessment (record one with `afterview assess {iv.id}`)"
        )
    rubric = ctx.config.rubric
    scores = dict(before.scores)
    seen: set[str] = set()
    for text in ch.scores:
        key, value = parse_score(text, rubric)
        if key in seen:
            raise BadInput("score", f"{key} is given twice; give each rubric item once")
        seen.add(key)
        scores[key] = value
    for key in ch.remove_scores:
        name = check_line(key, "remove_score", limit=100)
        if name not in scores or name in seen:
            have = ", ".join(sorted(scores)) or "none"
            raise BadInput("remove_score", f"no score for {shown(name)} to remove (scored: {have})")
        del scores[name]
    asked = list(before.asked)
    if given(ch.asked):
        asked = [_question(q, "asked") for q in ch.asked]
    for q in ch.remove_asked:
        wanted = _key(_question(q, "remove_asked"))
        if wanted not in {_key(x) for x in asked}:
            raise BadInput("remove_asked", f"no question {shown(q)} in this assessment")
        asked = [x for x in asked if _key(x) != wanted]
    for q in ch.add_asked:
        text = _question(q, "asked")
        if _key(text) not in {_key(x) for x in asked}:
            asked.append(text)
    if len(asked) > MAX_QUESTIONS:
        raise BadInput("asked", f"expected at most {MAX_QUESTIONS} questions")
    well = before.went_well
    if given(ch.went_well):
        well = check_text(ch.went_well or "", "went_well", empty=True) or None
    better = before.improve
    if given(ch.improve):
        better = check_text(ch.improve or "", "improve", empty=True) or None
    confidence = _confidence(ch.confidence) if given(ch.confidence) else before.confidence
    when = before.at
    if given(ch.at):
        when = event_moment(ctx, ch.at, iv)
        if when < iv.start:
            raise BadInput("at", f"expected a moment after interview {iv.id} started")
    if not scores and not asked and well is None and better is None and confidence is None:
        raise BadInput(
            "remove_score",
            f"the self-assessment would hold nothing; delete it instead "
            f"(`afterview assessment delete {iv.id}`)",
        )
    said: list[str] = []
    changed: list[str] = []
    for field, old, new in (
        ("scores", before.scores, scores),
        ("asked", before.asked, asked),
        ("went_well", before.went_well, well),
        ("improve", before.improve, better),
        ("confidence", before.confidence, confidence),
        ("at", before.at, when),
    ):
        if old != new:
            changed.append(field)
            if field == "scores":
                said.append(
                    "scores: "
                    + (", ".join(f"{k} {v}" for k, v in sorted(scores.items())) or "none")
                )
            elif field == "asked":
                said.append(f"questions: {len(before.asked)} → {len(asked)}")
            elif field in ("went_well", "improve"):
                said.append(f"{field.replace('_', ' ')}: " + ("changed" if new else "removed"))
            else:
                said.append(f"{field}: {words(old)} → {words(new)}")
    if changed:
        with ctx.db.transaction():
            repo.save_assessment(
                ctx.db, ctx.account, iv.id, when, scores, asked, well, better, confidence
            )
    return Edited("assessment", iv.id, tuple(changed), tuple(said))


# -- leads ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LeadChanges:
    """What to change in a lead: the posting's values (None or "" clears an optional one;
    a salary may be given as text, read as a number)."""

    company: str | Keep = KEEP
    role: str | Keep = KEEP
    url: str | Keep | None = KEEP
    location: str | Keep | None = KEEP
    remote: bool | Keep = KEEP
    salary_min: float | str | Keep | None = KEEP
    salary_max: float | str | Keep | None = KEEP
    salary_currency: str | Keep | None = KEEP
    salary_unit: str | Keep | None = KEEP
    posted_on: str | Keep | None = KEEP
    valid_through: str | Keep | None = KEEP


_AMOUNT = re.compile(r"[0-9]{1,13}(\.[0-9]{1,2})?")


def _amount(value: float | str | None, field: str) -> float | None:
    if value is None or isinstance(value, float | int):
        return None if value is None else float(value)
    text = optional_text(value, field, 20)
    if text is None:
        return None
    if not _AMOUNT.fullmatch(text):
        raise BadInput(field, f"expected an amount such as 55000 or 27.50, got {shown(text)}")
    return float(text)


def _lead(ctx: Context, application_id: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The application and its posting's details; `NotFound`, or `Refused` for an
    application that is not a lead (applied to, and no posting kept)."""
    found = appstore.record(ctx.db, ctx.account, application_id)
    if found is None:
        raise NotFound(f"lead {application_id}: no such lead (see `afterview application list`)")
    detail = appstore.lead_detail(ctx.db, application_id)
    if detail is None and found["applied_on"] is not None:
        raise Refused(
            f"application {application_id} is not a lead (applied on {found['applied_on']}, no "
            f"posting kept): change it with `afterview application edit {application_id}`"
        )
    return found, detail


def edit_lead(ctx: Context, application_id: int, ch: LeadChanges) -> Edited:
    """Change what a lead's posting says (role, company, address, place, remote, salary,
    dates), each value checked as `lead add` checks a page's."""
    from afterview.services.leads import check_posting

    found, detail = _lead(ctx, application_id)
    old = {
        "role": found["role"],
        "company": found["company"],
        "url": found["url"],
        **{k: (detail or {}).get(k) for k in (
            "location", "remote", "salary_min", "salary_max", "salary_currency", "salary_unit",
            "posted_on", "valid_through",
        )},
    }  # fmt: skip
    old["remote"] = bool(old["remote"])
    new = dict(old)
    for name in ("role", "company"):
        value = getattr(ch, name)
        if given(value):
            new[name] = check_line(value, name, limit=200)
    for name in ("url", "location", "salary_currency", "salary_unit", "posted_on", "valid_through"):
        value = getattr(ch, name)
        if given(value):
            new[name] = optional_text(value, name, 2000 if name in ("url", "location") else 20)
            if name in ("posted_on", "valid_through") and new[name] is not None:
                new[name] = parse_date(new[name], name).isoformat()  # YYYY-MM-DD only
    if given(ch.remote):
        new["remote"] = bool(ch.remote)
    for name in ("salary_min", "salary_max"):
        value = getattr(ch, name)
        if given(value):
            new[name] = _amount(value, name)
    try:
        posting = check_posting(
            title=new["role"], company=new["company"], url=new["url"], location=new["location"],
            remote=new["remote"], salary_min=new["salary_min"], salary_max=new["salary_max"],
            salary_currency=new["salary_currency"], salary_unit=new["salary_unit"],
            posted_on=new["posted_on"], valid_through=new["valid_through"],
        )  # fmt: skip
    except BadInput as exc:  # a posting's title is the application's role
        raise BadInput("role" if exc.field == "title" else exc.field, exc.problem) from None
    checked = posting._asdict()
    checked["role"] = checked.pop("title")
    changed = [k for k in old if checked[k] != old[k]]
    said = [f"{k.replace('_', ' ')}: {words(old[k])} → {words(checked[k])}" for k in changed]
    if changed:
        with ctx.db.transaction():
            edits.update_application(
                ctx.db, ctx.account, application_id,
                {"company": checked["company"], "role": checked["role"], "url": checked["url"]},
            )  # fmt: skip
            keep = {k: (detail or {}).get(k) for k in ("source", "source_status", "notes")}
            keep["source"] = keep["source"] or "manual"
            leadstore.save_detail(ctx.db, application_id, {**checked, **keep})
    return Edited("lead", application_id, tuple(changed), tuple(said))
