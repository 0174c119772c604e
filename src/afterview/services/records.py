"""Use cases that record facts: applications, interviews, touches, outcomes, done and skip.

Each use case checks its whole input first, then writes in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from afterview.core.model import (
    Action,
    ActionKind,
    ActionState,
    Facts,
    Interview,
    OutcomeResult,
    Person,
)
from afterview.core.rules import follow_up_refusal
from afterview.core.timeutil import add_hours, utc, zone
from afterview.errors import BadInput, NotFound, Refused
from afterview.parsing import (
    check_line,
    check_text,
    check_zone,
    parse_date,
    parse_datetime,
    parse_person,
    shown,
)
from afterview.services.context import Context
from afterview.store import repo

MAX_DURATION_MINUTES = 24 * 60
#: The note `done` writes on the fact it records (a message sent, a mark): `reopen` knows
#: what `done` recorded by it.
DONE_NOTE = "marked done"


def add_application(
    ctx: Context, company: str, role: str, applied_on: str | None = None, url: str | None = None
) -> int:
    """Record an application submitted on `applied_on` (default: today in the user's zone)."""
    company = check_line(company, "company", limit=200)
    role = check_line(role, "role", limit=200)
    day = (
        parse_date(applied_on, "applied_on")
        if applied_on is not None
        else ctx.now.astimezone(zone(ctx.user_tz)).date()
    )
    link = check_url(url) if url is not None else None
    with ctx.db.transaction():
        return repo.add_application(ctx.db, ctx.account, company, role, day, link, ctx.now)


def check_url(url: str, field: str = "url") -> str:
    """`url` if it is one line holding an http:// or https:// address; else `BadInput`."""
    value = check_line(url, field, limit=2000)
    if not value.lower().startswith(("http://", "https://")) or any(c.isspace() for c in value):
        raise BadInput(field, f"expected an http:// or https:// address, got {shown(url)}")
    return value


def _people(texts: list[str], field: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for text in texts:
        name, email = parse_person(text, field)
        key = (email or name).lower()
        if key not in seen:
            seen.add(key)
            out.append((name, email))
    if len(out) > 50:
        raise BadInput(field, f"expected at most 50 interviewers, got {len(out)}")
    return out


def _times(
    start: str, end: str | None, duration: int | None, tz: str, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """The start and end typed (ISO, or relative to `now`: `today 14:00`), in `tz`."""
    if end is not None and duration is not None:
        raise BadInput("end", "give either --end or --duration, not both")
    begin = parse_datetime(start, tz, "start", now)
    if end is not None:
        finish = parse_datetime(end, tz, "end", now)
    else:
        minutes = 60 if duration is None else duration
        if not 1 <= minutes <= MAX_DURATION_MINUTES:
            raise BadInput(
                "duration", f"expected 1 to {MAX_DURATION_MINUTES} minutes, got {minutes}"
            )
        finish = add_hours(begin, minutes / 60)  # elapsed time, right across a DST change
    if utc(finish) <= utc(begin):
        raise BadInput("end", "expected a time after --start")
    if utc(finish) - utc(begin) > timedelta(minutes=MAX_DURATION_MINUTES):
        raise BadInput("end", "expected an interview of at most 24 hours")
    return begin, finish


def _check_decision(decision_by: date | None, start: datetime, tz: str) -> None:
    if decision_by is not None and decision_by < start.astimezone(zone(tz)).date():
        raise BadInput("decision_by", "expected a date on or after the interview's day")


def add_interview(
    ctx: Context,
    company: str,
    role: str,
    start: str,
    end: str | None = None,
    duration: int | None = None,
    tz: str | None = None,
    interviewers: list[str] | None = None,
    decision_by: str | None = None,
) -> int:
    """Record an interview (creating its application when there is none) and return its id."""
    company = check_line(company, "company", limit=200)
    role = check_line(role, "role", limit=200)
    tz = check_zone(tz) if tz is not None else ctx.user_tz
    begin, finish = _times(start, end, duration, tz, ctx.now)
    decision = parse_date(decision_by, "decision_by") if decision_by is not None else None
    _check_decision(decision, begin, tz)
    people = _people(interviewers or [], "interviewer")
    with ctx.db.transaction():
        app_id = repo.find_application(ctx.db, ctx.account, company, role)
        if app_id is None:
            app_id = repo.add_application(ctx.db, ctx.account, company, role, None, None, ctx.now)
        iv_id = repo.add_interview(
            ctx.db, ctx.account, app_id, begin, finish, tz, decision, ctx.now
        )
        persons = [repo.find_or_add_person(ctx.db, ctx.account, n, e) for n, e in people]
        repo.set_interviewers(ctx.db, iv_id, persons)
    return iv_id


def update_interview(
    ctx: Context,
    interview_id: int,
    start: str | None = None,
    end: str | None = None,
    duration: int | None = None,
    tz: str | None = None,
    decision_by: str | None = None,
    interviewers: list[str] | None = None,
) -> Interview:
    """Change an interview's times, zone, decision date or interviewers; the plan follows.

    A new `--tz` alone keeps the wall-clock times and reads them in the new zone
    (the usual reason is a zone entered wrongly).
    """
    iv = ctx.interview(interview_id)
    new_tz = check_zone(tz) if tz is not None else iv.tz
    old_local_start = iv.start.astimezone(zone(iv.tz)).replace(tzinfo=None).isoformat()
    old_minutes = int((utc(iv.end) - utc(iv.start)).total_seconds() // 60)
    start_text = start if start is not None else old_local_start
    if end is None and duration is None:
        if start is None and tz is None:
            begin, finish = iv.start, iv.end
        else:
            begin, finish = _times(start_text, None, old_minutes, new_tz, ctx.now)
    else:
        begin, finish = _times(start_text, end, duration, new_tz, ctx.now)
    decision = parse_date(decision_by, "decision_by") if decision_by is not None else iv.decision_by
    _check_decision(decision, begin, new_tz)
    people = _people(interviewers, "interviewer") if interviewers else None
    with ctx.db.transaction():
        repo.update_interview_times(ctx.db, iv.id, begin, finish, new_tz, decision)
        if people is not None:
            persons = [repo.find_or_add_person(ctx.db, ctx.account, n, e) for n, e in people]
            repo.set_interviewers(ctx.db, iv.id, persons)
    return ctx.interview(iv.id)


MAX_TOPICS = 50


def note_interview(
    ctx: Context, interview_id: int, topics: list[str], text: str | None = None
) -> Interview:
    """Add topics discussed in the interview (used by drafts) and replace its free notes."""
    iv = ctx.interview(interview_id)
    clean = [check_line(t, "topic", limit=300) for t in topics]
    notes = check_text(text, "text") if text is not None else None
    if not clean and notes is None:
        raise BadInput("topic", "give at least one --topic or --text")
    known = {x.lower() for x in iv.topics}
    new: list[str] = []
    for t in clean:
        if t.lower() not in known:
            known.add(t.lower())
            new.append(t)
    if len(known) > MAX_TOPICS:
        raise BadInput("topic", f"an interview keeps at most {MAX_TOPICS} topics")
    with ctx.db.transaction():
        for t in new:
            repo.add_topic(ctx.db, iv.id, t, ctx.now)
        if notes is not None:
            repo.set_interview_notes(ctx.db, iv.id, notes)
    return ctx.interview(iv.id)


def event_moment(
    ctx: Context, text: str | None, iv: Interview | None, field: str = "at"
) -> datetime:
    """When a recorded event happened: `text` read in the interview's zone (else the
    user's), no later than now; now when it is not given."""
    if text is None:
        return ctx.now
    value = parse_datetime(text, iv.tz if iv else ctx.user_tz, field, ctx.now)
    if value > ctx.now:
        raise BadInput(field, "expected a moment no later than now (see --now)")
    return value


def _match_person(iv: Interview, name: str, email: str | None) -> Person | None:
    for p in iv.interviewers:
        if email and p.email and p.email.lower() == email.lower():
            return p
    for p in iv.interviewers:
        if p.name.lower() == name.lower():
            return p
    return None


def _recipient(ctx: Context, iv: Interview, to: str | None, kind: str, field: str) -> Person | None:
    if to is not None:
        name, email = parse_person(to, field)
        found = _match_person(iv, name, email)
        return found or repo.find_or_add_person(ctx.db, ctx.account, name, email)
    if kind == "thank_you" and len(iv.interviewers) > 1:
        names = ", ".join(p.display() for p in iv.interviewers)
        raise BadInput(
            field, f"required for a thank-you when the interview has several interviewers ({names})"
        )
    return iv.interviewers[0] if iv.interviewers else None


def log_touch(
    ctx: Context,
    interview_id: int,
    direction: str,
    kind: str = "other",
    to: str | None = None,
    at: str | None = None,
    note: str | None = None,
    force: bool = False,
) -> int:
    """Record a message or call, sent or received; a follow-up is checked against the rules."""
    iv = ctx.interview(interview_id)
    if direction not in ("sent", "received"):
        raise BadInput("direction", f"expected sent or received, got {shown(direction)}")
    if kind not in ("thank_you", "follow_up", "other"):
        raise BadInput("kind", f"expected thank_you, follow_up or other, got {shown(kind)}")
    when = event_moment(ctx, at, iv)
    if direction == "received" and kind != "other":
        raise BadInput("kind", "a received message is of kind 'other'")
    if direction == "sent" and kind in ("thank_you", "follow_up"):
        _check_after_start(ctx, at, when, iv)
    text = check_text(note, "note") if note is not None else None
    if direction == "sent" and kind == "follow_up" and not force:
        refusal = follow_up_refusal(ctx.facts(), iv, when, ctx.config.playbook)
        if refusal:
            raise Refused(f"refused: {refusal}", override="record it anyway")
    with ctx.db.transaction():
        person = _recipient(ctx, iv, to, kind if direction == "sent" else "other", "to")
        return repo.add_touch(
            ctx.db,
            ctx.account,
            iv.id,
            direction,
            kind,
            person.id if person else None,
            when,
            text,
            force,
            ctx.now,
        )


def _check_after_start(ctx: Context, at: str | None, when: datetime, iv: Interview) -> None:
    """Refuse a moment before the interview started; when none was given (now), say that
    the interview has not started yet."""
    if when >= iv.start:
        return
    if at is not None:
        raise BadInput("at", "expected a moment after the interview started")
    from afterview.timewords import moment

    starts = moment(iv.start, ctx.now, ctx.user_tz, iv.tz)
    raise BadInput(
        "at",
        f"the interview has not started yet (it starts {starts}): record this once it has, "
        "or give the moment it happened",
    )


def record_outcome(ctx: Context, interview_id: int, result: str, at: str | None = None) -> None:
    """Record the employer's decision; it ends the follow-ups of that interview."""
    iv = ctx.interview(interview_id)
    try:
        outcome = OutcomeResult(result)
    except ValueError:
        raise BadInput("OUTCOME", "expected offer, rejected, next_round or withdrawn") from None
    when = event_moment(ctx, at, iv)
    _check_after_start(ctx, at, when, iv)
    with ctx.db.transaction():
        repo.set_outcome(ctx.db, ctx.account, iv.id, outcome.value, when)


def profile_reviewed(ctx: Context, at: str | None = None) -> datetime:
    """Record that the profile (CV, LinkedIn) was brought up to date."""
    when = event_moment(ctx, at, None)
    with ctx.db.transaction():
        repo.add_profile_review(ctx.db, ctx.account, when)
    return when


def find_action(ctx: Context, action_id: str, facts: Facts | None = None) -> Action:
    """Return the action with this id in the plan at now (of `facts`, else of the account's
    facts); `BadInput` for text that is not an action id, `NotFound` for an id that names
    no action."""
    from afterview.core.action_ids import parse_action_id

    if parse_action_id(action_id) is None:
        raise BadInput(
            "ACTION_ID",
            f"{shown(action_id)} is not an action id; ids look like thank_you:3:7, "
            "follow_up:3:1, self_assess:3, refresh_profile:3, keep_searching:2026-W38",
        )
    for a in ctx.plan(facts).actions:
        if a.id == action_id:
            return a
    raise NotFound(f"action {shown(action_id)}: no such action (see `afterview agenda --all`)")


def _live(ctx: Context, action_id: str) -> Action:
    action = find_action(ctx, action_id)
    state = action.state(ctx.now)
    if state is ActionState.LAPSED:
        assert action.ended_at is not None
        when = action.ended_at.astimezone(zone(ctx.user_tz))
        raise Refused(
            f"action {action_id} lapsed on {when:%a %d %b %Y %H:%M} ({action.end_why}): "
            "its moment has passed, so it can no longer be done or skipped"
        )
    if state.ended:
        raise Refused(f"action {action_id} has already ended ({state.value}: {action.end_why})")
    return action


def done(ctx: Context, action_id: str, force: bool = False) -> Action:
    """Record the fact that ends an action, at now, with the same checks as `log`."""
    action = _live(ctx, action_id)
    if action.kind is ActionKind.KEEP_SEARCHING:
        raise Refused(
            f"{action_id} ends when the week's applications reach the target: record each one "
            "with `afterview application add --company C --role R`"
        )
    if ctx.now < action.window.opens_at:
        # PRODUCT.md: `done` on an action that has not opened is refused; a follow-up
        # keeps the override `log` has ("the same checks as log")
        if action.kind is not ActionKind.FOLLOW_UP:
            raise Refused(f"refused: {action_id} {_not_open_yet(ctx, action)}")
        if not force:
            raise Refused(
                f"refused: {action_id} {_not_open_yet(ctx, action)}", override="record it anyway"
            )
    iv_id = action.interview_id
    assert iv_id is not None
    if action.kind is ActionKind.THANK_YOU or action.kind is ActionKind.FOLLOW_UP:
        iv = ctx.interview(iv_id)
        if action.kind is ActionKind.FOLLOW_UP and not force:
            refusal = follow_up_refusal(ctx.facts(), iv, ctx.now, ctx.config.playbook)
            if refusal:
                raise Refused(f"refused: {refusal}", override="record it anyway")
        with ctx.db.transaction():
            repo.add_touch(
                ctx.db,
                ctx.account,
                iv_id,
                "sent",
                action.kind.value,
                action.person.id if action.person else None,
                ctx.now,
                DONE_NOTE,
                force,
                ctx.now,
            )
    elif action.kind is ActionKind.REFRESH_PROFILE:
        with ctx.db.transaction():
            repo.add_profile_review(ctx.db, ctx.account, ctx.now)
    else:
        with ctx.db.transaction():
            repo.add_mark(ctx.db, ctx.account, action_id, "done", ctx.now, DONE_NOTE)
    for a in ctx.plan().actions:
        if a.id == action_id:
            return a
    # recorded, and the plan no longer has it (a profile review made before an interview
    # ends its refresh too): done all the same, not "no such action" after the write
    return action._replace(end_state=ActionState.DONE, ended_at=ctx.now, end_why=DONE_NOTE)


def _not_open_yet(ctx: Context, action: Action) -> str:
    local = action.window.opens_at.astimezone(zone(ctx.user_tz))
    return f"opens {local:%a %d %b %Y %H:%M}"


def skip(ctx: Context, action_id: str, why: str) -> Action:
    """End an action without doing it; skipping a follow-up ends that interview's follow-ups."""
    reason = check_line(why, "why", limit=500)
    _live(ctx, action_id)
    with ctx.db.transaction():
        repo.add_mark(ctx.db, ctx.account, action_id, "skipped", ctx.now, reason)
    return find_action(ctx, action_id)
