"""When an approved message goes out, and whether it still may (pure rules, no I/O).

- An approved message is scheduled at the start of its action's ideal window, or
  at once when that has passed; past the action's due time it is refused unless
  forced.
- Right before sending, the message is held when its action has ended, when the
  employer wrote after the message was approved, or (a follow-up) when the
  anti-pestering rules refuse it at that moment.
"""

from __future__ import annotations

from datetime import datetime

from afterview.core.model import Action, ActionKind, Direction, Facts
from afterview.core.playbook import Playbook
from afterview.core.rules import follow_up_refusal
from afterview.core.timeutil import utc, zone


def schedule_time(
    action: Action, at: datetime, *, force: bool = False
) -> tuple[datetime, str | None]:
    """Return when to send a message for `action` approved at `at`, and a refusal if any.

    The refusal (a sentence) is set when the action has ended at `at`, or when its
    due time has passed and `force` is not given.
    """
    state = action.state(at)
    if state.ended:
        return at, f"{action.id} has ended ({state.value}): there is nothing to send"
    w = action.window
    if utc(at) >= utc(w.due_at) and not force:
        return at, (f"{action.id} was due {w.due_at:%Y-%m-%d %H:%M %Z}")
    if utc(at) < utc(w.ideal_from):
        return w.ideal_from, None
    return at, None


def hold_reason(
    action: Action | None,
    facts: Facts,
    approved_at: datetime,
    at: datetime,
    pb: Playbook,
) -> str | None:
    """Return why a message approved at `approved_at` must not go out at `at`, or None.

    `action` is the message's action in the plan at `at` (None when the plan no
    longer has it, e.g. the interview changed). The follow-up rules hold even for a
    message approved past its due time (which only allows sending late); a
    message from the employer dated after the approval holds it whatever its date.
    """
    if action is None:
        return "its action is no longer in the plan (the interview changed)"
    state = action.state(at)
    if state.ended:
        return f"{action.id} has ended ({state.value}: {action.end_why or 'recorded'})"
    if action.interview_id is not None:
        received = [
            t.at
            for t in facts.touches
            if t.interview_id == action.interview_id
            and t.direction is Direction.RECEIVED
            and utc(approved_at) <= utc(t.at)
        ]
        if received:
            first = min(received, key=utc)
            tz = zone(facts.user_tz)
            return (
                f"the employer wrote on {first.astimezone(tz):%a %d %b %H:%M}, after you approved "
                "this message: read it first"
            )
    if action.kind is ActionKind.FOLLOW_UP and action.interview_id is not None:
        iv = next((i for i in facts.interviews if i.id == action.interview_id), None)
        if iv is not None:
            refusal = follow_up_refusal(facts, iv, at, pb)
            if refusal is not None:
                return refusal
    return None
