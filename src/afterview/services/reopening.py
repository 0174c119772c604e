"""`reopen`: take back what `done` or `skip` recorded, so that the plan opens the action again.

An action ended by `skip` loses its skip mark; one ended by `done` loses the fact
`done` recorded: the message marked sent (a thank-you or follow-up), the profile
review, or the done mark (a self-assessment). What the user recorded otherwise (a
message logged or sent through the outbox, an assessment, the week's applications)
is not `done`'s, and reopen leaves it: it says which record ended the action.
A `lapsed` or `cancelled` action cannot be reopened. One whose lapse moment has
passed meanwhile comes back `lapsed`: the mark is gone, and the plan says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from afterview.core.model import Action, ActionKind, ActionState, Facts
from afterview.core.timeutil import utc, zone
from afterview.errors import Refused
from afterview.services.context import Context
from afterview.services.records import DONE_NOTE, find_action
from afterview.store import endings


class Removed(NamedTuple):
    """A record reopen removes: `record` is "mark", "touch" (a message sent) or "review"."""

    record: str
    id: int
    at: datetime
    what: str  # in words: "the skip", "the done mark", "the profile review", …
    key: str = ""  # a mark's action id
    state: str = ""  # a mark's state: done or skipped


class Reopened(NamedTuple):
    """The action as the plan computes it again, its state at now, and what was removed."""

    action: Action
    state: ActionState
    removed: tuple[Removed, ...]


def reopen(ctx: Context, action_id: str) -> Reopened:
    """Open again an action that ended by `done` or `skip`, at now.

    `BadInput` for text that is not an action id, `NotFound` for an id that names no
    action, `Refused` for an action not ended by `done` or `skip` (live, lapsed,
    cancelled, or ended by another record) and for one that would stay ended all the
    same (another record ends it too); nothing is written then.
    """
    with ctx.db.transaction():
        facts = ctx.facts()
        action = find_action(ctx, action_id, facts)
        state = action.state(ctx.now)
        _check_ended_by_hand(ctx, action, state)
        removed = _what_ended(ctx, action, state)
        after = _planned_without(ctx, facts, removed, action)
        new_state = after.state(ctx.now)
        if new_state in (ActionState.DONE, ActionState.SKIPPED):
            raise Refused(
                f"{action_id} would still be {new_state.value} without {removed[0].what} "
                f"({after.end_why}); nothing was changed"
            )
        for record in ("mark", "touch", "review"):
            ids = [r.id for r in removed if r.record == record]
            if ids:
                endings.remove(ctx.db, ctx.account, record, ids)
    return Reopened(after, new_state, tuple(removed))


def _when(ctx: Context, at: datetime) -> str:
    return f"{at.astimezone(zone(ctx.user_tz)):%a %d %b %Y %H:%M}"


def _check_ended_by_hand(ctx: Context, action: Action, state: ActionState) -> None:
    """Refuse an action that is live, lapsed or cancelled."""
    if state in (ActionState.DONE, ActionState.SKIPPED):
        return
    if not state.ended:
        raise Refused(
            f"{action.id} is {state.value}: it has not ended, so there is nothing to reopen"
        )
    assert action.ended_at is not None
    verb = "lapsed" if state is ActionState.LAPSED else "was cancelled"
    raise Refused(
        f"{action.id} {verb} on {_when(ctx, action.ended_at)} ({action.end_why}): "
        f"a {state.value} action cannot be reopened, only one ended by done or skip"
    )


def _what_ended(ctx: Context, action: Action, state: ActionState) -> list[Removed]:
    """The records `done` or `skip` wrote that end the action (its end moment's)."""
    at = action.ended_at
    assert at is not None
    db, acc = ctx.db, ctx.account
    marks = endings.marks_at(db, acc, at)
    if state is ActionState.SKIPPED:
        # a skip on a follow-up ends whichever follow-up of the interview was pending
        prefix = f"follow_up:{action.interview_id}:"
        skips = [
            Removed("mark", m.id, m.at, "the skip", m.action_id, m.state)
            for m in marks
            if m.state == "skipped"
            and (
                m.action_id == action.id
                or (action.kind is ActionKind.FOLLOW_UP and m.action_id.startswith(prefix))
            )
        ]
        if skips:
            return skips
        raise Refused(f"{action.id}: the skip that ended it was not found; nothing was changed")
    done_marks = [
        Removed("mark", m.id, m.at, "the done mark", m.action_id, m.state)
        for m in marks
        if m.state == "done" and m.action_id == action.id
    ]
    if done_marks:
        return done_marks
    if action.kind in (ActionKind.THANK_YOU, ActionKind.FOLLOW_UP):
        return _sent_by_done(ctx, action, at)
    if action.kind is ActionKind.REFRESH_PROFILE:
        reviews = endings.reviews_at(db, acc, at)
        if reviews:
            return [Removed("review", r, at, "the profile review") for r in reviews]
    raise Refused(
        f"{action.id} ended on {_when(ctx, at)} ({action.end_why}), not by done or skip: "
        "reopen takes back only what those recorded"
    )


def _sent_by_done(ctx: Context, action: Action, at: datetime) -> list[Removed]:
    """The message `done` marked sent that ends a thank-you or follow-up; refused when the
    message that ends it was logged by hand or sent by afterview."""
    iv_id = action.interview_id
    assert iv_id is not None
    rows = endings.sent_at(ctx.db, ctx.account, iv_id, action.kind.value, at)
    if action.kind is ActionKind.THANK_YOU:
        people: set[int | None] = {None}  # a note to nobody in particular thanks the team
        if action.person is not None:
            single = len(ctx.interview(iv_id).interviewers) <= 1
            people = {action.person.id, None} if single else {action.person.id}
        rows = [r for r in rows if r.person_id in people]
    word = "thank-you" if action.kind is ActionKind.THANK_YOU else "follow-up"
    for r in rows:
        if r.note != DONE_NOTE or r.message_id is not None:
            how = "sent by afterview" if r.message_id is not None else "logged"
            raise Refused(
                f"{action.id} ended with the {word} {how} on {_when(ctx, r.at)} "
                f"(message {r.id}), not by done: reopen takes back only what done or skip "
                "recorded; delete that message to open the action again"
            )
    if not rows:
        raise Refused(f"{action.id}: the message that ended it was not found; nothing was changed")
    return [Removed("touch", r.id, r.at, f"the {word} recorded by done") for r in rows]


def _planned_without(ctx: Context, facts: Facts, removed: list[Removed], action: Action) -> Action:
    """The action as the plan at now computes it without the removed records."""
    touches = {r.id for r in removed if r.record == "touch"}
    marks = {(r.key, r.state, utc(r.at)) for r in removed if r.record == "mark"}
    reviews = [utc(r.at) for r in removed if r.record == "review"]
    kept_reviews = list(facts.profile_reviews)
    for at in reviews:
        kept_reviews = next(
            (
                kept_reviews[:n] + kept_reviews[n + 1 :]
                for n, v in enumerate(kept_reviews)
                if utc(v) == at
            ),
            kept_reviews,
        )
    without = facts._replace(
        touches=tuple(t for t in facts.touches if t.id not in touches),
        marks=tuple(m for m in facts.marks if (m.action_id, m.state.value, utc(m.at)) not in marks),
        profile_reviews=tuple(kept_reviews),
    )
    for a in ctx.plan(without).actions:
        if a.id == action.id:
            return a
    raise Refused(
        f"{action.id}: without {removed[0].what} the plan has no such action; nothing was changed"
    )


def reopened_json(ctx: Context, r: Reopened) -> dict[str, object]:
    """What `reopen` did, as JSON: the action's id and state at now (with when and why it
    ended, for one that comes back `lapsed` or `cancelled`) and the records removed."""
    from afterview.services.views import iso

    ended = r.state.ended
    return {
        "id": r.action.id,
        "state": r.state.value,
        "ended_at": iso(r.action.ended_at, ctx.user_tz) if ended else None,
        "end_why": r.action.end_why if ended else None,
        "removed": [
            {"record": x.record, "id": x.id, "at": iso(x.at, ctx.user_tz), "what": x.what}
            for x in r.removed
        ],
    }


def reopened_line(ctx: Context, r: Reopened) -> str:
    """What `reopen` did, in one line: the state at now and what was removed."""
    gone = "; ".join(f"removed {x.what} ({_when(ctx, x.at)})" for x in r.removed[:1])
    if r.state.ended:
        assert r.action.ended_at is not None
        verb = "passed" if r.state is ActionState.LAPSED else "ended"
        return (
            f"{r.action.id}: {r.state.value}: {gone}, but its moment {verb} on "
            f"{_when(ctx, r.action.ended_at)} ({r.action.end_why})"
        )
    return f"{r.action.id}: {r.state.value} again: {gone}"
